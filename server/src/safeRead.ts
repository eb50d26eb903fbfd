import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * The one way Dockerlens opens a file a workspace or a user named: a cloned repository may put a
 * named pipe, a socket, a device or a symlink loop where a Dockerfile, a .dockerignore, a COPY
 * source or an image's config should be. The file is opened without blocking (O_NONBLOCK: a FIFO
 * with no writer opens at once instead of waiting forever), then fstat'ed on that descriptor and
 * refused unless it is a regular file, with a one-line reason and a `code`. Reads then go through
 * the same descriptor, so what was checked is what is read.
 */

export interface SafeOpenOptions {
  /** refuse a symlink as the last component (ELOOP) instead of following it */
  noFollow?: boolean;
  /** the name messages give the file (`what: name`); messages name no file without it */
  name?: string;
}

export interface SafeReadOptions extends SafeOpenOptions {
  /** refuse files larger than this with EFBIG (default 16 MiB) */
  maxBytes?: number;
}

export type CodedError = Error & { code: string };

export const DEFAULT_MAX_READ_BYTES = 16 * 1024 * 1024;

/** EINVAL-like, but says what it is: a path that exists and is not a regular file. */
export const NOT_REGULAR = 'ENOTREG';

const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** What a non-regular file is, in words; undefined for a regular file. */
export function specialKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSymbolicLink()) return 'a symlink';
  return 'not a regular file';
}

/**
 * Opens `file` for reading if it is a regular file; closes it and throws otherwise (EISDIR for a
 * directory, ENOTREG for pipes, sockets and devices; open's own codes: ENOENT, EACCES, ELOOP for a
 * symlink loop or a refused symlink, ENXIO for a socket).
 */
export async function openRegularFile(file: string, options: SafeOpenOptions = {}): Promise<{ handle: FileHandle; stats: Stats }> {
  const handle = await open(file, constants.O_RDONLY | NONBLOCK | (options.noFollow ? NOFOLLOW : 0));
  try {
    const stats = await handle.stat();
    const special = specialKind(stats);
    if (special) throw coded(stats.isDirectory() ? 'EISDIR' : NOT_REGULAR, `${special}, not a regular file: not read`, options.name);
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The bytes of a regular file, at most `maxBytes` of them (EFBIG beyond, even if it grew after the check). */
export async function readRegularFile(file: string, options: SafeReadOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  const { handle, stats } = await openRegularFile(file, options);
  try {
    if (stats.size > maxBytes) throw coded('EFBIG', `${stats.size} bytes, over the ${maxBytes}-byte limit: not read`, options.name);
    return await readUpTo(handle, maxBytes, options.name);
  } finally {
    await handle.close();
  }
}

/** Reads from the start until the end, refusing more than `maxBytes`. */
async function readUpTo(handle: FileHandle, maxBytes: number, name: string | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buffer = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, total);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) throw coded('EFBIG', `over the ${maxBytes}-byte limit: not read`, name);
  }
  return Buffer.concat(chunks, total);
}

function coded(code: string, what: string, name: string | undefined): CodedError {
  return Object.assign(new Error(name === undefined ? what : `${what}: ${name}`), { code });
}
