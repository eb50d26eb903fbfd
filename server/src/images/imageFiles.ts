import { stat, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { tarEntries, type TarEntry } from '../service/sizes/archive';
import type { RangeReader } from '../service/sizes/copySize';
import { createNodeContextReader } from '../nodeContextReader';
import { openRegularFile } from '../safeRead';

/**
 * The files of an image archive, read in place: a tar (`docker save`, an OCI archive) is indexed
 * from its headers and its members are read at their offsets, never unpacked; a folder (an OCI
 * image layout, an unpacked `docker save`) is read as it is. Names are posix, relative to the top.
 */
export interface ImageFiles {
  /** the path the user gave */
  where: string;
  kind: 'tar' | 'folder';
  /** undefined when there is no such member; throws when there is one that must not be read */
  size(name: string): Promise<number | undefined>;
  /** a small member's text (manifests, configs), refusing anything over `max` bytes */
  text(name: string, max?: number): Promise<string>;
  /** a member's bytes from an offset, for streaming layers through the tar counter */
  read: RangeReader;
  close(): Promise<void>;
}

const MAX_TEXT = 16 * 1024 * 1024;
/** an image archive has a few files per layer: far more members is some other tar (a root filesystem…) */
const MAX_MEMBERS = 20_000;
/** symlinked members (`docker save` links identical layers) followed at most this deep */
const MAX_LINKS = 8;

export async function openImageFiles(where: string): Promise<ImageFiles> {
  const info = await stat(where);
  return info.isDirectory() ? folderFiles(where) : tarFiles(where);
}

async function tarFiles(where: string): Promise<ImageFiles> {
  // the archive the user named may be a symlink; a pipe or a device is refused unread
  const { handle, stats } = await openRegularFile(where);
  const size = stats.size;
  try {
    const readAt = async (offset: number, length: number): Promise<Uint8Array> => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      return buffer.subarray(0, bytesRead);
    };
    const listed = await tarEntries((_p, offset, length) => readAt(offset, length), { path: path.basename(where), size, kind: 'file' }, MAX_MEMBERS)
      .catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}: not an image archive`);
      });
    const members = new Map<string, TarEntry>();
    for (const entry of listed) members.set(clean(entry.name), entry);
    const resolve = (name: string): TarEntry | undefined => {
      let entry = members.get(clean(name));
      let current = clean(name);
      for (let hops = 0; entry && (entry.type === '2' || entry.type === '1') && hops < MAX_LINKS; hops++) {
        // symlinks are relative to the member's folder; hard links name a member from the top
        current = entry.type === '2' ? clean(path.posix.join(path.posix.dirname(current), entry.link)) : clean(entry.link);
        entry = members.get(current);
      }
      return entry && (entry.type === '0' || entry.type === '7') ? entry : undefined;
    };
    const member = (name: string): TarEntry => {
      const entry = resolve(name);
      if (!entry) throw Object.assign(new Error(`${name} is not in ${path.basename(where)}`), { code: 'ENOENT' });
      return entry;
    };
    return {
      where,
      kind: 'tar',
      size: async (name) => resolve(name)?.size,
      text: async (name, max = MAX_TEXT) => {
        const entry = member(name);
        if (entry.size > max) throw new Error(`${name} is ${entry.size} bytes: too large to be a manifest or config`);
        return Buffer.from(await readAt(entry.offset, entry.size)).toString('utf8');
      },
      read: async (name, offset, length) => {
        const entry = member(name);
        const end = Math.min(entry.size, offset + length);
        return offset >= end ? new Uint8Array(0) : readAt(entry.offset + offset, end - offset);
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * A folder read through the context reader: nothing but regular files inside it is read (a named
 * pipe or a device is refused unread), and a symlinked member (`docker save` links identical
 * layers) is followed only while it stays inside the folder: never to /dev/zero or /etc/shadow.
 */
async function folderFiles(where: string): Promise<ImageFiles> {
  const reader = createNodeContextReader(where, { maxFileBytes: MAX_TEXT });
  // An unreadable folder fails here, with its own error code, not at the first member.
  await reader.readDirectory('');
  const resolve = async (name: string): Promise<{ rel: string; size: number } | { problem: string; code: string }> => {
    let current = clean(name);
    for (let hops = 0; hops <= MAX_LINKS; hops++) {
      let entry;
      try {
        entry = await reader.stat(current);
      } catch (error) {
        const code = String((error as { code?: unknown }).code ?? 'EIO');
        return { problem: code === 'ENOENT' ? `${name} is not in ${path.basename(where)}` : error instanceof Error ? error.message : String(error), code };
      }
      if (entry.kind === 'directory') return { problem: `${name} is a directory`, code: 'EISDIR' };
      if (entry.kind === 'file') return entry.error ? { problem: entry.error.message, code: entry.error.code } : { rel: current, size: entry.size };
      const target = entry.target ?? '';
      const next = clean(path.posix.join(path.posix.dirname(current), target));
      if (target.startsWith('/') || next === '..' || next.startsWith('../')) return { problem: `${name} is a symlink out of the image folder: not followed`, code: 'ELOOP' };
      current = next;
    }
    return { problem: `${name}: more than ${MAX_LINKS} symlinks in a row: not followed`, code: 'ELOOP' };
  };
  const member = async (name: string): Promise<string> => {
    const found = await resolve(name);
    if ('problem' in found) throw Object.assign(new Error(found.problem), { code: found.code });
    return found.rel;
  };
  const handles = new Map<string, Promise<FileHandle>>();
  return {
    where,
    kind: 'folder',
    size: async (name) => {
      const found = await resolve(name);
      if ('problem' in found && found.code !== 'ENOENT') throw Object.assign(new Error(found.problem), { code: found.code });
      return 'problem' in found ? undefined : found.size;
    },
    text: async (name, max = MAX_TEXT) => {
      const rel = await member(name);
      return Buffer.from(await reader.readFile(rel, max)).toString('utf8');
    },
    read: async (name, offset, length) => {
      // layers are read window by window: one open file per member until close()
      let handle = handles.get(name);
      if (!handle) {
        handle = member(name).then((rel) => reader.open(rel));
        handles.set(name, handle);
      }
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await (await handle).read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    },
    close: async () => {
      const all = [...handles.values()];
      handles.clear();
      await Promise.all(all.map((h) => h.then((x) => x.close(), () => undefined)));
    },
  };
}

function clean(name: string): string {
  return path.posix.normalize(name.replace(/^\.?\/+/, '')).replace(/\/+$/, '');
}
