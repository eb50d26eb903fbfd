/**
 * The benchmark's printed report: the layer table, the image table, then the summary (median
 * absolute errors, how often the real figure fell inside the predicted range, the worst layers,
 * and what the tar framing explains).
 */
import type { SizeFigure } from '../../server/src/service/sizes/types';
import { bytes, errorPercent, inRange, median, percent, table, tarExplains, type LayerRow, type RealFigure } from './compare';

export interface ImageRow {
  fixture: string;
  stage: string;
  /**
   * `image`: the whole image as predicted; `own layers`: only the layers the stage adds on its
   * base; `image, real base`: the predicted own layers on top of the base as really built (the
   * bases here are local stand-ins for the official images the product's figures describe).
   */
  scope: 'image' | 'own layers' | 'image, real base';
  predicted?: SizeFigure;
  real: RealFigure;
  /** with `image, real base`: the real base, added to the prediction in each unit compared */
  realBase?: RealFigure;
}

/** The target image's wasted bytes (dive's definition): predicted, and counted in the real layer tars. */
export interface WasteRow {
  fixture: string;
  predicted: number;
  /** earlier copies deleted or rewritten by a later layer, in the real image */
  real: number;
  /** dive's own total: also the surviving copy of each rewritten path */
  diveTotal: number;
  /** of `real`, what the base image's layers wrote (later layers rewrite dpkg's status and the like) */
  realBase: number;
  /** per own layer (1 = the first after FROM), by the layer that wrote the bytes */
  layers: { layer: number; predicted: number; real: number }[];
}

export interface Outcome {
  fixture: string;
  status: 'built' | 'skipped' | 'failed';
  reason?: string;
  seconds: number;
  tags?: string[];
}

/** Targets the brief set: median absolute error per layer and per image. */
const LAYER_TARGET = 15;
const IMAGE_TARGET = 10;
/** Layers below this (real content) are listed but also summarised apart: a few bytes off is a big percentage. */
const SMALL_LAYER = 1_000_000;

const yesNo = (v: boolean | undefined) => (v === undefined ? '-' : v ? 'yes' : 'no');
const range = (s: SizeFigure | undefined) => (!s || s.low === null || s.high === null ? '?' : s.low === s.high ? 'exact' : `${bytes(s.low)}–${bytes(s.high)}`);

function layerTable(rows: LayerRow[]): string {
  const body = rows.map((r) => {
    const p = r.predicted;
    const realTar = r.real?.tarBytes;
    const cells = [
      r.fixture, r.stage.replace(/^stage /, ''), r.layer, String(r.line), r.instruction,
      p ? bytes(p.bytes) : r.kind === 'none' ? 'no layer' : '?', p ? range(p) : '', p?.source ?? '',
      r.real ? bytes(realTar) : 'no layer',
      r.real ? percent(errorPercent(p?.bytes ?? (r.kind === 'none' ? 0 : null), realTar!)) : '-',
      r.real ? yesNo(inRange(p, realTar!)) : '-',
      r.real ? bytes(r.real.contentBytes) : '-',
      r.real ? percent(errorPercent(p?.bytes ?? (r.kind === 'none' ? 0 : null), r.real.contentBytes)) : '-',
      r.real ? yesNo(inRange(p, r.real.contentBytes)) : '-',
      r.real ? tarExplains(p?.bytes, r.real) : '-',
      p ? bytes(p.compressed) : '',
      r.real ? bytes(r.real.compressedBytes) : '-',
      r.real ? percent(errorPercent(p?.compressed, r.real.compressedBytes)) : '-',
    ];
    return cells;
  });
  return table(
    ['fixture', 'stage', 'layer', 'line', 'instruction', 'predicted', 'low–high', 'source', 'real tar', 'err', 'in', 'content', 'err', 'in', 'tar?', 'gz pred', 'gz real', 'gz err'],
    body,
    [false, false, true, true, false, true, false, false, true, true, false, true, true, false, false, true, true, true],
  );
}

