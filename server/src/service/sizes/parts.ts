/** A piece of a COPY/ADD figure before the pieces are summed (one source, one archive, one heredoc). */
export interface Part {
  bytes: number | null;
  low: number | null;
  high: number | null;
  files: number;
  kind: 'exact' | 'estimate' | 'unknown';
  detail: string;
}

export function unknownPart(detail: string): Part {
  return { bytes: null, low: null, high: null, files: 0, kind: 'unknown', detail };
}

export function formatCount(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
