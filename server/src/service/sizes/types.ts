import { english, type Message } from './messages';

/**
 * Sizes, and where each figure comes from. Every size the product shows is a SizeFigure: no bare
 * numbers, no guess without its range and its reason.
 */

export type SizeSource =
  /** measured from files (the build context, a heredoc) */
  | 'exact'
  /** from data shipped with the extension (its source and date are in `detail`) */
  | 'bundled'
  /** asked from a registry */
  | 'registry'
  /** asked from a local Docker/Podman engine */
  | 'engine'
  /** a heuristic: `low`..`high` is the range it claims */
  | 'estimate'
  /** not known: `detail` says why (`unknownParts`, when set, names what is not known) */
  | 'unknown'
  /**
   * a sum with parts that are not known: `bytes`/`low`/`compressed` count the known parts only
   * (a floor), `high` is null (no upper bound), and `unknownParts` lists what is missing
   */
  | 'partial';

/** Something a figure could not count, named so that a total can say what it leaves out. */
export interface UnknownPart {
  /** what is not known, in English: `base image registry.example.com/app:1`, `download $URL` */
  what: string;
  /** `what` as a message of the size catalog */
  message?: Message;
  /** where it is, when a total gathered it from a layer: the stage, the layer number, the 1-based line */
  stage?: number;
  layer?: number;
  line?: number;
  /** the instruction keyword at that line (`RUN`, `COPY`) */
  keyword?: string;
  /** set on the last entry of a long list: it stands for this many further parts, not listed */
  more?: number;
}

export interface SizeFigure {
  /** best figure for the bytes on disk (the layer's uncompressed content); null when unknown */
  bytes: number | null;
  /** lower and upper bounds of the on-disk bytes (equal to bytes when exact) */
  low: number | null;
  high: number | null;
  /** best figure for the gzip-compressed layer: what a push or pull ships; null when unknown */
  compressed: number | null;
  source: SizeSource;
  /** where the figure came from, in words (data set and date, estimator and inputs, or why unknown) */
  detail: string;
  /** `detail` as a message of the size catalog, so hovers and panels can say it in the user's language */
  message?: Message;
  /** what a partial or unknown figure does not count (set on `partial` figures, optional on `unknown` ones) */
  unknownParts?: UnknownPart[];
}

/** `detail` from English words, or from a message (then kept too). */
export function detailOf(detail: string | Message): { detail: string; message?: Message } {
  return typeof detail === 'string' ? { detail } : { detail: english(detail), message: detail };
}

export function exactSize(bytes: number, compressed: number | null, detail: string | Message): SizeFigure {
  return { bytes, low: bytes, high: bytes, compressed, source: 'exact', ...detailOf(detail) };
}

export function estimatedSize(bytes: number, low: number, high: number, compressed: number | null, detail: string | Message): SizeFigure {
  return { bytes, low: Math.min(low, bytes), high: Math.max(high, bytes), compressed, source: 'estimate', ...detailOf(detail) };
}

/** A figure that is not known; `what` names it shortly for the totals that leave it out. */
export function unknownSize(detail: string | Message, what?: Message): SizeFigure {
  return { bytes: null, low: null, high: null, compressed: null, source: 'unknown', ...detailOf(detail), ...(what ? { unknownParts: [missingPart(what)] } : {}) };
}

export function missingPart(what: Message, at: Omit<UnknownPart, 'what' | 'message'> = {}): UnknownPart {
  return { what: english(what), message: what, ...at };
}

/** The figure has a part that is not known (wholly unknown, or a partial sum): never show it as a plain number. */
export function hasUnknown(size: Pick<SizeFigure, 'bytes' | 'source'>): boolean {
  return size.bytes === null || size.source === 'unknown' || size.source === 'partial';
}

/** The file tree the build sends, as the context scan saw it (after .dockerignore). */
export interface ContextFile {
  /** posix path relative to the context root, no leading `./` */
  path: string;
  /** bytes of the file (for a symlink: of the link itself) */
  size: number;
  kind: 'file' | 'symlink' | 'directory';
  /** the link's target, for symlinks */
  target?: string;
}

/**
 * The only door from the pure core to a filesystem: the server passes one backed by node:fs, tests
 * pass an in-memory one. Paths are posix, relative to the context root.
 */
export interface ContextReader {
  /** entries of a directory; throws (with a `code` such as ENOENT/EACCES) when it cannot be read */
  readDirectory(path: string): Promise<ContextFile[]>;
  /** a file's bytes; throws when it cannot be read */
  readFile(path: string): Promise<Uint8Array>;
}
