import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gitBaseline } from '../../server/src/gitBaseline';
import { hasGit } from '../hostileRepo';

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

    // Compared with an older revision: what changed since then, and the Dockerfile as it was.
    run('add', '.');
    run('commit', '-qm', 'second');
    writeFileSync(path.join(app, 'Dockerfile'), 'FROM alpine:3.23\nCOPY . /app\n');
    run('commit', '-qam', 'third');
    const older = await gitBaseline(app, path.join(app, 'Dockerfile'), 'HEAD~2');
    assert.equal(older.available, true);
    if (!older.available) return;
    assert.deepEqual(older.files.sort(), ['Dockerfile', 'src/a.txt', 'src/new.txt']);
    assert.equal(older.headDockerfile, 'FROM alpine:3.22\nCOPY . /app\n');
    const clean = await gitBaseline(app, path.join(app, 'Dockerfile'));
    assert.ok(clean.available && clean.files.length === 0, 'nothing changed since the last commit');
    const unknown = await gitBaseline(app, path.join(app, 'Dockerfile'), 'no-such-branch');
    assert.equal(unknown.available, false);
    if (!unknown.available) assert.match(unknown.reason, /unknown revision 'no-such-branch'/);
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

for (const format of ['sha1', 'sha256'] as const) {
  test(`git baseline (${format}): the working tree hashed in process finds what git would, reads no FIFO, writes no index`, async (t) => {
    if (!hasGit()) return t.skip('git is not installed on this machine');
    if (process.platform === 'win32') return t.skip('FIFOs, symlinks and the executable bit are POSIX');
    const repo = mkdtempSync(path.join(tmpdir(), `dockerlens-git-${format}-`));
    try {
      const run = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: repo, stdio: 'pipe' });
      try {
        run('init', '-q', `--object-format=${format}`);
      } catch {
        return t.skip(`this git cannot make a ${format} repository`);
      }
      const files: Record<string, string> = {
        'Dockerfile': 'FROM scratch\nCOPY . /\n', '.gitignore': 'ignored.txt\n', 'same.txt': 'same', 'touched.txt': 'touched',
        'edit.txt': 'before', 'mode.sh': 'echo', 'gone.txt': 'gone', 'fifo.txt': 'fifo', 'dir/deep.txt': 'deep',
      };
      mkdirSync(path.join(repo, 'dir'));
      for (const [file, text] of Object.entries(files)) writeFileSync(path.join(repo, file), text);
      symlinkSync('same.txt', path.join(repo, 'link'));
      run('add', '.');
      run('commit', '-qm', 'first');
      writeFileSync(path.join(repo, 'edit.txt'), 'after!'); // same size: only the bytes tell
      writeFileSync(path.join(repo, 'touched.txt'), 'touched'); // same bytes, new times
      chmodSync(path.join(repo, 'mode.sh'), 0o755);
      rmSync(path.join(repo, 'link'));
      symlinkSync('edit.txt', path.join(repo, 'link'));
      rmSync(path.join(repo, 'gone.txt'));
      rmSync(path.join(repo, 'fifo.txt'));
      execFileSync('mkfifo', [path.join(repo, 'fifo.txt')]);
      writeFileSync(path.join(repo, 'ignored.txt'), 'ignored');
      writeFileSync(path.join(repo, 'untracked.txt'), 'new');
      writeFileSync(path.join(repo, 'staged.txt'), 'staged');
      run('add', 'staged.txt');
      const index = readFileSync(path.join(repo, '.git', 'index'));
      const indexTime = statSync(path.join(repo, '.git', 'index')).mtimeMs;
      const base = await gitBaseline(repo, path.join(repo, 'Dockerfile'));
      assert.ok(base.available, base.available ? '' : base.reason);
      assert.deepEqual(base.files, ['edit.txt', 'fifo.txt', 'gone.txt', 'link', 'mode.sh', 'staged.txt', 'untracked.txt']);
      assert.ok(readFileSync(path.join(repo, '.git', 'index')).equals(index), 'the index was rewritten');
      assert.equal(statSync(path.join(repo, '.git', 'index')).mtimeMs, indexTime);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
}
