import type { Message } from './messages';

/** A piece of a COPY/ADD figure before the pieces are summed (one source, one archive, one heredoc). */
export interface Part {
  bytes: number | null;
  low: number | null;
  high: number | null;
  files: number;
  kind: 'exact' | 'estimate' | 'unknown';
  detail: Message;
}

export function unknownPart(detail: Message): Part {
  return { bytes: null, low: null, high: null, files: 0, kind: 'unknown', detail };
}

/** A count as the figures print it (`1,234`), with its English plural ending. */
export function counted(n: number): { count: string; s: string } {
  return { count: n.toLocaleString('en-US'), s: n === 1 ? '' : 's' };
}
