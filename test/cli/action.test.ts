/**
 * action.yml: the scripts its steps run, run for real with bash against the bundled CLI in a temp
 * repository: the check step's annotations, SARIF file and exit code, and the pull-request step's
 * fetch of the base branch, `diff --format markdown` and the comment it posts (through a stand-in
 * `gh` on PATH that keeps the body, since posting needs GitHub).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const ACTION = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');

/** The `run: |` script of the step with this name (action.yml's steps are plain block scalars). */
function stepScript(name: string): string {
  const lines = ACTION.split('\n');
  const at = lines.findIndex((l) => l.trim() === `- name: ${name}`);
  assert.ok(at >= 0, `no step named ${name}`);
  const run = lines.findIndex((l, i) => i > at && /^\s+run: \|$/.test(l));
  const indent = /^\s*/.exec(lines[run + 1]!)![0].length;
  const body: string[] = [];
  for (const line of lines.slice(run + 1)) {
    if (line.trim() !== '' && /^\s*/.exec(line)![0].length < indent) break;
    body.push(line.slice(indent));
  }
  return body.join('\n');
}

/** The step's `if:` condition and env names, to make sure the test sets what the step reads. */
function stepEnv(name: string): string[] {
  const lines = ACTION.split('\n');
  const at = lines.findIndex((l) => l.trim() === `- name: ${name}`);
  const env: string[] = [];
  for (let i = at + 1; i < lines.length && !lines[i]!.trim().startsWith('- name:'); i++) {
    const m = /^\s{8}([A-Z_]+): \$\{\{/.exec(lines[i]!);
    if (m) env.push(m[1]!);
  }
  return env;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-action-'));
after(() => rmSync(work, { recursive: true, force: true }));
const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });

function runStep(name: string, cwd: string, env: Record<string, string>) {
  for (const key of stepEnv(name)) assert.ok(key in env, `the test sets ${key}, which the step reads`);
  return spawnSync('bash', ['-e', '-c', stepScript(name)], { cwd, env: { ...GIT_ENV, ...env }, encoding: 'utf8' });
}

describe('action.yml', () => {
  let origin: string;
  let clone: string;
  const ghLog = path.join(work, 'gh.log');

  before(() => {
    origin = path.join(work, 'origin');
    mkdirSync(path.join(origin, 'app'), { recursive: true });
    writeFileSync(path.join(origin, 'app/Dockerfile'), 'FROM alpine:3.22\nCOPY deps.txt /deps.txt\nCOPY src /src\n');
    writeFileSync(path.join(origin, 'app/deps.txt'), 'a\n');
    mkdirSync(path.join(origin, 'app/src'));
    writeFileSync(path.join(origin, 'app/src/main.txt'), 'main\n');
    git(origin, 'init', '-q', '-b', 'main');
    git(origin, 'add', '.');
    git(origin, 'commit', '-q', '-m', 'base');
    clone = path.join(work, 'clone');
    git(work, 'clone', '-q', origin, clone);
    // the pull request: a source edit and a secret in ENV
    writeFileSync(path.join(clone, 'app/src/main.txt'), 'main, edited\n');
    writeFileSync(path.join(clone, 'app/Dockerfile'), 'FROM alpine:3.22\nCOPY deps.txt /deps.txt\nCOPY src /src\nENV API_TOKEN=abc\n');
    // a stand-in gh that records what it was asked to post
    const bin = path.join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'gh'), `#!/bin/sh\nprintf '%s\\n' "$*" > '${ghLog}'\nwhile [ $# -gt 0 ]; do if [ "$1" = --body-file ]; then cat "$2" >> '${ghLog}'; fi; shift; done\n`);
    chmodSync(path.join(bin, 'gh'), 0o755);
  });

  it('check: annotations for the pull request, a SARIF file, and the exit code --fail-on decides', () => {
    const sarif = path.join(work, 'dockerlens.sarif');
    const env = { DOCKERFILE: 'app/Dockerfile', FAIL_ON: 'error', SARIF: sarif, DOCKERLENS: CLI };
    const passing = runStep('Check', clone, env);
    assert.equal(passing.status, 0, passing.stderr);
    assert.match(passing.stdout, /^::warning file=app\/Dockerfile,line=4,.*DL-R001/m);
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(log.version, '2.1.0');
    assert.ok(log.runs[0]!.results.some((r) => r.ruleId === 'DL-R001'));

    const failing = runStep('Check', clone, { ...env, FAIL_ON: 'warning', SARIF: '' });
    assert.equal(failing.status, 1, 'a warning fails the step with fail-on: warning');
    assert.match(failing.stdout, /Result: FAIL/);
  });

  it('pull request: fetches the base branch, diffs against it and posts the markdown as a comment', () => {
    const result = runStep('Comment what the change rebuilds', clone, {
      DOCKERFILE: 'app/Dockerfile', BASE_REF: 'main', PR: '42', GH_TOKEN: 'unused', DOCKERLENS: CLI,
      RUNNER_TEMP: work, PATH: `${path.join(work, 'bin')}:${process.env['PATH']}`,
    });
    assert.equal(result.status, 0, result.stderr);
    const posted = readFileSync(ghLog, 'utf8');
    assert.match(posted.split('\n')[0]!, /^pr comment 42 --body-file /);
    assert.match(posted, /src\/main\.txt/, 'the comment names the changed file');
    assert.match(posted, /\|/, 'the comment is a markdown table');
  });
});
