import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { changedBetweenCommits, changedInWorkTree } from '../gitChanges';
import { git, readGitBuildContext, resolveCommit, showFile } from '../gitTree';
import { analyzeDockerfile, describeStage, type DockerfileModel, type Stage } from '../service';
import { editedLines } from '../service/cache/lineDiff';
import { predictRebuild, type MissCause, type RebuildPrediction, type StepPrediction } from '../service/cache/predict';
import { instructionSummary } from '../service/model/display';
import { findFile, normalizePath } from '../service/sizes/context';
import { createIgnore, dockerignoreFor, type DockerIgnore } from '../service/sizes/dockerignore';
import type { ContextFile } from '../service/sizes/types';
import { formatBytes } from '../service/features/sizeText';
import { readBuildContext, sizeModel, type BuildContext } from '../sizing';
import type { ParsedOptions } from './options';
import { describeError } from './errors';
import { readDockerfile } from './files';
import { escapeControls } from '../service/features/visibleText';

/**
 * `dockerlens diff`: which steps of the next build BuildKit reuses from the cache of an earlier
 * one, and which it rebuilds (with the first changed input as the reason), with the bytes rebuilt
 * and pushed. Two states are compared: two folders (`--before`/`--after`), a git revision and the
 * working tree, or two revisions (the later one read from git without a checkout). The model and
 * the sizes are the later state's; the rules are the cache model's (predictRebuild).
 */

export interface DiffSide {
  kind: 'folder' | 'revision' | 'worktree';
  /** the folder as given (folder, worktree) */
  path?: string;
  /** the revision as given and the commit it names (revision) */
  revision?: string;
  commit?: string;
}

export interface DiffStep {
  stage: number;
  /** the instruction's index in its stage (0: the FROM) */
  instructionIndex: number;
  /** the layer number the step makes; null for a FROM */
  layer: number | null;
  kind: 'base' | 'filesystem';
  keyword: string;
  /** the instruction's source text */
  instruction: string;
  /** 1-based first and last line */
  line: number;
  endLine: number;
  reused: boolean;
  /** why it rebuilds (the first changed input), or why nothing is done; null when reused */
  reason: string | null;
  cause: MissCause | null;
  size: { bytes: number | null; compressed: number | null; source: string } | null;
}

export interface DiffStage {
  stage: number;
  name: string | null;
  /** the base as written (`node:22`, `stage 'build'`, `scratch`), and the stage index when it is a stage */
  base: string;
  baseStage: number | null;
  built: boolean;
  target: boolean;
  firstMiss: { line: number; reason: string } | null;
  rebuilt: { layers: number; bytes: number; compressed: number; unknown: number };
  steps: DiffStep[];
}

