import { once } from 'node:events';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import { formatBytes } from '../features/sizeText';
import type { CopySizeOptions, RangeReader } from './copySize';
import { counted, unknownPart, type Part } from './parts';
import { message } from './messages';
import type { ContextFile } from './types';

/**
 * ADD extracts local tar archives: plain and gzip tars are measured from their headers through
 * ranged reads, bzip2/xz/zstd are estimated from the archive size.
 */

const DEFAULT_MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

export type ArchiveKind = 'tar' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

export function archiveKind(path: string): ArchiveKind | null {
  const name = path.toLowerCase();
  if (name.endsWith('.tar')) return 'tar';
  if (/\.(tar\.gz|tgz|taz)$/.test(name)) return 'gzip';
  if (/\.(tar\.bz2|tbz2|tbz|tb2)$/.test(name)) return 'bzip2';
  if (/\.(tar\.xz|txz)$/.test(name)) return 'xz';
  if (/\.(tar\.zst|tzst)$/.test(name)) return 'zstd';
  return null;
}

/**
 * The archive format of a file from its first bytes, as BuildKit detects it (null: not an
 * archive, copied as is); from its name when there is no reader or the read fails.
 */
export async function archiveOf(path: string, read: RangeReader | undefined): Promise<ArchiveKind | null> {
  if (!read) return archiveKind(path);
  let head: Uint8Array;
  try {
    head = await read(path, 0, 512);
  } catch {
    return archiveKind(path);
  }
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x1f, 0x8b)) return 'gzip';
  if (starts(0x42, 0x5a, 0x68)) return 'bzip2';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  return head.length === 512 && checksumOk(head) ? 'tar' : null;
}

export async function archivePart(file: ContextFile, kind: ArchiveKind, options: CopySizeOptions): Promise<Part> {
  const read = options.readTar;
  const name = file.path;
  if (kind === 'bzip2' || kind === 'xz' || kind === 'zstd' || !read) {
    const ratio = kind === 'tar' ? [0.5, 1, 1] : [2, 3.5, 6];
    const why = !read
      ? message('archiveNotRead')
      : message('archiveNotDecompressed', { kind });
    return {
      bytes: Math.round(file.size * ratio[1]!), low: Math.round(file.size * ratio[0]!), high: Math.round(file.size * ratio[2]!), files: 0, kind: 'estimate',
      detail: message('archiveGuess', { name, size: formatBytes(file.size), bound: message(kind === 'tar' ? 'archiveAtMostItself' : 'archiveTimes'), why }),
    };
  }
  const counter = new TarCounter();
  const cap = options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
  let consumed: number;
  try {
    consumed = kind === 'gzip' ? await readGzip(read, file, counter, cap) : await readTar(read, file, counter);
  } catch (error) {
    return unknownPart(message('archiveUnreadable', { name, error: error instanceof Error ? error.message : String(error) }));
  }
  if (counter.invalid) {
    // not a tar after all: ADD copies the file as it is
    return { bytes: file.size, low: file.size, high: file.size, files: 1, kind: 'exact', detail: message('archiveNotTar', { name, size: formatBytes(file.size) }) };
  }
  if (consumed < file.size && !counter.ended) {
    const scale = file.size / Math.max(1, consumed);
    const best = Math.round(counter.bytes * scale);
    return {
      bytes: best, low: counter.bytes, high: Math.round(best * 1.5), files: Math.round(counter.files * scale), kind: 'estimate',
      detail: message('archiveExtrapolated', { name, size: formatBytes(best), ...counted(Math.round(counter.files * scale)), read: formatBytes(consumed) }),
    };
  }
  return {
    bytes: counter.bytes, low: counter.bytes, high: counter.bytes, files: counter.files, kind: 'exact',
    detail: message('archiveCounted', { name, ...counted(counter.files), size: formatBytes(counter.bytes) }),
  };
}

/** One entry of a tar: where its data starts in the archive, for readers that open it in place. */
export interface TarEntry {
  name: string;
  /** the header's type flag: '0' a file, '5' a directory, '2' a symlink, '1' a hard link… */
  type: string;
  size: number;
  /** offset of the entry's data from the start of the archive */
  offset: number;
  /** the target of a symlink or hard link */
  link: string;
}

