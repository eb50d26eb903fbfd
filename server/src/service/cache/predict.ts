import { describeStage } from '../model/graph';
import { say, type Locale, type Text } from '../explain';
import type { DockerfileModel, InstructionInfo, Layer, Range, Stage } from '../types';
import { referencedVariables } from '../model/expand';
import { layerNumbered, layerOfInstruction } from '../model/layerIndex';

/**
 * Which steps the next build reuses from BuildKit's cache, given what changed since the last
 * build. The rules are BuildKit's as verified on a real engine (DESIGN §3):
 * - a step is reused only if the step below it was, and its own inputs match;
 * - RUN's inputs: its text, and the environment it sees (ARG values declared before it in the
 *   stage, ENV, USER, WORKDIR, SHELL); COPY/ADD's: their text and the *content* of the files they
 *   read (after .dockerignore; mtime alone changes nothing); WORKDIR's: its path;
 * - LABEL, CMD, EXPOSE and other metadata never invalidate later steps;
 * - a `--build-arg` for an undeclared name changes nothing; stages the target does not need are
 *   not built at all;
 * - the Dockerfile is itself in the build context unless .dockerignore excludes it.
 */
export interface ChangeSet {
  /** build-context paths (posix, relative to the context root) whose content changed, appeared or went away */
  files?: readonly string[];
  /** names of build args whose value changed */
  buildArgs?: readonly string[];
  /** 0-based lines of the Dockerfile that changed (edited, inserted or deleted around) */
  editedLines?: readonly number[];
  /** the Dockerfile's own path in the context; with `editedLines`, COPYs that read it rebuild */
  dockerfile?: string;
}

export type MissCause =
  | { kind: 'instruction'; line: number }
  | { kind: 'file'; path: string }
  | { kind: 'build-arg'; name: string }
  | { kind: 'environment'; line: number; keyword: string }
  | { kind: 'below'; layer: number }
  | { kind: 'base'; what: string }
  | { kind: 'stage-output'; stage: number };

export interface StepPrediction {
  stage: number;
  instruction: number;
  range: Range;
  /** the layer the step makes (layer-making steps only) */
  layer?: number;
  reused: boolean;
  /** why it rebuilds: the first changed input */
  cause?: MissCause;
  reason?: string;
}

export interface StagePrediction {
  stage: number;
  /** false for stages the target does not need: BuildKit does not build them */
  built: boolean;
  steps: StepPrediction[];
  firstMiss?: StepPrediction;
  rebuilt: { layers: number; bytes: number; compressed: number; unknown: number };
  /** the stage's filesystem differs from the cached one after the build */
  outputChanged: boolean;
}

export interface RebuildPrediction {
  stages: StagePrediction[];
  /** the target image: layers reused and rebuilt (own and inherited), bytes rebuilt and to push */
  target?: { reused: number[]; rebuilt: number[]; bytes: number; pushBytes: number; unknownLayers: number };
}

/** Instructions whose change alters the environment later RUN steps execute in. */
const ENVIRONMENT = new Set(['ENV', 'ARG', 'USER', 'WORKDIR', 'SHELL']);

