/**
 * `dockerlens explain`: runCli with an injected reader for the argument and output logic, the
 * real reader for file errors, and one spawn of the bundled dist/cli.js.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../server/src/cli';
import type { DockerfileModel } from '../../server/src/service/types';

const ROOT = path.resolve(__dirname, '../../..');
const NODE_APP = readFileSync(path.join(ROOT, 'examples/node-app/Dockerfile'), 'utf8');
const MULTI_STAGE = readFileSync(path.join(ROOT, 'examples/multi-stage/Dockerfile'), 'utf8');

const FILES: Record<string, string> = {
  'node-app/Dockerfile': NODE_APP,
  'multi-stage/Dockerfile': MULTI_STAGE,
  // COPY --from an index that does not exist: an error-severity problem (DL-G001).
  'broken/Dockerfile': 'FROM alpine:3.20\nCOPY --from=3 /a /b\n',
};

/** An injected reader over FILES that records what it was asked for. */
function fakeReader() {
  const reads: string[] = [];
  const readFile = (file: string): string => {
    reads.push(file);
    const text = FILES[file];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
    return text;
  };
  return { reads, readFile };
}

/** No build context: these tests are about the CLI, not the context scan. */
const noContext = async () => undefined;

function explain(...args: string[]) {
  const { readFile } = fakeReader();
  return runCli(['explain', ...args], { readFile, readContext: noContext });
}

/** The rows of a stage block in the table: `[layer, line, kind]` per instruction. */
function rows(table: string, stageHeader: string): string[][] {
  const lines = table.split('\n');
  const start = lines.findIndex((l) => l.startsWith(stageHeader));
  assert.ok(start >= 0, `no block starting '${stageHeader}' in:\n${table}`);
  const out: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('  ')) break;
    out.push(line.trim().split(/\s+/).slice(0, 3));
  }
  return out;
}

describe('runCli explain (injected reader)', () => {
  it('prints a table of stages with their layer numbers', async () => {
    const { reads, readFile } = fakeReader();
    const result = await runCli(['explain', 'node-app/Dockerfile'], { readFile, readContext: noContext });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.deepEqual(reads, ['node-app/Dockerfile']);
    const out = result.stdout;
    assert.match(out, /^node-app\/Dockerfile {2}\(target: stage #2\)/);
    assert.match(out, /^Stage 'deps' {2}FROM node:22-bookworm-slim .* needed by the target$/m);
    assert.match(out, /^Stage 'build' {2}FROM stage 'deps' .* needed by the target$/m);
    assert.match(out, /^Stage #2 {2}FROM node:22-bookworm-slim .* target$/m);
    assert.deepEqual(rows(out, "Stage 'deps'"), [['0', '4', 'base'], ['1', '5', 'layer'], ['2', '6', 'layer'], ['3', '7', 'layer']]);
    // build continues the numbering of deps.
    assert.deepEqual(rows(out, "Stage 'build'"), [['0', '9', 'base'], ['4', '10', 'layer'], ['5', '11', 'layer']]);
    assert.deepEqual(rows(out, 'Stage #2').map((r) => [r[0], r[2]]), [
      ['0', 'base'], ['-', 'metadata'], ['1', 'layer'], ['2', 'layer'], ['3', 'layer'], ['-', 'metadata'], ['-', 'metadata'], ['-', 'metadata'],
    ]);
    assert.doesNotMatch(out, /Problems:/);
  });

  it('--json prints the model with schemaVersion 2', async () => {
    const result = await explain('multi-stage/Dockerfile', '--json');
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as { schemaVersion: number; file: string; model: DockerfileModel };
    assert.equal(parsed.schemaVersion, 2);
    assert.equal(parsed.file, 'multi-stage/Dockerfile');
    const { model } = parsed;
    assert.deepEqual(model.stages.map((s) => s.name), ['build', 'test', 'runtime']);
    assert.equal(model.target, 2);
    assert.deepEqual(model.stages.map((s) => s.used), [true, false, true]);
    assert.deepEqual(model.problems.map((p) => p.rule), ['unused-stage']);
  });

  it('--target picks another stage', async () => {
    const byDefault = await explain('multi-stage/Dockerfile');
    assert.match(byDefault.stdout, /\(target: stage 'runtime'\)/);
    assert.match(byDefault.stdout, /^Stage 'test' .* unused: not built$/m);

    for (const args of [['--target', 'test'], ['--target=test']]) {
      const result = await explain('multi-stage/Dockerfile', ...args);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /\(target: stage 'test'\)/, args.join(' '));
      assert.match(result.stdout, /^Stage 'test' .* target$/m);
      assert.match(result.stdout, /^Stage 'runtime' .* unused: not built$/m);
      const model = (JSON.parse((await explain('multi-stage/Dockerfile', ...args, '--json')).stdout) as { model: DockerfileModel }).model;
      assert.equal(model.target, 1);
    }
  });

  it('--build-arg values reach the base image', async () => {
    assert.match((await explain('multi-stage/Dockerfile')).stdout, /^Stage 'build' {2}FROM golang:1\.27 /m);
    for (const args of [['--build-arg', 'GO_VERSION=1.23'], ['--build-arg=GO_VERSION=1.23']]) {
      const result = await explain('multi-stage/Dockerfile', ...args);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Stage 'build' {2}FROM golang:1\.23 /m, args.join(' '));
      assert.doesNotMatch(result.stdout, /golang:1\.27/);
    }
  });

  it('exits 1 when the Dockerfile has an error-severity problem, and still prints the table', async () => {
    const result = await explain('broken/Dockerfile');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^Problems:$/m);
    assert.match(result.stdout, /^ {2}line 2 {2}error {7}DL-G001 /m);
    assert.equal(JSON.parse((await explain('broken/Dockerfile', '--json')).stdout).model.problems[0].rule, 'unknown-stage');
  });

  it('exits 1 for a --target that does not exist', async () => {
    const result = await explain('multi-stage/Dockerfile', '--target', 'nope');
    assert.equal(result.code, 1);
    assert.match(result.stdout, /DL-G010/);
  });

  it('warnings and hints alone exit 0', async () => {
    const result = await explain('multi-stage/Dockerfile');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^ {2}line 14 {2}hint {8}DL-G007  Stage 'test' /m);
  });
});

