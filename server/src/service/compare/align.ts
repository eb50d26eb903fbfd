import { english, message, NoteList, type Message } from '../sizes/messages';
import { describeStage } from '../model/graph';
import { instructionSummary } from '../model/display';
import type { DockerfileModel, InstructionInfo, Stage } from '../types';
import type { BuiltImage } from './image';
import { argsSeen, matchEntry, readHistory, type HistoryText } from './history';

/**
 * Lines up a built image's history with the instructions of the target's stages (the stages it
 * is built FROM first, as the image stacks them): the base image's entries come first, then one
 * entry per instruction after each FROM (metadata ones included, global ARGs not). The image
 * may come from another version of the file, so this is a sequence alignment (fewest edits), not
 * a walk: instructions added since, entries of instructions removed since, and instructions whose
 * text changed are reported, never guessed around. The base image's entries are whatever history
 * precedes the first aligned entry (bounded by the base's layer count, or exactly `baseEntries`,
 * when the caller knows them).
 */
export type AlignKind =
  /** recorded as written now */
  | 'same'
  /** same keyword at this place, other text: the instruction changed since the build */
  | 'edited'
  /** an instruction the image has no entry for: added since the build */
  | 'added'
  /** a history entry no instruction matches: removed since the build (or another file) */
  | 'removed';

export interface AlignedEntry {
  kind: AlignKind;
  /** the instruction (same, edited, added) */
  stage?: number;
  instruction?: number;
  /** the history entry (same, edited, removed) */
  history?: number;
  /** RUN: build args whose recorded value differs from the value now */
  buildArgs?: string[];
}

export type Verdict =
  /** every instruction is recorded as written now */
  | 'aligned'
  /** the same file, edited since the build */
  | 'changed'
  /** too little in common: built from another file (or another target) */
  | 'unrelated';

export interface Alignment {
  verdict: Verdict;
  /** history entries of the base image, before the Dockerfile's own */
  baseEntries: number;
  /** the Dockerfile's own part, in image order */
  entries: AlignedEntry[];
  /** one line per entry that does not align as written, for reports */
  problems: string[];
  /** the problems as catalog messages, index-aligned, for the editor's language */
  problemMessages: Message[];
}

interface Expected {
  stage: Stage;
  info: InstructionInfo;
}

/** The target and the stages it is built FROM, the first one first: the stages the image stacks. */
export function targetChain(model: DockerfileModel): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = model.stages[model.target]; s && !chain.includes(s); s = s.base.kind === 'stage' ? model.stages[s.base.stage] : undefined) chain.unshift(s);
  return chain;
}

/** The instructions that leave a history entry, for the target and the stages it is built FROM. */
export function expectedEntries(model: DockerfileModel): Expected[] {
  return targetChain(model).flatMap((stage) => stage.instructions.slice(1).filter((i) => i.effect !== 'none').map((info) => ({ stage, info })));
}

const GAP = 1;
/** an edit costs more than one gap and less than two: a removed entry beside an unchanged one reads as a removal, not an edit */
const EDIT = 1.5;
/** cells of the alignment table at most: far beyond any real file against any real image */
const MAX_CELLS = 4_000_000;

