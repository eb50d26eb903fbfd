/**
 * Lines up a real image's layers with the layers `dockerlens explain --json` predicted for the
 * same Dockerfile stage, and the statistics the benchmark prints.
 *
 * Alignment works on the image config's history, one entry per instruction in buildah's --layers
 * builds: the base image's entries come first (as many as the base image itself has), then one
 * per instruction after the FROM. Entries marked `empty_layer` made no layer; the others take the
 * image's remaining layers in order. Each entry is matched to the next instruction with the same
 * keyword (`#(nop) COPY ...` is a COPY, anything else a RUN), so ARG lines and metadata lines that
 * the builder records are skipped over rather than miscounted.
 */
import type { Layer, Stage } from '../../server/src/service/types';
import type { SizeFigure } from '../../server/src/service/sizes/types';
import type { HistoryEntry } from './buildah';
import type { LayerStats } from './layerTar';

export interface RealFigure {
  tarBytes: number;
  contentBytes: number;
  compressedBytes: number;
  entries: number;
  /** content bytes per top-level path, largest first (for the worst rows) */
  top: [string, number][];
}

export interface LayerRow {
  fixture: string;
  /** `stage 0 (build)` */
  stage: string;
  /** predicted layer number, or `-` when the product predicted no layer */
  layer: string;
  kind: Layer['kind'] | 'none';
  /** 1-based line of the instruction */
  line: number;
  instruction: string;
  predicted?: SizeFigure;
  /** undefined: the builder made no layer for this instruction */
  real?: RealFigure;
  note?: string;
}

export interface RealLayerLike extends LayerStats {
  compressedBytes: number;
}

export function realFigure(layers: RealLayerLike[]): RealFigure {
  const byPrefix = new Map<string, number>();
  for (const l of layers) for (const [k, v] of l.byPrefix) byPrefix.set(k, (byPrefix.get(k) ?? 0) + v);
  return {
    tarBytes: sum(layers.map((l) => l.tarBytes)),
    contentBytes: sum(layers.map((l) => l.contentBytes)),
    compressedBytes: sum(layers.map((l) => l.compressedBytes)),
    entries: sum(layers.map((l) => l.entries)),
    top: [...byPrefix].sort((a, b) => b[1] - a[1]).slice(0, 3),
  };
}

/** The keyword a history entry records: `#(nop) COPY ...` → COPY; a shell command → RUN. */
export function historyKeyword(entry: HistoryEntry): string {
  const by = entry.created_by ?? '';
  const nop = /#\(nop\)\s+([A-Za-z]+)/.exec(by);
  return nop ? nop[1]!.toUpperCase() : 'RUN';
}

export interface StageBuild {
  fixture: string;
  stage: Stage;
  history: HistoryEntry[];
  layers: RealLayerLike[];
  /** history entries and layers the base (image or parent stage) brings */
  baseHistory: number;
  baseLayers: number;
}

