import { predictRebuild, type ChangeSet, type RebuildPrediction } from '../cache/predict';
import { message } from '../sizes/messages';
import { detailOf } from '../sizes/types';
import { withLayerFigures } from '../sizes/estimate';
import { formatBytes } from '../features/sizeText';
import type { DockerfileModel, EstimatorError, LastBuild, Layer, SizeFigure } from '../types';
import { align, targetChain, type Alignment } from './align';
import type { BuiltImage } from './image';
import { readHistory } from './history';
import { compareSizes, type CompareRow, type SizeComparison } from './sizes';

/**
 * Exact where possible: after one real build, every layer whose cache key has not changed since
 * is the built layer, byte for byte, so its figure is the built one (source `engine`); only the
 * layers the next build makes anew keep their estimates. What changed since the build comes from
 * the alignment (instructions edited, added or removed; build args recorded with other values),
 * from the build context (files modified after the build) and from the base image (when the
 * caller could check it); the cache model (predictRebuild) turns that into reused and rebuilt.
 */
export interface SinceBuild {
  /** build-context paths modified after the image was built */
  files?: readonly string[];
  /** the Dockerfile's path in the build context, when the context holds it */
  dockerfile?: string;
  /**
   * the layer ids of the base image the FROM names, as the engine has it now (undefined: not
   * checked); the image must start with exactly these layers for its base to count as unchanged
   */
  baseDiffIds?: readonly string[];
}

export interface LastBuildResult {
  model: DockerfileModel;
  /** the summary the model carries as `lastBuild` */
  lastBuild: LastBuild;
  alignment: Alignment;
  comparison: SizeComparison;
  prediction: RebuildPrediction;
}

/** Instructions whose removal changes what later RUN steps see. */
const ENVIRONMENT = new Set(['ENV', 'ARG', 'USER', 'WORKDIR', 'SHELL']);

/** What changed since the build, in the cache model's terms. */
export function changesSinceBuild(model: DockerfileModel, image: BuiltImage, alignment: Alignment, since: SinceBuild): ChangeSet {
  const lines = new Set<number>();
  const buildArgs = new Set<string>();
  const lineOf = (stage: number, instruction: number) => model.stages[stage]!.instructions[instruction]!.range;
  let removedBefore = false;
  for (const entry of alignment.entries) {
    if (entry.kind === 'removed') {
      const history = image.history[entry.history!]!;
      removedBefore ||= history.layer !== null || ENVIRONMENT.has(readHistory(history.createdBy).keyword);
      continue;
    }
    const range = lineOf(entry.stage!, entry.instruction!);
    const info = model.stages[entry.stage!]!.instructions[entry.instruction!]!;
    if (entry.kind === 'edited' || entry.kind === 'added' || (removedBefore && (info.effect === 'filesystem' || ENVIRONMENT.has(info.keyword)))) {
      for (let line = range.start.line; line <= range.end.line; line++) lines.add(line);
      if (removedBefore && (info.effect === 'filesystem' || ENVIRONMENT.has(info.keyword))) removedBefore = false;
    }
    for (const name of entry.buildArgs ?? []) buildArgs.add(name);
  }
  // A FROM whose image is not the one built on: every step of that stage rebuilds.
  const root = targetChain(model)[0];
  if (baseUnchanged(image, since) === false && root) lines.add(root.instructions[0]!.range.start.line);
  return {
    files: since.files ?? [],
    buildArgs: [...buildArgs],
    editedLines: [...lines].sort((a, b) => a - b),
    ...(since.dockerfile ? { dockerfile: since.dockerfile } : {}),
  };
}

/**
 * The sized model with the last build's figures where they still hold, each layer's built size
 * beside its prediction, and the summary the editor and the CLI show.
 */
