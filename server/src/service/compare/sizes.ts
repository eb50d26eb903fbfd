import type { DockerfileModel, Layer, SizeFigure } from '../types';
import { message } from '../sizes/messages';
import { detailOf } from '../sizes/types';
import { layerOfInstruction } from '../model/layerIndex';
import { targetChain, type AlignKind, type Alignment } from './align';
import { imageBytes, type BuiltImage } from './image';

/**
 * Predicted against actual, per layer of the target image and for the whole image. A row per
 * layer-making instruction of the target's stages and per layer of the image no instruction
 * matches; the base image is one row (all its layers).
 */
export interface ActualSize {
  bytes: number | null;
  compressed: number | null;
}

export interface CompareRow {
  kind: 'base' | 'layer' | 'unmatched';
  stage: number | null;
  /** the model's layer number (0: the base group) */
  layer: number | null;
  instruction: number | null;
  /** how the instruction lines up with the image's history */
  match: AlignKind | 'base';
  /** the size pass's figure; null when the model predicts no layer here */
  predicted: SizeFigure | null;
  /** the image's layer(s); null when the image has no layer for it */
  actual: ActualSize | null;
  /** predicted − actual, when both are known */
  error: { bytes: number; percent: number | null } | null;
  /** whether actual lies in the predicted range, when both are known */
  inRange: boolean | null;
  /** the estimator behind the prediction (apt, npm, context, base-image…), for trust records */
  estimator: string | null;
  /** history entries the row covers */
  history: number[];
}

export interface SizeComparison {
  rows: CompareRow[];
  total: { predicted: SizeFigure | null; actual: ActualSize; error: { bytes: number; percent: number | null } | null; unmeasuredLayers: number };
}

export function compareSizes(model: DockerfileModel, image: BuiltImage, alignment: Alignment): SizeComparison {
  const rows: CompareRow[] = [];
  const chainRoot = targetChain(model)[0];
  const baseHistory = range(0, alignment.baseEntries);
  const baseLayer = chainRoot?.layers.find((l) => l.kind === 'base');
  if (chainRoot && (baseLayer || layersOf(image, baseHistory).length > 0)) {
    rows.push(row({
      kind: 'base', stage: chainRoot.index, layer: 0, instruction: 0, match: 'base',
      predicted: baseLayer?.size ?? (chainRoot.base.kind === 'scratch' ? emptyFigure() : null),
      actual: sumLayers(image, baseHistory), estimator: 'base-image', history: baseHistory,
    }));
  }
  for (const entry of alignment.entries) {
    if (entry.kind === 'removed') {
      const layer = image.history[entry.history!]?.layer;
      if (layer === null || layer === undefined) continue;
      rows.push(row({ kind: 'unmatched', stage: null, layer: null, instruction: null, match: 'removed', predicted: null, actual: actualOf(image, entry.history!), estimator: null, history: [entry.history!] }));
      continue;
    }
    const stage = model.stages[entry.stage!]!;
    const info = stage.instructions[entry.instruction!]!;
    const layer = layerOfInstruction(stage, info.index);
    const historyLayer = entry.history === undefined ? null : image.history[entry.history]!.layer;
    // Metadata on both sides: nothing to compare.
    if (!layer && (historyLayer === null || historyLayer === undefined)) continue;
    rows.push(row({
      kind: 'layer', stage: stage.index, layer: layer?.number ?? null, instruction: info.index, match: entry.kind,
      // the model predicts no layer (a WORKDIR that exists): zero bytes
      predicted: layer ? layer.size ?? null : emptyFigure(),
      actual: entry.history === undefined ? null : actualOf(image, entry.history),
      estimator: layer ? estimatorOf(layer, info.keyword) : 'metadata',
      history: entry.history === undefined ? [] : [entry.history],
    }));
  }
  const bytes = imageBytes(image);
  const actual: ActualSize = { bytes: bytes.unmeasured === image.layers.length && image.layers.length > 0 ? null : bytes.bytes, compressed: bytes.compressed };
  const predicted = model.image?.total ?? null;
  return { rows, total: { predicted, actual, error: errorOf(predicted, actual), unmeasuredLayers: bytes.unmeasured } };
}

/** Which estimator a layer's figure comes from (the size pass names RUN's; the rest by keyword). */
export function estimatorOf(layer: Layer, keyword: string): string {
  if (layer.estimator) return layer.estimator;
  if (keyword === 'COPY' || keyword === 'ADD') return layer.size?.source === 'exact' ? 'context' : 'copy';
  return keyword.toLowerCase();
}

function row(r: Omit<CompareRow, 'error' | 'inRange'>): CompareRow {
  const actualBytes = r.actual?.bytes ?? null;
  const inRange = r.predicted && actualBytes !== null && r.predicted.low !== null
    ? actualBytes >= r.predicted.low && (r.predicted.high === null || actualBytes <= r.predicted.high)
    : null;
  return { ...r, error: r.actual ? errorOf(r.predicted, r.actual) : null, inRange };
}

function errorOf(predicted: SizeFigure | null, actual: ActualSize): { bytes: number; percent: number | null } | null {
  if (!predicted || predicted.bytes === null || actual.bytes === null) return null;
  const bytes = predicted.bytes - actual.bytes;
  return { bytes, percent: actual.bytes === 0 ? (bytes === 0 ? 0 : null) : (bytes / actual.bytes) * 100 };
}

function actualOf(image: BuiltImage, history: number): ActualSize {
  const index = image.history[history]?.layer;
  if (index === null || index === undefined) return { bytes: 0, compressed: 0 };
  const layer = image.layers[index]!;
  return { bytes: layer.size, compressed: layer.compressed };
}

function layersOf(image: BuiltImage, history: number[]): number[] {
  return history.map((h) => image.history[h]?.layer).filter((l): l is number => l !== null && l !== undefined);
}

function sumLayers(image: BuiltImage, history: number[]): ActualSize {
  let bytes: number | null = 0;
  let compressed: number | null = 0;
  for (const index of layersOf(image, history)) {
    const layer = image.layers[index]!;
    bytes = bytes === null || layer.size === null ? null : bytes + layer.size;
    compressed = compressed === null || layer.compressed === null ? null : compressed + layer.compressed;
  }
  return { bytes, compressed };
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

function emptyFigure(): SizeFigure {
  return { bytes: 0, low: 0, high: 0, compressed: 0, source: 'exact', ...detailOf(message('noLayerPredicted')) };
}