describe('runCli usage and file errors', () => {
  it('no arguments: code 2 and the usage on stderr', async () => {
    const result = await runCli([]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Usage: dockerlens <command> <Dockerfile> \[options\]\n\nCommands:\n  explain .*\n  check /);
  });

  it('--help prints the usage on stdout with code 0', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: dockerlens <command>/);
    assert.equal(result.stderr, '');
  });

  it('explain without a file: code 2', async () => {
    const { reads, readFile } = fakeReader();
    const result = await runCli(['explain', '--json'], { readFile, readContext: noContext });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Which Dockerfile\?/);
    assert.deepEqual(reads, [], 'nothing was read');
  });

  it('unknown command or option: code 2 with the usage', async () => {
    const command = await runCli(['explian', 'Dockerfile']);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /Unknown command 'explian'/);
    assert.match(command.stderr, /Usage:/);

    const { reads, readFile } = fakeReader();
    const option = await runCli(['explain', 'node-app/Dockerfile', '--verbose'], { readFile, readContext: noContext });
    assert.equal(option.code, 2);
    assert.equal(option.stdout, '');
    assert.match(option.stderr, /Unknown option '--verbose'/);
    assert.match(option.stderr, /Usage:/);
    assert.deepEqual(reads, [], 'nothing was read');
  });

  it('options missing their value: code 2', async () => {
    assert.match((await explain('node-app/Dockerfile', '--target')).stderr, /--target needs/);
    assert.equal((await explain('node-app/Dockerfile', '--target')).code, 2);
    assert.match((await explain('node-app/Dockerfile', '--build-arg')).stderr, /--build-arg needs/);
    assert.equal((await explain('node-app/Dockerfile', '--build-arg')).code, 2);
  });

  it('two files: code 2', async () => {
    const result = await explain('node-app/Dockerfile', 'multi-stage/Dockerfile');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Only one Dockerfile/);
  });

  it('a missing file (real reader): code 2 and a clear message', async () => {
    const missing = path.join(ROOT, 'test', 'no-such-dir', 'Dockerfile');
    const result = await runCli(['explain', missing]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `Cannot read ${missing}: no such file`);
  });

  it('a directory (real reader): code 2 and a clear message', async () => {
    const dir = path.join(ROOT, 'examples', 'node-app');
    const result = await runCli(['explain', dir]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Cannot read .*node-app: it is a directory/);
  });

  it('a failing injected reader: code 2 with its message', async () => {
    const result = await runCli(['explain', 'x'], { readContext: noContext, readFile: () => {
      throw Object.assign(new Error('EACCES: x'), { code: 'EACCES' });
    } });
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'Cannot read x: permission denied');
  });
});