export function applyLastBuild(model: DockerfileModel, image: BuiltImage, since: SinceBuild = {}, options: { baseEntries?: number } = {}): LastBuildResult {
  const base = baseUnchanged(image, since);
  const baseLayers = base ? since.baseDiffIds!.length : undefined;
  const alignment = align(model, image, { ...options, ...(baseLayers !== undefined ? { baseLayers } : {}) });
  const comparison = compareSizes(model, image, alignment);
  const prediction = predictRebuild(model, changesSinceBuild(model, image, alignment, since));
  const figures = new Map<string, SizeFigure>();
  const built = new Map<string, Layer['built']>();
  const usable = alignment.verdict !== 'unrelated';
  for (const row of comparison.rows) {
    if (row.stage === null || row.instruction === null || row.layer === null || row.match === 'added' || !row.actual) continue;
    const step = prediction.stages[row.stage]?.steps.find((s) => s.instruction === row.instruction);
    const current = usable && (row.match === 'same' || row.match === 'base') && step?.reused === true && row.actual.bytes !== null;
    built.set(`${row.stage}:${row.instruction}`, {
      bytes: row.actual.bytes,
      compressed: row.actual.compressed,
      predicted: row.predicted,
      current,
      ...(step && !step.reused && step.reason ? { reason: step.reason } : {}),
    });
    if (current) figures.set(`${row.stage}:${row.instruction}`, builtFigure(row, image));
  }
  let sized = withLayerFigures(model, figures);
  sized = {
    ...sized,
    stages: sized.stages.map((stage) => ({
      ...stage,
      layers: stage.layers.map((layer) => {
        const figure = built.get(`${stage.index}:${layer.instruction}`);
        return figure && (layer.kind === 'filesystem' || layer.kind === 'base') ? { ...layer, built: figure } : layer;
      }),
    })),
  };
  const notes = [...image.notes];
  if (base === undefined && targetChain(model)[0]?.base.kind === 'image') notes.push('the base image was not checked against the one the image was built on: it is taken as unchanged');
  else if (base === false) notes.push('the base image the FROM names now has other layers than the one the image was built on: every layer rebuilds');
  const lastBuild: LastBuild = {
    image: image.name,
    id: image.id,
    created: image.created,
    verdict: alignment.verdict,
    problems: alignment.problems,
    problemMessages: alignment.problemMessages,
    exact: figures.size,
    estimated: comparison.rows.filter((r) => r.kind !== 'unmatched' && r.layer !== null && !figures.has(`${r.stage}:${r.instruction}`)).length,
    errors: estimatorErrors(comparison.rows),
    notes,
  };
  return { model: { ...sized, lastBuild }, lastBuild, alignment, comparison, prediction };
}

/** Whether the image starts with the base image's layers as the engine has them now. */
function baseUnchanged(image: BuiltImage, since: SinceBuild): boolean | undefined {
  const ids = since.baseDiffIds;
  if (!ids) return undefined;
  if (ids.length > image.layers.length) return false;
  for (let i = 0; i < ids.length; i++) {
    const have = image.layers[i]!.diffId;
    if (have === null) return undefined;
    if (have !== ids[i]) return false;
  }
  return true;
}

/** The built layer's figure: its bytes as the engine or archive measured them. */
function builtFigure(row: CompareRow, image: BuiltImage): SizeFigure {
  const bytes = row.actual!.bytes!;
  const predicted = row.predicted;
  // Without the compressed blob, keep the predicted compression ratio for the push figure.
  const compressed = row.actual!.compressed ?? (predicted?.compressed != null && predicted.bytes ? Math.round(bytes * (predicted.compressed / predicted.bytes)) : null);
  const said = message('builtLayer', {
    when: image.created ? message('builtWhen', { date: image.created.slice(0, 10) }) : '',
    image: image.name,
    size: formatBytes(bytes),
    ratio: row.actual!.compressed === null && compressed !== null ? message('builtCompressedFromRatio') : '',
  });
  return { bytes, low: bytes, high: bytes, compressed, source: 'engine', ...detailOf(said) };
}

/** Estimates of layers built exactly as written now, against the built figure. */
export function estimatorErrors(rows: CompareRow[]): EstimatorError[] {
  const out: EstimatorError[] = [];
  for (const row of rows) {
    if (row.match !== 'same' && row.match !== 'base') continue;
    const predicted = row.predicted;
    if (!predicted || predicted.bytes === null || row.actual?.bytes == null || !row.estimator) continue;
    if (predicted.source !== 'estimate' && predicted.source !== 'bundled') continue;
    out.push({ estimator: row.estimator, predicted: predicted.bytes, actual: row.actual.bytes });
  }
  return out;
}
