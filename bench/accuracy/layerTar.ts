/**
 * Reads one image layer as a registry ships it (a gzip-compressed tar) and measures it three ways:
 * the compressed blob, the uncompressed tar (what the brief calls the on-disk figure: file
 * contents plus a 512-byte header per entry, padding to 512-byte blocks and the closing blocks),
 * and the content alone (the bytes of regular files, what `docker images` adds up and what the
 * product's exact COPY figures count). Streams: a layer of several hundred MB never sits in memory.
 */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

export interface LayerStats {
  /** bytes of the uncompressed tar stream */
  tarBytes: number;
  /** bytes of regular files (hard links, symlinks, directories and whiteouts count 0) */
  contentBytes: number;
  /** tar entries of any kind, pax/GNU extension headers not counted */
  entries: number;
  regularFiles: number;
  /** `.wh.` entries: files or folders this layer deletes from the ones below */
  whiteouts: number;
  /** content bytes per top-level path (`usr/share`, `var/lib`, ...): where a layer's bytes sit */
  byPrefix: Map<string, number>;
}

const BLOCK = 512;

/** The first `depth` components of a path in a layer, without a leading `./` or `/`. */
export function pathPrefix(name: string, depth = 2): string {
  const parts = name.replace(/^\.?\/+/, '').split('/').filter(Boolean);
  return parts.length <= 1 ? parts.join('/') : parts.slice(0, Math.min(depth, parts.length - 1)).join('/');
}

function octal(header: Buffer, offset: number, length: number): number {
  const field = header.subarray(offset, offset + length);
  // GNU base-256 for sizes of 8 GiB and more: first byte has the high bit set.
  if (field[0]! & 0x80) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return value;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  return text ? parseInt(text, 8) : 0;
}

function cString(header: Buffer, offset: number, length: number): string {
  const field = header.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

/** `key=value` records of a pax extended header. */
function paxRecords(body: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space < 0) break;
    const length = parseInt(body.subarray(at, space).toString('latin1'), 10);
    if (!(length > 0)) break;
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return out;
}

/** One entry of a layer tar, as the counter meets it: its path, tar type flag and data bytes. */
export type TarEntryListener = (name: string, type: string, size: number) => void;

/** A streaming tar reader that keeps counts, not data (and tells `onEntry` of each entry). */
export class TarCounter extends Writable {
  readonly stats: LayerStats = { tarBytes: 0, contentBytes: 0, entries: 0, regularFiles: 0, whiteouts: 0, byPrefix: new Map() };
  private pending = Buffer.alloc(0);
  /** bytes of the current entry's data (and padding) still to skip */
  private skip = 0;
  /** data of an extension header being collected (pax 'x'/'g', GNU long name 'L') */
  private collect: { type: string; left: number; padding: number; chunks: Buffer[] } | undefined;
  private paxPath: string | undefined;
  private paxSize: number | undefined;
  private longName: string | undefined;

  constructor(private readonly onEntry?: TarEntryListener) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.stats.tarBytes += chunk.length;
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length) {
      if (this.skip) {
        const n = Math.min(this.skip, data.length);
        this.skip -= n;
        data = data.subarray(n);
        continue;
      }
      if (this.collect) {
        const c = this.collect;
        const n = Math.min(c.left, data.length);
        c.chunks.push(Buffer.from(data.subarray(0, n)));
        c.left -= n;
        data = data.subarray(n);
        if (c.left === 0) {
          this.finishExtension(c.type, Buffer.concat(c.chunks));
          this.collect = undefined;
          this.skip = c.padding;
        }
        continue;
      }
      if (data.length < BLOCK) {
        this.pending = Buffer.from(data);
        break;
      }
      this.header(data.subarray(0, BLOCK));
      data = data.subarray(BLOCK);
    }
    callback();
  }

  private header(header: Buffer): void {
    if (header.every((b) => b === 0)) return; // end-of-archive blocks
    const type = String.fromCharCode(header[156]!) || '0';
    let size = octal(header, 124, 12);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'x' || type === 'g' || type === 'L') {
      this.collect = { type, left: size, padding, chunks: [] };
      if (size === 0) {
        this.collect = undefined;
      }
      return;
    }
    let name = cString(header, 0, 100);
    const magic = header.subarray(257, 263).toString('latin1');
    if (magic.startsWith('ustar')) {
      const prefix = cString(header, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    if (this.longName !== undefined) name = this.longName;
    if (this.paxPath !== undefined) name = this.paxPath;
    if (this.paxSize !== undefined) size = this.paxSize;
    this.longName = this.paxPath = this.paxSize = undefined;

    this.stats.entries++;
    const base = name.replace(/\/+$/, '').split('/').pop() ?? '';
    if (base.startsWith('.wh.')) this.stats.whiteouts++;
    const regular = type === '0' || type === '\0' || type === '7';
    // Hard links, symlinks, devices and directories carry no data in the stream.
    const dataBytes = regular ? size : 0;
    this.onEntry?.(name, regular ? '0' : type, dataBytes);
    if (regular) {
      this.stats.regularFiles++;
      this.stats.contentBytes += size;
      const key = pathPrefix(name);
      this.stats.byPrefix.set(key, (this.stats.byPrefix.get(key) ?? 0) + size);
    }
    this.skip = dataBytes + ((BLOCK - (dataBytes % BLOCK)) % BLOCK);
  }

  private finishExtension(type: string, body: Buffer): void {
    if (type === 'L') {
      this.longName = body.toString('utf8').replace(/\0.*$/s, '');
      return;
    }
    if (type !== 'x') return;
    const records = paxRecords(body);
    const path = records.get('path');
    const size = records.get('size');
    if (path !== undefined) this.paxPath = path;
    if (size !== undefined) this.paxSize = Number(size);
  }
}

/** Measures a tar file, gzip-compressed (`gzip: true`) or plain. */
export async function measureLayer(file: string, options: { gzip: boolean; onEntry?: TarEntryListener }): Promise<LayerStats> {
  const counter = new TarCounter(options.onEntry);
  if (options.gzip) await pipeline(createReadStream(file), createGunzip(), counter);
  else await pipeline(createReadStream(file), counter);
  return counter.stats;
}