describe('dist/cli.js', () => {
  it('explain examples/node-app/Dockerfile exits 0 with the table', async () => {
    const result = spawnSync(process.execPath, ['dist/cli.js', 'explain', 'examples/node-app/Dockerfile'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.error, undefined);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^examples\/node-app\/Dockerfile {2}\(target: stage #2\)/);
    assert.deepEqual(rows(result.stdout, "Stage 'deps'").map((r) => r[0]), ['0', '1', '2', '3']);
    assert.match(result.stdout, /^ {2}3 {5}17 {4}layer +[\d.]+ [kM]?B[~+]? +[\d.]+ [kM]?B +estimate +COPY --from=build \/app\/dist \.\/dist$/m);
    assert.match(result.stdout, /^Build context: examples\/node-app \(\d+ files, .* left out by \.dockerignore\)$/m);
  });

  it('exits 2 on a usage error', async () => {
    const result = spawnSync(process.execPath, ['dist/cli.js'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^Usage:/);
    assert.equal(result.stdout, '');
  });
});

describe('runCli option edge cases', () => {
  it('prints usage with code 0 for `explain --help`', async () => {
    const result = await explain('--help');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: dockerlens explain/);
  });

  it('does not take a following option as the value of --target', async () => {
    const result = await explain('node-app/Dockerfile', '--target', '--json');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--target needs a stage name/);
  });

  it('reports an internal error with code 3 instead of a raw crash', async () => {
    // A reader returning a non-string makes the core fail: the CLI must still answer plainly.
    const result = await runCli(['explain', 'x'], { readFile: () => 42 as unknown as string, readContext: noContext });
    assert.equal(result.code, 3);
    assert.match(result.stderr, /^Internal error while analysing x/);
  });
});

describe('dockerlens check', () => {
  const FILES2: Record<string, string> = {
    'waste/Dockerfile': 'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n',
    'clean/Dockerfile': 'FROM alpine:3.22\nRUN apk add --no-cache curl\n',
  };
  const io = { readFile: (f: string) => FILES2[f] ?? (() => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); })(), readContext: noContext };

  it('passes a clean Dockerfile and prints the image summary', async () => {
    const result = await runCli(['check', 'clean/Dockerfile'], io);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^Image: ≈ [\d.]+ MB/m);
    assert.match(result.stdout, /Result: PASS$/);
  });

  it('fails on warnings with --fail-on warning, and lists codes with fixability', async () => {
    const result = await runCli(['check', 'waste/Dockerfile', '--fail-on', 'warning'], io);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /line 2 {2}warning {5}DL-C002 .*\[quick fix in the editor\]/);
    assert.match(result.stdout, /line 4 {2}warning {5}DL-S005 /);
    assert.match(result.stdout, /Result: FAIL \(findings at warning or worse\)/);
  });

  it('thresholds like dive: efficiency, wasted bytes, image size; --json carries schemaVersion', async () => {
    const result = await runCli(['check', 'waste/Dockerfile', '--lowest-efficiency', '0.95', '--highest-wasted-bytes', '30MB', '--max-image-size', '1GB', '--json'], io);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout);
    assert.equal(report.schemaVersion, 2);
    assert.deepEqual(report.thresholds.map((t: { name: string; passed: boolean }) => [t.name, t.passed]), [['lowest-efficiency', false], ['highest-wasted-bytes', true], ['max-image-size', true]]);
    assert.ok(report.image.wastedBytes > 19e6);
    assert.equal(report.passed, false);
  });

  it('rejects bad threshold values with code 2', async () => {
    assert.equal((await runCli(['check', 'clean/Dockerfile', '--lowest-efficiency', '2'], io)).code, 2);
    assert.equal((await runCli(['check', 'clean/Dockerfile', '--max-image-size', 'big'], io)).code, 2);
    assert.match((await runCli(['explain', 'clean/Dockerfile', '--fail-on', 'error'], io)).stderr, /Unknown option '--fail-on'/);
  });
});

describe('dockerlens shared', () => {
  const FILES3: Record<string, string> = {
    'a/Dockerfile': 'FROM alpine:3.22\nRUN apk add --no-cache git\nRUN make a\n',
    'a/Dockerfile.b': 'FROM alpine:3.22\nRUN apk add --no-cache git\nRUN make b\n',
  };
  const io = { readFile: (f: string) => FILES3[f] ?? (() => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); })(), readContext: noContext };

  it('lists the layers two images share and what a second pull downloads', async () => {
    const result = await runCli(['shared', 'a/Dockerfile', 'a/Dockerfile.b'], io);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /base image alpine:3\.22 {2}← a\/Dockerfile, a\/Dockerfile\.b/);
    assert.match(result.stdout, /RUN apk add --no-cache git {2}← a\/Dockerfile, a\/Dockerfile\.b/);
    assert.match(result.stdout, /a\/Dockerfile\.b after a\/Dockerfile: 1 layer, \? compressed \(2 already there\)/, 'the one layer to download is a build: not known, not 0 B');
    // `make` writes what is not known: the sums count the known bytes and say so
    assert.match(result.stdout, /^a\/Dockerfile: 3 layers, ≥ [\d.]+ MB \+ \? \(≥ [\d.]+ MB \+ \? compressed; 1 of unknown size\)$/m);
    assert.match(result.stdout, /^Counted per image: ≥ [\d.]+ MB \+ \? · stored once \(registry or host\): ≥ [\d.]+ MB \+ \?$/m);
    const json = JSON.parse((await runCli(['shared', 'a/Dockerfile', 'a/Dockerfile.b', '--json'], io)).stdout);
    assert.equal(json.schemaVersion, 1);
    assert.ok(json.storedOnce < json.countedPerImage);
  });

  it('needs at least two Dockerfiles', async () => {
    const result = await runCli(['shared', 'a/Dockerfile'], io);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /at least two Dockerfiles/);
  });
});
