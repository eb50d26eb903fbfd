/**
 * `dockerlens diff`: the scenario table (test/fixtures/diff/scenarios.json) as before/after
 * folders made in a temp dir, each asserting the target's exact reused/rebuilt pattern; big files
 * compared by streamed hashes; git mode in a temp repository (a revision against the working tree,
 * two revisions with sizes read from the later tree, unknown revisions, outside a repository);
 * markdown; --fail-on-rebuild-bytes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../server/src/cli';
import type { DiffReport } from '../../server/src/cli/diff';
import { createGitTreeReader, readGitBuildContext } from '../../server/src/gitTree';
import type { Scenario } from '../fixtures/diff/scenario';

const ROOT = path.resolve(__dirname, '../../..');


const SCENARIOS = (JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/diff/scenarios.json'), 'utf8')) as { scenarios: Scenario[] }).scenarios;

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-diff-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function writeTree(dir: string, files: Record<string, string | null>): void {
  for (const [file, text] of Object.entries(files)) {
    if (text === null) continue;
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

/** The scenario's two folders: `after` is `before` with the listed files changed or deleted. */
function materialize(scenario: Scenario, name: string): { beforeDir: string; afterDir: string } {
  const beforeDir = path.join(tmp, name, 'before');
  const afterDir = path.join(tmp, name, 'after');
  writeTree(beforeDir, scenario.before);
  const merged: Record<string, string | null> = { ...scenario.before, ...scenario.after };
  writeTree(afterDir, merged);
  const old = new Date('2020-01-01T00:00:00Z');
  for (const file of Object.keys(scenario.before)) utimesSync(path.join(beforeDir, file), old, old);
  for (const file of scenario.touch ?? []) utimesSync(path.join(afterDir, file), new Date(), new Date());
  return { beforeDir, afterDir };
}

function argList(flag: string, args: Record<string, string> = {}): string[] {
  return Object.entries(args).flatMap(([k, v]) => [flag, `${k}=${v}`]);
}

async function diffJson(...args: string[]): Promise<DiffReport> {
  const result = await runCli(['diff', ...args, '--json']);
  assert.equal(result.code, 0, result.stderr || result.stdout);
  return JSON.parse(result.stdout) as DiffReport;
}

/** C (reused) / R (rebuilt) per layer of the target's chain, in layer order. */
function pattern(report: DiffReport): string {
  const rebuilt = new Set(report.totals.rebuiltLayers);
  return [...report.totals.reusedLayers, ...report.totals.rebuiltLayers].sort((a, b) => a - b).map((n) => (rebuilt.has(n) ? 'R' : 'C')).join('');
}

/** The first rebuilt layer-making step of the target's chain. */
function firstRebuilt(report: DiffReport) {
  const chain: number[] = [];
  for (let s = report.target?.stage ?? null; s !== null; s = report.stages[s]!.baseStage) chain.unshift(s);
  return chain.flatMap((s) => report.stages[s]!.steps).find((step) => step.layer !== null && !step.reused);
}