export function predictRebuild(model: DockerfileModel, changes: ChangeSet): RebuildPrediction {
  const edited = new Set(changes.editedLines ?? []);
  const files = [...(changes.files ?? [])];
  if (edited.size > 0 && changes.dockerfile) files.push(changes.dockerfile);
  const changedArgs = new Set(changes.buildArgs ?? []);
  const touched = (range: Range) => {
    for (let line = range.start.line; line <= range.end.line; line++) if (edited.has(line)) return true;
    return false;
  };
  const globalArgChanged = model.globalArgs.some((a) => changedArgs.has(a.name)) || model.preamble.some((i) => touched(i.range));

  const results: StagePrediction[] = [];
  const envChangedAtEnd: boolean[] = [];
  for (const stage of model.stages) {
    const steps: StepPrediction[] = [];
    let invalid: MissCause | undefined;
    let envChange: MissCause | undefined;
    const from = stage.instructions[0]!;
    if (stage.base.kind === 'stage') {
      const parent = results[stage.base.stage];
      if (parent?.outputChanged) invalid = { kind: 'stage-output', stage: stage.base.stage };
      if (envChangedAtEnd[stage.base.stage]) envChange = { kind: 'base', what: `the environment of stage ${describeStage(model.stages[stage.base.stage]!)}` };
    }
    if (touched(from.range)) invalid = { kind: 'instruction', line: from.range.start.line };
    else if (stage.base.kind === 'image' && globalArgChanged && referencedVariables(stage.base.raw).some((n) => changedArgs.has(n) || argEdited(model, n, touched))) {
      invalid = { kind: 'base', what: `the base image ${stage.base.raw}` };
    }
    steps.push({ stage: stage.index, instruction: 0, range: from.range, reused: !invalid, ...(invalid ? { cause: invalid } : {}) });

    for (const info of stage.instructions.slice(1)) {
      const layer = layerOfInstruction(stage, info.index);
      if (!layer) {
        // Metadata: never a cache miss of its own, but it may change what later RUNs see.
        if (ENVIRONMENT.has(info.keyword) && touched(info.range)) envChange ??= { kind: 'environment', line: info.range.start.line, keyword: info.keyword };
        if (info.keyword === 'ARG') {
          const name = declaredArgs(info).find((n) => changedArgs.has(n));
          if (name) envChange ??= { kind: 'build-arg', name };
        }
        steps.push({ stage: stage.index, instruction: info.index, range: info.range, reused: true });
        continue;
      }
      const cause = invalid ?? ownCause(info, layer, stage, touched, files, envChange, results);
      if (cause && !invalid) invalid = { kind: 'below', layer: layer.number };
      if (info.keyword === 'WORKDIR' && touched(info.range)) envChange ??= { kind: 'environment', line: info.range.start.line, keyword: 'WORKDIR' };
      steps.push({
        stage: stage.index,
        instruction: info.index,
        range: info.range,
        layer: layer.number,
        reused: !cause,
        ...(cause ? { cause } : {}),
      });
    }
    envChangedAtEnd[stage.index] = envChange !== undefined;
    results.push(summarise(stage, steps, invalid !== undefined));
  }
  // Unused stages are not built: nothing of theirs is rebuilt, whatever changed.
  for (const r of results) {
    if (!model.stages[r.stage]!.used) {
      r.built = false;
      r.steps = r.steps.map((s) => ({ stage: s.stage, instruction: s.instruction, range: s.range, ...(s.layer !== undefined ? { layer: s.layer } : {}), reused: true, reason: 'not built for the target' }));
      delete r.firstMiss;
      r.rebuilt = { layers: 0, bytes: 0, compressed: 0, unknown: 0 };
      r.outputChanged = false;
    }
  }
  for (const r of results) for (const step of r.steps) if (step.cause && !step.reason) step.reason = describeCause(step.cause, model);
  const target = model.stages[model.target];
  return { stages: results, ...(target ? { target: targetSummary(model, target, results) } : {}) };
}

/** The first own input of a layer-making step that changed, if any. */
function ownCause(
  info: InstructionInfo,
  layer: Layer,
  stage: Stage,
  touched: (range: Range) => boolean,
  files: string[],
  envChange: MissCause | undefined,
  results: StagePrediction[],
): MissCause | undefined {
  if (touched(info.range)) return { kind: 'instruction', line: info.range.start.line };
  if (info.keyword === 'RUN') {
    if (envChange) return envChange;
    for (const flag of info.flags) {
      if (flag.name !== 'mount') continue;
      const from = stage.dependencies.find((d) => d.instruction === info.index && d.kind === 'mount-from');
      if (from?.stage !== undefined && results[from.stage]?.outputChanged) return { kind: 'stage-output', stage: from.stage };
      if ((flag.options['type'] ?? 'bind') === 'bind' && !from) {
        const source = (flag.options['source'] ?? flag.options['src'] ?? '.').replace(/^\.?\//, '');
        const hit = files.find((f) => covers(source, f));
        if (hit) return { kind: 'file', path: hit };
      }
    }
  }
  if (info.keyword === 'COPY' || info.keyword === 'ADD') {
    const from = stage.dependencies.find((d) => d.instruction === info.index && d.kind === 'copy-from');
    if (from?.stage !== undefined) return results[from.stage]?.outputChanged ? { kind: 'stage-output', stage: from.stage } : undefined;
    if (from) return undefined; // an external image: its contents do not change with the project
    if (envChange?.kind === 'environment' && envChange.keyword === 'WORKDIR') return envChange;
    const hit = files.find((f) => (layer.inputs ?? []).some((input) => covers(input, f)));
    if (hit) return { kind: 'file', path: hit };
  }
  return undefined;
}

/** A changed path under an input (a file, or a folder the input copies entirely). */
function covers(input: string, path: string): boolean {
  const clean = input.replace(/^\.?\/?/, '').replace(/\/$/, '');
  return clean === '' || clean === '.' || path === clean || path.startsWith(`${clean}/`);
}

function declaredArgs(info: InstructionInfo): string[] {
  return info.args.split(/\s+/).filter(Boolean).map((w) => w.split('=')[0]!);
}

function argEdited(model: DockerfileModel, name: string, touched: (range: Range) => boolean): boolean {
  return model.preamble.some((i) => i.keyword === 'ARG' && touched(i.range) && declaredArgs(i).includes(name));
}

function summarise(stage: Stage, steps: StepPrediction[], outputChanged: boolean): StagePrediction {
  const firstMiss = steps.find((s) => !s.reused);
  let bytes = 0;
  let compressed = 0;
  let unknown = 0;
  let layers = 0;
  for (const step of steps) {
    if (step.reused || step.layer === undefined) continue;
    layers++;
    const size = layerNumbered(stage, step.layer)?.size;
    if (!size || size.bytes === null) unknown++;
    else {
      bytes += size.bytes;
      compressed += size.compressed ?? 0;
    }
  }
  return { stage: stage.index, built: true, steps, ...(firstMiss ? { firstMiss } : {}), rebuilt: { layers, bytes, compressed, unknown }, outputChanged };
}

/** The target's whole layer chain (inherited stages first): which layers are reused, which rebuilt. */
function targetSummary(model: DockerfileModel, target: Stage, results: StagePrediction[]) {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = target; s && !chain.includes(s); s = s.base.kind === 'stage' ? model.stages[s.base.stage] : undefined) chain.unshift(s);
  const reused: number[] = [];
  const rebuilt: number[] = [];
  let bytes = 0;
  let pushBytes = 0;
  let unknownLayers = 0;
  for (const stage of chain) {
    for (const step of results[stage.index]!.steps) {
      if (step.layer === undefined) continue;
      if (step.reused) {
        reused.push(step.layer);
        continue;
      }
      rebuilt.push(step.layer);
      const size = layerNumbered(stage, step.layer)?.size;
      if (!size || size.bytes === null) unknownLayers++;
      else {
        bytes += size.bytes;
        pushBytes += size.compressed ?? 0;
      }
    }
  }
  return { reused, rebuilt, bytes, pushBytes, unknownLayers };
}

