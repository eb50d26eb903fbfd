import type { DockerIgnore, IgnoreState } from './dockerignore';
import type { ContextFile, ContextReader } from './types';

/**
 * The build context as BuildKit would send it: a walk from the context root through the injected
 * ContextReader, leaving out what `.dockerignore` excludes. Excluded directories are not entered
 * unless an exception (`!`) could re-include something inside them. Symlinks are never followed:
 * a link is listed as itself (its size is the link's), so a link loop cannot make the walk loop.
 * What cannot be read is listed in `errors` and the walk carries on.
 *
 * The snapshot is plain data (no classes, no methods): files sorted by path with a running total
 * of their sizes, so "bytes and files under this directory" is two binary searches.
 */

/** An entry as a reader may list it: one the build could not read carries its error. */
export interface ContextEntry extends ContextFile {
  error?: { code: string; message: string };
}

/** What a reader can do beyond ContextReader; the scan and COPY sizes use these when present. */
export interface ContextReaderExtras extends ContextReader {
  /** one entry, without following a final symlink; throws ENOENT when it is gone */
  stat?(path: string): Promise<ContextEntry>;
  /** up to `length` bytes of a file from `offset` (fewer at its end) */
  readRange?(path: string, offset: number, length: number): Promise<Uint8Array>;
}

export interface ContextError {
  /** posix path relative to the context root; `.` for the root itself */
  path: string;
  /** ENOENT, EACCES, ELOOP, ENOTDIR… */
  code: string;
  message: string;
}

export interface ContextSnapshot {
  /** files and symlinks the build would send, sorted by path (UTF-16 code-unit order) */
  files: ContextFile[];
  /** bytesBefore[i] = total size of files[0..i); files.length + 1 numbers */
  bytesBefore: number[];
  /** directories the build would send (the root is not listed), sorted */
  directories: string[];
  /** entries .dockerignore excludes, as seen (an excluded directory not walked is one entry), sorted */
  ignored: string[];
  ignoredCount: number;
  fileCount: number;
  totalBytes: number;
  /** what could not be read, sorted by path */
  errors: ContextError[];
  /** false when the walk was cancelled or stopped at maxFiles */
  complete: boolean;
  /** the walk stopped at maxFiles: more files exist than listed */
  truncated: boolean;
}

export interface ScanOptions {
  ignore?: DockerIgnore;
  /** polled between directories: true stops the walk (complete: false) */
  shouldCancel?: () => boolean;
  /** entries listed so far, every few hundred and once at the end */
  onProgress?: (filesSeen: number) => void;
  /** files kept at most; past it the walk stops (complete: false, truncated: true) */
  maxFiles?: number;
  /** directories read at once (default 8) */
  concurrency?: number;
}

const DEFAULT_MAX_FILES = 500_000;
const PROGRESS_EVERY = 500;

export async function scanContext(reader: ContextReader, options: ScanOptions = {}): Promise<ContextSnapshot> {
  const walk = new Walk(reader, options);
  const root: DirNode = { path: '', depth: 0, state: undefined, excluded: false, items: null };
  await walk.run(root);
  const out = emptyOutput();
  emitDirectory(root, out);
  out.ignored.push(...walk.ignored);
  out.errors.push(...walk.errors);
  options.onProgress?.(walk.seen);
  return buildSnapshot(out.files, out.directories.sort(), out.ignored.sort(), sortErrors(out.errors), walk.stopped === null, walk.stopped === 'limit');
}

/**
 * A new snapshot after the paths a file watcher reported changed (created, modified, deleted;
 * files or directories). Only those paths are looked at again (a directory: its subtree); the
 * old snapshot is left as it was. A path under a directory the snapshot does not know is taken
 * up from the highest unknown directory. maxFiles is not applied to updates. Pass the ignore
 * the snapshot was scanned with: when the .dockerignore itself changes, scan again instead.
 */
