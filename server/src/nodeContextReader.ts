import { lstat as lstatCallback, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { ContextEntry, ContextReaderExtras } from './service/sizes/context';
import { openRegularFile, readRegularFile } from './safeRead';

/**
 * A ContextReader over a real folder, for the server and the CLI (the pure core never touches
 * node:fs). Every look is an lstat: a symlink is reported as a symlink with its target and is
 * never followed, neither as the last component nor on the way (a directory reached through a
 * symlink is refused with ELOOP). Paths are posix and relative to the root; one that climbs out
 * of it (`..`) is refused with EPERM. Errors carry a `code` (ENOENT, EACCES, ELOOP, ENOTDIR,
 * EFBIG…) and messages name the relative path only.
 */

export interface NodeContextReaderOptions {
  /** readFile refuses larger files with EFBIG (default 16 MiB); a call may pass its own cap */
  maxFileBytes?: number;
}

export interface NodeContextReader extends ContextReaderExtras {
  readonly root: string;
  readFile(path: string, maxBytes?: number): Promise<Uint8Array>;
  stat(path: string): Promise<ContextEntry>;
  readRange(path: string, offset: number, length: number): Promise<Uint8Array>;
}

/** A reader of a real folder, which can also hand out an open file (image layers are read in windows). */
export interface NodeFolderReader extends NodeContextReader {
  /** a regular file opened for reading (the caller closes it), with the same refusals as readFile */
  open(path: string): Promise<FileHandle>;
}

const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
const LSTATS_AT_ONCE = 64;

/**
 * fs.lstat through the callback API: the promise API gives every request its own stat buffer
 * in native memory, and a 100,000-file walk left tens of MB of it to the process.
 */
function lstat(file: string): Promise<Stats> {
  return new Promise((resolve, reject) => {
    lstatCallback(file, (error, stats) => (error ? reject(error) : resolve(stats)));
  });
}
export function createNodeContextReader(root: string, options: NodeContextReaderOptions = {}): NodeFolderReader {
  const base = path.resolve(root);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  /** directories known to be real directories reached without a symlink (listed by lstat-typed entries) */
  const verified = new Set<string>(['']);
  let realBase: Promise<string> | undefined;
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  const groups = new Set<number>(typeof process.getgroups === 'function' ? [process.getgid!(), ...process.getgroups()] : []);

  /** The relative path cleaned, or an EPERM error when it leaves the root. */
  function relative(rel: string): string {
    if (rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel)) throw failure('EPERM', rel, 'an absolute path: refused');
    const clean = path.posix.normalize(rel === '' ? '.' : rel).replace(/\/+$/, '');
    if (clean === '..' || clean.startsWith('../')) throw failure('EPERM', rel, 'outside the context root: refused');
    return clean === '.' ? '' : clean;
  }

  const absolute = path.sep === '/'
    ? (rel: string) => (rel === '' ? base : `${base}/${rel}`)
    : (rel: string) => (rel === '' ? base : path.join(base, ...rel.split('/')));

  /** Refuses a directory reached through a symlink anywhere on its way from the root. */
  async function checkDirectory(rel: string): Promise<void> {
    if (verified.has(rel)) return;
    realBase ??= fs.realpath(base);
    let real: string;
    try {
      real = await fs.realpath(absolute(rel));
    } catch (error) {
      throw mapError(error, rel);
    }
    if (real !== path.join(await realBase, ...rel.split('/'))) throw failure('ELOOP', rel, 'reached through a symlink: not followed');
    verified.add(rel);
  }

  function readable(stats: { mode: number; uid: number; gid: number }): boolean {
    if (uid <= 0) return true;
    if (stats.uid === uid) return (stats.mode & 0o400) !== 0;
    if (groups.has(stats.gid)) return (stats.mode & 0o040) !== 0;
    return (stats.mode & 0o004) !== 0;
  }

  async function entryOf(rel: string, kindHint?: ContextEntry['kind']): Promise<ContextEntry | null> {
    if (kindHint === 'directory') return { path: rel, size: 0, kind: 'directory' };
    let stats;
    try {
      stats = await lstat(absolute(rel));
    } catch (error) {
      const mapped = mapError(error, rel);
      if (mapped.code === 'ENOENT') return null;
      return { path: rel, size: 0, kind: 'file', error: { code: mapped.code, message: mapped.message } };
    }
    if (stats.isDirectory()) return { path: rel, size: 0, kind: 'directory' };
    if (stats.isSymbolicLink()) {
      const entry: ContextEntry = { path: rel, size: stats.size, kind: 'symlink' };
      try {
        entry.target = await fs.readlink(absolute(rel));
      } catch (error) {
        const mapped = mapError(error, rel);
        entry.error = { code: mapped.code, message: mapped.message };
      }
      return entry;
    }
    const entry: ContextEntry = { path: rel, size: stats.size, kind: 'file' };
    if (stats.isFile() && !readable(stats)) entry.error = { code: 'EACCES', message: `permission denied: ${rel}` };
    return entry;
  }

  /** A regular file reached without a symlink; pipes, sockets and devices are refused unread. */
  async function open(rel: string) {
    await checkDirectory(parentOf(rel));
    try {
      return (await openRegularFile(absolute(rel), { noFollow: true, name: rel || '.' })).handle;
    } catch (error) {
      throw mapError(error, rel);
    }
  }

  return {
    root: base,

    async readDirectory(p) {
      const rel = relative(p);
      await checkDirectory(rel);
      let dirents;
      try {
        dirents = await fs.readdir(absolute(rel), { withFileTypes: true });
      } catch (error) {
        throw mapError(error, rel);
      }
      const prefix = rel === '' ? '' : `${rel}/`;
      const entries: ContextEntry[] = [];
      // A bounded number of lstat calls in flight: enough to keep libuv's threads busy, few
      // enough that their requests die young instead of filling the old heap of a big folder.
      for (let i = 0; i < dirents.length; i += LSTATS_AT_ONCE) {
        const batch = await Promise.all(dirents.slice(i, i + LSTATS_AT_ONCE).map((d) => {
          const child = prefix + d.name;
          if (d.isDirectory()) {
            verified.add(child);
            return entryOf(child, 'directory');
          }
          return entryOf(child);
        }));
        for (const entry of batch) if (entry !== null) entries.push(entry);
      }
      return entries;
    },

    async stat(p) {
      const rel = relative(p);
      await checkDirectory(parentOf(rel));
      const entry = await entryOf(rel);
      if (entry === null) throw failure('ENOENT', rel, 'no such file or directory');
      return entry;
    },

    async readFile(p, maxBytes = maxFileBytes) {
      const rel = relative(p);
      await checkDirectory(parentOf(rel));
      try {
        return new Uint8Array(await readRegularFile(absolute(rel), { noFollow: true, maxBytes, name: rel || '.' }));
      } catch (error) {
        throw mapError(error, rel);
      }
    },

    open: (p) => open(relative(p)),

    async readRange(p, offset, length) {
      const rel = relative(p);
      const handle = await open(rel);
      try {
        const buffer = Buffer.alloc(Math.max(0, length));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        return new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead);
      } catch (error) {
        throw mapError(error, rel);
      } finally {
        await handle.close();
      }
    },
  };
}

type CodedError = Error & { code: string };

const DESCRIPTIONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'a symlink: not followed',
  ENOTDIR: 'not a directory',
  EISDIR: 'a directory',
  EMFILE: 'too many open files',
  ENXIO: 'a socket or a device with nothing behind it: not read',
};

function failure(code: string, rel: string, what: string): CodedError {
  return Object.assign(new Error(`${what}: ${rel || '.'}`), { code });
}

/** A node error as a coded error naming the relative path (never the absolute one). */
function mapError(error: unknown, rel: string): CodedError {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && !('syscall' in error)) return error as CodedError;
  const c = typeof code === 'string' ? code : 'EIO';
  return failure(c, rel, DESCRIPTIONS[c] ?? c.toLowerCase());
}

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}
