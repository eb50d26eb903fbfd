/**
 * How many random cases the fuzz-style tests run: a quick count in `npm test`, so the suite stays
 * a few minutes on two busy cores, and the full one under `npm run fuzz` (DOCKERLENS_FUZZ=full),
 * which CI runs too. Both counts use the same seed, so the quick cases are the first full ones.
 */
export function fuzzScale(counts: { quick: number; full: number }): number {
  return process.env['DOCKERLENS_FUZZ'] === 'full' ? counts.full : counts.quick;
}
