/**
 * `dockerlens compare` against real builds: a private dockerd (DESIGN §5, scripts/engine-setup.sh
 * with its own folder, .engine-compare/, so no other test's prune can touch its cache) builds the
 * two fixtures of test/fixtures/compare; the image read through the Engine API must align with
 * the Dockerfile, its layer sizes must equal those counted from `docker save` of the same image,
 * exact predictions must equal the built sizes, and after a change the layers compare calls
 * reused must be exactly the steps a rebuild prints CACHED. The test starts the engine when it is
 * not running and stops what it started; without docker.io or root it skips with one line
 * (fails where DOCKERLENS_REQUIRE lists engine: ../requireTool.ts).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../server/src/cli';
import { skipOrFail } from '../requireTool';
import type { CompareReport } from '../../server/src/cli/compare';
import { docker, dockerHost, engineUnavailable, parseSteps, REPO_ROOT, SETUP_SCRIPT } from '../../bench/cache-real/engine';

const HOME = path.join(REPO_ROOT, '.engine-compare');
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/compare');
const TAG = 'dockerlens-compare-test';

let skip: string | undefined;
let started = false;
let tmp: string;

function setup(args: string[] = []): string {
  const run = spawnSync('bash', [SETUP_SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, DOCKERLENS_ENGINE_HOME: HOME }, timeout: 600_000 });
  return `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
}

before(() => {
  process.env['DOCKERLENS_ENGINE_HOME'] = HOME;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-compare-real-'));
  if (engineUnavailable() === null) return;
  if (process.platform !== 'linux') skip = `real builds need Linux (this is ${process.platform})`;
  else if (!existsSync('/usr/bin/docker') || !existsSync('/usr/sbin/dockerd')) skip = 'docker.io is not installed (scripts/engine-setup.sh installs it)';
  else if (process.getuid?.() !== 0) skip = 'a private dockerd needs root';
  if (skip) return;
  const out = setup();
  started = true;
  skip = engineUnavailable() ?? undefined;
  if (skip) skip = `${skip} (${out.split('\n').pop()})`;
});

after(() => {
  if (!skip) docker(['rmi', '-f', `${TAG}/busybox-app:1`, `${TAG}/busybox-app:2`, `${TAG}/multi-stage:1`, `${TAG}/multi-stage:2`]);
  if (started) setup(['stop']);
  rmSync(tmp, { recursive: true, force: true });
});

function build(dir: string, tag: string, args: string[] = []): string {
  const run = docker(['build', '--network=host', '--progress=plain', '-t', tag, ...args, dir], dir);
  assert.equal(run.status, 0, `docker build ${tag}:\n${(run.stdout + run.stderr).split('\n').slice(-15).join('\n')}`);
  return `${run.stdout}${run.stderr}`;
}

async function compare(args: string[]): Promise<CompareReport> {
  const saved = process.env['DOCKER_HOST'];
  process.env['DOCKER_HOST'] = dockerHost();
  try {
    const result = await runCli(['compare', ...args, '--json']);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as CompareReport;
  } finally {
    if (saved === undefined) delete process.env['DOCKER_HOST'];
    else process.env['DOCKER_HOST'] = saved;
  }
}

/** C (reused) / R (rebuilt) per layer-making row of the target stage, as compare predicts it. */
const predicted = (report: CompareReport, stage: number) => report.rows.filter((r) => r.kind === 'layer' && r.stage === stage && r.layer !== null).map((r) => (r.reused ? 'C' : 'R')).join('');
/** The same from BuildKit's plain log: the steps of one stage after its FROM. */
const real = (log: string, stage: string) => parseSteps(log).filter((s) => s.stage === stage && s.index > 1).sort((a, b) => a.index - b.index).map((s) => (s.cached ? 'C' : 'R')).join('');