export interface DiffReport {
  schemaVersion: 1;
  dockerfile: string;
  before: DiffSide;
  after: DiffSide;
  target: { stage: number; name: string | null } | null;
  changes: { files: string[]; buildArgs: string[]; dockerfileLines: number[]; dockerfileInContext: boolean };
  stages: DiffStage[];
  totals: { layers: number; reused: number; rebuilt: number; reusedLayers: number[]; rebuiltLayers: number[]; rebuiltBytes: number; pushBytes: number; unknownLayers: number };
  thresholds: { name: string; limit: number; actual: number; passed: boolean }[];
  passed: boolean;
  /** what limits the prediction (a side not fully read, a Dockerfile missing on one side) */
  notes: string[];
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Both states, read: what the prediction needs. */
interface States {
  dockerfile: string;
  before: DiffSide;
  after: DiffSide;
  beforeText: string | undefined;
  afterText: string;
  afterContext: BuildContext | undefined;
  /** the Dockerfile's path relative to the context root (may start with `..`) */
  dockerfileInContext: string;
  files: string[];
  notes: string[];
}

export async function diff(options: ParsedOptions): Promise<Result> {
  const states = options.before !== undefined || options.after !== undefined ? await folderStates(options) : await gitStates(options);
  if ('code' in states) return states;
  let model = analyzeDockerfile(states.afterText, {
    ...(options.target !== undefined ? { target: options.target } : {}),
    buildArgs: options.buildArgs,
    ...(options.platform ? { targetPlatform: options.platform } : {}),
  });
  model = await sizeModel(model, states.afterContext, { ...(options.platform ? { platform: options.platform } : {}), contextUnavailable: 'the build context could not be read' });
  const lines = states.beforeText === undefined
    ? Array.from({ length: states.afterText.split(/\r\n|\r|\n/).length }, (_, i) => i)
    : editedLines(states.beforeText, states.afterText);
  const before = { ...options.buildArgs, ...options.beforeBuildArgs };
  const buildArgs = [...new Set([...Object.keys(before), ...Object.keys(options.buildArgs)])].filter((k) => before[k] !== options.buildArgs[k]).sort();
  const inContext = states.afterContext !== undefined && !states.dockerfileInContext.startsWith('..') && findFile(states.afterContext.snapshot, states.dockerfileInContext) !== undefined;
  const prediction = predictRebuild(model, { files: states.files, buildArgs, editedLines: lines, ...(inContext ? { dockerfile: states.dockerfileInContext } : {}) });
  const report = buildReport(model, prediction, states, { files: states.files, buildArgs, dockerfileLines: lines.map((l) => l + 1), dockerfileInContext: inContext }, options);
  const stdout = options.json ? JSON.stringify(report, null, 2) : options.format === 'markdown' ? formatMarkdown(report, model) : formatText(report, model);
  return { code: report.passed ? 0 : 1, stdout, stderr: '' };
}

// ---------------------------------------------------------------------------------------------
// The two states

async function folderStates(options: ParsedOptions): Promise<States | Result> {
  if (options.before === undefined || options.after === undefined) return usageError('Give both --before <dir> and --after <dir>.');
  if (options.positionals.length > 0) return usageError(`With --before/--after, name the Dockerfile with -f (got '${options.positionals[0]}').`);
  if (options.context !== undefined) return usageError('--context does not go with --before/--after: the two folders are the contexts.');
  const file = options.dockerfile ?? 'Dockerfile';
  const beforeFile = path.join(options.before, file);
  const afterFile = path.join(options.after, file);
  let afterText: string;
  let beforeText: string | undefined;
  try {
    afterText = await readDockerfile(afterFile);
  } catch (error) {
    return usageError(`Cannot read ${afterFile}: ${describeError(error)}`);
  }
  try {
    beforeText = await readDockerfile(beforeFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return usageError(`Cannot read ${beforeFile}: ${describeError(error)}`);
    beforeText = undefined;
  }
  let beforeContext: BuildContext;
  let afterContext: BuildContext;
  try {
    beforeContext = await readBuildContext(options.before, beforeFile);
  } catch (error) {
    return usageError(`Cannot read the build context ${options.before}: ${describeError(error)}`);
  }
  try {
    afterContext = await readBuildContext(options.after, afterFile);
  } catch (error) {
    return usageError(`Cannot read the build context ${options.after}: ${describeError(error)}`);
  }
  const notes: string[] = [];
  if (beforeText === undefined) notes.push(`${beforeFile} does not exist: every line of the Dockerfile counts as new.`);
  for (const [side, context] of [['before', beforeContext], ['after', afterContext]] as const) {
    if (!context.snapshot.complete) notes.push(`The ${side} context was not read completely: changes past its ${context.snapshot.fileCount} files are not seen.`);
  }
  return {
    dockerfile: file,
    before: { kind: 'folder', path: options.before },
    after: { kind: 'folder', path: options.after },
    beforeText,
    afterText,
    afterContext,
    dockerfileInContext: normalizeRelative(file),
    files: await changedFiles(beforeContext, afterContext),
    notes,
  };
}

async function gitStates(options: ParsedOptions): Promise<States | Result> {
  const [first, second, third] = options.positionals;
  if (first === undefined) return usageError('Give a git revision (dockerlens diff <rev> [<rev2>] [<Dockerfile>]) or two folders (--before <dir> --after <dir>).');
  if (options.dockerfile !== undefined) return usageError('-f goes with --before/--after; with revisions, give the Dockerfile as the last argument.');
  let revision2: string | undefined;
  let file = third;
  if (third !== undefined) revision2 = second;
  else if (second !== undefined) {
    if (isFile(second)) file = second;
    else revision2 = second;
  }
  file ??= 'Dockerfile';
  const dockerfileAbs = realOf(path.resolve(file));
  const contextAbs = realOf(path.resolve(options.context ?? path.dirname(file)));
  let top: string;
  try {
    top = realOf((await git(['rev-parse', '--show-toplevel'], nearestFolder(contextAbs))).trim());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return usageError(/not a git repository/i.test(message) ? `${options.context ?? path.dirname(file)} is not in a git repository: give two folders with --before/--after instead.` : `git failed: ${message}`);
  }
  const contextRel = toPosix(path.relative(top, contextAbs));
  const dockerfileRel = toPosix(path.relative(top, dockerfileAbs));
  if (contextRel.startsWith('..') || path.isAbsolute(contextRel)) return usageError(`The build context ${contextAbs} is outside the repository ${top}.`);
  if (dockerfileRel.startsWith('..') || path.isAbsolute(dockerfileRel)) return usageError(`${file} is outside the repository ${top}.`);
  const commit1 = await resolveCommit(top, first);
  if (!commit1) return usageError(`Unknown revision '${first}' in ${top}.`);
  const commit2 = revision2 === undefined ? undefined : await resolveCommit(top, revision2);
  if (revision2 !== undefined && !commit2) return usageError(`Unknown revision '${revision2}' (and no file of that name) in ${top}.`);
  const inContext = toPosix(path.relative(contextAbs, dockerfileAbs));
  const ignoreName = inContext.startsWith('..') ? path.basename(dockerfileAbs) : inContext;
  const notes: string[] = [];

  const beforeBytes = await showFile(top, commit1, dockerfileRel);
  if (beforeBytes === undefined) notes.push(`${dockerfileRel} does not exist at ${first}: every line of the Dockerfile counts as new.`);
  let afterText: string;
  let afterContext: BuildContext | undefined;
  if (commit2) {
    const bytes = await showFile(top, commit2, dockerfileRel);
    if (bytes === undefined) return usageError(`${dockerfileRel} does not exist at ${revision2}.`);
    afterText = bytes.toString('utf8');
    try {
      afterContext = await readGitBuildContext(top, commit2, contextRel, ignoreName);
    } catch (error) {
      notes.push(`The build context at ${revision2} could not be read (${describeError(error)}): COPY/ADD sizes are not known.`);
    }
  } else {
    try {
      afterText = await readDockerfile(dockerfileAbs);
    } catch (error) {
      return usageError(`Cannot read ${file}: ${describeError(error)}`);
    }
    try {
      afterContext = await readBuildContext(contextAbs, dockerfileAbs);
    } catch (error) {
      notes.push(`The build context ${contextAbs} could not be read (${describeError(error)}): COPY/ADD sizes are not known.`);
    }
  }
  let listed: string[];
  try {
    listed = commit2 ? await changedBetweenCommits(top, commit1, commit2, contextRel) : await changedInWorkTree(top, commit1, contextRel);
  } catch (error) {
    return usageError(`git could not list the changes: ${describeError(error)}`);
  }
  // A change counts when the build sends the path in either state (each state's .dockerignore).
  const beforeIgnore = await ignoreAt(top, commit1, contextRel, ignoreName);
  const afterIgnore = afterContext?.ignore ?? (commit2 ? await ignoreAt(top, commit2, contextRel, ignoreName) : createIgnore(''));
  const prefix = contextRel === '' ? '' : `${contextRel}/`;
  const files = listed
    .filter((f) => f.startsWith(prefix))
    .map((f) => f.slice(prefix.length))
    .filter((f) => !afterIgnore.ignores(f) || !beforeIgnore.ignores(f))
    .sort();
  return {
    dockerfile: file,
    before: { kind: 'revision', revision: first, commit: commit1 },
    after: commit2 ? { kind: 'revision', revision: revision2!, commit: commit2 } : { kind: 'worktree', path: options.context ?? (path.dirname(file) || '.') },
    beforeText: beforeBytes?.toString('utf8'),
    afterText,
    afterContext,
    dockerfileInContext: inContext,
    files,
    notes,
  };
}

/** The .dockerignore BuildKit would use at a commit. */
async function ignoreAt(top: string, commit: string, contextRel: string, dockerfile: string): Promise<DockerIgnore> {
  for (const candidate of dockerignoreFor(dockerfile)) {
    const bytes = await showFile(top, commit, contextRel === '' ? candidate : `${contextRel}/${candidate}`);
    if (bytes !== undefined) return createIgnore(bytes.toString('utf8'));
  }
  return createIgnore('');
}

// ---------------------------------------------------------------------------------------------
// Changed files between two folders

/** files up to this size are compared byte for byte in memory; larger ones by streamed hashes */
const IN_MEMORY = 1024 * 1024;
const CHUNK = 1024 * 1024;
const PARALLEL = 8;

/**
 * Paths the build sends in either state whose content differs or that exist in only one:
 * sizes first, then bytes; mtime never counts. Directories that exist in only one state count
 * too (an empty folder is part of what COPY copies). Unreadable files count as changed.
 */
export async function changedFiles(before: BuildContext, after: BuildContext): Promise<string[]> {
  const changed: string[] = [];
  const compare: ContextFile[] = [];
  const a = before.snapshot.files;
  const b = after.snapshot.files;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.path < y.path)) {
      changed.push(x!.path);
      i++;
    } else if (x === undefined || y.path < x.path) {
      changed.push(y.path);
      j++;
    } else {
      if (x.kind !== y.kind || x.size !== y.size || x.target !== y.target || 'error' in x || 'error' in y) changed.push(x.path);
      else if (x.kind === 'file' && x.size > 0) compare.push(x);
      i++;
      j++;
    }
  }
  const beforeDirs = new Set(before.snapshot.directories);
  const afterDirs = new Set(after.snapshot.directories);
  for (const d of beforeDirs) if (!afterDirs.has(d)) changed.push(d);
  for (const d of afterDirs) if (!beforeDirs.has(d)) changed.push(d);
  let next = 0;
  const worker = async () => {
    while (next < compare.length) {
      const x = compare[next++]!;
      if (!(await sameContent(before, after, x.path, x.size))) changed.push(x.path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, compare.length) }, worker));
  return changed.sort();
}

