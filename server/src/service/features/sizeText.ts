import { say, type Locale } from '../explain';
import { describe, message, sayMessage } from '../sizes/messages';
import type { SizeFigure, UnknownPart } from '../sizes/types';

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
  partial: { en: 'partly known', ko: '일부만 앎' },
};

/** The word formatFigure says a source with (`estimated`, `bundled data`). */
export function sourceName(source: SizeFigure['source'], locale: Locale = 'en'): string {
  return SOURCE_WORD[source][locale];
}

const WORDS = {
  compressed: { en: 'compressed', ko: '압축' },
  noUpperBound: { en: 'no upper bound', ko: '상한 없음' },
  unknown: { en: 'size not known', ko: '크기 알 수 없음' },
  plusUnknown: { en: '+ unknown', ko: '+ 알 수 없음' },
  knownAbout: { en: '≈ {bytes} known (≥ {floor})', ko: '알려진 부분 ≈ {bytes} (≥ {floor})' },
  knownNoFloor: { en: '≈ {bytes} known', ko: '알려진 부분 ≈ {bytes}' },
  at: { en: '{keyword} line {line}', ko: '{line}번째 줄 {keyword}' },
};

/** How many unknown parts a figure names before "and N more". */
const LISTED = 4;

/**
 * `≈ 152.9 MB (143.0–160.1 MB, estimated)` / `5.6 MB (exact)` / `size not known` /
 * `≥ 14.0 MB + unknown (base image registry.example.com/app:1; RUN line 3: download $URL)`.
 */
export function formatFigure(size: SizeFigure, locale: Locale = 'en'): string {
  if (size.source === 'partial' && size.bytes) {
    const floor = size.low ?? size.bytes;
    const known = floor === size.bytes
      ? `≥ ${formatBytes(floor)}`
      : say(floor > 0 ? WORDS.knownAbout : WORDS.knownNoFloor, locale, { bytes: formatBytes(size.bytes), floor: formatBytes(floor) });
    return `${known} ${WORDS.plusUnknown[locale]} (${formatUnknownParts(size, locale)})`;
  }
  if (size.bytes === null || size.source === 'partial') {
    const parts = formatUnknownParts(size, locale);
    return parts ? `${WORDS.unknown[locale]} (${parts})` : WORDS.unknown[locale];
  }
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

/** The compressed figure alone (`≈ 48.5 MB compressed`, `≥ 2.2 kB compressed` when a part is not known), or an empty string when unknown. */
export function formatCompressed(size: SizeFigure, locale: Locale = 'en'): string {
  const value = compressedValue(size);
  return value ? `${value} ${WORDS.compressed[locale]}` : '';
}

/** The compressed bytes with their certainty: `48.5 MB`, `≈ 48.5 MB`, `≥ 2.2 kB` (known parts only); null when not known. */
export function compressedValue(size: Pick<SizeFigure, 'bytes' | 'compressed' | 'source'>): string | null {
  if (size.compressed === null || size.bytes === null || (size.source === 'partial' && size.compressed === 0)) return null;
  const mark = size.source === 'partial' ? '≥ ' : size.source === 'estimate' ? '≈ ' : '';
  return `${mark}${formatBytes(size.compressed)}`;
}

/** A sum of known bytes that leaves `unknown` parts out: `6.0 kB`, `≥ 6.0 kB + ?`, or `?` when nothing of it is known. */
export function formatSum(bytes: number, unknown: number): string {
  if (unknown === 0) return formatBytes(bytes);
  return bytes > 0 ? `≥ ${formatBytes(bytes)} + ?` : '?';
}

/** What a figure does not count, where it is: `base image x; RUN line 3: download $URL; and 2 more`. */
export function formatUnknownParts(size: Pick<SizeFigure, 'unknownParts'>, locale: Locale = 'en'): string {
  const parts = size.unknownParts ?? [];
  const named = parts.filter((p) => p.more === undefined);
  const shown = named.slice(0, LISTED).map((p) => unknownPartText(p, locale));
  const rest = named.length - shown.length + parts.reduce((n, p) => n + (p.more ?? 0), 0);
  if (rest > 0) shown.push(sayMessage(message('unknownMore', { count: rest }), locale) ?? `+${rest}`);
  return shown.join('; ');
}

/** `RUN line 3: download $URL`, or what alone when it has no line. */
export function unknownPartText(part: UnknownPart, locale: Locale = 'en'): string {
  const what = describe(part.what, part.message, locale);
  return part.line !== undefined && part.keyword ? `${say(WORDS.at, locale, { keyword: part.keyword, line: part.line })}: ${what}` : what;
}

/** Short form for tables: `152.9 MB~` (estimate), `152.9 MB+` (open-ended), `14.0 MB+?` (partly unknown), `5.6 MB`, `?`. */
export function formatShort(size: Pick<SizeFigure, 'bytes' | 'high' | 'source'> | undefined): string {
  if (!size || size.bytes === null) return '?';
  if (size.source === 'partial') return size.bytes === 0 ? '?' : `${formatBytes(size.bytes)}+?`;
  const mark = size.source === 'estimate' ? (size.high === null ? '+' : '~') : '';
  return `${formatBytes(size.bytes)}${mark}`;
}

/**
 * Compact form for code lenses and the status bar: `≈ 128.6 MB ±12%`, `≈ 128.6 MB −1%/+20%`,
 * `≈ 12.0 MB+` (no upper bound), `≥ 14.0 MB + ?` (a part not known), `5.6 MB`, `size ?`.
 */
export function formatCompact(size: SizeFigure | undefined, locale: Locale = 'en'): string {
  const unknown = locale === 'ko' ? '크기 ?' : 'size ?';
  if (!size || size.bytes === null) return unknown;
  if (size.source === 'partial') {
    if (size.bytes === 0) return unknown;
    return `${(size.low ?? size.bytes) === size.bytes ? '≥' : '≈'} ${formatBytes(size.bytes)} + ?`;
  }
  if (size.source !== 'estimate') return formatBytes(size.bytes);
  if (size.high === null) return `≈ ${formatBytes(size.bytes)}+`;
  const below = size.bytes - (size.low ?? size.bytes);
  const above = size.high - size.bytes;
  if (below === 0 && above === 0) return `≈ ${formatBytes(size.bytes)}`;
  const percent = (n: number) => (size.bytes! > 0 ? Math.round((n / size.bytes!) * 100) : Infinity);
  // A spread wider than the figure itself reads better as a ceiling than as a percentage.
  if (percent(above) > 100 || percent(below) > 100) return `≈ ${formatBytes(size.bytes)} (≤ ${formatBytes(size.high)})`;
  const [down, up] = [percent(below), percent(above)];
  return down === up ? `≈ ${formatBytes(size.bytes)} ±${up}%` : `≈ ${formatBytes(size.bytes)} −${down}%/+${up}%`;
}
