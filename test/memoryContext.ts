import type { ContextEntry, ContextReaderExtras } from '../server/src/service/sizes/context';

/**
 * An in-memory build context for tests. Keys are posix paths; a value is the file's content
 * (string or bytes), `{ size }` for a file whose content is never needed (reading it throws),
 * `{ symlink: target }`, or `{ directory: true }` for an empty directory. Parent directories
 * appear by themselves. `deny` makes paths throw EACCES (a directory cannot be listed, a file is
 * listed but cannot be read), the way an unreadable file behaves for a non-root user.
 */
export type MemoryEntry = string | Uint8Array | { size: number } | { symlink: string } | { directory: true };

export interface MemoryContext extends ContextReaderExtras {
  stat(path: string): Promise<ContextEntry>;
  readRange(path: string, offset: number, length: number): Promise<Uint8Array>;
  /** add or replace an entry */
  set(path: string, entry: MemoryEntry): void;
  /** remove an entry and everything under it */
  remove(path: string): void;
  deny(path: string): void;
  /** calls so far, by method, and the paths asked */
  calls: { readDirectory: string[]; readFile: string[]; stat: string[]; readRange: string[] };
}

type Node = { kind: 'file'; data: Uint8Array | null; size: number } | { kind: 'symlink'; target: string } | { kind: 'directory' };

export function memoryContext(tree: Record<string, MemoryEntry>, options: { deny?: string[]; withStat?: boolean } = {}): MemoryContext {
  const nodes = new Map<string, Node>([['', { kind: 'directory' }]]);
  const denied = new Set(options.deny ?? []);
  const calls: MemoryContext['calls'] = { readDirectory: [], readFile: [], stat: [], readRange: [] };

  const set = (path: string, entry: MemoryEntry) => {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) nodes.set(parts.slice(0, i).join('/'), { kind: 'directory' });
    if (typeof entry === 'string') {
      const data = new TextEncoder().encode(entry);
      nodes.set(path, { kind: 'file', data, size: data.length });
    } else if (entry instanceof Uint8Array) nodes.set(path, { kind: 'file', data: entry, size: entry.length });
    else if ('size' in entry) nodes.set(path, { kind: 'file', data: null, size: entry.size });
    else if ('symlink' in entry) nodes.set(path, { kind: 'symlink', target: entry.symlink });
    else nodes.set(path, { kind: 'directory' });
  };
  for (const [path, entry] of Object.entries(tree)) set(path, entry);

  const fail = (code: string, path: string) => Object.assign(new Error(`${code}: ${path || '.'}`), { code });
  const entryOf = (path: string, node: Node): ContextEntry => {
    const entry: ContextEntry = node.kind === 'symlink'
      ? { path, size: new TextEncoder().encode(node.target).length, kind: 'symlink', target: node.target }
      : { path, size: node.kind === 'file' ? node.size : 0, kind: node.kind };
    if (node.kind === 'file' && denied.has(path)) entry.error = { code: 'EACCES', message: `permission denied: ${path}` };
    return entry;
  };
  const fileData = (path: string): Uint8Array => {
    const node = nodes.get(path);
    if (!node) throw fail('ENOENT', path);
    if (denied.has(path)) throw fail('EACCES', path);
    if (node.kind === 'directory') throw fail('EISDIR', path);
    if (node.kind === 'symlink') throw fail('ELOOP', path);
    if (node.data === null) throw new Error(`test context: the content of ${path} was read`);
    return node.data;
  };

  const context: MemoryContext = {
    calls,
    set,
    remove(path) {
      for (const key of [...nodes.keys()]) if (key === path || key.startsWith(`${path}/`)) nodes.delete(key);
    },
    deny(path) {
      denied.add(path);
    },
    async readDirectory(path) {
      calls.readDirectory.push(path);
      const node = nodes.get(path);
      if (!node) throw fail('ENOENT', path);
      if (node.kind !== 'directory') throw fail('ENOTDIR', path);
      if (denied.has(path)) throw fail('EACCES', path);
      const prefix = path === '' ? '' : `${path}/`;
      const out: ContextEntry[] = [];
      for (const [key, child] of nodes) {
        if (key !== '' && key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) out.push(entryOf(key, child));
      }
      return out.reverse(); // not in path order, as real directories are not
    },
    async readFile(path) {
      calls.readFile.push(path);
      return fileData(path);
    },
    async stat(path) {
      calls.stat.push(path);
      const node = nodes.get(path);
      if (!node) throw fail('ENOENT', path);
      return entryOf(path, node);
    },
    async readRange(path, offset, length) {
      calls.readRange.push(path);
      return fileData(path).subarray(offset, offset + length);
    },
  };
  if (options.withStat === false) {
    const { stat: _unused, ...rest } = context;
    return rest as MemoryContext;
  }
  return context;
}