async function sameContent(before: BuildContext, after: BuildContext, file: string, size: number): Promise<boolean> {
  try {
    if (size <= IN_MEMORY) return Buffer.from(await before.reader.readFile(file)).equals(await after.reader.readFile(file));
    return (await digest(before, file, size)) === (await digest(after, file, size));
  } catch {
    return false; // unreadable now: it may have changed; say so rather than guess it did not
  }
}

/** sha256 of a file read in chunks through the context reader (no whole-file buffer). */
async function digest(context: BuildContext, file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  for (let offset = 0; offset < size; offset += CHUNK) {
    const chunk = await context.reader.readRange(file, offset, Math.min(CHUNK, size - offset));
    if (chunk.length === 0) break;
    hash.update(chunk);
  }
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// The report

function buildReport(model: DockerfileModel, prediction: RebuildPrediction, states: States, changes: DiffReport['changes'], options: ParsedOptions): DiffReport {
  const stages = prediction.stages.map((p): DiffStage => {
    const stage = model.stages[p.stage]!;
    const steps = p.steps.filter((s) => s.instruction === 0 || s.layer !== undefined).map((s) => toStep(stage, s));
    const miss = p.firstMiss ? stage.instructions[p.firstMiss.instruction] : undefined;
    return {
      stage: p.stage,
      name: stage.name ?? null,
      base: baseText(model, stage),
      baseStage: stage.base.kind === 'stage' ? stage.base.stage : null,
      built: p.built,
      target: stage.isTarget,
      firstMiss: miss && p.firstMiss ? { line: miss.range.start.line + 1, reason: p.firstMiss.reason ?? '' } : null,
      rebuilt: p.rebuilt,
      steps,
    };
  });
  const t = prediction.target;
  const totals: DiffReport['totals'] = t
    ? { layers: t.reused.length + t.rebuilt.length, reused: t.reused.length, rebuilt: t.rebuilt.length, reusedLayers: t.reused, rebuiltLayers: t.rebuilt, rebuiltBytes: t.bytes, pushBytes: t.pushBytes, unknownLayers: t.unknownLayers }
    : { layers: 0, reused: 0, rebuilt: 0, reusedLayers: [], rebuiltLayers: [], rebuiltBytes: 0, pushBytes: 0, unknownLayers: 0 };
  const thresholds: DiffReport['thresholds'] = [];
  if (options.failOnRebuildBytes !== undefined) {
    thresholds.push({ name: 'fail-on-rebuild-bytes', limit: options.failOnRebuildBytes, actual: totals.rebuiltBytes, passed: totals.rebuiltBytes <= options.failOnRebuildBytes });
  }
  const target = model.stages[model.target];
  return {
    schemaVersion: 1,
    dockerfile: states.dockerfile,
    before: states.before,
    after: states.after,
    target: target ? { stage: target.index, name: target.name ?? null } : null,
    changes,
    stages,
    totals,
    thresholds,
    passed: thresholds.every((x) => x.passed),
    notes: states.notes,
  };
}

function toStep(stage: Stage, step: StepPrediction): DiffStep {
  const info = stage.instructions[step.instruction]!;
  const layer = step.instruction === 0
    ? stage.layers.find((l) => (l.kind === 'base' || l.kind === 'stage') && l.instruction === 0)
    : stage.layers.find((l) => l.kind === 'filesystem' && l.number === step.layer);
  return {
    stage: stage.index,
    instructionIndex: step.instruction,
    layer: step.layer ?? null,
    kind: step.instruction === 0 ? 'base' : 'filesystem',
    keyword: info.keyword,
    instruction: info.text,
    line: info.range.start.line + 1,
    endLine: info.range.end.line + 1,
    reused: step.reused,
    reason: step.reason ?? null,
    cause: step.cause ?? null,
    size: layer?.size ? { bytes: layer.size.bytes, compressed: layer.size.compressed, source: layer.size.source } : null,
  };
}

function baseText(model: DockerfileModel, stage: Stage): string {
  return stage.base.kind === 'image' ? stage.base.display : stage.base.kind === 'stage' ? `stage ${describeStage(model.stages[stage.base.stage]!)}` : 'scratch';
}

function sideText(side: DiffSide): string {
  if (side.kind === 'revision') return `${side.revision} (${side.commit!.slice(0, 12)})`;
  return side.kind === 'worktree' ? `the working tree (${side.path})` : side.path!;
}

const lineText = (s: { line: number; endLine: number }) => (s.endLine > s.line ? `${s.line}-${s.endLine}` : String(s.line));
const about = (bytes: number, unknown: number) => `${unknown > 0 ? '≥ ' : '≈ '}${formatBytes(bytes)}`;

function changeLines(report: DiffReport): string[] {
  const { files, buildArgs, dockerfileLines } = report.changes;
  // names come from the context: one per entry, whatever characters it holds
  const shown = files.slice(0, 8).map((f) => escapeControls(f)).join(', ') + (files.length > 8 ? `, … (${files.length - 8} more)` : '');
  return [
    `Changed context files: ${files.length === 0 ? 'none' : `${files.length} (${shown})`}`,
    `Changed Dockerfile lines: ${dockerfileLines.length === 0 ? 'none' : `${compactLines(dockerfileLines)}${report.changes.dockerfileInContext ? ' (the Dockerfile is in the build context: COPY/ADD of it rebuild)' : ''}`}`,
    `Changed build args: ${buildArgs.length === 0 ? 'none' : buildArgs.join(', ')}`,
  ];
}

function compactLines(lines: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    parts.push(j > i ? `${lines[i]}-${lines[j]}` : String(lines[i]));
    i = j;
  }
  return parts.join(', ');
}

