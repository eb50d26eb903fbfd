/**
 * The timing helpers the bench modules share: one way to take a sample, to summarise samples and
 * to turn ours-against-baseline medians into a report row.
 */
import { performance } from 'node:perf_hooks';
import type { Row } from './bench';

export type Stats = Row['ours'];

export function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((x, y) => x - y);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, p90: sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)]!, min: sorted[0]! };
}

/** A row comparing medians: met when ours / baseline ≤ target. */
export function ratioRow(name: string, ours: Stats, baseline: Stats, target: number, note?: string): Row {
  const ratio = ours.median / baseline.median;
  return { name, ours, baseline, ratio, target, met: ratio <= target, ...(note ? { note } : {}) };
}