export async function updateContext(
  snapshot: ContextSnapshot,
  changedPaths: readonly string[],
  reader: ContextReader,
  ignore?: DockerIgnore,
  options: Omit<ScanOptions, 'ignore' | 'maxFiles'> = {},
): Promise<ContextSnapshot> {
  const normalized = changedPaths.map(normalizePath);
  if (normalized.some((p) => p === '')) return scanContext(reader, { ...options, ignore });
  const known = (dir: string) => dir === '' || hasSorted(snapshot.directories, dir);
  const targets = topmost(normalized.map((path) => {
    // the highest ancestor the snapshot does not know as a directory is what changed
    let target = path;
    for (let parent = parentOf(path); !known(parent); parent = parentOf(parent)) target = parent;
    return target;
  }));
  const walk = new Walk(reader, { ...options, ignore, maxFiles: Infinity });
  const out = emptyOutput();
  const extras = reader as ContextReaderExtras;
  const listings = new Map<string, Promise<ContextEntry[]>>();
  for (const path of targets) {
    if (options.shouldCancel?.()) break;
    const found = await statEntry(reader, extras, path, listings);
    if (found === null) continue;
    if ('message' in found && !('kind' in found)) {
      out.errors.push(found);
      continue;
    }
    const entry = found as ContextEntry;
    const depth = path.split('/').length;
    const parent = parentOf(path);
    const state = ignore ? ignore.match(path, depth, parent === '' ? undefined : ignore.stateOf(parent)) : undefined;
    if (entry.kind !== 'directory') {
      if (state?.ignored) out.ignored.push(path);
      else {
        if (entry.error) out.errors.push({ path, ...entry.error });
        out.files.push(entry);
      }
      continue;
    }
    const excluded = state?.ignored ?? false;
    if (excluded && !ignore!.descendInto(path, state!)) {
      out.ignored.push(path);
      continue;
    }
    const node: DirNode = { path, depth, state, excluded, items: null };
    await walk.run(node);
    emitDirectory(node, out);
  }
  out.ignored.push(...walk.ignored);
  out.errors.push(...walk.errors);
  const byPath = (f: { path: string }) => f.path;
  const same = (s: string) => s;
  const files = replaceSorted(snapshot.files, byPath, targets, out.files);
  let directories = replaceSorted(snapshot.directories, same, targets, out.directories);
  let ignored = replaceSorted(snapshot.ignored, same, targets, out.ignored);
  const errors = replaceSorted(snapshot.errors, byPath, targets, out.errors);
  if (ignore?.hasExceptions) {
    // an excluded directory walked for an exception is sent only while something inside is
    const emptied = new Set<string>();
    for (const path of targets) {
      for (let dir = parentOf(path); dir !== ''; dir = parentOf(dir)) {
        if (emptied.has(dir) || !hasSorted(directories, dir) || !ignore.stateOf(dir).ignored) continue;
        const key = (f: ContextFile) => f.path;
        if (lowerBound(files, key, `${dir}/`) === lowerBound(files, key, `${dir}0`)) emptied.add(dir);
      }
    }
    if (emptied.size > 0) {
      directories = directories.filter((d) => !emptied.has(d));
      ignored = [...ignored, ...emptied].sort();
    }
  }
  return buildSnapshot(files, directories, ignored, errors, snapshot.complete && walk.stopped === null, snapshot.truncated);
}

// ---------------------------------------------------------------------------------------------
// Queries

/** Bytes and number of files (symlinks included) under a directory; '' or '.' for the whole context. */
export function sizeUnder(snapshot: ContextSnapshot, directory: string): { bytes: number; files: number } {
  const [start, end] = rangeUnder(snapshot, directory);
  return { bytes: snapshot.bytesBefore[end]! - snapshot.bytesBefore[start]!, files: end - start };
}

/** Indices [start, end) of the files under a directory; '' or '.' for the whole context. */
export function rangeUnder(snapshot: ContextSnapshot, directory: string): [number, number] {
  const dir = normalizePath(directory);
  if (dir === '') return [0, snapshot.files.length];
  const key = (f: ContextFile) => f.path;
  return [lowerBound(snapshot.files, key, `${dir}/`), lowerBound(snapshot.files, key, `${dir}0`)];
}

