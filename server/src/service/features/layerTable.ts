import { instructionSummary } from '../model/display';
import { describeStage } from '../model/graph';
import type { DockerfileModel, InstructionInfo, Stage } from '../types';

/**
 * A plain-text table of stages and the layers each instruction makes: the CLI's `explain` output
 * and the "Show Layers" output channel.
 */
export function formatLayerTable(model: DockerfileModel, title: string): string {
  const out: string[] = [];
  const target = model.stages[model.target];
  out.push(`${title}${target ? `  (target: stage ${describeStage(target)})` : ''}`);
  if (model.stages.length === 0) out.push('', 'No FROM instruction: nothing to build.');
  for (const stage of model.stages) out.push('', ...stageBlock(model, stage));
  if (model.problems.length > 0) {
    out.push('', 'Problems:');
    for (const p of model.problems) out.push(`  line ${p.range.start.line + 1}  ${p.severity.padEnd(11)} ${p.code}  ${p.message}`);
  }
  return out.join('\n');
}

function stageBlock(model: DockerfileModel, stage: Stage): string[] {
  const base = stage.base.kind === 'image' ? stage.base.display : stage.base.kind === 'stage' ? `stage ${describeStage(model.stages[stage.base.stage]!)}` : 'scratch';
  const role = stage.isTarget ? 'target' : stage.used ? 'needed by the target' : 'unused: not built';
  const own = stage.layers.filter((l) => l.kind === 'filesystem').length;
  const lines = [`Stage ${describeStage(stage)}  FROM ${base}${stage.platform ? ` (${stage.platform})` : ''}  · ${own} own layer${own === 1 ? '' : 's'} · ${role}`];
  lines.push(`  ${'layer'.padEnd(6)}${'line'.padEnd(6)}${'kind'.padEnd(10)}instruction`);
  for (const instruction of stage.instructions) lines.push(row(model, stage, instruction));
  return lines;
}

function row(model: DockerfileModel, stage: Stage, instruction: InstructionInfo): string {
  let layer = '-';
  let kind: string = instruction.effect;
  if (instruction.keyword === 'FROM') {
    layer = stage.base.kind === 'scratch' ? '-' : '0';
    kind = stage.base.kind === 'scratch' ? 'none' : 'base';
  } else if (instruction.layer !== undefined) {
    layer = String(instruction.layer);
    kind = 'layer';
  }
  const text = instruction.keyword === 'FROM' && stage.base.kind === 'stage'
    ? `FROM ${instruction.args}  (inherits ${describeStage(model.stages[stage.base.stage]!)})`
    : instructionSummary(instruction);
  return `  ${layer.padEnd(6)}${String(instruction.range.start.line + 1).padEnd(6)}${kind.padEnd(10)}${text}`;
}
