import { COMPRESSION, type ContentKind } from '../data/compression';
import type { SizeFigure, SizeSource } from './types';
import { list, message, type Message } from './messages';

/** One contribution to a layer: its size and what kind of content it is (for compression). */
export interface SizePart {
  size: SizeFigure;
  content: ContentKind;
}

/**
 * Sums parts into one layer figure. Unknown parts keep the total open-ended (`high: null`) and
 * are named in the detail; compressed bytes are summed per part with that part's ratio.
 */
export function combineParts(parts: SizePart[], detailJoiner = '; '): SizeFigure {
  let bytes = 0;
  let low = 0;
  let high: number | null = 0;
  let compressed = 0;
  let anyKnown = false;
  const sources = new Set<SizeSource>();
  for (const { size, content } of parts) {
    sources.add(size.source);
    if (size.bytes === null) {
      high = null;
      continue;
    }
    anyKnown = true;
    bytes += size.bytes;
    low += size.low ?? size.bytes;
    high = high === null || size.high === null ? null : high + size.high;
    compressed += size.compressed ?? Math.round(size.bytes / COMPRESSION[content].best);
  }
  const detail = parts.map((p) => p.size.detail).filter(Boolean).join(detailJoiner);
  const said = joinedMessage(parts, detailJoiner);
  if (!anyKnown) return { bytes: null, low: null, high: null, compressed: null, source: 'unknown', detail, ...said };
  const source: SizeSource = sources.size === 1 ? [...sources][0]! : sources.has('estimate') || sources.has('unknown') ? 'estimate' : [...sources][0]!;
  return { bytes, low: Math.min(low, bytes), high: high === null ? null : Math.max(high, bytes), compressed, source, detail, ...said };
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
