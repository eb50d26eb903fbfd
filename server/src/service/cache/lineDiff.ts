/**
 * Lines of `after` that differ from `before` (0-based, in `after`'s numbering), for cache
 * prediction: an edited, inserted or moved line, and the line after a deletion, count as edited.
 * Common head and tail are trimmed first; the middle is diffed by longest common subsequence when
 * small, otherwise taken as edited as a whole (a safe over-approximation).
 */
const MAX_MIDDLE = 4000;

export function editedLines(before: string, after: string): number[] {
  const a = before.split(/\r\n|\r|\n/);
  const b = after.split(/\r\n|\r|\n/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  if (midA.length === 0 && midB.length === 0) return [];
  if (midB.length === 0) return [Math.min(head, b.length - 1)]; // pure deletion: the line now there
  if (midA.length === 0 || midA.length * midB.length > MAX_MIDDLE * MAX_MIDDLE / 16) return range(head, head + midB.length);
  const kept = lcsKeptInB(midA, midB);
  const edited: number[] = [];
  for (let j = 0; j < midB.length; j++) if (!kept[j]) edited.push(head + j);
  // a deletion between two kept lines marks the line after it
  if (edited.length === 0) edited.push(head);
  return edited;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** For each line of b, whether it is part of a longest common subsequence with a. */
function lcsKeptInB(a: string[], b: string[]): boolean[] {
  const n = a.length;
  const m = b.length;
  const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const kept = new Array<boolean>(m).fill(false);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      kept[j] = true;
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}
