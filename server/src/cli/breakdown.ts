import { describeStage, type DockerfileModel, type InstructionInfo, type Layer, type Stage } from '../service';
import { formatBreakdown } from '../service/features/breakdownText';
import { formatCompressed, formatFigure } from '../service/features/sizeText';

/**
 * `dockerlens explain --layer N` / `--line L`: which layer is meant, and what it is made of, as
 * an indented tree, largest first.
 */
export interface PickedLayer {
  stage: Stage;
  layer: Layer;
  instruction: InstructionInfo;
}

/** The layer asked for, or why there is none (a message for stderr). */
export function pickLayer(model: DockerfileModel, wanted: { layer?: number; line?: number }): PickedLayer | string {
  if (wanted.line !== undefined) return layerOnLine(model, wanted.line);
  const number = wanted.layer!;
  const own = (stage: Stage) => stage.layers.find((l) => l.number === number && l.kind !== 'stage');
  // the target image first: its own layers, then the stages it is built FROM
  for (let stage: Stage | undefined = model.stages[model.target], hops = 0; stage && hops <= model.stages.length; hops++) {
    const layer = own(stage);
    if (layer) return picked(stage, layer);
    stage = stage.base.kind === 'stage' ? model.stages[stage.base.stage] : undefined;
  }
  const elsewhere = model.stages.filter((s) => own(s));
  if (elsewhere.length === 1) return picked(elsewhere[0]!, own(elsewhere[0]!)!);
  if (elsewhere.length > 1) {
    return `Layer ${number} is in stages ${elsewhere.map(describeStage).join(', ')}, not in the target image: pick one with --line or --target.`;
  }
  return `No layer ${number}: the target image has layers 0–${Math.max(0, ...(model.stages[model.target]?.layers.map((l) => l.number) ?? [0]))}.`;
}

function layerOnLine(model: DockerfileModel, line: number): PickedLayer | string {
  for (const stage of model.stages) {
    const instruction = stage.instructions.find((i) => i.range.start.line <= line - 1 && line - 1 <= i.range.end.line);
    if (!instruction) continue;
    const layer = instruction.keyword === 'FROM'
      ? stage.layers.find((l) => l.kind !== 'filesystem')
      : stage.layers.find((l) => l.kind === 'filesystem' && l.instruction === instruction.index);
    if (!layer) return `Line ${line} (${instruction.keyword}) makes no layer: ${instruction.effect === 'metadata' ? 'it changes the image config only' : 'it writes no files'}.`;
    return picked(stage, layer);
  }
  return `Line ${line} holds no instruction of a stage.`;
}

function picked(stage: Stage, layer: Layer): PickedLayer {
  return { stage, layer, instruction: stage.instructions[layer.instruction]! };
}

/** The picked layer: its headline, its figure, and its breakdown as a tree. */
export function formatPickedLayer(model: DockerfileModel, { stage, layer, instruction }: PickedLayer): string {
  const out = [`Layer ${layer.number} of stage ${describeStage(stage)}, line ${instruction.range.start.line + 1}: ${instruction.text.split('\n')[0]}`];
  if (layer.size) {
    const compressed = formatCompressed(layer.size);
    out.push(`Size: ${formatFigure(layer.size)}${compressed ? ` · ${compressed}` : ''}`);
  }
  if (layer.kind === 'stage' && stage.base.kind === 'stage') {
    const parent = model.stages[stage.base.stage]!;
    out.push(`The layers of stage ${describeStage(parent)} (${parent.layers.map((l) => l.number).join(', ')}): ask for one of them with --layer or --line.`);
  } else if (layer.breakdown) {
    out.push('', ...formatBreakdown(layer.breakdown, 'en'));
  } else {
    out.push('', layer.size?.source === 'unknown' ? `Not known: ${layer.size.detail}` : 'Nothing itemised for this layer.');
  }
  return out.join('\n');
}
