/**
 * How long the server waits after an edit before it publishes: long enough to coalesce a burst of
 * keystrokes into one analysis, no longer than the analysis itself is worth. After a cheap
 * analysis (a few ms, most files) it publishes almost at once, so lenses and diagnostics follow
 * typing; after an expensive one it waits up to the `dockerlens.debounceMs` setting, so a huge
 * file is not analysed on every keystroke.
 */
export const MIN_DEBOUNCE_MS = 15;
/** wait this many times what the last analysis of the document cost */
const COST_FACTOR = 2;

export function adaptiveDelay(lastCostMs: number | undefined, maxMs: number): number {
  if (lastCostMs === undefined || !Number.isFinite(lastCostMs)) return maxMs;
  return Math.min(maxMs, Math.max(MIN_DEBOUNCE_MS, Math.round(lastCostMs * COST_FACTOR)));
}
