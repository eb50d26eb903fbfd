import type { Problem, Stage } from '../types';
import type { ParsedInstruction } from './parse';

/**
 * What the analysis keeps of each stage from one version of a document to the next, so an edit
 * re-walks only the stages it touched (./analyze.ts) and the size pass re-sizes only those
 * (../sizes/sizeMemo.ts).
 *
 * A stage's walk reads its own instructions, its index, the global scope (escape character,
 * automatic and global ARGs, --build-arg values) and, when it is built FROM an earlier stage, what
 * that stage's walk left (its name, ARGs, ENV, directories, layer count: its "outcome"). When all
 * of these are those of the stage at the same index in the previous call, the previous walk is the
 * answer. Instructions compare by identity: ./chunks.ts hands out the same record for an unchanged
 * instruction. An edit that leaves a stage's outcome as it was does not reach the stages built on
 * it. Records placed elsewhere (lines inserted above) give the same walk with other positions: the
 * stage is walked again but keeps its content token, which is all the size pass (blind to
 * positions) compares.
 */
export interface WalkedStage<State> {
  /** as the walk left it: linkStages and closeStageRanges change a copy */
  stage: Stage;
  state: State;
  /** what the walk reported, in order */
  problems: Problem[];
}

interface Entry<State> {
  placed: readonly ParsedInstruction[];
  unplaced: readonly ParsedInstruction[];
  scope: string;
  /** the outcome token of the stage it is built on */
  parent: object | undefined;
  walked: WalkedStage<State>;
  /** the same object for walks that differ at most in positions */
  content: object;
  outcome: { key: string; token: object };
}

/** Which walk content a stage of a model came from (set on the stages a memo's run returns). */
const contentOfStage = new WeakMap<Stage, object>();

/**
 * An object that is the same for two stages (of two analyses through the same memo) whose walks
 * differ at most in positions; undefined for stages analysed without a memo.
 */
export function stageContent(stage: Stage): object | undefined {
  return contentOfStage.get(stage);
}

export class StageMemo<State> {
  private previous: Entry<State>[] = [];

  /**
   * @param outcome what a later stage built on this one reads of its walk, as a string
   */
  constructor(private readonly outcome: (walked: WalkedStage<State>) => string) {}

  /** One analysis: `scope` is the global scope, as a string. */
  start(scope: string): StageMemoRun<State> {
    const previous = this.previous;
    const current: Entry<State>[] = [];
    return {
      stage: (index, placed, unplaced, start, end, parent, walk) => {
        const parentOutcome = parent === undefined ? undefined : current[parent]?.outcome.token;
        const before = previous[index];
        const sameInputs = before !== undefined && before.scope === scope && before.parent === parentOutcome;
        let entry: Entry<State>;
        if (sameInputs && sameRecords(before.placed, placed, start, end)) entry = before;
        else {
          const walked = walk();
          const key = this.outcome(walked);
          entry = {
            placed: placed.slice(start, end),
            unplaced: unplaced.slice(start, end),
            scope,
            parent: parentOutcome,
            walked,
            content: sameInputs && sameRecords(before.unplaced, unplaced, start, end) ? before.content : {},
            outcome: before?.outcome.key === key ? before.outcome : { key, token: {} },
          };
        }
        current[index] = entry;
        const { stage, state, problems } = entry.walked;
        const copy: Stage = { ...stage, dependencies: [...stage.dependencies] };
        contentOfStage.set(copy, entry.content);
        return { stage: copy, state, problems };
      },
      finish: () => {
        this.previous = current;
      },
    };
  }
}

export interface StageMemoRun<State> {
  /**
   * The walk of the stage at `index` whose instructions are placed[start, end) (unplaced: the same
   * before placement), built FROM the stage at `parent` when one.
   */
  stage(
    index: number,
    placed: readonly ParsedInstruction[],
    unplaced: readonly ParsedInstruction[],
    start: number,
    end: number,
    parent: number | undefined,
    walk: () => WalkedStage<State>,
  ): WalkedStage<State>;
  /** The analysis is complete: its stages are what the next one compares with. */
  finish(): void;
}

function sameRecords(kept: readonly ParsedInstruction[], records: readonly ParsedInstruction[], start: number, end: number): boolean {
  if (kept.length !== end - start) return false;
  for (let i = 0; i < kept.length; i++) if (kept[i] !== records[start + i]) return false;
  return true;
}
