import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './analysisWorker';
import type { ContextSnapshot } from './service/sizes/context';
import type { Message } from './service/sizes/messages';
import type { AnalyzeOptions, DockerfileModel } from './service/types';

/**
 * A document this long (UTF-16 units, ~6,000 typical lines) is analysed and sized on the worker
 * thread (./analysisWorker.ts): its passes take hundreds of milliseconds to seconds, and on the
 * server's thread they would hold every hover on every other document. Smaller documents stay on
 * the server's thread, where an edit costs less than a round trip to the worker.
 */
export const WORKER_ABOVE_CHARS = 256 * 1024;

/**
 * The worker's old generation is bounded: a document that would exhaust it ends the worker (the
 * document gets no analysis, the server keeps running) instead of the server.
 */
const WORKER_HEAP_MB = 1024;

/** what the server's log says when the worker starts and once its thread has ended */
export const WORKER_STARTED = 'analysis worker started for a big document';
export const WORKER_ENDED = 'analysis worker ended: no big document is open';

/** An analysis the worker did not finish because it was stopped (shutdown, last document closed): no failure to report. */
export class WorkerStopped extends Error {}

interface Pending {
  resolve(model: DockerfileModel): void;
  reject(error: Error): void;
}

/**
 * The server's side of the worker: started on the first big document, ended when the last one
 * closes (what it held goes back to the system with it), restarted after a crash.
 */
export class BigDocuments {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly documents = new Set<string>();
  /** the snapshot the worker holds, per root, by its number here */
  private readonly sent = new Map<string, number>();
  private readonly snapshotNumbers = new WeakMap<ContextSnapshot, number>();
  private nextSnapshot = 1;

  constructor(private readonly log: (message: string) => void) {}

  analyse(
    uri: string,
    text: string,
    options: AnalyzeOptions,
    context: { root: string; snapshot: ContextSnapshot } | undefined,
    contextUnavailable: string | Message | undefined,
  ): Promise<DockerfileModel> {
    const worker = this.start();
    this.documents.add(uri);
    const id = this.nextId++;
    let version = 0;
    if (context) {
      version = this.snapshotNumbers.get(context.snapshot) ?? this.nextSnapshot++;
      this.snapshotNumbers.set(context.snapshot, version);
    }
    const request: WorkerRequest = {
      kind: 'analyse',
      id,
      uri,
      text,
      options,
      ...(context
        ? { context: { root: context.root, version, ...(this.sent.get(context.root) !== version ? { snapshot: context.snapshot } : {}) } }
        : {}),
      ...(contextUnavailable ? { contextUnavailable } : {}),
    };
    if (context) this.sent.set(context.root, version);
    return new Promise<DockerfileModel>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(request);
    });
  }

  /** Whether the worker holds state for this document. */
  has(uri: string): boolean {
    return this.documents.has(uri);
  }

  /** Drops the document's state; the worker ends with its last document. */
  close(uri: string): void {
    if (!this.documents.delete(uri) || !this.worker) return;
    if (this.documents.size > 0 || this.pending.size > 0) {
      this.worker.postMessage({ kind: 'close', uri } satisfies WorkerRequest);
      return;
    }
    this.stop();
  }

  dispose(): void {
    this.stop();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(__dirname, 'analysisWorker.js'), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.on('message', (response: WorkerResponse) => {
      const pending = this.pending.get(response.id);
      this.pending.delete(response.id);
      if ('error' in response) pending?.reject(new Error(response.error));
      else pending?.resolve(response.model);
      if (this.pending.size === 0 && this.documents.size === 0) this.stop();
    });
    worker.on('error', (error) => this.log(`analysis worker failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.forget(new Error(`the analysis worker stopped (exit code ${code})`));
    });
    this.worker = worker;
    this.log(WORKER_STARTED);
    return worker;
  }

  private stop(): void {
    const worker = this.worker;
    if (!worker) return;
    this.forget(new WorkerStopped('the analysis worker was stopped'));
    void worker.terminate().then(() => this.log(WORKER_ENDED));
  }

  /** The worker is gone: pending analyses fail, and a new worker starts from nothing. */
  private forget(reason: Error): void {
    this.worker = undefined;
    this.sent.clear();
    this.documents.clear();
    for (const pending of this.pending.values()) pending.reject(reason);
    this.pending.clear();
  }
}
