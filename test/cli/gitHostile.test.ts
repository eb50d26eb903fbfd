/**
 * `dockerlens diff` in a hostile repository (test/hostileRepo.ts), through the bundled
 * dist/cli.js with git's own variables in its environment: nothing the repository configures
 * runs, nothing under `.git` changes (the index keeps its bytes and its time), and the prediction
 * is still right (the same-size edit and the untracked file rebuild; the touched file does not).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DiffReport } from '../../server/src/cli/diff';
import { changedIn, createHostileRepo, hasGit, type HostileRepo } from '../hostileRepo';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-hostile-cli-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function diff(hostile: HostileRepo, ...args: string[]): DiffReport {
  const ext = path.join(hostile.programs, 'external-diff');
  const result = spawnSync(process.execPath, [CLI, 'diff', ...args, '--json'], {
    cwd: hostile.repo,
    encoding: 'utf8',
    timeout: 60_000,
    // the user's own git variables would point git at programs too: the CLI must not pass them on
    env: { ...process.env, GIT_EXTERNAL_DIFF: ext, GIT_PAGER: ext, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.fsmonitor', GIT_CONFIG_VALUE_0: ext },
  });
  assert.equal(result.error, undefined);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as DiffReport;
}

describe('dockerlens diff in a repository that configures programs', () => {
  it('HEAD against the working tree: runs none of them, leaves .git as it was, still sees what changed', (t) => {
    if (!hasGit()) return t.skip('git is not installed on this machine');
    const hostile = createHostileRepo(path.join(tmp, 'worktree'));
    const before = hostile.gitState();
    const report = diff(hostile, 'HEAD', 'Dockerfile');
    assert.deepEqual(hostile.ran(), [], 'programs the repository configures ran');
    assert.deepEqual(changedIn(before, hostile.gitState()), [], '.git changed');
    assert.deepEqual(report.changes.files, ['app.txt', 'new.txt']);
    assert.deepEqual(report.totals.reusedLayers, [1], 'COPY keep.txt: same bytes, only a new time');
    assert.deepEqual(report.totals.rebuiltLayers, [2, 3]);
  });

  it('two commits: runs none of them either', (t) => {
    if (!hasGit()) return t.skip('git is not installed on this machine');
    const hostile = createHostileRepo(path.join(tmp, 'commits'));
    const before = hostile.gitState();
    const report = diff(hostile, 'HEAD~1', 'HEAD', 'Dockerfile');
    assert.deepEqual(hostile.ran(), [], 'programs the repository configures ran');
    assert.deepEqual(changedIn(before, hostile.gitState()), [], '.git changed');
    assert.deepEqual(report.changes.files, [], 'the signed commit changed no file');
    assert.deepEqual(report.totals.rebuiltLayers, []);
  });
});
