import { PHRASES, say, type Locale } from '../explain';
import { describeStage } from '../model/graph';
import type { DockerfileModel, Range } from '../types';
import { formatCompact } from './sizeText';
import { rebuildReason } from '../cache/predict';

/**
 * Lenses above the instructions: one per stage header (its total, and its role) and one per
 * layer-making instruction (its number and size). Each opens the layer tree at that row.
 */
export interface LayerLens {
  range: Range;
  title: string;
  stage: number;
  /** layer number; undefined for a stage header */
  layer?: number;
}

export function codeLenses(model: DockerfileModel, locale: Locale = 'en'): LayerLens[] {
  const lenses: LayerLens[] = [];
  for (const stage of model.stages) {
    const from = stage.instructions[0]!;
    const role = stage.isTarget ? say(PHRASES.lensTarget, locale) : stage.used ? '' : say(PHRASES.lensUnused, locale);
    const total = stage.sizes ? say(PHRASES.lensTotal, locale, { size: formatCompact(stage.sizes.total, locale) }) : '';
    lenses.push({
      range: from.keywordRange,
      title: [say(PHRASES.stageStart, locale, { stage: describeStage(stage) }), total, role].filter(Boolean).join(' · '),
      stage: stage.index,
    });
    const steps = new Map((model.cache?.prediction.stages[stage.index]?.steps ?? []).filter((s) => s.layer !== undefined).map((s) => [s.layer!, s]));
    for (const layer of stage.layers) {
      if (layer.kind !== 'filesystem') continue;
      const instruction = stage.instructions[layer.instruction]!;
      const step = steps.get(layer.number);
      const cache = !step || !stage.used ? '' : step.reused ? say(PHRASES.lensCached, locale) : say(PHRASES.lensRebuilds, locale, { reason: rebuildReason(step, model, locale) });
      const title = [say(PHRASES.lensLayer, locale, { number: layer.number }), layer.size ? formatCompact(layer.size, locale) : '', cache].filter(Boolean).join(' · ');
      lenses.push({ range: instruction.keywordRange, title, stage: stage.index, layer: layer.number });
    }
  }
  return lenses;
}