export function formatText(report: DiffReport, model: DockerfileModel): string {
  const target = model.stages[model.target];
  const out = [`${report.dockerfile}: ${sideText(report.before)} → ${sideText(report.after)}${target ? `  (target: stage ${describeStage(target)})` : ''}`, ...changeLines(report)];
  for (const stage of report.stages) {
    const info = model.stages[stage.stage]!;
    out.push('');
    if (!stage.built) {
      out.push(`Stage ${describeStage(info)}  FROM ${stage.base}  · not built (the target does not need it)`);
      continue;
    }
    out.push(`Stage ${describeStage(info)}  FROM ${stage.base}  · ${stage.target ? 'target' : 'needed by the target'}`);
    out.push(`  ${'lines'.padEnd(8)}${'layer'.padEnd(7)}${'cache'.padEnd(9)}${'instruction'.padEnd(50)}reason`);
    for (const step of stage.steps) {
      const summary = instructionSummary(info.instructions[step.instructionIndex]!, 48);
      const reason = step.reused ? '' : escapeControls(step.reason ?? '');
      out.push(`  ${lineText(step).padEnd(8)}${(step.layer === null ? 'base' : String(step.layer)).padEnd(7)}${(step.reused ? 'REUSED' : 'REBUILT').padEnd(9)}${reason ? summary.padEnd(50) : summary}${reason}`.trimEnd());
    }
  }
  const t = report.totals;
  out.push('');
  if (target) {
    out.push(`Target stage ${describeStage(target)}: ${t.reused} layer${t.reused === 1 ? '' : 's'} reused, ${t.rebuilt} rebuilt (of ${t.layers})`);
    out.push(`Bytes rebuilt: ${about(t.rebuiltBytes, t.unknownLayers)}`);
    out.push(`Bytes to push: ${about(t.pushBytes, t.unknownLayers)} (compressed)`);
    if (t.unknownLayers > 0) out.push(`Size not known: ${t.unknownLayers} rebuilt layer${t.unknownLayers === 1 ? '' : 's'} (left out of the byte totals)`);
  } else out.push('No FROM instruction: nothing to build.');
  for (const x of report.thresholds) out.push(`${x.passed ? 'PASS' : 'FAIL'}  ${x.name}: ${formatBytes(x.actual)} rebuilt (limit ${formatBytes(x.limit)})`);
  for (const note of report.notes) out.push(`Note: ${note}`);
  return out.join('\n');
}