/**
 * The entries of a plain tar (names, types, sizes, data offsets) from its headers alone, jumping
 * over file contents: how image archives (`docker save`, OCI) are opened without unpacking them.
 */
export async function tarEntries(read: RangeReader, file: ContextFile, limit = Number.POSITIVE_INFINITY): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const counter = new TarCounter((entry) => {
    if (entries.length >= limit) throw new Error(`${file.path} has more than ${limit} entries`);
    entries.push(entry);
  });
  await readTar(read, file, counter);
  if (counter.invalid) throw new Error(`${file.path} is not a tar archive`);
  return entries;
}

/**
 * The bytes of the regular files in a tar (plain or gzip), read to its end: an image layer's
 * content size, as `docker history` counts it. `complete` is false when the stream ended early.
 */
export async function tarContentBytes(read: RangeReader, file: ContextFile, kind: 'tar' | 'gzip'): Promise<{ bytes: number; files: number; complete: boolean }> {
  const counter = new TarCounter();
  const consumed = kind === 'gzip' ? await readGzip(read, file, counter, Number.POSITIVE_INFINITY) : await readTar(read, file, counter);
  if (counter.invalid) throw new Error(`${file.path} is not a tar archive`);
  return { bytes: counter.bytes, files: counter.files, complete: counter.ended || consumed >= file.size };
}

const WINDOW = 64 * 1024;

/** Reads only the headers of a plain tar, jumping over file contents. Returns the bytes passed. */
async function readTar(read: RangeReader, file: ContextFile, counter: TarCounter): Promise<number> {
  let offset = 0;
  while (offset < file.size && !counter.ended && !counter.invalid) {
    const chunk = await read(file.path, offset, Math.min(WINDOW, file.size - offset));
    if (chunk.length === 0) break;
    counter.push(chunk);
    offset += chunk.length;
    const jump = Math.min(counter.skipping, file.size - offset);
    counter.discard(jump);
    offset += jump;
  }
  if (offset >= file.size) counter.finish();
  return offset;
}

/** Streams a gzip archive through zlib into the tar counter, up to `cap` compressed bytes. */
async function readGzip(read: RangeReader, file: ContextFile, counter: TarCounter, cap: number): Promise<number> {
  const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
  gunzip.on('data', (chunk: Buffer) => counter.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    gunzip.once('end', resolve);
    gunzip.once('error', reject);
  });
  done.catch(() => undefined); // a write that fails first reports the error; this one is awaited below
  let offset = 0;
  try {
    while (offset < file.size && offset < cap && !counter.ended && !counter.invalid) {
      const chunk = await read(file.path, offset, Math.min(1024 * 1024, file.size - offset, cap - offset));
      if (chunk.length === 0) break;
      offset += chunk.length;
      if (!gunzip.write(chunk)) await once(gunzip, 'drain');
    }
    gunzip.end();
    await done;
    if (offset >= file.size) counter.finish();
  } finally {
    gunzip.destroy();
  }
  return offset;
}

/**
 * Counts a tar's entries and content bytes from its headers (ustar, pax sizes and paths, GNU long
 * names); with `onEntry`, also reports each entry with the offset of its data.
 */
class TarCounter {
  bytes = 0;
  files = 0;
  ended = false;
  invalid = false;
  private headers = 0;
  private readonly header = new Uint8Array(512);
  private fill = 0;
  private skip = 0;
  /** the body of a pax ('x') or GNU long-name ('L') header being collected */
  private pax: number[] | null = null;
  private paxType = '';
  private paxLeft = 0;
  private paxPadding = 0;
  private nextSize: number | null = null;
  private nextName: string | null = null;
  /** bytes of the archive passed so far (pushed or discarded) */
  private position = 0;

  constructor(private readonly onEntry?: (entry: TarEntry) => void) {}

  /** content bytes it will pass over before the next header (a reader may jump them) */
  get skipping(): number {
    return this.pax ? 0 : this.skip;
  }

  discard(n: number): void {
    this.skip -= n;
    this.position += n;
  }

