import type { Locale } from '../explain';
import type { SizeFigure } from '../sizes/types';

/**
 * Sizes in words, always with where they came from. Decimal units (1 MB = 1,000,000 bytes), as
 * `docker images` and registries print them.
 */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < 1000) return `${bytes} B`;
  if (abs < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (abs < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

const SOURCE_WORD: Record<SizeFigure['source'], Record<Locale, string>> = {
  exact: { en: 'exact', ko: '정확' },
  bundled: { en: 'bundled data', ko: '내장 데이터' },
  registry: { en: 'registry', ko: '레지스트리' },
  // a built image's own figure, read from the local engine or from an archive of it
  engine: { en: 'last build', ko: '지난 빌드' },
  estimate: { en: 'estimated', ko: '추정' },
  unknown: { en: 'not known', ko: '알 수 없음' },
};

const WORDS = {
  compressed: { en: 'compressed', ko: '압축' },
  noUpperBound: { en: 'no upper bound', ko: '상한 없음' },
  unknown: { en: 'size not known', ko: '크기 알 수 없음' },
};

/** `≈ 152.9 MB (143.0–160.1 MB, estimated)` / `5.6 MB (exact)` / `size not known`. */
export function formatFigure(size: SizeFigure, locale: Locale = 'en'): string {
  if (size.bytes === null) return WORDS.unknown[locale];
  const source = SOURCE_WORD[size.source][locale];
  const ranged = size.low !== null && size.high !== null && (size.low !== size.bytes || size.high !== size.bytes);
  if (size.high === null) {
    const floor = size.low ?? size.bytes;
    return floor === size.bytes
      ? `≥ ${formatBytes(floor)} (${source}, ${WORDS.noUpperBound[locale]})`
      : `≈ ${formatBytes(size.bytes)} (≥ ${formatBytes(floor)}, ${source}, ${WORDS.noUpperBound[locale]})`;
  }
  if (!ranged) return `${formatBytes(size.bytes)} (${source})`;
  return `≈ ${formatBytes(size.bytes)} (${formatBytes(size.low!)}–${formatBytes(size.high)}, ${source})`;
}

/** The compressed figure alone, or an empty string when unknown. */
export function formatCompressed(size: SizeFigure, locale: Locale = 'en'): string {
  return size.compressed === null ? '' : `${formatBytes(size.compressed)} ${WORDS.compressed[locale]}`;
}

/** Short form for tables: `152.9 MB~` (estimate), `5.6 MB` (exact/bundled), `?`. Any figure with a source will do. */
export function formatShort(size: Pick<SizeFigure, 'bytes' | 'high' | 'source'> | undefined): string {
  if (!size || size.bytes === null) return '?';
  const mark = size.source === 'estimate' ? (size.high === null ? '+' : '~') : '';
  return `${formatBytes(size.bytes)}${mark}`;
}

/** Compact form for code lenses: `128.6 MB ±12%`, `≈ 12.0 MB+` (no upper bound), `5.6 MB`, `size ?`. */
export function formatCompact(size: SizeFigure | undefined, locale: Locale = 'en'): string {
  if (!size || size.bytes === null) return locale === 'ko' ? '크기 ?' : 'size ?';
  if (size.source !== 'estimate') return formatBytes(size.bytes);
  if (size.high === null) return `≈ ${formatBytes(size.bytes)}+`;
  const spread = Math.max(size.bytes - (size.low ?? size.bytes), size.high - size.bytes);
  const percent = size.bytes > 0 ? Math.round((spread / size.bytes) * 100) : Infinity;
  if (spread === 0) return `≈ ${formatBytes(size.bytes)}`;
  // A spread wider than the figure itself reads better as a ceiling than as a percentage.
  return percent <= 100 ? `≈ ${formatBytes(size.bytes)} ±${percent}%` : `≈ ${formatBytes(size.bytes)} (≤ ${formatBytes(size.high)})`;
}