function imageTable(rows: ImageRow[]): string {
  const body = rows.map((r) => {
    const p = predictedIn(r, 'tarBytes');
    const c = predictedIn(r, 'contentBytes');
    return [
      r.fixture, r.stage.replace(/^stage /, ''), r.scope,
      p ? bytes(p.bytes) : '?', range(p), p?.source ?? '',
      bytes(r.real.tarBytes), percent(errorPercent(p?.bytes, r.real.tarBytes)), yesNo(inRange(p, r.real.tarBytes)),
      bytes(r.real.contentBytes), percent(errorPercent(c?.bytes, r.real.contentBytes)), yesNo(inRange(c, r.real.contentBytes)),
      bytes(p?.compressed), bytes(r.real.compressedBytes), percent(errorPercent(p?.compressed, r.real.compressedBytes)),
    ];
  });
  return table(
    ['fixture', 'stage', 'scope', 'predicted', 'low–high', 'source', 'real tar', 'err', 'in', 'content', 'err', 'in', 'gz pred', 'gz real', 'gz err'],
    body,
    [false, false, false, true, false, false, true, true, false, true, true, false, true, true, true],
  );
}

interface Comparable {
  predicted?: SizeFigure;
  real: RealFigure;
  realBase?: RealFigure;
}

type Unit = 'tarBytes' | 'contentBytes';

/** The prediction to compare in `unit`: as is, or with the real base's bytes in that unit added. */
function predictedIn(row: Comparable, unit: Unit): SizeFigure | undefined {
  const p = row.predicted;
  if (!p || !row.realBase) return p;
  const add = (v: number | null, extra: number) => (v === null ? null : v + extra);
  const base = row.realBase[unit];
  return { ...p, bytes: add(p.bytes, base), low: add(p.low, base), high: add(p.high, base), compressed: add(p.compressed, row.realBase.compressedBytes) };
}

/** Median |error| and in-range share of a set of rows, against tar, content and gzip. */
function stats(label: string, rows: Comparable[]): string[] {
  const known = rows.filter((r) => r.predicted && r.predicted.bytes !== null);
  if (!known.length) return [label, '0', '-', '-', '-', '-', '-'];
  const abs = (f: (r: Comparable) => number) => `${median(known.map((r) => Math.abs(f(r)))).toFixed(1)}%`;
  const share = (f: (r: Comparable) => boolean | undefined) => {
    const v = known.map(f).filter((x) => x !== undefined);
    return v.length ? `${v.filter(Boolean).length}/${v.length} (${Math.round((100 * v.filter(Boolean).length) / v.length)}%)` : '-';
  };
  const gz = known.filter((r) => r.predicted!.compressed !== null);
  const tar = (r: Comparable) => predictedIn(r, 'tarBytes');
  const content = (r: Comparable) => predictedIn(r, 'contentBytes');
  return [
    label,
    String(known.length),
    abs((r) => errorPercent(tar(r)!.bytes, r.real.tarBytes)),
    share((r) => inRange(tar(r), r.real.tarBytes)),
    abs((r) => errorPercent(content(r)!.bytes, r.real.contentBytes)),
    share((r) => inRange(content(r), r.real.contentBytes)),
    gz.length ? `${median(gz.map((r) => Math.abs(errorPercent(tar(r)!.compressed, r.real.compressedBytes)))).toFixed(1)}%` : '-',
  ];
}

const STATS_HEADER = ['rows', 'n', 'median |err| tar', 'in range (tar)', 'median |err| content', 'in range (content)', 'median |err| gzip'];
const STATS_RIGHT = [false, true, true, true, true, true, true];