export function align(model: DockerfileModel, image: BuiltImage, options: { baseEntries?: number; baseLayers?: number } = {}): Alignment {
  const expected = expectedEntries(model);
  const names = [...new Set(model.stages.flatMap((s) => s.args.map((a) => a.name)))];
  const texts: HistoryText[] = image.history.map((h) => readHistory(h.createdBy, names));
  const n = expected.length;
  const m = texts.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    const tooMany = message('alignTooMany', { n, m });
    return { verdict: 'unrelated', baseEntries: 0, entries: [], problems: [english(tooMany)], problemMessages: [tooMany] };
  }
  // The base image's entries are history[0..b) for some b in [lo, hi]: exactly baseEntries when
  // given; with the base's layer count known, from just after its last layer to the next layer.
  let lo = 0;
  let hi = m;
  if (options.baseEntries !== undefined) lo = hi = Math.min(Math.max(0, options.baseEntries), m);
  else if (options.baseLayers !== undefined && options.baseLayers > 0) {
    const last = image.history.findIndex((h) => h.layer === options.baseLayers! - 1);
    const next = image.history.findIndex((h) => h.layer === options.baseLayers);
    if (last >= 0) {
      lo = last + 1;
      hi = next >= 0 ? next : m;
    }
  }
  const match = (i: number, j: number) => matchEntry(expected[i]!.info, texts[j]!);

  // cost[i][j]: expected[0..i) aligned with history[..j), history[0..b) being the base image's.
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  for (let j = lo; j <= m; j++) cost[0]![j] = j <= hi ? 0 : (j - hi) * GAP;
  for (let i = 1; i <= n; i++) {
    for (let j = lo; j <= m; j++) {
      let best = cost[i - 1]![j]! + GAP; // added since the build
      if (j > lo) {
        best = Math.min(best, cost[i]![j - 1]! + GAP); // removed since the build
        const kind = match(i - 1, j - 1);
        if (kind) best = Math.min(best, cost[i - 1]![j - 1]! + (kind === 'same' ? 0 : EDIT));
      }
      cost[i]![j] = best;
    }
  }

  // Walk back from the end, preferring matches, then removals, then additions.
  const entries: AlignedEntry[] = [];
  let i = n;
  let j = m;
  while (i > 0) {
    const here = cost[i]![j]!;
    const kind = j > lo ? match(i - 1, j - 1) : null;
    if (kind && here === cost[i - 1]![j - 1]! + (kind === 'same' ? 0 : EDIT)) {
      entries.push(matched(expected[i - 1]!, j - 1, kind, texts[j - 1]!));
      i--;
      j--;
    } else if (j > lo && here === cost[i]![j - 1]! + GAP) {
      entries.push({ kind: 'removed', history: j - 1 });
      j--;
    } else {
      entries.push({ kind: 'added', stage: expected[i - 1]!.stage.index, instruction: expected[i - 1]!.info.index });
      i--;
    }
  }
  const baseEntries = Math.min(j, hi);
  // history between the base and the first aligned entry is the Dockerfile's (removed since)
  for (let k = j - 1; k >= baseEntries; k--) entries.push({ kind: 'removed', history: k });
  entries.reverse();

  const same = entries.filter((e) => e.kind === 'same').length;
  const layered = expected.filter((e) => e.info.effect === 'filesystem');
  const layeredSame = entries.filter((e) => e.kind === 'same' && expected.find((x) => x.stage.index === e.stage && x.info.index === e.instruction)?.info.effect === 'filesystem').length;
  const verdict: Verdict = same === n && entries.length === n
    ? 'aligned'
    : same === 0 || layeredSame * 2 < layered.length ? 'unrelated' : 'changed';
  const problems = describeProblems(model, image, entries, texts);
  return { verdict, baseEntries, entries, problems: problems.notes, problemMessages: problems.messages };
}

function matched(expected: Expected, history: number, kind: 'same' | 'edited', text: HistoryText): AlignedEntry {
  const entry: AlignedEntry = { kind, stage: expected.stage.index, instruction: expected.info.index, history };
  if (expected.info.keyword === 'RUN' && text.buildArgs) {
    const now = argsSeen(expected.info, expected.stage);
    const differ = Object.keys(text.buildArgs).filter((name) => name in now && now[name] !== text.buildArgs![name]);
    if (differ.length > 0) entry.buildArgs = differ.sort();
  }
  return entry;
}

function describeProblems(model: DockerfileModel, image: BuiltImage, entries: AlignedEntry[], texts: HistoryText[]): NoteList {
  const where = (e: AlignedEntry) => {
    const stage = model.stages[e.stage!]!;
    const info = stage.instructions[e.instruction!]!;
    const inStage = model.stages.length > 1 ? message('alignWhereStage', { stage: describeStage(stage) }) : '';
    return message('alignWhere', { line: info.range.start.line + 1, instruction: instructionSummary(info, 50), stage: inStage });
  };
  const recorded = (index: number) => {
    const t = texts[index]!;
    const text = `${t.keyword} ${t.body}`.replace(/\s+/g, ' ').trim() || image.history[index]!.createdBy;
    if (!text) return message('noText');
    return text.length > 70 ? `${text.slice(0, 69)}…` : text;
  };
  const out = new NoteList();
  for (const e of entries) {
    if (e.kind === 'edited') out.add(message('alignEdited', { where: where(e), recorded: recorded(e.history!) }));
    else if (e.kind === 'added') out.add(message('alignAdded', { where: where(e) }));
    else if (e.kind === 'removed') out.add(message('alignRemoved', { recorded: recorded(e.history!) }));
    if (e.buildArgs) out.add(message('alignBuildArgs', { where: where(e), args: e.buildArgs.join(', ') }));
  }
  return out;
}
