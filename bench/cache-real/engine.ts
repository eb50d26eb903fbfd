/**
 * Real BuildKit against the cache prediction: what the benchmark (run.ts) and the small test
 * (test/cache-real/cache-real.test.ts) share.
 *
 * The engine is the private dockerd of scripts/engine-setup.sh (socket under
 * $DOCKERLENS_ENGINE_HOME, default .engine/ at the top of the repository), driven with the Debian
 * 20.10 client. A scenario of test/fixtures/diff/scenarios.json is built twice in one folder:
 * `before` (tagged), then the same folder with the changes applied (touched files rewritten with
 * the same bytes and a new mtime), with `--progress=plain`. The steps BuildKit prints `CACHED` for
 * give the real C/R pattern of the target's layer-making steps.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DiffReport } from '../../server/src/cli/diff';
import type { Scenario } from '../../test/fixtures/diff/scenario';
export type { Scenario };

/** Transpiled to out/bench/cache-real/: three levels below the repository. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SETUP_SCRIPT = path.join(REPO_ROOT, 'scripts', 'engine-setup.sh');
const DOCKER_BIN = '/usr/bin/docker';


export function loadScenarios(): Scenario[] {
  const file = path.join(REPO_ROOT, 'test', 'fixtures', 'diff', 'scenarios.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { scenarios: Scenario[] }).scenarios;
}

export function engineHome(): string {
  return process.env['DOCKERLENS_ENGINE_HOME'] || path.join(REPO_ROOT, '.engine');
}

export function dockerHost(): string {
  return `unix://${path.join(engineHome(), 'run', 'docker.sock')}`;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function docker(args: string[], cwd?: string): Run {
  const run = spawnSync(DOCKER_BIN, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
    env: { ...process.env, DOCKER_HOST: dockerHost(), DOCKER_BUILDKIT: '1' },
  });
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? (run.error ? String(run.error) : '') };
}

/** Why the engine cannot be used, or null when its socket answers. */
export function engineUnavailable(): string | null {
  if (process.platform !== 'linux') return `real builds need Linux (this is ${process.platform})`;
  if (!existsSync(DOCKER_BIN)) return `${DOCKER_BIN} is not installed (run scripts/engine-setup.sh)`;
  const socket = dockerHost().slice('unix://'.length);
  const marker = path.join(engineHome(), 'unavailable');
  if (!existsSync(socket)) {
    if (existsSync(marker)) return readFileSync(marker, 'utf8').trim();
    return `no socket at ${path.relative(REPO_ROOT, socket)} (start the engine with scripts/engine-setup.sh)`;
  }
  const version = docker(['version', '--format', '{{.Server.Version}}']);
  if (version.status !== 0) return `the socket does not answer: ${(version.stderr || version.stdout).trim().split('\n')[0]}`;
  for (const base of ['busybox:latest', 'alpine:3.22', 'node:22-slim']) {
    if (docker(['image', 'inspect', base]).status !== 0) return `base image ${base} is missing (run scripts/engine-setup.sh)`;
  }
  return null;
}