/** Wasted bytes per fixture: predicted vs the real layers (the base's own waste apart: the product gives base layers no writes). */
function wasteTable(rows: WasteRow[]): string {
  const body = rows.map((r) => [
    r.fixture,
    bytes(r.predicted),
    bytes(r.real),
    percent(errorPercent(r.predicted, r.real)),
    bytes(r.real - r.realBase),
    percent(errorPercent(r.predicted, r.real - r.realBase)),
    bytes(r.diveTotal),
    r.layers.filter((l) => l.real > 0 || l.predicted > 0).map((l) => `#${l.layer} ${bytes(l.predicted)}/${bytes(l.real)}`).join(', '),
  ]);
  return table(['fixture', 'predicted', 'real', 'err', 'real own', 'err own', 'dive total', 'per layer predicted/real'], body, [false, true, true, true, true, true, true, false]);
}

export function report(input: { layers: LayerRow[]; images: ImageRow[]; waste?: WasteRow[]; outcomes: Outcome[]; seconds: number }): string {
  const out: string[] = [];
  const { layers, images, outcomes } = input;
  out.push('Per layer (predicted = dockerlens explain; real tar = uncompressed layer tar; content = regular-file bytes in it;');
  out.push('err = (predicted − real) / real; in = real inside the predicted low–high; tar? = gap explained by tar headers/padding)');
  out.push('');
  out.push(layerTable(layers));
  out.push('');
  out.push('Per image (the whole image, then only the layers the stage adds on its base)');
  out.push('');
  out.push(imageTable(images));
  out.push('');
  if (input.waste && input.waste.length > 0) {
    out.push("Wasted bytes of the target image (dive's definition: regular files a later layer deletes or rewrites, counted in the");
    out.push('layer that wrote them; real own = without what the base layers wrote; dive total = dive also adds the surviving copy of a rewritten path)');
    out.push('');
    out.push(wasteTable(input.waste));
    out.push('');
  }

  // A layer counts when both sides have a layer; rows where only the product predicted one (the
  // builder made none) are counted apart, rows where only the builder made one count as predicted 0.
  const both = layers.filter((r): r is LayerRow & { real: RealFigure } => r.real !== undefined)
    .map((r) => ({ ...r, predicted: r.predicted ?? (r.kind === 'none' ? zero() : undefined) }))
    .filter((r) => r.predicted !== undefined) as (LayerRow & Comparable)[];
  const own = both.filter((r) => r.kind === 'filesystem' || r.kind === 'none');
  const bases = both.filter((r) => r.kind === 'base' || r.kind === 'stage');
  const noReal = layers.filter((r) => !r.real);
  const big = own.filter((r) => r.real.contentBytes >= SMALL_LAYER);
  const small = own.filter((r) => r.real.contentBytes < SMALL_LAYER);
  const bySource = (source: string) => own.filter((r) => r.predicted?.source === source);
  const wholeImages = images.filter((r) => r.scope === 'image');
  const ownImages = images.filter((r) => r.scope === 'own layers');
  const realBaseImages = images.filter((r) => r.scope === 'image, real base');

  out.push('Summary');
  out.push('');
  out.push(table(STATS_HEADER, [
    stats('own layers, all', own),
    stats(`own layers ≥ ${bytes(SMALL_LAYER)} content`, big),
    stats(`own layers < ${bytes(SMALL_LAYER)} content`, small),
    stats('own layers, source exact', bySource('exact')),
    stats('own layers, source estimate', bySource('estimate')),
    stats('base layers (local stand-ins)', bases),
    stats('images, whole', wholeImages),
    stats('images, whole, real base', realBaseImages),
    stats('images, own layers only', ownImages),
  ], STATS_RIGHT));
  out.push('');
  const layerMedian = median(own.map((r) => Math.abs(errorPercent(r.predicted!.bytes, r.real.tarBytes))));
  const imageMedian = (rows: ImageRow[], unit: Unit) =>
    median(rows.filter((r) => r.predicted?.bytes != null).map((r) => Math.abs(errorPercent(predictedIn(r, unit)!.bytes, r.real[unit]))));
  const verdict = (value: number, target: number) => `${value.toFixed(1)}% → ${value <= target ? 'met' : 'NOT met'}`;
  out.push(`Target per layer ≤ ${LAYER_TARGET}% (median over own layers): vs tar ${verdict(layerMedian, LAYER_TARGET)}; vs content ${verdict(median(own.map((r) => Math.abs(errorPercent(r.predicted!.bytes, r.real.contentBytes)))), LAYER_TARGET)}`);
  out.push(`Target per image ≤ ${IMAGE_TARGET}% (median): whole image vs tar ${verdict(imageMedian(wholeImages, 'tarBytes'), IMAGE_TARGET)}; vs content ${verdict(imageMedian(wholeImages, 'contentBytes'), IMAGE_TARGET)}`);
  out.push(`  with the real base in place of the product's base figure: vs tar ${verdict(imageMedian(realBaseImages, 'tarBytes'), IMAGE_TARGET)}; vs content ${verdict(imageMedian(realBaseImages, 'contentBytes'), IMAGE_TARGET)}`);
  if (noReal.length) {
    out.push(`${noReal.length} predicted layer(s) the builder did not make (buildah records WORKDIR and the like without a layer; the folder lands in the next layer):`);
    for (const r of noReal) out.push(`  ${r.fixture} line ${r.line} ${r.instruction}: predicted ${bytes(r.predicted?.bytes)}`);
  }

  const explained = own.map((r) => tarExplains(r.predicted!.bytes, r.real));
  const count = (v: string) => explained.filter((e) => e === v).length;
  out.push(`Tar framing: of ${own.length} own layers, the gap to the tar is explained by headers/padding in ${count('yes')}, partly in ${count('partly')}, not in ${count('no')}; no gap worth explaining in ${count('-')}.`);
  const overhead = own.map((r) => r.real.tarBytes - r.real.contentBytes);
  out.push(`Tar overhead per own layer (tar − content): median ${bytes(median(overhead))}, ${bytes(Math.min(...overhead))}–${bytes(Math.max(...overhead))}; about 512 B per entry plus padding to 512 B per file and 1 kB at the end.`);
  out.push('');

  const describe = (r: LayerRow & Comparable) => {
    const where = r.real.top.map(([k, v]) => `/${k} ${bytes(v)}`).join(', ');
    return `  ${r.fixture} line ${r.line} ${r.instruction}: predicted ${bytes(r.predicted!.bytes)} (${r.predicted!.source}), real ${bytes(r.real.tarBytes)} tar / ${bytes(r.real.contentBytes)} content in ${r.real.entries} entries, ${percent(errorPercent(r.predicted!.bytes, r.real.tarBytes))} (${signedBytes(r.predicted!.bytes! - r.real.tarBytes)})${where ? `; content in ${where}` : ''}`;
  };
  const byPercent = (r: LayerRow & Comparable) => Math.abs(errorPercent(r.predicted!.bytes, r.real.tarBytes));
  const byBytes = (r: LayerRow & Comparable) => Math.abs(r.predicted!.bytes! - r.real.tarBytes);
  out.push('Worst 10 own layers by |err| vs tar (small layers dominate: a few kB off is hundreds of percent)');
  for (const r of [...own].sort((a, b) => byPercent(b) - byPercent(a)).slice(0, 10)) out.push(describe(r));
  out.push('Worst 10 own layers by bytes off vs tar');
  for (const r of [...own].sort((a, b) => byBytes(b) - byBytes(a)).slice(0, 10)) out.push(describe(r));
  out.push('');

  const built = outcomes.filter((o) => o.status === 'built');
  out.push(`Fixtures: ${built.length} built, ${outcomes.filter((o) => o.status === 'skipped').length} skipped, ${outcomes.filter((o) => o.status === 'failed').length} failed; ${input.seconds} s in all`);
  for (const o of outcomes) if (o.status !== 'built') out.push(`  ${o.fixture}: ${o.status}: ${o.reason}`);
  return out.join('\n');
}

function signedBytes(value: number): string {
  return value > 0 ? `+${bytes(value)}` : value < 0 ? `−${bytes(-value)}` : '0 B';
}

function zero(): SizeFigure {
  return { bytes: 0, low: 0, high: 0, compressed: 0, source: 'estimate', detail: 'no layer predicted' };
}
