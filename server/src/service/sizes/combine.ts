import { COMPRESSION, type ContentKind } from '../data/compression';
import type { SizeFigure, SizeSource, UnknownPart } from './types';
import { english, list, message, type Message } from './messages';

/** One contribution to a layer: its size and what kind of content it is (for compression). */
export interface SizePart {
  size: SizeFigure;
  content: ContentKind;
  /** where the part is (stage, layer, line): stamped on what it does not know, for the totals that list it */
  at?: Omit<UnknownPart, 'what' | 'message'>;
}

/**
 * Sums parts into one figure. A part that is not known (or only partly) makes the sum `partial`:
 * the known bytes as a floor, no upper bound, and the missing parts listed in `unknownParts`, so
 * no total silently counts an unknown part as zero. Compressed bytes are summed per part with
 * that part's ratio.
 */
export function combineParts(parts: SizePart[], detailJoiner = '; '): SizeFigure {
  let bytes = 0;
  let low = 0;
  let high: number | null = 0;
  let compressed = 0;
  let anyKnown = false;
  const sources = new Set<SizeSource>();
  const missing: UnknownPart[] = [];
  for (const part of parts) {
    const { size, content } = part;
    if (size.bytes === null || size.source === 'partial') missing.push(...missingIn(part));
    if (size.bytes === null) continue;
    sources.add(size.source);
    anyKnown = true;
    bytes += size.bytes;
    low += size.low ?? size.bytes;
    high = high === null || size.high === null ? null : high + size.high;
    compressed += size.compressed ?? Math.round(size.bytes / COMPRESSION[content].best);
  }
  const detail = parts.map((p) => p.size.detail).filter(Boolean).join(detailJoiner);
  const said = joinedMessage(parts, detailJoiner);
  const listed = missing.length > 0 ? { unknownParts: capped(missing) } : {};
  if (!anyKnown) return { bytes: null, low: null, high: null, compressed: null, source: 'unknown', detail, ...said, ...listed };
  if (missing.length > 0) return { bytes, low: Math.min(low, bytes), high: null, compressed, source: 'partial', detail, ...said, ...listed };
  const source: SizeSource = sources.size === 1 ? [...sources][0]! : sources.has('estimate') ? 'estimate' : [...sources][0]!;
  return { bytes, low: Math.min(low, bytes), high: high === null ? null : Math.max(high, bytes), compressed, source, detail, ...said };
}

/** Unknown parts a figure lists by name; the rest are counted in one last entry, so a total stays small whatever the file. */
export const LISTED_UNKNOWN_PARTS = 20;

function capped(parts: UnknownPart[]): UnknownPart[] {
  let more = 0;
  const named: UnknownPart[] = [];
  for (const part of parts) {
    if (part.more !== undefined) more += part.more;
    else if (named.length < LISTED_UNKNOWN_PARTS) named.push(part);
    else more++;
  }
  if (more === 0) return named;
  const said = message('unknownMore', { count: more });
  return [...named, { what: english(said), message: said, more }];
}

/** What a part leaves out: the parts it lists, or the part itself, named by its detail; stamped with where it is. */
function missingIn(part: SizePart): UnknownPart[] {
  const { size, at } = part;
  const listed: UnknownPart[] = size.unknownParts?.length ? size.unknownParts : [{ what: size.detail, ...(size.message ? { message: size.message } : {}) }];
  return at ? listed.map((u) => ({ ...at, ...u })) : listed;
}

/** The parts' messages said one after the other, when every part with a detail has one. */
function joinedMessage(parts: SizePart[], joiner: string): { message?: Message } {
  const said = parts.filter((p) => p.size.detail);
  if (said.length === 0 || said.some((p) => !p.size.message)) return {};
  return said.length === 1 ? { message: said[0]!.size.message! } : { message: message('joined', { parts: list(said.map((p) => p.size.message!), joiner) }) };
}

/** Compressed figure for a size of one content kind, when the size has none yet. */
export function withCompressed(size: SizeFigure, content: ContentKind): SizeFigure {
  if (size.compressed !== null || size.bytes === null) return size;
  return { ...size, compressed: Math.round(size.bytes / COMPRESSION[content].best) };
}
