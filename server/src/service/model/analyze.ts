import { AUTOMATIC_PLATFORM_ARGS, instructionSpec } from '../data/instructions';
import { problem } from '../rules/table';
import type {
  AnalyzeOptions, ArgBinding, BaseRef, DockerfileModel, InstructionInfo, Problem, Range, Stage,
} from '../types';
import { expandVariables, MAX_EXPANSION_CHARS } from './expand';
import { parseImageReference } from './imageRef';
import { parseDockerfile, type ParsedDockerfile, type ParsedInstruction } from './parse';
import { applyFilesystemEffects, initialFilesystem, type StageFilesystem } from './filesystem';
import { instructionSummary } from './display';
import { describeStage, linkStages, type PendingReference } from './graph';
import type { StageMemo, WalkedStage } from './stageMemo';

/** Dockerfile text + build options in, the layer model out. Never throws on any text. */
export function analyzeDockerfile(text: string, options: AnalyzeOptions = {}): DockerfileModel {
  return analyzeParsed(parseDockerfile(text), options);
}

/**
 * The layer model of parsed text (parseDockerfile, or ./chunks.ts across edits). With a memo
 * (./stageMemo.ts), a stage whose instructions and inputs are those of the previous call is not
 * walked again.
 */
export function analyzeParsed(parsed: ParsedDockerfile, options: AnalyzeOptions = {}, memo?: StageMemo<StageState>): DockerfileModel {
  const { escapeChar } = parsed;
  const problems: Problem[] = parsed.unterminatedHeredocs.map((h) => problem('unterminated-heredoc', h.range, h.name, h.resumedAt));
  for (const cap of parsed.caps) {
    const line = parsed.lines[cap.line] ?? '';
    problems.push(problem('analysis-capped', { start: { line: cap.line, character: 0 }, end: { line: cap.line, character: Math.min(line.length, 200) } }, cap.kind, cap.limit));
  }
  const buildArgs = options.buildArgs ?? {};
  const globalScope = automaticArgs(options);

  const preamble: InstructionInfo[] = [];
  const globalArgs: ArgBinding[] = [];
  const records = parsed.instructions;
  let first = 0;
  for (; first < records.length && records[first]!.keyword !== 'FROM'; first++) {
    const instruction = records[first]!;
    const info = describe(instruction, preamble.length);
    if (instruction.keyword === 'ARG') {
      info.reason = 'global-arg';
      info.effect = 'none';
      for (const binding of declareArgs(instruction, buildArgs, globalScope, undefined, escapeChar, problems)) {
        globalArgs.push(binding);
        globalScope.set(binding.name, binding.value);
      }
    } else {
      info.effect = 'none';
    }
    preamble.push(info);
  }

  const stages: Stage[] = [];
  const stagesByName = new Map<string, Stage>();
  const stageStates: StageState[] = [];
  const run = memo?.start(JSON.stringify([escapeChar, [...globalScope], buildArgs]));
  for (let start = first; start < records.length; ) {
    let end = start + 1;
    while (end < records.length && records[end]!.keyword !== 'FROM') end++;
    const walk = () => walkStage(records.slice(start, end), stages, stagesByName, stageStates, globalScope, escapeChar, buildArgs);
    const walked = run
      ? run.stage(stages.length, records, parsed.unplaced ?? records, start, end, parentOf(records[start]!, stagesByName, globalScope, escapeChar)?.index, walk)
      : walk();
    problems.push(...walked.problems);
    const stage = walked.stage;
    stages.push(stage);
    // FROM <name> resolves to the first earlier stage of that name
    if (stage.name !== undefined && !stagesByName.has(stage.name)) stagesByName.set(stage.name, stage);
    stageStates.push(walked.state);
    start = end;
  }
  run?.finish();

  closeStageRanges(stages, parsed);
  const target = linkStages(stages, stageStates.map((s) => s.pendingRefs), options.target, problems);
  return { directives: parsed.directives, escapeChar, globalArgs, preamble, stages, target, problems };
}

/** What a stage built FROM a walked one reads of it (see StageMemo). */
export function stageOutcome({ stage, state }: WalkedStage<StageState>): string {
  return JSON.stringify([stage.index, stage.name, state.nextLayer, [...state.args], [...state.env], state.fs.key()]);
}

/** One stage: its FROM and the instructions up to the next FROM. */
function walkStage(
  records: ParsedInstruction[],
  stages: Stage[],
  stagesByName: ReadonlyMap<string, Stage>,
  stageStates: StageState[],
  globalScope: Map<string, string | undefined>,
  escapeChar: string,
  buildArgs: Record<string, string>,
): WalkedStage<StageState> {
  const problems: Problem[] = [];
  const state = startStage(records[0]!, stages, stagesByName, stageStates, globalScope, escapeChar, problems);
  for (let i = 1; i < records.length; i++) addInstruction(state, records[i]!, escapeChar, buildArgs, globalScope, problems);
  return { stage: state.stage, state, problems };
}

