import type { DockerfileModel, InstructionInfo, Position, Range, Stage } from '../types';

export function contains(range: Range, position: Position): boolean {
  const { start, end } = range;
  if (position.line < start.line || position.line > end.line) return false;
  if (position.line === start.line && position.character < start.character) return false;
  if (position.line === end.line && position.character > end.character) return false;
  return true;
}

export interface Located {
  instruction: InstructionInfo;
  /** undefined for instructions before the first FROM */
  stage?: Stage;
}

/** The instruction under a position, with its stage. Binary search: stages and instructions are in file order. */
export function instructionAt(model: DockerfileModel, position: Position): Located | undefined {
  const pre = model.preamble.find((i) => contains(i.range, position));
  if (pre) return { instruction: pre };
  const stage = lastStartingBefore(model.stages, position, (s) => s.range.start);
  if (!stage) return undefined;
  const instruction = lastStartingBefore(stage.instructions, position, (i) => i.range.start);
  if (!instruction || !contains(instruction.range, position)) return undefined;
  return { instruction, stage };
}

function lastStartingBefore<T>(items: T[], position: Position, startOf: (item: T) => Position): T | undefined {
  let lo = 0;
  let hi = items.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = startOf(items[mid]!);
    if (start.line < position.line || (start.line === position.line && start.character <= position.character)) {
      found = items[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
