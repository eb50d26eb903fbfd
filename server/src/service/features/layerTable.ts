import { instructionSummary } from '../model/display';
import { describeStage } from '../model/graph';
import { layerOfInstruction } from '../model/layerIndex';
import type { DockerfileModel, InstructionInfo, SizeFigure, Stage } from '../types';
import { compressedValue, formatBytes, formatFigure, formatShort } from './sizeText';

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
  if (model.image) out.push('', ...imageBlock(model));
  if (model.problems.length > 0) {
    out.push('', 'Problems:');
    for (const p of model.problems) out.push(`  line ${p.range.start.line + 1}  ${p.severity.padEnd(11)} ${p.code}  ${p.message}`);
  }
  return out.join('\n');
}

function stageBlock(model: DockerfileModel, stage: Stage): string[] {
  const base = stage.base.kind === 'image' ? stage.base.display || stage.base.raw : stage.base.kind === 'stage' ? `stage ${describeStage(model.stages[stage.base.stage]!)}` : 'scratch';
  const role = stage.isTarget ? 'target' : stage.used ? 'needed by the target' : 'unused: not built';
  const own = stage.layers.filter((l) => l.kind === 'filesystem').length;
  const total = stage.sizes ? ` · ${formatShort(stage.sizes.total)} in all` : '';
  const lines = [`Stage ${describeStage(stage)}  FROM ${base}${stage.platform ? ` (${stage.platform})` : ''}  · ${own} own layer${own === 1 ? '' : 's'}${total} · ${role}`];
  const sized = stage.sizes !== undefined;
  lines.push(`  ${'layer'.padEnd(6)}${'line'.padEnd(6)}${'kind'.padEnd(10)}${sized ? `${'size'.padStart(10)}  ${'gzip'.padStart(9)}  ${'source'.padEnd(9)}` : ''}instruction`);
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
  // FROM: its base group, the stage's first layer; otherwise an indexed lookup (linear tables on big files)
  const figure = (instruction.keyword === 'FROM' ? stage.layers.find((l) => l.instruction === instruction.index) : layerOfInstruction(stage, instruction.index))?.size;
  const sizeColumns = stage.sizes === undefined ? '' : figure
    ? `${formatShort(figure).padStart(10)}  ${gzipColumn(figure).padStart(9)}  ${SOURCE_SHORT[figure.source].padEnd(9)}`
    : `${''.padStart(10)}  ${''.padStart(9)}  ${''.padEnd(9)}`;
  return `  ${layer.padEnd(6)}${String(instruction.range.start.line + 1).padEnd(6)}${kind.padEnd(10)}${sizeColumns}${text}`;
}

/** Compressed bytes for the table: marked `+?` when a part is not known, `?` when none is. */
function gzipColumn(figure: SizeFigure): string {
  if (figure.compressed === null || figure.bytes === null || (figure.source === 'partial' && figure.compressed === 0)) return '?';
  return `${formatBytes(figure.compressed)}${figure.source === 'partial' ? '+?' : ''}`;
}

const SOURCE_SHORT: Record<SizeFigure['source'], string> = {
  exact: 'exact', bundled: 'bundled', registry: 'registry', engine: 'engine', estimate: 'estimate', unknown: 'unknown', partial: 'partial',
};

function imageBlock(model: DockerfileModel): string[] {
  const image = model.image!;
  const target = model.stages[model.target]!;
  const compressed = compressedValue(image.total);
  const lines = [
    `Image (stage ${describeStage(target)}): ${formatFigure(image.total)}${compressed ? `, ${compressed} compressed (what a push or pull ships)` : ''}`,
    `  wasted: ${formatBytes(image.wasted.bytes)} written and later deleted or overwritten · efficiency ${(image.wasted.efficiency * 100).toFixed(1)}%`,
  ];
  for (const item of image.wasted.items.slice(0, 5)) {
    const what = item.packages ? item.what : `${item.path} (${item.what})`;
    lines.push(`    ${formatBytes(item.bytes).padStart(9)}  ${what} from layer ${item.layer}, ${item.how} by layer ${item.removedBy}`);
  }
  lines.push('  sizes: exact = measured from the build context · bundled = shipped data (docker-library/repo-info) · estimate: ~ ranged, + open-ended · +? partial: the known parts, and parts not known · ? not known');
  return lines;
}