  /** The whole input was seen: without a single header it was no tar. */
  finish(): void {
    if (this.headers === 0 && !this.ended) this.invalid = true;
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && !this.ended && !this.invalid) {
      if (this.pax) {
        const n = Math.min(this.paxLeft, chunk.length - i);
        for (let k = 0; k < n && this.pax.length < 65536; k++) this.pax.push(chunk[i + k]!);
        this.paxLeft -= n;
        i += n;
        this.position += n;
        if (this.paxLeft === 0) {
          if (this.paxType === 'L') this.nextName = cText(this.pax);
          else {
            const size = paxRecord(this.pax, 'size');
            if (size !== null) this.nextSize = Number(size);
            this.nextName = paxRecord(this.pax, 'path') ?? this.nextName;
          }
          this.pax = null;
          this.skip = this.paxPadding;
        }
      } else if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        this.position += n;
      } else {
        const n = Math.min(512 - this.fill, chunk.length - i);
        this.header.set(chunk.subarray(i, i + n), this.fill);
        this.fill += n;
        i += n;
        this.position += n;
        if (this.fill === 512) {
          this.fill = 0;
          this.onHeader();
        }
      }
    }
  }

  private onHeader(): void {
    const h = this.header;
    if (h.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    if (!checksumOk(h)) {
      if (this.headers === 0) this.invalid = true;
      else this.ended = true; // damaged: keep what was counted
      return;
    }
    this.headers++;
    let size = numberField(h, 124, 12);
    const type = String.fromCharCode(h[156]!);
    const padded = Math.ceil(size / 512) * 512;
    if (type === 'x' || type === 'L') {
      this.pax = [];
      this.paxType = type;
      this.paxLeft = size;
      this.paxPadding = padded - size;
      if (size === 0) {
        this.pax = null;
      }
      return;
    }
    if (type === 'g' || type === 'K') {
      this.skip = padded;
      return;
    }
    if (type === '5') {
      this.report(type, 0);
      this.skip = padded;
      return;
    }
    if (this.nextSize !== null) {
      size = this.nextSize;
      this.nextSize = null;
    }
    this.files++;
    if (type === '0' || type === '\0' || type === '7' || type === 'S' || !'123456'.includes(type)) this.bytes += size;
    this.report(type, size);
    this.skip = Math.ceil(size / 512) * 512;
  }

  private report(type: string, size: number): void {
    const name = this.nextName ?? headerName(this.header);
    this.nextName = null;
    this.onEntry?.({ name, type: type === '\0' ? '0' : type, size, offset: this.position, link: cText(this.header.subarray(157, 257)) });
  }
}

function checksumOk(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === numberField(h, 148, 8);
}

/** An octal header field, or GNU's base-256 form when its top bit is set. */
function numberField(h: Uint8Array, at: number, length: number): number {
  if (h[at]! & 0x80) {
    let n = h[at]! & 0x7f;
    for (let i = at + 1; i < at + length; i++) n = n * 256 + h[i]!;
    return n;
  }
  let n = 0;
  let i = at;
  while (i < at + length && (h[i] === 0x20 || h[i] === 0)) i++;
  for (; i < at + length && h[i]! >= 0x30 && h[i]! <= 0x37; i++) n = n * 8 + (h[i]! - 0x30);
  return n;
}

/** One record (`size`, `path`) of a pax extended header, if it has it. */
function paxRecord(bytes: number[], key: string): string | null {
  const text = new TextDecoder().decode(Uint8Array.from(bytes.slice(0, 65536)));
  const m = new RegExp(`(?:^|\\n)\\d+ ${key}=([^\\n]*)\\n`).exec(text);
  return m ? m[1]! : null;
}

/** A NUL-terminated header field as text. */
function cText(bytes: ArrayLike<number>): string {
  const all = Uint8Array.from(bytes as ArrayLike<number>);
  const end = all.indexOf(0);
  return new TextDecoder().decode(end < 0 ? all : all.subarray(0, end));
}

/** The entry's name: ustar prefix + name. */
function headerName(h: Uint8Array): string {
  const name = cText(h.subarray(0, 100));
  const ustar = cText(h.subarray(257, 262)) === 'ustar';
  const prefix = ustar ? cText(h.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

