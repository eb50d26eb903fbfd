import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gitBaseline } from '../../server/src/gitBaseline';

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('git baseline: context files changed since HEAD, relative to the context, and the Dockerfile at HEAD', async (t) => {
  if (!hasGit()) return t.skip('git is not installed on this machine');
  const repo = mkdtempSync(path.join(tmpdir(), 'dockerlens-git-'));
  try {
    const app = path.join(repo, 'services', 'app');
    mkdirSync(path.join(app, 'src'), { recursive: true });
    writeFileSync(path.join(app, 'Dockerfile'), 'FROM alpine:3.22\nCOPY . /app\n');
    writeFileSync(path.join(app, 'src', 'a.txt'), 'a');
    writeFileSync(path.join(repo, 'outside.txt'), 'o');
    const run = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: repo, stdio: 'pipe' });
    run('init', '-q');
    run('add', '.');
    run('commit', '-qm', 'first');
    writeFileSync(path.join(app, 'src', 'a.txt'), 'changed');
    writeFileSync(path.join(app, 'src', 'new.txt'), 'new');
    writeFileSync(path.join(repo, 'outside.txt'), 'changed too');
    const base = await gitBaseline(app, path.join(app, 'Dockerfile'));
    assert.equal(base.available, true);
    if (!base.available) return;
    assert.deepEqual(base.files.sort(), ['src/a.txt', 'src/new.txt']);
    assert.equal(base.headDockerfile, 'FROM alpine:3.22\nCOPY . /app\n');
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

test('git baseline outside a repository says so', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockerlens-nogit-'));
  try {
    const base = await gitBaseline(dir, path.join(dir, 'Dockerfile'));
    assert.deepEqual(base, { available: false, reason: 'not in a git repository' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