export function findFile(snapshot: ContextSnapshot, path: string): ContextFile | undefined {
  const p = normalizePath(path);
  const i = lowerBound(snapshot.files, (f) => f.path, p);
  const file = snapshot.files[i];
  return file && file.path === p ? file : undefined;
}

export function isDirectory(snapshot: ContextSnapshot, path: string): boolean {
  const p = normalizePath(path);
  return p === '' || hasSorted(snapshot.directories, p);
}

/** Posix path relative to the root: no leading `/` or `./`, no trailing `/`, `..` kept inside. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

// ---------------------------------------------------------------------------------------------
// The walk

interface DirNode {
  /** '' for the root */
  path: string;
  depth: number;
  state: IgnoreState | undefined;
  /** excluded by .dockerignore but walked: an exception may re-include something inside */
  excluded: boolean;
  /** entries in path order once read; null when never read */
  items: Array<ContextFile | DirNode> | null;
}

interface Output {
  files: ContextFile[];
  directories: string[];
  ignored: string[];
  errors: ContextError[];
}

const emptyOutput = (): Output => ({ files: [], directories: [], ignored: [], errors: [] });

class Walk {
  seen = 0;
  kept = 0;
  stopped: 'cancel' | 'limit' | null = null;
  readonly ignored: string[] = [];
  readonly errors: ContextError[] = [];
  private reported = 0;
  private readonly maxFiles: number;

  constructor(private readonly reader: ContextReader, private readonly options: ScanOptions) {
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  }

  /** Reads `start` and everything under it that the build would send, a few directories at once. */
  run(start: DirNode): Promise<void> {
    const queue: DirNode[] = [start];
    const limit = Math.max(1, this.options.concurrency ?? 8);
    let active = 0;
    return new Promise((resolve) => {
      const pump = () => {
        while (active < limit && queue.length > 0 && this.stopped === null) {
          const node = queue.pop()!;
          active++;
          void this.visit(node, queue).then(() => {
            active--;
            pump();
          });
        }
        if (active === 0 && (queue.length === 0 || this.stopped !== null)) resolve();
      };
      pump();
    });
  }

  private async visit(node: DirNode, queue: DirNode[]): Promise<void> {
    if (this.stopped !== null) return;
    if (this.options.shouldCancel?.()) {
      this.stopped = 'cancel';
      return;
    }
    let entries: ContextEntry[];
    try {
      entries = await this.reader.readDirectory(node.path);
    } catch (error) {
      const code = codeOf(error);
      // BuildKit skips permission errors inside excluded directories it walks for exceptions
      if (!(node.excluded && (code === 'EACCES' || code === 'EPERM'))) {
        this.errors.push({ path: node.path || '.', code, message: messageOf(error) });
      }
      node.items = [];
      return;
    }
    if (this.stopped !== null) return;
    const ignore = this.options.ignore;
    const depth = node.depth + 1;
    const keyed: Array<{ key: string; item: ContextFile | DirNode }> = [];
    const nameStart = node.path === '' ? 0 : node.path.length + 1;
    for (const entry of entries) {
      this.seen++;
      const state = ignore ? ignore.match(entry.path, depth, node.state) : undefined;
      const name = entry.path.slice(nameStart);
      if (entry.kind === 'directory') {
        const excluded = state?.ignored ?? false;
        if (excluded && !ignore!.descendInto(entry.path, state!)) {
          this.ignored.push(entry.path);
          continue;
        }
        const child: DirNode = { path: entry.path, depth, state, excluded, items: null };
        keyed.push({ key: `${name}/`, item: child });
        queue.push(child);
        continue;
      }
      if (state?.ignored) {
        this.ignored.push(entry.path);
        continue;
      }
      if (this.kept >= this.maxFiles) {
        this.stopped = 'limit';
        break;
      }
      this.kept++;
      if (entry.error) this.errors.push({ path: entry.path, ...entry.error });
      keyed.push({ key: name, item: entry });
    }
    // a directory sorts as `name/`, so its files come where their full paths sort
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    node.items = keyed.map((k) => k.item);
    if (this.options.onProgress && this.seen - this.reported >= PROGRESS_EVERY) {
      this.reported = this.seen;
      this.options.onProgress(this.seen);
    }
  }
}