describe('dockerlens diff: scenario table (two folders)', () => {
  it('has at least 15 scenarios', () => assert.ok(SCENARIOS.length >= 15, String(SCENARIOS.length)));

  SCENARIOS.forEach((scenario, i) => {
    it(`${scenario.name} → ${scenario.expect.pattern}`, async () => {
      const { beforeDir, afterDir } = materialize(scenario, `s${i}`);
      const report = await diffJson('--before', beforeDir, '--after', afterDir, ...argList('--build-arg', scenario.buildArgs), ...argList('--before-build-arg', scenario.beforeBuildArgs));
      assert.equal(pattern(report), scenario.expect.pattern, JSON.stringify(report.changes));
      if (scenario.expect.files) assert.deepEqual(report.changes.files, scenario.expect.files);
      const first = firstRebuilt(report);
      if (scenario.expect.reason) assert.match(first?.reason ?? '', new RegExp(scenario.expect.reason));
      if (scenario.expect.pattern.includes('R')) assert.equal(report.totals.rebuilt, [...scenario.expect.pattern].filter((c) => c === 'R').length);
      else assert.equal(first, undefined);
      for (const name of scenario.expect.notBuilt ?? []) {
        const stage = report.stages.find((s) => s.name === name);
        assert.equal(stage?.built, false, name);
        assert.ok(stage.steps.every((s) => s.reused), name);
      }
    });
  });

  it('text output: steps with lines, REUSED/REBUILT and reasons, unused stages as not built, totals', async () => {
    const scenario = SCENARIOS.find((s) => s.name.startsWith('builder stage changes'))!;
    const { beforeDir, afterDir } = materialize(scenario, 'text');
    const result = await runCli(['diff', '--before', beforeDir, '--after', afterDir]);
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /^Changed Dockerfile lines: 2 \(the Dockerfile is in the build context/m);
    assert.match(out, /^Stage 'build' {2}FROM alpine:3\.22 {2}· needed by the target$/m);
    assert.match(out, /^ {2}2 +1 +REBUILT +RUN echo build2 > \/out\.txt +line 2 changed$/m);
    assert.match(out, /^Stage 'test' {2}FROM alpine:3\.22 {2}· not built \(the target does not need it\)$/m);
    assert.match(out, /^ {2}6 +1 +REBUILT +COPY --from=build \/out\.txt \/out\.txt +stage 'build' rebuilds \(reused only if its output is byte-identical\)$/m);
    assert.match(out, /^Target stage 'runtime': 0 layers reused, 2 rebuilt \(of 2\)$/m);
    assert.match(out, /^Bytes rebuilt: [≈≥] /m);
    assert.match(out, /^Bytes to push: [≈≥] .* \(compressed\)$/m);
  });

  it('multi-line instructions show their line range', async () => {
    const dockerfile = 'FROM alpine:3.22\nRUN echo one \\\n    && echo two > /t.txt\nCOPY a.txt /a.txt\n';
    const { beforeDir, afterDir } = materialize({ name: 'ml', before: { Dockerfile: dockerfile, 'a.txt': 'a\n' }, after: { 'a.txt': 'b\n' }, expect: { pattern: 'CR' } }, 'multiline');
    const report = await diffJson('--before', beforeDir, '--after', afterDir);
    const run = report.stages[0]!.steps.find((s) => s.keyword === 'RUN')!;
    assert.deepEqual([run.line, run.endLine, run.reused], [2, 3, true]);
    const text = (await runCli(['diff', '--before', beforeDir, '--after', afterDir])).stdout;
    assert.match(text, /^ {2}2-3 +1 +REUSED +RUN echo one && echo two > \/t\.txt$/m);
  });

  it('-f names a Dockerfile inside both folders', async () => {
    const files = { 'docker/app.Dockerfile': 'FROM alpine:3.22\nCOPY src /src\n', 'src/a.txt': 'a\n' };
    const { beforeDir, afterDir } = materialize({ name: 'f', before: files, after: { 'src/a.txt': 'A\n' }, expect: { pattern: 'R' } }, 'dash-f');
    const report = await diffJson('--before', beforeDir, '--after', afterDir, '-f', 'docker/app.Dockerfile');
    assert.equal(pattern(report), 'R');
    assert.equal(report.dockerfile, 'docker/app.Dockerfile');
  });

  it('files larger than the in-memory limit are compared by streamed hashes, content only', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const files = { Dockerfile: 'FROM alpine:3.22\nCOPY big.bin /big.bin\nCOPY same.bin /same.bin\n' };
    const beforeDir = path.join(tmp, 'big', 'before');
    const afterDir = path.join(tmp, 'big', 'after');
    writeTree(beforeDir, files);
    writeTree(afterDir, files);
    writeFileSync(path.join(beforeDir, 'same.bin'), big);
    writeFileSync(path.join(afterDir, 'same.bin'), big);
    writeFileSync(path.join(beforeDir, 'big.bin'), big);
    const changed = Buffer.from(big);
    changed[changed.length - 1] = 8; // same size, last byte differs
    writeFileSync(path.join(afterDir, 'big.bin'), changed);
    const report = await diffJson('--before', beforeDir, '--after', afterDir);
    assert.deepEqual(report.changes.files, ['big.bin']);
    assert.equal(pattern(report), 'RR');
  });

  it('a Dockerfile missing before: every line is new, and a note says so', async () => {
    const beforeDir = path.join(tmp, 'new-dockerfile', 'before');
    const afterDir = path.join(tmp, 'new-dockerfile', 'after');
    writeTree(beforeDir, { 'a.txt': 'a\n' });
    writeTree(afterDir, { 'a.txt': 'a\n', Dockerfile: 'FROM alpine:3.22\nCOPY a.txt /a.txt\nRUN cat /a.txt\n' });
    const report = await diffJson('--before', beforeDir, '--after', afterDir);
    assert.deepEqual(report.changes.dockerfileLines, [1, 2, 3, 4]);
    assert.equal(pattern(report), 'RR');
    assert.equal(report.notes.length, 1);
    assert.match(report.notes[0]!, /does not exist: every line of the Dockerfile counts as new/);
  });

  it('usage errors exit 2', async () => {
    const only = await runCli(['diff', '--before', tmp]);
    assert.equal(only.code, 2);
    assert.match(only.stderr, /both --before <dir> and --after <dir>/);
    const missing = await runCli(['diff', '--before', path.join(tmp, 'nope1'), '--after', path.join(tmp, 'nope2')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read .*nope2.*Dockerfile: no such file/);
    const help = await runCli(['diff', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: dockerlens diff --before <dir> --after <dir>/);
    assert.match(help.stdout, /-f, --file <path>/);
    assert.match(help.stdout, /--fail-on-rebuild-bytes <size>/);
  });
});

describe('dockerlens diff: markdown and --fail-on-rebuild-bytes', () => {
  const payload = 'x'.repeat(300_000);
  const scenario: Scenario = {
    name: 'payload',
    before: { Dockerfile: 'FROM alpine:3.22\nRUN echo base > /base.txt\nCOPY payload.txt /payload.txt\n', 'payload.txt': payload },
    after: { 'payload.txt': `${payload}y` },
    expect: { pattern: 'CR' },
  };
  let dirs: { beforeDir: string; afterDir: string };
  before(() => {
    dirs = materialize(scenario, 'payload');
  });

  it('markdown: a heading, a one-line verdict, a table of steps, notes', async () => {
    const result = await runCli(['diff', '--before', dirs.beforeDir, '--after', dirs.afterDir, '--format', 'markdown']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(lines[0]!, /^### /);
    assert.match(result.stdout, /^\*\*Rebuilds 1 of 2 layers\*\* \(≈ 300\.0 kB, ≈ [\d.]+ [kM]?B to push\)/m);
    assert.match(result.stdout, /^\| Stage \| Lines \| Step \| Cache \| Why \|$/m);
    assert.match(result.stdout, /^\| #0 \| 2 \| `RUN echo base > \/base\.txt` \| ✅ reused \| {2}\|$/m);
    assert.match(result.stdout, /^\| #0 \| 3 \| `COPY payload\.txt \/payload\.txt` \| 🔁 rebuilt \| payload\.txt changed \|$/m);
    assert.match(result.stdout, /^\*\*Notes\*\*$/m);
    assert.match(result.stdout, /^- Changed: 1 context file \(`payload\.txt`\)\.$/m);
  });

  it('markdown says when everything is reused', async () => {
    const same = materialize({ ...scenario, after: {} }, 'payload-same');
    const result = await runCli(['diff', '--before', same.beforeDir, '--after', same.afterDir, '--format', 'markdown']);
    assert.match(result.stdout, /^\*\*Reuses all 2 layers from the cache\*\* \(nothing to rebuild\)/m);
    assert.doesNotMatch(result.stdout, /🔁/);
  });

  it('exit 1 when more bytes than the limit would be rebuilt, 0 otherwise; sizes like 20MB', async () => {
    const over = await runCli(['diff', '--before', dirs.beforeDir, '--after', dirs.afterDir, '--fail-on-rebuild-bytes', '100kB']);
    assert.equal(over.code, 1, over.stderr);
    assert.match(over.stdout, /^FAIL {2}fail-on-rebuild-bytes: 300\.0 kB rebuilt \(limit 100\.0 kB\)$/m);
    const under = await runCli(['diff', '--before', dirs.beforeDir, '--after', dirs.afterDir, '--fail-on-rebuild-bytes=20MB', '--json']);
    assert.equal(under.code, 0, under.stderr);
    const report = JSON.parse(under.stdout) as DiffReport;
    assert.deepEqual(report.thresholds, [{ name: 'fail-on-rebuild-bytes', limit: 20_000_000, actual: 300_001, passed: true }]);
    assert.equal(report.passed, true);
    const bad = await runCli(['diff', '--before', dirs.beforeDir, '--after', dirs.afterDir, '--fail-on-rebuild-bytes', 'lots']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--fail-on-rebuild-bytes needs a size such as 20MB/);
  });
});

describe('dockerlens diff: git revisions', () => {
  let repo: string;
  const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  const gitIn = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: GIT_ENV, encoding: 'utf8' });
  const DOCKERFILE = 'FROM alpine:3.22\nWORKDIR /app\nCOPY deps.txt ./\nRUN echo install > /deps.out\nCOPY src ./src\nLABEL v=1\n';

  before(() => {
    repo = path.join(tmp, 'repo');
    writeTree(repo, { 'app/Dockerfile': DOCKERFILE, 'app/.dockerignore': 'src/*.tmp\n', 'app/deps.txt': 'a\n', 'app/src/main.txt': 'main v1\n', 'other/readme.txt': 'x\n' });
    gitIn('init', '-q');
    gitIn('add', '.');
    gitIn('commit', '-q', '-m', 'one');
    gitIn('tag', 'v1');
    // v2: src grows to a known size; the worktree then moves on (sizes must come from v2's tree)
    writeTree(repo, { 'app/src/main.txt': 'main v2 is longer\n', 'app/src/extra.txt': '12345\n', 'other/readme.txt': 'y\n' });
    gitIn('add', '.');
    gitIn('commit', '-q', '-m', 'two');
    gitIn('tag', 'v2');
  });

  it('<rev> against the working tree: changed and untracked files in the context, ignored ones left out', async () => {
    writeTree(repo, { 'app/deps.txt': 'a\nb\n', 'app/src/new.txt': 'untracked\n', 'app/src/scratch.tmp': 'ignored\n', 'other/readme.txt': 'outside the context\n' });
    try {
      const report = await diffJson('v2', path.join(repo, 'app/Dockerfile'));
      assert.deepEqual(report.changes.files, ['deps.txt', 'src/new.txt']);
      assert.equal(pattern(report), 'CRRR');
      assert.match(firstRebuilt(report)!.reason!, /^deps\.txt changed$/);
      assert.equal(report.before.kind, 'revision');
      assert.equal(report.after.kind, 'worktree');
    } finally {
      gitIn('checkout', '-q', '--', '.');
      gitIn('clean', '-q', '-f', '-d');
    }
  });

  it('a Dockerfile edit against the revision: edited lines from git show, the Dockerfile is in the context', async () => {
    writeFileSync(path.join(repo, 'app/Dockerfile'), DOCKERFILE.replace('v=1', 'v=2'));
    try {
      const report = await diffJson('HEAD', path.join(repo, 'app/Dockerfile'));
      assert.deepEqual(report.changes.dockerfileLines, [6]);
      assert.equal(report.changes.dockerfileInContext, true);
      assert.equal(pattern(report), 'CCCC'); // no COPY reads the Dockerfile
    } finally {
      gitIn('checkout', '-q', '--', '.');
    }
  });

  it('<rev1> <rev2>: changes between them, sizes read from rev2 without a checkout', async () => {
    writeTree(repo, { 'app/src/main.txt': 'the working tree differs from both revisions, and is much longer than them\n' });
    try {
      const report = await diffJson('v1', 'v2', path.join(repo, 'app/Dockerfile'));
      assert.deepEqual(report.changes.files, ['src/extra.txt', 'src/main.txt']);
      assert.equal(pattern(report), 'CCCR');
      assert.equal(report.after.kind, 'revision');
      assert.equal(report.after.revision, 'v2');
      const copy = report.stages[0]!.steps.find((s) => s.instruction.startsWith('COPY src'))!;
      assert.equal(copy.size?.source, 'exact');
      assert.equal(copy.size?.bytes, 'main v2 is longer\n'.length + '12345\n'.length);
    } finally {
      gitIn('checkout', '-q', '--', '.');
    }
  });

  it('<rev1> <rev2> when the later revision removes a file', async () => {
    gitIn('rm', '-q', 'app/src/extra.txt');
    gitIn('commit', '-q', '-m', 'three');
    try {
      const report = await diffJson('v2', 'HEAD', path.join(repo, 'app/Dockerfile'));
      assert.deepEqual(report.changes.files, ['src/extra.txt']);
      assert.equal(pattern(report), 'CCCR');
    } finally {
      gitIn('reset', '-q', '--hard', 'v2');
    }
  });

  it('the git tree reader: sizes and paths from ls-tree, symlinks as symlinks, bytes from cat-file, .dockerignore at the revision', async () => {
    symlinkSync('main.txt', path.join(repo, 'app/src/link.txt'));
    gitIn('add', '.');
    gitIn('commit', '-q', '-m', 'link');
    try {
      const commit = gitIn('rev-parse', 'HEAD').trim();
      const reader = createGitTreeReader(repo, commit, 'app');
      const src = (await reader.readDirectory('src')).sort((a, b) => a.path.localeCompare(b.path));
      assert.deepEqual(src, [
        { path: 'src/extra.txt', size: 6, kind: 'file' },
        { path: 'src/link.txt', size: 8, kind: 'symlink', target: 'main.txt' },
        { path: 'src/main.txt', size: 18, kind: 'file' },
      ]);
      assert.equal(Buffer.from(await reader.readFile('src/main.txt')).toString(), 'main v2 is longer\n');
      assert.equal(Buffer.from(await reader.readRange('src/main.txt', 5, 2)).toString(), 'v2');
      await assert.rejects(reader.readFile('src/nope.txt'), { code: 'ENOENT' });
      await assert.rejects(reader.readFile('../other/readme.txt'), { code: 'EPERM' });
      writeFileSync(path.join(repo, 'app/.dockerignore'), 'src/main.txt\n'); // the worktree's, not the revision's
      const context = await readGitBuildContext(repo, commit, 'app', 'Dockerfile');
      assert.equal(context.ignoreFile, '.dockerignore');
      assert.deepEqual(context.snapshot.files.map((f) => f.path), ['.dockerignore', 'Dockerfile', 'deps.txt', 'src/extra.txt', 'src/link.txt', 'src/main.txt']);
    } finally {
      gitIn('reset', '-q', '--hard', 'v2');
    }
  });

  it('the Dockerfile defaults to ./Dockerfile (bundled CLI, run from the context folder)', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'diff', 'v1', '--json'], { cwd: path.join(repo, 'app'), encoding: 'utf8', env: GIT_ENV });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as DiffReport;
    assert.equal(report.dockerfile, 'Dockerfile');
    assert.deepEqual(report.changes.files, ['src/extra.txt', 'src/main.txt']);
  });

  it('an unknown revision: a clear message, exit 2', async () => {
    for (const args of [['no-such-rev', path.join(repo, 'app/Dockerfile')], ['v1', 'no-such-rev', path.join(repo, 'app/Dockerfile')]]) {
      const result = await runCli(['diff', ...args]);
      assert.equal(result.code, 2, args.join(' '));
    }
    const result = await runCli(['diff', 'no-such-rev', path.join(repo, 'app/Dockerfile')]);
    assert.match(result.stderr, /^Unknown revision 'no-such-rev'/);
  });

  it('outside a git repository: a clear message, exit 2', async () => {
    const outside = path.join(tmp, 'not-a-repo');
    writeTree(outside, { Dockerfile: 'FROM alpine:3.22\n' });
    const saved = process.env['GIT_CEILING_DIRECTORIES'];
    process.env['GIT_CEILING_DIRECTORIES'] = tmp;
    try {
      const result = await runCli(['diff', 'HEAD', path.join(outside, 'Dockerfile')]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /is not in a git repository/);
    } finally {
      if (saved === undefined) delete process.env['GIT_CEILING_DIRECTORIES'];
      else process.env['GIT_CEILING_DIRECTORIES'] = saved;
    }
  });
});