/** One row per predicted layer and per real layer, base first. */
export function alignStage(build: StageBuild): LayerRow[] {
  const { stage, fixture } = build;
  const label = `stage ${stage.index}${stage.name ? ` (${stage.name})` : ''}`;
  const line = (instruction: number) => (stage.instructions[instruction]?.range.start.line ?? -1) + 1;
  const short = (instruction: number) => oneLine(stage.instructions[instruction]?.text ?? '?');
  const rows: LayerRow[] = [];

  const baseLayer = stage.layers.find((l) => l.kind === 'base' || l.kind === 'stage');
  const baseReal = build.layers.slice(0, build.baseLayers);
  if (baseLayer || baseReal.length) {
    const row: LayerRow = {
      fixture, stage: label, layer: baseLayer ? String(baseLayer.number) : '-', kind: baseLayer?.kind ?? 'none',
      line: line(0), instruction: short(0), real: realFigure(baseReal),
    };
    if (baseLayer?.size) row.predicted = baseLayer.size;
    rows.push(row);
  }

  const ownHistory = build.history.slice(build.baseHistory);
  const ownLayers = build.layers.slice(build.baseLayers);
  const withLayer = ownHistory.filter((h) => !h.empty_layer).length;
  if (withLayer !== ownLayers.length) {
    throw new Error(`${fixture} ${label}: ${withLayer} history entries with a layer but ${ownLayers.length} layers after the base`);
  }

  // instruction index -> real layer (or null: the builder recorded it without a layer)
  const realFor = new Map<number, RealLayerLike | null>();
  const unmatched: string[] = [];
  let next = 1;
  let layerAt = 0;
  for (const entry of ownHistory) {
    const keyword = historyKeyword(entry);
    let at = next;
    while (at < stage.instructions.length && stage.instructions[at]!.keyword.toUpperCase() !== keyword) at++;
    const layer = entry.empty_layer ? null : ownLayers[layerAt++]!;
    if (at >= stage.instructions.length) {
      unmatched.push(`${keyword}: ${oneLine(entry.created_by ?? '')}`);
      continue;
    }
    realFor.set(at, layer);
    next = at + 1;
  }
  if (unmatched.length) throw new Error(`${fixture} ${label}: history entries with no instruction: ${unmatched.join(' | ')}`);

  for (const instruction of stage.instructions.slice(1)) {
    const predicted = stage.layers.find((l) => l.kind === 'filesystem' && l.instruction === instruction.index);
    const real = realFor.get(instruction.index);
    if (!predicted && !real) continue;
    const row: LayerRow = {
      fixture, stage: label, layer: predicted ? String(predicted.number) : '-', kind: predicted ? 'filesystem' : 'none',
      line: line(instruction.index), instruction: short(instruction.index),
    };
    if (predicted?.size) row.predicted = predicted.size;
    if (real) row.real = realFigure([real]);
    else row.note = real === null ? 'the builder recorded this instruction without a layer' : 'no history entry for this instruction';
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Numbers

export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Signed error of a prediction in percent of the real figure; NaN when there is nothing to compare. */
export function errorPercent(predicted: number | null | undefined, real: number): number {
  if (predicted === null || predicted === undefined) return NaN;
  if (real === 0) return predicted === 0 ? 0 : Infinity;
  return ((predicted - real) / real) * 100;
}

export function inRange(size: SizeFigure | undefined, real: number): boolean | undefined {
  if (!size || size.low === null || size.high === null) return undefined;
  return size.low <= real && real <= size.high;
}

/**
 * Whether tar framing explains the gap between a prediction and the real tar: the prediction is
 * within 1% (or 4 KiB) of the content bytes, while the tar is larger than the content.
 */
export function tarExplains(predicted: number | null | undefined, real: RealFigure): 'yes' | 'partly' | 'no' | '-' {
  if (predicted === null || predicted === undefined) return '-';
  const toContent = Math.abs(predicted - real.contentBytes);
  const toTar = Math.abs(predicted - real.tarBytes);
  if (toTar <= Math.max(0.01 * real.tarBytes, 512)) return '-'; // no gap worth explaining
  if (toContent <= Math.max(0.01 * real.contentBytes, 4096)) return 'yes';
  return toContent < toTar ? 'partly' : 'no';
}

// ---------------------------------------------------------------------------------------------
// Text

export function oneLine(text: string, max = 44): string {
  const flat = text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Decimal units as `docker images` prints them: 1.2 MB, 340 kB, 12 B. */
export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '?';
  const abs = Math.abs(value);
  if (abs < 1000) return `${value} B`;
  if (abs < 1e6) return `${(value / 1e3).toFixed(1)} kB`;
  if (abs < 1e9) return `${(value / 1e6).toFixed(abs < 1e7 ? 2 : 1)} MB`;
  return `${(value / 1e9).toFixed(2)} GB`;
}

export function percent(value: number): string {
  if (Number.isNaN(value)) return '-';
  if (!Number.isFinite(value)) return value > 0 ? '+inf' : '-inf';
  const rounded = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
  return `${value > 0 ? '+' : ''}${rounded}%`;
}

/** Left-aligned text columns, right-aligned where `right[i]`. */
export function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (r: string[]) =>
    r.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...rows.map(format)].join('\n');
}
