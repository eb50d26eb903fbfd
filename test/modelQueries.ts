import assert from 'node:assert/strict';
import type { DockerfileModel, InstructionInfo } from '../server/src/service/types';

/** The nth instruction with a keyword in a stage; fails the test when there is none. */
export function instr(model: DockerfileModel, stage: number, keyword: string, nth = 0): InstructionInfo {
  const found = model.stages[stage]?.instructions.filter((i) => i.keyword === keyword)[nth];
  assert.ok(found, `stage ${stage} has no ${keyword} #${nth}`);
  return found;
}

/** Rule names of the model's problems, in order. */
export const rules = (model: DockerfileModel) => model.problems.map((p) => p.rule);
