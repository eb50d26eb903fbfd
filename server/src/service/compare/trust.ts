import { say, type Locale, type Text } from '../explain';
import type { EstimatorError, LastBuild } from '../types';

/**
 * How far to trust each estimator: the errors of its estimates against real builds, kept on the
 * user's machine (the client stores the records) and summed up here as "apt estimates were off by
 * median 3% over 5 builds". Layers too small for a percentage to mean much are left out.
 */
export interface TrustRecord extends EstimatorError {
  /** the built image the record comes from: one record per image and layer, however often compared */
  image: string;
  /** which layer of that image (its index among the image's estimated layers) */
  index: number;
}

export interface TrustSummary {
  estimator: string;
  /** distinct builds the estimator was checked against */
  builds: number;
  /** median of |predicted − actual| / actual, in percent */
  medianPercent: number;
  /** median of (predicted − actual) / actual: negative when it estimates too low */
  medianSignedPercent: number;
}

/** Layers smaller than this are left out of the percentages. */
export const SMALLEST_JUDGED = 100_000;
/** records kept at most (the oldest go first) */
export const MAX_RECORDS = 500;

/** New records from a comparison, merged into the stored ones (one per image and layer). */
export function mergeRecords(stored: readonly TrustRecord[], lastBuild: LastBuild): TrustRecord[] {
  if (!lastBuild.id || lastBuild.verdict === 'unrelated') return [...stored];
  const fresh = lastBuild.errors.map((e, index) => ({ ...e, image: lastBuild.id!, index }));
  const seen = new Set(fresh.map((r) => `${r.image}\0${r.index}`));
  const kept = stored.filter((r) => !seen.has(`${r.image}\0${r.index}`));
  return [...kept, ...fresh].slice(-MAX_RECORDS);
}

/** Records stored by an older version or edited by hand: keep only well-formed ones. */
export function validRecords(raw: unknown): TrustRecord[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((r): r is TrustRecord => !!r && typeof r === 'object'
    && typeof r.estimator === 'string' && typeof r.image === 'string' && Number.isInteger(r.index)
    && Number.isFinite(r.predicted) && Number.isFinite(r.actual) && r.actual >= 0 && r.predicted >= 0);
}

export function summarizeTrust(records: readonly TrustRecord[]): TrustSummary[] {
  const byEstimator = new Map<string, TrustRecord[]>();
  for (const r of records) {
    if (r.actual < SMALLEST_JUDGED) continue;
    byEstimator.set(r.estimator, [...(byEstimator.get(r.estimator) ?? []), r]);
  }
  return [...byEstimator].map(([estimator, list]) => ({
    estimator,
    builds: new Set(list.map((r) => r.image)).size,
    medianPercent: median(list.map((r) => (Math.abs(r.predicted - r.actual) / r.actual) * 100)),
    medianSignedPercent: median(list.map((r) => ((r.predicted - r.actual) / r.actual) * 100)),
  })).sort((a, b) => b.builds - a.builds || a.estimator.localeCompare(b.estimator));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const WORDS = {
  line: {
    en: '{estimator} estimates were off by median {percent}% ({direction}) over {builds} build{s}',
    ko: '{estimator} 추정치는 빌드 {builds}번에서 중앙값 {percent}% 어긋남 ({direction})',
  },
  low: { en: 'too low', ko: '적게 잡음' },
  high: { en: 'too high', ko: '많게 잡음' },
  even: { en: 'neither way', ko: '한쪽으로 치우치지 않음' },
} satisfies Record<string, Text>;

/** names users know for the estimators' ids */
const NAMES: Record<string, Text> = {
  'base-image': { en: 'Base image', ko: '베이스 이미지' },
  apt: { en: 'apt', ko: 'apt' },
  apk: { en: 'apk', ko: 'apk' },
  pip: { en: 'pip', ko: 'pip' },
  npm: { en: 'npm', ko: 'npm' },
  build: { en: 'Build output', ko: '빌드 결과물' },
  other: { en: 'Small RUN', ko: '작은 RUN' },
  copy: { en: 'COPY --from', ko: 'COPY --from' },
  workdir: { en: 'WORKDIR', ko: 'WORKDIR' },
};

/** One line per estimator, in the user's language. */
export function trustLines(summaries: readonly TrustSummary[], locale: Locale): string[] {
  return summaries.map((s) => say(WORDS.line, locale, {
    estimator: NAMES[s.estimator]?.[locale] ?? s.estimator,
    percent: s.medianPercent < 10 ? s.medianPercent.toFixed(1) : s.medianPercent.toFixed(0),
    direction: say(Math.abs(s.medianSignedPercent) < 0.5 ? WORDS.even : s.medianSignedPercent < 0 ? WORDS.low : WORDS.high, locale),
    builds: s.builds,
    s: s.builds === 1 ? '' : 's',
  }));
}