/** Files in path order; a walked directory is listed when it is sent, else among the ignored. */
function emitDirectory(node: DirNode, out: Output): void {
  const before = out.files.length;
  for (const item of node.items ?? []) {
    if ('items' in item) emitDirectory(item, out);
    else out.files.push(item);
  }
  if (node.path === '') return;
  if (!node.excluded || out.files.length > before) out.directories.push(node.path);
  else out.ignored.push(node.path);
}

function buildSnapshot(
  files: ContextFile[], directories: string[], ignored: string[], errors: ContextError[], complete: boolean, truncated: boolean,
): ContextSnapshot {
  const bytesBefore = new Array<number>(files.length + 1);
  let total = 0;
  bytesBefore[0] = 0;
  for (let i = 0; i < files.length; i++) {
    total += files[i]!.size;
    bytesBefore[i + 1] = total;
  }
  return {
    files, bytesBefore, directories, ignored, ignoredCount: ignored.length, fileCount: files.length,
    totalBytes: total, errors, complete, truncated,
  };
}

// ---------------------------------------------------------------------------------------------
// Incremental update helpers

/** The entry at `path`, null when it is gone, or the error that kept it from being read. */
async function statEntry(
  reader: ContextReader, extras: ContextReaderExtras, path: string, listings: Map<string, Promise<ContextEntry[]>>,
): Promise<ContextEntry | ContextError | null> {
  try {
    if (extras.stat) return await extras.stat(path);
    const parent = parentOf(path);
    let listing = listings.get(parent);
    if (!listing) {
      listing = reader.readDirectory(parent);
      listings.set(parent, listing);
    }
    return (await listing).find((e) => e.path === path) ?? null;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    return { path, code, message: messageOf(error) };
  }
}

/** Sorted, without duplicates, and without paths inside another listed path. */
function topmost(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  const set = new Set(sorted);
  return sorted.filter((p) => {
    for (let parent = parentOf(p); parent !== ''; parent = parentOf(parent)) if (set.has(parent)) return false;
    return true;
  });
}

/** `old` without each removed path and everything under it, with `added` merged in; all sorted. */
function replaceSorted<T>(old: readonly T[], keyOf: (item: T) => string, removed: readonly string[], added: T[]): T[] {
  const ranges: Array<[number, number]> = [];
  for (const path of removed) {
    const at = lowerBound(old, keyOf, path);
    if (at < old.length && keyOf(old[at]!) === path) ranges.push([at, at + 1]);
    const from = lowerBound(old, keyOf, `${path}/`);
    const to = lowerBound(old, keyOf, `${path}0`);
    if (from < to) ranges.push([from, to]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const kept: T[] = [];
  let cursor = 0;
  for (const [from, to] of ranges) {
    for (let i = cursor; i < from; i++) kept.push(old[i]!);
    cursor = Math.max(cursor, to);
  }
  for (let i = cursor; i < old.length; i++) kept.push(old[i]!);
  if (added.length === 0) return kept;
  const extra = [...added].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const merged: T[] = new Array(kept.length + extra.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < kept.length && j < extra.length) merged[k++] = keyOf(kept[i]!) <= keyOf(extra[j]!) ? kept[i++]! : extra[j++]!;
  while (i < kept.length) merged[k++] = kept[i++]!;
  while (j < extra.length) merged[k++] = extra[j++]!;
  return merged;
}

/** The first index whose key is not below `key`, in an array sorted by key. */
export function lowerBound<T>(items: readonly T[], keyOf: (item: T) => string, key: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid]!) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function hasSorted(items: readonly string[], key: string): boolean {
  const at = lowerBound(items, (s) => s, key);
  return at < items.length && items[at] === key;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortErrors(errors: ContextError[]): ContextError[] {
  return errors.sort((a, b) => compare(a.path, b.path));
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