describe('compare with real builds', () => {
  it('busybox-app: aligned, engine sizes equal docker save sizes, and reuse matches a rebuild', async (t) => {
    if (skip) return skipOrFail(t, 'engine', `no Docker engine here: ${skip}`);
    const dir = path.join(tmp, 'busybox-app');
    cpSync(path.join(FIXTURES, 'busybox-app'), dir, { recursive: true });
    build(dir, `${TAG}/busybox-app:1`);
    const dockerfile = path.join(dir, 'Dockerfile');
    const report = await compare([dockerfile, '--image', `${TAG}/busybox-app:1`]);
    assert.deepEqual([report.alignment.verdict, report.alignment.problems], ['aligned', []]);
    assert.deepEqual(report.rows.map((r) => r.keyword), ['FROM', 'WORKDIR', 'RUN', 'RUN', 'COPY', 'ADD']);
    assert.ok(report.rows.every((r) => r.reused === true), 'nothing changed since the build');
    for (const row of report.rows.filter((r) => r.predicted?.source === 'exact')) assert.equal(row.predicted!.bytes, row.actual!.bytes, `${row.keyword} line ${row.line}`);
    const dd = report.rows[2]!;
    assert.ok(dd.actual!.bytes! >= 65_536, `the RUN wrote a 64 KiB file: ${dd.actual!.bytes}`);

    const saved = path.join(tmp, 'busybox-app.tar');
    assert.equal(docker(['save', '-o', saved, `${TAG}/busybox-app:1`]).status, 0);
    const offline = await compare([dockerfile, '--image', saved]);
    assert.equal(offline.image.id, report.image.id);
    assert.deepEqual(offline.rows.map((r) => r.actual!.bytes), report.rows.map((r) => r.actual!.bytes), 'the engine and the archive count the same bytes');

    const withArg = await compare([dockerfile, '--image', `${TAG}/busybox-app:1`, '--build-arg', 'GREETING=hi']);
    assert.equal(predicted(withArg, 0), 'CRRRR', 'a build arg the first RUN sees rebuilds it and everything after');
    assert.match(withArg.alignment.problems.join('\n'), /built with other values of GREETING/);

    writeFileSync(path.join(dir, 'app', 'config.ini'), 'config=2\n');
    const changed = await compare([dockerfile, '--image', `${TAG}/busybox-app:1`]);
    assert.equal(predicted(changed, 0), 'CCCRR');
    assert.equal(changed.rows[4]!.reason, 'app/config.ini changed');
    const log = build(dir, `${TAG}/busybox-app:2`);
    assert.equal(real(log, ''), predicted(changed, 0), 'the steps BuildKit took from its cache');
  });

  it('multi-stage: the target built FROM an image, COPY --from a stage that rebuilds', async (t) => {
    if (skip) return skipOrFail(t, 'engine', `no Docker engine here: ${skip}`);
    const dir = path.join(tmp, 'multi-stage');
    cpSync(path.join(FIXTURES, 'multi-stage'), dir, { recursive: true });
    build(dir, `${TAG}/multi-stage:1`);
    const dockerfile = path.join(dir, 'Dockerfile');
    const report = await compare([dockerfile, '--image', `${TAG}/multi-stage:1`]);
    assert.deepEqual([report.alignment.verdict, report.target?.stage], ['aligned', 1]);
    assert.deepEqual(report.rows.map((r) => [r.kind, r.keyword, r.reused]), [['base', 'FROM', true], ['layer', 'COPY', true]]);
    assert.equal(report.rows[1]!.actual!.bytes, 'one\ntwo two\n2\n'.length);

    writeFileSync(path.join(dir, 'src', 'a.txt'), 'one more\n');
    const changed = await compare([dockerfile, '--image', `${TAG}/multi-stage:1`]);
    assert.equal(predicted(changed, 1), 'R');
    assert.match(changed.rows[1]!.reason!, /stage 'build' rebuilds/);
    const log = build(dir, `${TAG}/multi-stage:2`);
    assert.equal(real(log, 'stage-1'), 'R');
  });
});
