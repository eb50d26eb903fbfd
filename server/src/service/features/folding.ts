import type { FoldingRange } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../types';

/** One fold per stage, and one per multi-line instruction (continuations, heredocs). */
export function foldingRanges(model: DockerfileModel): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const stage of model.stages) {
    if (stage.range.end.line > stage.range.start.line) ranges.push({ startLine: stage.range.start.line, endLine: stage.range.end.line, kind: 'region' });
    for (const instruction of stage.instructions) {
      if (instruction.range.end.line > instruction.range.start.line) {
        ranges.push({ startLine: instruction.range.start.line, endLine: instruction.range.end.line });
      }
    }
  }
  return ranges;
}