export function formatMarkdown(report: DiffReport, model: DockerfileModel): string {
  const t = report.totals;
  const target = model.stages[model.target];
  const out = ['### Dockerlens: build cache prediction', ''];
  const sizes = `${about(t.rebuiltBytes, t.unknownLayers)}, ${about(t.pushBytes, t.unknownLayers)} to push`;
  const verdict = t.rebuilt === 0
    ? `**Reuses all ${t.layers} layer${t.layers === 1 ? '' : 's'} from the cache** (nothing to rebuild)`
    : `**Rebuilds ${t.rebuilt} of ${t.layers} layer${t.layers === 1 ? '' : 's'}** (${sizes})`;
  out.push(`${verdict} · ${code(report.dockerfile)}${target ? `, stage ${code(target.name ?? `#${target.index}`)}` : ''} · ${escapeCell(sideText(report.before))} → ${escapeCell(sideText(report.after))}`, '');
  out.push('| Stage | Lines | Step | Cache | Why |', '| --- | --- | --- | --- | --- |');
  const unused: string[] = [];
  for (const stage of report.stages) {
    const info = model.stages[stage.stage]!;
    const name = info.name ?? `#${info.index}`;
    if (!stage.built) {
      unused.push(name);
      continue;
    }
    for (const step of stage.steps) {
      const summary = instructionSummary(info.instructions[step.instructionIndex]!, 60);
      out.push(`| ${escapeCell(name)} | ${lineText(step)} | ${code(summary)} | ${step.reused ? '✅ reused' : '🔁 rebuilt'} | ${step.reused ? '' : escapeCell(escapeControls(step.reason ?? ''))} |`);
    }
  }
  const list: string[] = [];
  const { files, buildArgs, dockerfileLines } = report.changes;
  const changed = [
    files.length > 0 ? `${files.length} context file${files.length === 1 ? '' : 's'} (${files.slice(0, 5).map((f) => code(escapeControls(f))).join(', ')}${files.length > 5 ? ', …' : ''})` : '',
    dockerfileLines.length > 0 ? `Dockerfile lines ${compactLines(dockerfileLines)}` : '',
    buildArgs.length > 0 ? `build args ${buildArgs.map(code).join(', ')}` : '',
  ].filter(Boolean);
  list.push(`Changed: ${changed.length > 0 ? changed.join('; ') : 'nothing the build sees'}.`);
  if (unused.length > 0) list.push(`Not built for this target: ${unused.map(code).join(', ')}.`);
  if (t.unknownLayers > 0) list.push(`${t.unknownLayers} rebuilt layer${t.unknownLayers === 1 ? ' has' : 's have'} no known size and ${t.unknownLayers === 1 ? 'is' : 'are'} left out of the byte totals.`);
  for (const x of report.thresholds) list.push(`${x.passed ? '✅' : '❌'} ${x.name}: ${formatBytes(x.actual)} rebuilt, limit ${formatBytes(x.limit)}.`);
  for (const note of report.notes) list.push(escapeCell(note));
  list.push("Predicted with BuildKit's cache rules; a newer base image or an evicted cache is not known here.");
  out.push('', '**Notes**', ...list.map((l) => `- ${l}`));
  return out.join('\n');
}

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.includes('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The real path of `p`, resolving what exists of it (the rest may not exist in the worktree). */
function realOf(p: string): string {
  const missing: string[] = [];
  let at = p;
  while (!existsSync(at)) {
    const parent = path.dirname(at);
    if (parent === at) return p;
    missing.unshift(path.basename(at));
    at = parent;
  }
  return path.join(realpathSync(at), ...missing);
}

function nearestFolder(p: string): string {
  let at = p;
  while (!isDirectory(at)) {
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  return at;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function normalizeRelative(file: string): string {
  const posix = toPosix(path.normalize(file));
  return posix.startsWith('..') ? posix : normalizePath(posix);
}

const toPosix = (p: string) => p.split(path.sep).join('/');


function usageError(message: string): Result {
  return { code: 2, stdout: '', stderr: message };
}