const CAUSE_TEXT = {
  instruction: { en: 'line {line} changed', ko: '{line}번째 줄이 바뀜' },
  file: { en: '{path} changed', ko: '{path} 파일이 바뀜' },
  buildArg: { en: 'build arg {name} changed (RUN steps see it in their environment)', ko: '빌드 인자 {name}의 값이 바뀜 (RUN 단계는 환경에서 이 값을 봄)' },
  environment: { en: '{keyword} on line {line} changed what later RUN steps see', ko: '{line}번째 줄의 {keyword} 명령이 이후 RUN 단계가 보는 환경을 바꿈' },
  below: { en: 'layer {layer} below it rebuilds', ko: '아래에 있는 레이어 {layer}번이 다시 빌드됨' },
  baseImage: { en: 'the base image {image} changed', ko: '베이스 이미지({image})가 바뀜' },
  baseEnvironment: { en: 'the environment of stage {stage} changed', ko: '스테이지 {stage}의 환경이 바뀜' },
  stageOutput: {
    en: 'stage {stage} rebuilds (reused only if its output is byte-identical)',
    ko: '{stage} 스테이지가 다시 빌드됨 (출력이 바이트 단위로 같아야만 재사용)',
  },
} satisfies Record<string, Text>;

/**
 * Why a step rebuilds, in words. `stage` is the step's stage: a change of its base is told from it
 * in other languages (English keeps the words the prediction recorded).
 */
export function describeCause(cause: MissCause, model: DockerfileModel, locale: Locale = 'en', stage?: number): string {
  switch (cause.kind) {
    case 'instruction': return say(CAUSE_TEXT.instruction, locale, { line: cause.line + 1 });
    case 'file': return say(CAUSE_TEXT.file, locale, { path: cause.path });
    case 'build-arg': return say(CAUSE_TEXT.buildArg, locale, { name: cause.name });
    case 'environment': return say(CAUSE_TEXT.environment, locale, { keyword: cause.keyword, line: cause.line + 1 });
    case 'below': return say(CAUSE_TEXT.below, locale, { layer: cause.layer });
    case 'base': {
      const base = stage === undefined ? undefined : model.stages[stage]?.base;
      if (locale === 'en' || !base || base.kind === 'scratch') return `${cause.what} changed`;
      return base.kind === 'stage'
        ? say(CAUSE_TEXT.baseEnvironment, locale, { stage: describeStage(model.stages[base.stage] ?? { index: base.stage, name: base.name }) })
        : say(CAUSE_TEXT.baseImage, locale, { image: base.raw });
    }
    case 'stage-output': return say(CAUSE_TEXT.stageOutput, locale, { stage: describeStage(model.stages[cause.stage]!) });
  }
}

/** Why a predicted step rebuilds, in the user's language. */
export function rebuildReason(step: StepPrediction, model: DockerfileModel, locale: Locale): string {
  return step.cause && locale !== 'en' ? describeCause(step.cause, model, locale, step.stage) : step.reason ?? '';
}