/** The earlier stage a FROM builds on, when its image names one. */
function parentOf(from: ParsedInstruction, stagesByName: ReadonlyMap<string, Stage>, globalScope: Map<string, string | undefined>, escapeChar: string): Stage | undefined {
  const rawImage = from.args.split(/\s+/).filter(Boolean)[0] ?? '';
  return stagesByName.get(expandVariables(rawImage, (name) => globalScope.get(name), escapeChar).value.toLowerCase());
}

/** What the model needs while walking one stage. */
export interface StageState {
  stage: Stage;
  /** ARG values visible in the stage (declared in it) */
  args: Map<string, string | undefined>;
  env: Map<string, string>;
  fs: StageFilesystem;
  nextLayer: number;
  /** references to resolve once every stage is known */
  pendingRefs: PendingReference[];
}

function automaticArgs(options: AnalyzeOptions): Map<string, string | undefined> {
  const target = options.targetPlatform ?? 'linux/amd64';
  const build = options.buildPlatform ?? target;
  const split = (p: string) => {
    const [os = '', arch = '', variant = ''] = p.split('/');
    return { os, arch, variant };
  };
  const t = split(target);
  const b = split(build);
  const values: Record<(typeof AUTOMATIC_PLATFORM_ARGS)[number], string> = {
    TARGETPLATFORM: target, TARGETOS: t.os, TARGETARCH: t.arch, TARGETVARIANT: t.variant,
    BUILDPLATFORM: build, BUILDOS: b.os, BUILDARCH: b.arch, BUILDVARIANT: b.variant,
  };
  return new Map(Object.entries(values));
}

function describe(instruction: ParsedInstruction, index: number): InstructionInfo {
  const spec = instructionSpec(instruction.keyword);
  return {
    index,
    keyword: instruction.keyword,
    range: instruction.range,
    keywordRange: instruction.keywordRange,
    text: instruction.text,
    args: instruction.args,
    flags: instruction.flags,
    heredocs: instruction.heredocs,
    effect: spec.effect,
    reason: spec.reason,
  };
}

function startStage(
  from: ParsedInstruction,
  stages: Stage[],
  stagesByName: ReadonlyMap<string, Stage>,
  states: StageState[],
  globalScope: Map<string, string | undefined>,
  escapeChar: string,
  problems: Problem[],
): StageState {
  const info = describe(from, 0);
  const lookup = (name: string) => globalScope.get(name);
  const words = info.args.split(/\s+/).filter(Boolean);
  const rawImage = words[0] ?? '';
  const asIndex = words.findIndex((w) => w.toLowerCase() === 'as');
  const rawName = asIndex >= 0 ? words[asIndex + 1] : undefined;
  const expanded = expandVariables(rawImage, lookup, escapeChar);
  const imageRange = from.imageRange ?? info.range;

  let base: BaseRef;
  const parent = parentOf(from, stagesByName, globalScope, escapeChar);
  if (expanded.value.toLowerCase() === 'scratch') {
    base = { kind: 'scratch' };
    info.reason = 'base-scratch';
  } else if (parent) {
    base = { kind: 'stage', stage: parent.index, name: parent.name! };
    info.reason = 'base-stage';
  } else {
    base = { kind: 'image', unresolvedVariables: expanded.unresolved, ...parseImageReference(rawImage, expanded.value) };
    if (expanded.value.trim() === '') problems.push(problem('empty-base-image', imageRange, rawImage));
    else if (expanded.unresolved.length > 0) {
      problems.push(problem('unresolved-from-arg', imageRange, expanded.unresolved.map((n) => `$${n}`).join(', '), expanded.value));
    }
  }

  const platformFlag = info.flags.find((f) => f.name === 'platform');
  const platform = platformFlag?.value ? expandVariables(platformFlag.value, lookup, escapeChar).value : undefined;
  const nameRange = from.stageNameRange ?? undefined;
  const stage: Stage = {
    index: stages.length,
    ...(rawName ? { name: rawName.toLowerCase() } : {}),
    ...(nameRange ? { nameRange } : {}),
    range: info.range,
    base,
    ...(platform ? { platform } : {}),
    instructions: [info],
    layers: [],
    dependencies: [],
    args: [],
    used: false,
    isTarget: false,
  };
  const parentState = parent ? states[parent.index] : undefined;
  const state: StageState = {
    stage,
    args: new Map(parentState?.args ?? []),
    env: new Map(parentState?.env ?? []),
    fs: parentState ? parentState.fs.clone() : initialFilesystem(base.kind === 'scratch' ? 'scratch' : 'image'),
    nextLayer: parentState ? parentState.nextLayer : 1,
    pendingRefs: [],
  };
  if (base.kind === 'stage') {
    stage.dependencies.push({ kind: 'from', stage: base.stage, reference: rawImage, instruction: 0, range: imageRange });
    stage.layers.push({ kind: 'stage', number: 0, stage: stage.index, instruction: 0, label: `all layers of stage ${describeStage(stages[base.stage]!)}` });
  } else if (base.kind === 'image') {
    stage.layers.push({ kind: 'base', number: 0, stage: stage.index, instruction: 0, label: `base image ${base.display}` });
  }
  return state;
}

