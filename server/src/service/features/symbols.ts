import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { instructionSummary } from '../model/display';
import { describeStage } from '../model/graph';
import type { DockerfileModel, InstructionInfo } from '../types';

/** Outline: stages, each with its instructions; layer-making ones carry their layer number. */
export function documentSymbols(model: DockerfileModel): DocumentSymbol[] {
  const preamble = model.preamble.map(instructionSymbol);
  const stages = model.stages.map((stage): DocumentSymbol => {
    const base = stage.base.kind === 'image' ? stage.base.display : stage.base.kind === 'stage' ? `stage ${describeStage(model.stages[stage.base.stage]!)}` : 'scratch';
    const layers = stage.layers.filter((l) => l.kind === 'filesystem').length;
    return {
      name: `stage ${describeStage(stage)}`,
      detail: `FROM ${base} · ${layers} layer${layers === 1 ? '' : 's'}${stage.isTarget ? ' · target' : stage.used ? '' : ' · unused'}`,
      kind: SymbolKind.Class,
      range: stage.range,
      selectionRange: stage.nameRange ?? stage.instructions[0]!.keywordRange,
      children: stage.instructions.slice(1).map(instructionSymbol),
    };
  });
  return [...preamble, ...stages];
}

function instructionSymbol(instruction: InstructionInfo): DocumentSymbol {
  return {
    name: instructionSummary(instruction, 60),
    detail: instruction.layer !== undefined ? `layer ${instruction.layer}` : instruction.effect === 'metadata' ? 'metadata' : '',
    kind: instruction.effect === 'filesystem' ? SymbolKind.Field : SymbolKind.Property,
    range: instruction.range,
    selectionRange: instruction.keywordRange,
  };
}
