import { problem } from '../rules/table';
import type { Problem, Range, Stage } from '../types';

export interface PendingReference {
  kind: 'copy-from' | 'mount-from';
  reference: string;
  instruction: number;
  range: Range;
}

export function describeStage(stage: Pick<Stage, 'index' | 'name'>): string {
  return stage.name ? `'${stage.name}'` : `#${stage.index}`;
}

/**
 * Resolves COPY --from and RUN --mount from= references, picks the target, marks the stages the
 * target needs (BuildKit builds only those) and reports graph problems. Returns the target index.
 */
export function linkStages(stages: Stage[], pending: PendingReference[][], requestedTarget: string | undefined, problems: Problem[]): number {
  const firstByName = new Map<string, number>();
  for (const stage of stages) {
    if (stage.name === undefined) continue;
    const first = firstByName.get(stage.name);
    if (first === undefined) firstByName.set(stage.name, stage.index);
    else problems.push(problem('duplicate-stage-name', stage.nameRange ?? stage.range, stage.name, first));
  }

  stages.forEach((stage, i) => {
    for (const ref of pending[i] ?? []) {
      const target = resolveReference(ref.reference, firstByName, stages.length);
      if (target === 'bad-index') {
        problems.push(problem('unknown-stage', ref.range, ref.reference, stages.length));
        continue;
      }
      if (target === undefined) {
        if (/^[a-z0-9_-]+$/i.test(ref.reference) && !/^\d+$/.test(ref.reference)) problems.push(problem('stage-or-image', ref.range, ref.reference));
        stage.dependencies.push({ kind: ref.kind, image: ref.reference, reference: ref.reference, instruction: ref.instruction, range: ref.range });
        continue;
      }
      if (target === stage.index) problems.push(problem('self-reference', ref.range, ref.reference));
      else if (target > stage.index) problems.push(problem('later-stage-reference', ref.range, ref.reference, target));
      stage.dependencies.push({ kind: ref.kind, stage: target, reference: ref.reference, instruction: ref.instruction, range: ref.range });
    }
  });

  reportCycles(stages, problems);
  if (stages.length === 0) return -1;

  let target = stages.length - 1;
  if (requestedTarget !== undefined && requestedTarget !== '') {
    const byName = firstByName.get(requestedTarget.toLowerCase());
    const byIndex = /^\d+$/.test(requestedTarget) ? Number(requestedTarget) : undefined;
    if (byName !== undefined) target = byName;
    else if (byIndex !== undefined && byIndex < stages.length) target = byIndex;
    else problems.push(problem('unknown-target', stages[target]!.instructions[0]!.keywordRange, requestedTarget));
  }
  stages[target]!.isTarget = true;

  const queue = [target];
  while (queue.length > 0) {
    const stage = stages[queue.pop()!]!;
    if (stage.used) continue;
    stage.used = true;
    for (const dep of stage.dependencies) if (dep.stage !== undefined && !stages[dep.stage]!.used) queue.push(dep.stage);
  }
  const targetLabel = describeStage(stages[target]!);
  for (const stage of stages) {
    if (!stage.used) problems.push(problem('unused-stage', stage.instructions[0]!.keywordRange, describeStage(stage), targetLabel));
  }
  return target;
}

function resolveReference(reference: string, byName: Map<string, number>, count: number): number | 'bad-index' | undefined {
  if (/^\d+$/.test(reference)) {
    const index = Number(reference);
    return index < count ? index : 'bad-index';
  }
  return byName.get(reference.toLowerCase());
}

/** Depth-first search without recursion: a generated file may chain thousands of stages. */
function reportCycles(stages: Stage[], problems: Problem[]): void {
  const state = new Array<0 | 1 | 2>(stages.length).fill(0);
  for (let root = 0; root < stages.length; root++) {
    if (state[root] !== 0) continue;
    const path: { stage: number; next: number }[] = [{ stage: root, next: 0 }];
    state[root] = 1;
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const deps = stages[top.stage]!.dependencies;
      if (top.next >= deps.length) {
        state[top.stage] = 2;
        path.pop();
        continue;
      }
      const dep = deps[top.next++]!;
      if (dep.stage === undefined || dep.stage === top.stage) continue;
      if (state[dep.stage] === 1) {
        const members = path.map((p) => p.stage);
        const cycle = members.slice(members.indexOf(dep.stage)).concat(dep.stage).map((s) => describeStage(stages[s]!));
        problems.push(problem('stage-cycle', dep.range, cycle.join(' → ')));
      } else if (state[dep.stage] === 0) {
        state[dep.stage] = 1;
        path.push({ stage: dep.stage, next: 0 });
      }
    }
  }
}
