import { parentPort } from 'node:worker_threads';
import { createNodeContextReader } from './nodeContextReader';
import { sizeModel } from './sizing';
import { IncrementalAnalysis } from './service/incremental';
import type { ContextSnapshot } from './service/sizes/context';
import type { Message } from './service/sizes/messages';
import type { AnalyzeOptions, DockerfileModel } from './service/types';

/**
 * The worker thread that analyses and sizes big documents (./bigDocuments.ts starts it), so the
 * server's thread keeps answering requests on other documents meanwhile. It keeps each document's
 * IncrementalAnalysis across edits, as the server does for small ones, and the snapshot of each
 * build context it was sent, by root and version.
 */
export type WorkerRequest =
  | {
      kind: 'analyse';
      id: number;
      uri: string;
      text: string;
      options: AnalyzeOptions;
      /** the build context when read: its snapshot only when the worker does not hold it (`version` numbers snapshots) */
      context?: { root: string; version: number; snapshot?: ContextSnapshot };
      contextUnavailable?: string | Message;
    }
  | { kind: 'close'; uri: string };

export type WorkerResponse = { id: number; model: DockerfileModel } | { id: number; error: string };

const analyses = new Map<string, IncrementalAnalysis>();
const snapshots = new Map<string, { version: number; snapshot: ContextSnapshot }>();

async function analyse(request: Extract<WorkerRequest, { kind: 'analyse' }>): Promise<DockerfileModel> {
  let incremental = analyses.get(request.uri);
  if (!incremental) analyses.set(request.uri, (incremental = new IncrementalAnalysis()));
  const analysed = incremental.analyze(request.text, request.options);
  let context: Parameters<typeof sizeModel>[1];
  if (request.context) {
    const { root, version, snapshot } = request.context;
    if (snapshot) snapshots.set(root, { version, snapshot });
    const known = snapshots.get(root);
    if (known?.version !== version) throw new Error(`build context ${root} version ${version} was never sent`);
    context = { root, snapshot: known.snapshot, reader: createNodeContextReader(root) };
  }
  return sizeModel(analysed, context, { ...(request.contextUnavailable ? { contextUnavailable: request.contextUnavailable } : {}), incremental });
}

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.kind === 'close') {
    analyses.delete(request.uri);
    return;
  }
  analyse(request).then(
    (model) => parentPort!.postMessage({ id: request.id, model } satisfies WorkerResponse),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies WorkerResponse),
  );
});
