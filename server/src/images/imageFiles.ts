import { open, readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { tarEntries, type TarEntry } from '../service/sizes/archive';
import type { RangeReader } from '../service/sizes/copySize';

/**
 * The files of an image archive, read in place: a tar (`docker save`, an OCI archive) is indexed
 * from its headers and its members are read at their offsets, never unpacked; a folder (an OCI
 * image layout, an unpacked `docker save`) is read as it is. Names are posix, relative to the top.
 */
export interface ImageFiles {
  /** the path the user gave */
  where: string;
  kind: 'tar' | 'folder';
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
  return info.isDirectory() ? folderFiles(where) : tarFiles(where, info.size);
}

async function tarFiles(where: string, size: number): Promise<ImageFiles> {
  const handle = await open(where, 'r');
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

async function folderFiles(where: string): Promise<ImageFiles> {
  const full = (name: string) => {
    const rel = clean(name);
    if (rel.startsWith('../') || rel === '..') throw Object.assign(new Error(`${name} leaves the image folder`), { code: 'EPERM' });
    return path.join(where, ...rel.split('/'));
  };
  // An unreadable folder fails here, with its own error code, not at the first member.
  await readdir(where);
  const handles = new Map<string, Promise<import('node:fs/promises').FileHandle>>();
  return {
    where,
    kind: 'folder',
    size: async (name) => {
      try {
        const info = await stat(full(name));
        return info.isFile() ? info.size : undefined;
      } catch {
        return undefined;
      }
    },
    text: async (name, max = MAX_TEXT) => {
      const info = await stat(full(name));
      if (info.size > max) throw new Error(`${name} is ${info.size} bytes: too large to be a manifest or config`);
      return readFile(full(name), 'utf8');
    },
    read: async (name, offset, length) => {
      // layers are read window by window: one open file per member until close()
      let handle = handles.get(name);
      if (!handle) {
        handle = open(full(name), 'r');
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
