import type { SizeFigure } from './sizes/types';
import type { RebuildPrediction } from './cache/predict';
import type { LayerBreakdown } from './sizes/breakdown';
import type { Message } from './sizes/messages';
import type { Text } from './explain';

export type { SizeFigure, SizeSource } from './sizes/types';
export type { BreakdownEntry, BreakdownEntryKind, BreakdownFlag, LayerBreakdown, PackageRole } from './sizes/breakdown';

/**
 * The plain data the analysis core produces. No vscode, no LSP connection: these objects travel as
 * JSON to the client, the webview and the CLI unchanged.
 */

export interface Position {
  /** 0-based line */
  line: number;
  /** 0-based UTF-16 column */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface AnalyzeOptions {
  /** Stage name or index to build; the last stage when absent. */
  target?: string;
  /** `--build-arg K=V` values. */
  buildArgs?: Record<string, string>;
  /** Platform the build runs for (TARGETPLATFORM); linux/amd64 when absent. */
  targetPlatform?: string;
  /** Platform the builder runs on (BUILDPLATFORM); same as the target when absent. */
  buildPlatform?: string;
}

/** What an instruction contributes to the image, following BuildKit. */
export type LayerEffect =
  /** writes files: a new filesystem layer */
  | 'filesystem'
  /** changes the image config only: a history entry with empty_layer */
  | 'metadata'
  /** starts a stage (FROM) or leaves no trace in the image (global ARG, parse errors) */
  | 'none';

/** Why an instruction has the effect it has: a stable id the explain texts key on. */
export type EffectReason =
  | 'base-image'
  | 'base-stage'
  | 'base-scratch'
  | 'runs-command'
  | 'copies-files'
  | 'adds-files'
  | 'workdir-creates'
  | 'workdir-exists'
  | 'workdir-root'
  | 'sets-metadata'
  | 'declares-arg'
  | 'global-arg'
  | 'onbuild-trigger'
  | 'unknown-instruction';

export interface Directive {
  name: string;
  value: string;
  range: Range;
}

export interface HeredocInfo {
  name: string;
  /** the heredoc's whole extent: from its `<<NAME` marker to its closing delimiter */
  range: Range;
  terminated: boolean;
}

/** A `--name=value` flag on an instruction; `options` splits `a=b,c=d` values (e.g. --mount). */
export interface FlagInfo {
  name: string;
  value: string | null;
  options: Record<string, string | null>;
  range: Range;
}

export interface InstructionInfo {
  /** index in its stage's `instructions` (the FROM is 0) */
  index: number;
  /** upper-case keyword as written (`RUN`, `COPY`...) */
  keyword: string;
  range: Range;
  keywordRange: Range;
  /** the instruction's source text, continuation lines included */
  text: string;
  /** text of the arguments after flags, without heredoc bodies, with continuations joined */
  args: string;
  flags: FlagInfo[];
  heredocs: HeredocInfo[];
  effect: LayerEffect;
  reason: EffectReason;
  /** number of the layer this instruction makes, when effect is 'filesystem' */
  layer?: number;
  /** the working directory the instruction runs in (before a WORKDIR changes it) */
  workdir?: string;
  /** build args declared in the stage before this instruction: RUN sees them in its environment */
  argsInScope?: string[];
}

export type ImageReference = {
  /** text as written in the Dockerfile */
  raw: string;
  /** after ARG expansion */
  resolved: string;
  registry?: string;
  /** repository path without registry, e.g. `library/node` for Docker Hub's official images */
  repository: string;
  tag?: string;
  digest?: string;
  /** short display form: `node:22`, `ghcr.io/x/y:1` */
  display: string;
};

export type BaseRef =
  | { kind: 'scratch' }
  | { kind: 'stage'; stage: number; name: string }
  | ({ kind: 'image'; unresolvedVariables: string[] } & ImageReference);

export type DependencyKind = 'from' | 'copy-from' | 'mount-from';

/** An edge of the stage graph: what a stage reads from another stage or an external image. */
export interface StageDependency {
  kind: DependencyKind;
  /** index of the stage read, when it is a stage */
  stage?: number;
  /** the external image read, when it is not a stage */
  image?: string;
  /** the reference as written */
  reference: string;
  /** instruction index in the dependent stage */
  instruction: number;
  range: Range;
}

export type LayerKind =
  /** the base image's layers, as one group (sizes come from the size engine) */
  | 'base'
  /** every layer of the stage this stage is built FROM */
  | 'stage'
  /** a layer made by one of this stage's instructions */
  | 'filesystem';

export interface Layer {
  kind: LayerKind;
  /**
   * Position in the image, oldest first as `docker history` lists it bottom-up: the base group is
   * 0, own layers count from 1 and continue the numbering of a parent stage.
   */
  number: number;
  stage: number;
  /** instruction index in the stage (the FROM for base/stage groups) */
  instruction: number;
  /** short description for tables */
  label: string;
  /** on disk and compressed, with where the figure comes from (set by the size pass) */
  size?: SizeFigure;
  /** what the size pass noticed about this layer (caches left behind, guessed packages…) */
  notes?: string[];
  /** the same notes as messages of the size catalog, index-aligned (null: a note from outside the catalog) */
  noteMessages?: (Message | null)[];
  /** build-context paths (files or folders) this layer reads: its cache key's content part */
  inputs?: string[];
  /** figures the size pass found that the practice rules quantify their advice with */
  facts?: LayerFacts;
  /** what the layer is made of, largest first (set by the size pass when it knows) */
  breakdown?: LayerBreakdown;
  /** RUN: the estimators behind the figure (`apt`, `npm+build`), for how far to trust it */
  estimator?: string;
  /** the same layer in the last build, when a built image of this Dockerfile is known */
  built?: BuiltFigure;
}

/** A layer's size in the last build, beside what the size pass predicts for it. */
export interface BuiltFigure {
  /** bytes of the layer's files in the built image (null when not measured) */
  bytes: number | null;
  compressed: number | null;
  /** what the size pass predicts for the layer as written now */
  predicted: SizeFigure | null;
  /** the layer's cache key is unchanged since that build: its figure is the built one */
  current: boolean;
  /** why the next build makes the layer anew, when it does */
  reason?: string;
}

export interface LayerFacts {
  /** bytes `--no-install-recommends` would save on this layer's apt installs */
  aptRecommendsBytes?: number;
  /** bytes of apt lists this layer leaves behind */
  aptListsBytes?: number;
}

export interface ArgBinding {
  name: string;
  /** value after defaults and --build-arg, undefined when unset */
  value: string | undefined;
  origin: 'default' | 'build-arg' | 'global' | 'predefined' | 'unset';
  range?: Range;
}

export interface Stage {
  index: number;
  /** lower-cased, as BuildKit compares stage names */
  name?: string;
  nameRange?: Range;
  /** from the FROM line to the last line of the stage */
  range: Range;
  base: BaseRef;
  platform?: string;
  instructions: InstructionInfo[];
  layers: Layer[];
  dependencies: StageDependency[];
  /** ARG and ENV values visible at the end of the stage */
  args: ArgBinding[];
  /** the target needs this stage (BuildKit builds only these) */
  used: boolean;
  isTarget: boolean;
  /** set by the size pass */
  sizes?: StageSizes;
}

export interface BaseLayerInfo {
  digest: string;
  createdBy?: string;
  size: SizeFigure;
}

export interface StageSizes {
  /** the layers below this stage's own: the base image, or everything of the parent stage */
  base: SizeFigure;
  /** this stage's own layers */
  own: SizeFigure;
  /** base + own: the image this stage makes */
  total: SizeFigure;
  /** the base image's own layers, when it is in the bundled data */
  baseImage?: { key: string; match: string; date: string; note?: string; layers: BaseLayerInfo[] };
}

export interface WastedBytes {
  layer: number;
  stage: number;
  path: string;
  what: string;
  /** `what` as a message of the size catalog */
  whatMessage?: Message;
  bytes: number;
  removedBy: number;
  how: 'deleted' | 'overwritten';
  /** the part of `path` the later layer deleted, when it was not all of it */
  under?: string;
  /** set when `bytes` is an estimate (npm prune removes a share of node_modules): its range */
  range?: { low: number; high: number };
  /** packages the later layer removed (apt-get purge/autoremove, apk del, pip uninstall): `path` is then "<manager> packages" */
  packages?: { manager: 'apt' | 'apk' | 'pip' | 'npm'; list: { name: string; bytes: number }[] };
}

/** The target image as a whole. */
export interface ImageSizes {
  total: SizeFigure;
  /** bytes written by a layer and deleted or overwritten by a later one: shipped but never seen */
  wasted: { bytes: number; efficiency: number; items: WastedBytes[] };
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Problem {
  /** stable code, e.g. DL-G001 */
  code: string;
  /** rule name, e.g. unknown-stage */
  rule: string;
  severity: Severity;
  message: string;
  /** the message in every language the product speaks (`message` is its English) */
  localizedMessage?: Text;
  range: Range;
  /** rendered faded by editors (unused code) */
  unnecessary?: boolean;
}

export interface DockerfileModel {
  directives: Directive[];
  escapeChar: string;
  /** ARGs declared before the first FROM (usable in FROM lines) */
  globalArgs: ArgBinding[];
  /** instructions before the first FROM (ARGs, or misplaced ones) */
  preamble: InstructionInfo[];
  stages: Stage[];
  /** index of the target stage, -1 when there is no stage */
  target: number;
  problems: Problem[];
  /** set by the size pass */
  image?: ImageSizes;
  /** what the next build reuses, compared with a baseline (the last commit), when one is known */
  cache?: { baseline: string; /** the git revision compared with, when not the last commit */ revision?: string; prediction: RebuildPrediction };
  /** the last build of this Dockerfile (a local image), when one is known: see compare/lastBuild */
  lastBuild?: LastBuild | LastBuildUnavailable;
}

/** A last build was chosen but cannot be read now (no engine, no socket, no permission…). */
export interface LastBuildUnavailable {
  image: string;
  /** one line saying why */
  problem: string;
}

/** How the last built image lines up with the file now, and how far each estimate was off. */
export interface LastBuild {
  /** the image as the user named it (a reference or a path) */
  image: string;
  id: string | null;
  /** when it was built (ISO), when recorded */
  created: string | null;
  /** 'aligned': built from the file as it is; 'changed': edited since; 'unrelated': another file */
  verdict: 'aligned' | 'changed' | 'unrelated';
  /** what does not align, one line each */
  problems: string[];
  /** the problems as catalog messages (index-aligned), for the editor's language */
  problemMessages?: Message[];
  /** layers whose figure is the built one (cache key unchanged), and layers still estimated */
  exact: number;
  estimated: number;
  /** estimates of layers built exactly as written now, against what the build made */
  errors: EstimatorError[];
  /** what limits the comparison (the base not checked, layers not measured) */
  notes: string[];
}

export interface EstimatorError {
  estimator: string;
  predicted: number;
  actual: number;
}