function writeFiles(dir: string, files: Record<string, string | null>): void {
  for (const [file, text] of Object.entries(files)) {
    const full = path.join(dir, file);
    if (text === null) {
      rmSync(full, { force: true });
      continue;
    }
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

const OLD = new Date('2020-01-01T00:00:00Z');

/** `before` with every file at an old mtime. */
export function writeBefore(dir: string, scenario: Scenario): void {
  writeFiles(dir, scenario.before);
  for (const file of Object.keys(scenario.before)) utimesSync(path.join(dir, file), OLD, OLD);
}

/** Turns a `before` folder into `after`: changed files written, deleted ones removed, touched
 * ones rewritten with the same content and a new mtime. */
export function applyAfter(dir: string, scenario: Scenario): void {
  writeFiles(dir, scenario.after);
  const now = new Date();
  for (const file of scenario.touch ?? []) {
    const full = path.join(dir, file);
    writeFileSync(full, readFileSync(full));
    utimesSync(full, now, now);
  }
}

function argList(flag: string, args: Record<string, string> = {}): string[] {
  return Object.entries(args).flatMap(([k, v]) => [flag, `${k}=${v}`]);
}

/** The arguments of `dockerlens diff` (after the command name) for a before/after folder pair. */
export function diffArgs(beforeDir: string, afterDir: string, scenario: Scenario): string[] {
  return ['--before', beforeDir, '--after', afterDir, ...argList('--build-arg', scenario.buildArgs), ...argList('--before-build-arg', scenario.beforeBuildArgs), '--json'];
}

/** C (reused) / R (rebuilt) per layer of the target's chain, in layer order (as test/cli/diff.test.ts). */
export function predictedPattern(report: DiffReport): string {
  const rebuilt = new Set(report.totals.rebuiltLayers);
  return [...report.totals.reusedLayers, ...report.totals.rebuiltLayers].sort((a, b) => a - b).map((n) => (rebuilt.has(n) ? 'R' : 'C')).join('');
}

/** One numbered step of BuildKit's plain progress output. */
export interface BuildStep {
  id: number;
  /** the stage label in brackets (`build`, `stage-1`), '' in a one-stage build */
  stage: string;
  index: number;
  count: number;
  text: string;
  cached: boolean;
}

const STEP_LINE = /^#(\d+) \[(?:(\S+) )?(\d+)\/(\d+)\] (.*)$/;

/** The `[stage i/n] INSTRUCTION` steps of a plain progress log, with whether each was CACHED. */
export function parseSteps(log: string): BuildStep[] {
  const steps = new Map<number, BuildStep>();
  const cached = new Set<number>();
  for (const line of log.split('\n')) {
    const step = STEP_LINE.exec(line);
    if (step) {
      const id = Number(step[1]);
      if (!steps.has(id)) steps.set(id, { id, stage: step[2] ?? '', index: Number(step[3]), count: Number(step[4]), text: step[5]!, cached: false });
      continue;
    }
    const mark = /^#(\d+) CACHED\s*$/.exec(line);
    if (mark) cached.add(Number(mark[1]));
  }
  return [...steps.values()].map((s) => ({ ...s, cached: cached.has(s.id) }));
}

/** The label BuildKit 0.8's Dockerfile frontend gives a stage's steps. */
function stageLabel(report: DiffReport, stage: number): string {
  if (report.stages.length === 1) return '';
  return report.stages[stage]!.name ?? `stage-${stage}`;
}

export interface RealOutcome {
  /** C/R per layer-making step of the target's chain; '?' where BuildKit printed no such step */
  pattern: string;
  /** the BuildKit step lines matched to those steps, in order */
  lines: string[];
  /** what could not be matched */
  problems: string[];
}

/**
 * Maps BuildKit's steps to the layer-making instructions of the target's chain (the stages the
 * report lists from the target down through its FROM-stage bases): the k-th step of a stage
 * (k ≥ 2; step 1 is its FROM) is its (k-1)-th layer-making instruction, since metadata
 * instructions are not steps. The instruction keyword is checked against the step text.
 */
export function realPattern(report: DiffReport, steps: BuildStep[]): RealOutcome {
  const chain: number[] = [];
  for (let s = report.target?.stage ?? null; s !== null; s = report.stages[s]!.baseStage) chain.unshift(s);
  let pattern = '';
  const lines: string[] = [];
  const problems: string[] = [];
  for (const s of chain) {
    const label = stageLabel(report, s);
    const layerSteps = report.stages[s]!.steps.filter((step) => step.layer !== null);
    layerSteps.forEach((step, j) => {
      const found = steps.find((b) => b.stage === label && b.index === j + 2);
      if (!found) {
        pattern += '?';
        problems.push(`no BuildKit step [${label ? `${label} ` : ''}${j + 2}/…] for line ${step.line} (${step.keyword})`);
        return;
      }
      if (found.text.split(/\s/)[0]!.toUpperCase() !== step.keyword.toUpperCase()) problems.push(`step ${found.index} is '${found.text}', the instruction on line ${step.line} is ${step.keyword}`);
      pattern += found.cached ? 'C' : 'R';
      lines.push(`#${found.id} [${found.stage ? `${found.stage} ` : ''}${found.index}/${found.count}] ${found.text}${found.cached ? '  CACHED' : ''}`);
    });
  }
  return { pattern, lines, problems };
}

/** Builds `dir` with BuildKit; the plain progress log, or throws with its tail. */
export function buildKit(dir: string, tag: string, buildArgs: Record<string, string> = {}): string {
  const run = docker(['build', '--network=host', '--progress=plain', '-t', tag, ...argList('--build-arg', buildArgs), dir], dir);
  const log = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`docker build of ${tag} exited ${run.status}:\n${log.split('\n').slice(-15).join('\n')}`);
  return log;
}

/** Removes the tags and every build cache entry, so one scenario cannot hit another's cache. */
export function forget(tags: string[]): void {
  if (tags.length) docker(['rmi', '-f', ...tags]);
  docker(['image', 'prune', '-f']);
  docker(['builder', 'prune', '-af']);
}

export interface Comparison {
  scenario: Scenario;
  predicted: string;
  real: string;
  lines: string[];
  problems: string[];
  error?: string;
}

/**
 * One scenario for real: a clean cache, `before` built and tagged, the changes applied in the same
 * folder, built again; the prediction from `predict` (the same pair as two folders). Cleans up.
 */
export async function compareScenario(scenario: Scenario, workDir: string, tagBase: string, predict: (args: string[]) => Promise<DiffReport>): Promise<Comparison> {
  const beforeDir = path.join(workDir, 'before');
  const afterDir = path.join(workDir, 'after');
  const buildDir = path.join(workDir, 'build');
  const tags = [`${tagBase}:before`, `${tagBase}:after`];
  rmSync(workDir, { recursive: true, force: true });
  writeBefore(beforeDir, scenario);
  writeBefore(afterDir, scenario);
  applyAfter(afterDir, scenario);
  writeBefore(buildDir, scenario);
  let report: DiffReport | undefined;
  try {
    report = await predict(diffArgs(beforeDir, afterDir, scenario));
    const predicted = predictedPattern(report);
    forget([]);
    // names --before-build-arg does not give keep their --build-arg value (as in dockerlens diff)
    buildKit(buildDir, tags[0]!, { ...scenario.buildArgs, ...scenario.beforeBuildArgs });
    applyAfter(buildDir, scenario);
    const log = buildKit(buildDir, tags[1]!, scenario.buildArgs);
    const real = realPattern(report, parseSteps(log));
    return { scenario, predicted, real: real.pattern, lines: real.lines, problems: real.problems };
  } catch (error) {
    return { scenario, predicted: report ? predictedPattern(report) : '', real: '', lines: [], problems: [], error: (error as Error).message };
  } finally {
    forget(tags);
    rmSync(workDir, { recursive: true, force: true });
  }
}
