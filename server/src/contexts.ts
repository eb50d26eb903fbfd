import * as path from 'node:path';
import { readBuildContext, type BuildContext } from './sizing';
import { dockerignoreFor } from './service/sizes/dockerignore';
import { updateContext } from './service/sizes/context';

/**
 * Build contexts the open Dockerfiles use, read off the request path: one scan per folder, shared
 * by every Dockerfile in it, cancelled when no open Dockerfile needs it any more, and kept fresh
 * from file-change events (a changed .dockerignore means a full re-read).
 */
export type ContextState =
  | { status: 'scanning'; version: number }
  | { status: 'ready'; version: number; context: BuildContext }
  | { status: 'failed'; version: number; reason: string };

interface Entry {
  root: string;
  dockerfile: string;
  state: ContextState;
  users: Set<string>;
  cancelled: boolean;
  /** changes that arrived while a scan or update was running */
  pending: Set<string>;
  busy: boolean;
}

export interface ContextEvents {
  /** a context's state changed: re-analyse the documents that use it */
  changed(users: ReadonlySet<string>): void;
  progress?(root: string, filesSeen: number | 'done'): void;
  log(message: string): void;
}

export class BuildContexts {
  private readonly entries = new Map<string, Entry>();
  private version = 0;

  constructor(private readonly events: ContextEvents, private readonly maxFiles = 200_000) {}

  /** The context of a Dockerfile on disk (its folder), starting a scan the first time. */
  use(documentUri: string, dockerfilePath: string): ContextState {
    const root = path.dirname(dockerfilePath);
    const key = `${root}\0${path.basename(dockerfilePath)}`;
    for (const [otherKey, entry] of this.entries) if (otherKey !== key) this.release(documentUri, otherKey, entry);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { root, dockerfile: dockerfilePath, state: { status: 'scanning', version: ++this.version }, users: new Set(), cancelled: false, pending: new Set(), busy: false };
      this.entries.set(key, entry);
      void this.scan(entry);
    }
    entry.users.add(documentUri);
    return entry.state;
  }

  /** The context of a Dockerfile's folder if some open document already had it read; never scans. */
  peek(dockerfilePath: string): BuildContext | undefined {
    const root = path.dirname(dockerfilePath);
    const own = this.entries.get(`${root}\0${path.basename(dockerfilePath)}`);
    if (own?.state.status === 'ready') return own.state.context;
    // Another Dockerfile of the folder read it with the folder-wide .dockerignore (or none): the
    // same context, unless this file has a .dockerignore of its own (not checked: rare).
    for (const entry of this.entries.values()) {
      if (entry.root !== root || entry.state.status !== 'ready') continue;
      const ignoreFile = entry.state.context.ignoreFile;
      if (ignoreFile === undefined || ignoreFile === '.dockerignore') return entry.state.context;
    }
    return undefined;
  }

  /** The document closed: a context nobody uses is dropped (and its scan cancelled). True when one was. */
  close(documentUri: string): boolean {
    let dropped = false;
    for (const [key, entry] of this.entries) dropped = this.release(documentUri, key, entry) || dropped;
    return dropped;
  }

  /** Files changed on disk (absolute paths). */
  filesChanged(paths: string[]): void {
    for (const entry of this.entries.values()) {
      const inside = paths.filter((p) => p === entry.root || p.startsWith(`${entry.root}${path.sep}`));
      if (inside.length === 0) continue;
      const relative = inside.map((p) => path.relative(entry.root, p).split(path.sep).join('/'));
      const ignoreFiles = dockerignoreFor(path.basename(entry.dockerfile));
      if (relative.some((r) => ignoreFiles.includes(r))) relative.push('');
      for (const r of relative) entry.pending.add(r);
      if (!entry.busy) void this.update(entry);
    }
  }

  dispose(): void {
    for (const entry of this.entries.values()) entry.cancelled = true;
    this.entries.clear();
  }

  private release(documentUri: string, key: string, entry: Entry): boolean {
    if (!entry.users.delete(documentUri) || entry.users.size > 0) return false;
    entry.cancelled = true;
    this.entries.delete(key);
    return true;
  }

  private async scan(entry: Entry): Promise<void> {
    entry.busy = true;
    try {
      const context = await readBuildContext(entry.root, entry.dockerfile, {
        shouldCancel: () => entry.cancelled,
        onProgress: (seen) => this.events.progress?.(entry.root, seen),
        maxFiles: this.maxFiles,
      });
      if (entry.cancelled) return;
      entry.state = { status: 'ready', version: ++this.version, context };
      this.events.log(`build context ${entry.root}: ${context.snapshot.fileCount} files, ${context.snapshot.totalBytes} bytes${context.snapshot.complete ? '' : ' (incomplete)'}`);
    } catch (error) {
      if (entry.cancelled) return;
      entry.state = { status: 'failed', version: ++this.version, reason: error instanceof Error ? error.message : String(error) };
      this.events.log(`build context ${entry.root} could not be read: ${entry.state.reason}`);
    } finally {
      entry.busy = false;
      this.events.progress?.(entry.root, 'done');
    }
    this.events.changed(entry.users);
    if (entry.pending.size > 0) void this.update(entry);
  }

  private async update(entry: Entry): Promise<void> {
    if (entry.state.status !== 'ready') return;
    const changed = [...entry.pending];
    entry.pending.clear();
    if (changed.includes('')) {
      entry.state = { status: 'scanning', version: ++this.version };
      this.events.changed(entry.users);
      return this.scan(entry);
    }
    entry.busy = true;
    const current = entry.state.context;
    try {
      const snapshot = await updateContext(current.snapshot, changed, current.reader, current.ignore, { shouldCancel: () => entry.cancelled });
      if (entry.cancelled) return;
      entry.state = { status: 'ready', version: ++this.version, context: { ...current, snapshot } };
    } catch (error) {
      this.events.log(`updating build context ${entry.root} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      entry.busy = false;
    }
    this.events.changed(entry.users);
    if (entry.pending.size > 0) void this.update(entry);
  }
}