function addInstruction(
  state: StageState,
  instruction: ParsedInstruction,
  escapeChar: string,
  buildArgs: Record<string, string>,
  globalScope: Map<string, string | undefined>,
  problems: Problem[],
): void {
  const { stage } = state;
  const info = describe(instruction, stage.instructions.length);
  stage.instructions.push(info);
  const lookup = (name: string) => state.env.get(name) ?? state.args.get(name);

  switch (info.keyword) {
    case 'ARG':
      for (const binding of declareArgs(instruction, buildArgs, globalScope, lookup, escapeChar, problems)) {
        state.args.set(binding.name, binding.value);
        const existing = stage.args.findIndex((a) => a.name === binding.name);
        if (existing >= 0) stage.args.splice(existing, 1);
        stage.args.push(binding);
      }
      break;
    case 'ENV': {
      // BuildKit expands every value of one ENV against the variables before it: `ENV A=2 B=$A`
      // gives B the previous A.
      const values = (instruction.envPairs ?? []).map((pair) => {
        const expanded = expandVariables(pair.value, lookup, escapeChar);
        if (expanded.truncated) problems.push(problem('expansion-too-long', info.range, pair.name, MAX_EXPANSION_CHARS));
        return [pair.name, expanded.value] as const;
      });
      for (const [name, value] of values) state.env.set(name, value);
      break;
    }
    default:
      break;
  }

  for (const flag of info.flags) {
    if (info.keyword === 'COPY' && flag.name === 'from' && flag.value) {
      state.pendingRefs.push({ kind: 'copy-from', reference: expandVariables(flag.value, lookup, escapeChar).value, instruction: info.index, range: flag.range });
    }
    if (info.keyword === 'RUN' && flag.name === 'mount' && flag.options['from']) {
      state.pendingRefs.push({ kind: 'mount-from', reference: expandVariables(flag.options['from'], lookup, escapeChar).value, instruction: info.index, range: flag.range });
    }
  }

  info.workdir = state.fs.workdir;
  info.argsInScope = [...state.args.keys()];
  applyFilesystemEffects(info, state.fs, (t) => expandVariables(t, lookup, escapeChar).value);
  if (info.effect === 'filesystem') {
    info.layer = state.nextLayer++;
    stage.layers.push({ kind: 'filesystem', number: info.layer, stage: stage.index, instruction: info.index, label: instructionSummary(info, 60) });
  }
}

/** `ARG A=1 B`: each name's value after defaults, `--build-arg` and global defaults. */
function declareArgs(
  instruction: ParsedInstruction,
  buildArgs: Record<string, string>,
  globalScope: Map<string, string | undefined>,
  stageLookup: ((name: string) => string | undefined) | undefined,
  escapeChar: string,
  problems: Problem[],
): ArgBinding[] {
  const bindings: ArgBinding[] = [];
  const inStage = stageLookup !== undefined;
  const local = new Map<string, string | undefined>();
  const lookup = (name: string) => (local.has(name) ? local.get(name) : inStage ? stageLookup!(name) : globalScope.get(name));
  for (const { name, value: rawDefault, range } of instruction.argDeclarations ?? []) {
    let binding: ArgBinding;
    if (Object.prototype.hasOwnProperty.call(buildArgs, name)) {
      binding = { name, value: buildArgs[name], origin: 'build-arg', range };
    } else if (rawDefault !== null) {
      const expanded = expandVariables(rawDefault, lookup, escapeChar);
      if (expanded.truncated) problems.push(problem('expansion-too-long', range, name, MAX_EXPANSION_CHARS));
      binding = { name, value: expanded.value, origin: 'default', range };
    } else if (globalScope.get(name) !== undefined) {
      // a bare `ARG X` keeps the value X already has in the global scope (automatic platform
      // args included), in a stage and before the first FROM alike
      const predefined = (AUTOMATIC_PLATFORM_ARGS as readonly string[]).includes(name);
      binding = { name, value: globalScope.get(name), origin: predefined ? 'predefined' : 'global', range };
    } else {
      binding = { name, value: undefined, origin: 'unset', range };
    }
    local.set(name, binding.value);
    bindings.push(binding);
  }
  return bindings;
}

/** A stage runs from its FROM to the line before the next FROM (comments included). */
function closeStageRanges(stages: Stage[], parsed: ParsedDockerfile): void {
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i]!;
    const last = stage.instructions[stage.instructions.length - 1]!;
    const next = stages[i + 1];
    const end = next ? lastContentBefore(parsed.lines, next.range.start.line, last.range.end) : last.range.end;
    stage.range = { start: stage.range.start, end };
  }
}

function lastContentBefore(lines: string[], line: number, fallback: Range['end']): Range['end'] {
  for (let l = line - 1; l > fallback.line; l--) {
    const text = lines[l] ?? '';
    if (text.trim() !== '') return { line: l, character: text.length };
  }
  return fallback;
}
