import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createNodeContextReader } from '../../server/src/nodeContextReader';
import {
  findFile, isDirectory, scanContext, sizeUnder, updateContext, type ContextSnapshot,
} from '../../server/src/service/sizes/context';
import { createIgnore } from '../../server/src/service/sizes/dockerignore';
import type { ContextReader } from '../../server/src/service/sizes/types';
import { memoryContext, type MemoryEntry } from '../memoryContext';
import { mulberry32 } from '../random';

const APP: Record<string, MemoryEntry> = {
  Dockerfile: 'FROM node:22\nCOPY . /app\n',
  '.dockerignore': 'node_modules\n*.log\ndocs\n!docs/README.md\n',
  'package.json': '{"name":"app"}',
  'src/index.js': 'console.log(1)\n',
  'src/lib/util.js': 'export {}\n',
  'src/lib.js': 'x',
  'debug.log': { size: 5000 },
  'node_modules/left-pad/index.js': { size: 100 },
  'docs/README.md': '# app\n',
  'docs/guide.md': { size: 40 },
  'empty': { directory: true },
};

async function scanApp(tree = APP, options: Parameters<typeof memoryContext>[1] = {}) {
  const reader = memoryContext(tree, options);
  const ignore = createIgnore(String(tree['.dockerignore'] ?? ''));
  const snapshot = await scanContext(reader, { ignore });
  return { reader, ignore, snapshot };
}

const paths = (s: ContextSnapshot) => s.files.map((f) => f.path);

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlens-context-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('scan lists what the build sends, sorted, with sizes, kinds and a total', async () => {
  const { snapshot } = await scanApp();
  assert.deepEqual(paths(snapshot), ['.dockerignore', 'Dockerfile', 'docs/README.md', 'package.json', 'src/index.js', 'src/lib.js', 'src/lib/util.js']);
  assert.deepEqual(snapshot.directories, ['docs', 'empty', 'src', 'src/lib']);
  assert.equal(snapshot.totalBytes, snapshot.files.reduce((n, f) => n + f.size, 0));
  assert.equal(snapshot.fileCount, 7);
  assert.equal(findFile(snapshot, 'package.json')?.size, 14);
  assert.equal(findFile(snapshot, 'src/lib.js')?.kind, 'file');
  assert.deepEqual([snapshot.complete, snapshot.truncated, snapshot.errors], [true, false, []]);
});

test('ignored entries are counted; an excluded directory without exceptions is not walked', async () => {
  const { snapshot, reader } = await scanApp();
  assert.deepEqual(snapshot.ignored, ['debug.log', 'docs/guide.md', 'node_modules']);
  assert.equal(snapshot.ignoredCount, 3);
  assert.ok(!reader.calls.readDirectory.includes('node_modules'));
  assert.ok(reader.calls.readDirectory.includes('docs'), 'docs is excluded but !docs/README.md reaches inside');
  assert.deepEqual(reader.calls.readFile, [], 'a scan never reads file contents');
});

test('bytes and file count under a directory, by two binary searches', async () => {
  const { snapshot } = await scanApp();
  assert.deepEqual(sizeUnder(snapshot, 'src'), { bytes: 15 + 1 + 10, files: 3 });
  assert.deepEqual(sizeUnder(snapshot, 'src/lib'), { bytes: 10, files: 1 });
  assert.deepEqual(sizeUnder(snapshot, '.'), { bytes: snapshot.totalBytes, files: 7 });
  assert.deepEqual(sizeUnder(snapshot, 'missing'), { bytes: 0, files: 0 });
  assert.equal(isDirectory(snapshot, 'src/lib'), true);
  assert.equal(isDirectory(snapshot, 'src/lib.js'), false);
  assert.equal(isDirectory(snapshot, ''), true);
});

test('paths sort by code unit: a.txt comes before a/…, and a directory sorts as name/', async () => {
  const { snapshot } = await scanApp({ 'a/x': '1', 'a.txt': '2', 'a-b': '3', 'ab/c': '4', A: '5' });
  assert.deepEqual(paths(snapshot), ['A', 'a-b', 'a.txt', 'a/x', 'ab/c']);
  assert.deepEqual(snapshot.bytesBefore, [0, 1, 2, 3, 4, 5]);
});

test('a symlink is listed as itself, with the size of the link, and never followed', async () => {
  const { snapshot, reader } = await scanApp({ 'a/loop': { symlink: '..' }, 'a/file': 'x', self: { symlink: '.' } });
  assert.deepEqual(snapshot.files.map((f) => [f.path, f.kind, f.size, f.target]), [
    ['a/file', 'file', 1, undefined], ['a/loop', 'symlink', 2, '..'], ['self', 'symlink', 1, '.'],
  ]);
  assert.deepEqual(reader.calls.readDirectory.sort(), ['', 'a']);
});

test('an unreadable directory or file is recorded and the walk carries on', async () => {
  // simulated in memory: the tests run as root, where chmod 000 does not stop reads
  const { snapshot } = await scanApp({ 'locked/a': 'x', 'open/b': 'yy', 'secret.key': 'k' }, { deny: ['locked', 'secret.key'] });
  assert.deepEqual(snapshot.errors.map((e) => [e.path, e.code]), [['locked', 'EACCES'], ['secret.key', 'EACCES']]);
  assert.deepEqual(paths(snapshot), ['open/b', 'secret.key']);
  assert.ok(snapshot.directories.includes('locked'));
});

test('an unreadable directory that is excluded is not an error, even when walked for exceptions', async () => {
  const tree = { 'cache/a': 'x', 'cache/keep': 'k', 'b': 'y' };
  const reader = memoryContext(tree, { deny: ['cache'] });
  const snapshot = await scanContext(reader, { ignore: createIgnore('cache\n!cache/keep\n') });
  assert.deepEqual(snapshot.errors, []);
  assert.deepEqual(paths(snapshot), ['b']);
});

test('cancelling stops the walk cleanly: complete is false', async () => {
  const tree: Record<string, MemoryEntry> = {};
  for (let d = 0; d < 20; d++) for (let f = 0; f < 5; f++) tree[`d${d}/f${f}`] = 'x';
  let polls = 0;
  const snapshot = await scanContext(memoryContext(tree), { shouldCancel: () => ++polls > 5, concurrency: 1 });
  assert.equal(snapshot.complete, false);
  assert.equal(snapshot.truncated, false);
  assert.ok(snapshot.fileCount < 100);
  assert.equal(snapshot.totalBytes, snapshot.fileCount);
});

test('past maxFiles the walk stops: complete false, truncated true', async () => {
  const tree: Record<string, MemoryEntry> = {};
  for (let f = 0; f < 50; f++) tree[`f${f}`] = 'x';
  const seen: number[] = [];
  const snapshot = await scanContext(memoryContext(tree), { maxFiles: 10, onProgress: (n) => seen.push(n) });
  assert.equal(snapshot.fileCount, 10);
  assert.deepEqual([snapshot.complete, snapshot.truncated], [false, true]);
  assert.ok(seen.length > 0);
});

test('progress is reported while walking and once at the end', async () => {
  const tree: Record<string, MemoryEntry> = {};
  for (let d = 0; d < 10; d++) for (let f = 0; f < 100; f++) tree[`d${d}/f${f}`] = '';
  const seen: number[] = [];
  await scanContext(memoryContext(tree), { onProgress: (n) => seen.push(n) });
  assert.ok(seen.length >= 2);
  assert.equal(seen[seen.length - 1], 1010);
  assert.deepEqual([...seen].sort((a, b) => a - b), seen);
});

test('update: a changed file is stat-ed alone and the old snapshot is left as it was', async () => {
  const { reader, ignore, snapshot } = await scanApp();
  const before = JSON.stringify(snapshot);
  reader.set('src/index.js', 'console.log("a longer line")\n');
  reader.calls.readDirectory.length = 0;
  const next = await updateContext(snapshot, ['src/index.js'], reader, ignore);
  assert.equal(JSON.stringify(snapshot), before);
  assert.deepEqual(reader.calls.stat, ['src/index.js']);
  assert.deepEqual(reader.calls.readDirectory, []);
  assert.equal(findFile(next, 'src/index.js')?.size, 29);
  assert.equal(next.totalBytes, snapshot.totalBytes + 14);
});

test('update: new directories, deletions and newly ignored files', async () => {
  const { reader, ignore, snapshot } = await scanApp();
  reader.set('lib/deep/new.js', 'abc');
  reader.remove('src/lib');
  reader.set('trace.log', { size: 9 });
  const next = await updateContext(snapshot, ['lib/deep/new.js', 'src/lib', 'src/lib/util.js', 'trace.log'], reader, ignore);
  assert.deepEqual(paths(next), ['.dockerignore', 'Dockerfile', 'docs/README.md', 'lib/deep/new.js', 'package.json', 'src/index.js', 'src/lib.js']);
  assert.deepEqual(next.directories, ['docs', 'empty', 'lib', 'lib/deep', 'src']);
  assert.deepEqual(next.ignored, ['debug.log', 'docs/guide.md', 'node_modules', 'trace.log']);
  assert.deepEqual(next.bytesBefore.length, next.files.length + 1);
});

test('update: a change inside an excluded directory costs one look at that directory', async () => {
  const { reader, ignore, snapshot } = await scanApp();
  reader.calls.stat.length = 0;
  reader.set('node_modules/left-pad/package.json', '{}');
  const next = await updateContext(snapshot, ['node_modules/left-pad/package.json'], reader, ignore);
  assert.deepEqual(reader.calls.stat, ['node_modules']);
  assert.deepEqual(paths(next), paths(snapshot));
  assert.deepEqual(next.ignored, snapshot.ignored);
});

test('update: an excluded directory whose last re-included file goes is no longer sent', async () => {
  const { reader, ignore, snapshot } = await scanApp();
  reader.remove('docs/README.md');
  const next = await updateContext(snapshot, ['docs/README.md'], reader, ignore);
  const fresh = await scanContext(reader, { ignore });
  assert.deepEqual(next.directories, ['empty', 'src', 'src/lib']);
  assert.deepEqual([next.directories, next.ignored], [fresh.directories, fresh.ignored]);
  reader.set('docs/README.md', 'back');
  const again = await updateContext(next, ['docs/README.md'], reader, ignore);
  assert.deepEqual([paths(again), again.directories, again.ignored], [paths(snapshot), snapshot.directories, snapshot.ignored]);
});

test('update without a stat method reads the parent directory instead', async () => {
  const { reader, ignore, snapshot } = await scanApp(APP, { withStat: false });
  reader.set('src/lib/util.js', 'export const x = 1\n');
  reader.calls.readDirectory.length = 0;
  const next = await updateContext(snapshot, ['src/lib/util.js'], reader, ignore);
  assert.deepEqual(reader.calls.readDirectory, ['src/lib']);
  assert.equal(findFile(next, 'src/lib/util.js')?.size, 19);
});

test('update after random changes equals a full rescan', async () => {
  const random = mulberry32(7);
  const int = (n: number) => Math.floor(random() * n);
  const tree: Record<string, MemoryEntry> = {};
  for (let i = 0; i < 300; i++) tree[`d${int(6)}/e${int(4)}/f${i}${['.js', '.log', '.md'][int(3)]}`] = 'x'.repeat(int(50));
  const ignore = createIgnore('*/*/*.log\nd1\n!d1/e2\nd3/**\n!d3/e0/*.md\n');
  const reader = memoryContext(tree);
  let snapshot = await scanContext(reader, { ignore });
  for (let round = 0; round < 20; round++) {
    const changed: string[] = [];
    for (let k = 0; k < 5; k++) {
      const p = `d${int(8)}/e${int(5)}/f${int(400)}${['.js', '.log', '.md'][int(3)]}`;
      if (int(4) === 0) {
        const gone = p.split('/').slice(0, 1 + int(3)).join('/');
        reader.remove(gone);
        changed.push(gone);
      } else {
        reader.set(p, 'y'.repeat(int(80)));
        changed.push(p);
      }
    }
    snapshot = await updateContext(snapshot, changed, reader, ignore);
    const fresh = await scanContext(reader, { ignore });
    assert.deepEqual(paths(snapshot), paths(fresh), `round ${round}`);
    assert.deepEqual(snapshot.bytesBefore, fresh.bytesBefore, `round ${round}`);
    assert.deepEqual(snapshot.ignored, fresh.ignored, `round ${round}`);
    assert.deepEqual(snapshot.directories, fresh.directories, `round ${round}`);
  }
});

// ---------------------------------------------------------------------------------------------
// A real folder through nodeContextReader

/** Counts readFile calls, to show a scan never reads contents. */
function counting(reader: ContextReader): ContextReader & { reads: number } {
  const wrapped = {
    reads: 0,
    readDirectory: (p: string) => reader.readDirectory(p),
    readFile: (p: string) => {
      wrapped.reads++;
      return reader.readFile(p);
    },
  };
  return wrapped;
}

test('real folder: a symlink loop (a -> .) is listed as a link and the walk ends', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'f.txt'), 'hello');
  fs.symlinkSync('.', path.join(dir, 'a'));
  fs.symlinkSync('../sub', path.join(dir, 'sub', 'up'));
  const snapshot = await scanContext(createNodeContextReader(dir));
  assert.deepEqual(snapshot.files.map((f) => [f.path, f.kind, f.size, f.target]), [
    ['a', 'symlink', 1, '.'], ['sub/f.txt', 'file', 5, undefined], ['sub/up', 'symlink', 6, '../sub'],
  ]);
  assert.deepEqual(snapshot.directories, ['sub']);
});

test('real folder: a 1 GB sparse file is measured exactly and never read', async (t) => {
  const dir = tempDir(t);
  const big = path.join(dir, 'disk.img');
  fs.writeFileSync(big, '');
  fs.truncateSync(big, 1024 ** 3);
  const reader = counting(createNodeContextReader(dir));
  const snapshot = await scanContext(reader);
  assert.equal(findFile(snapshot, 'disk.img')?.size, 1024 ** 3);
  assert.equal(snapshot.totalBytes, 1024 ** 3);
  assert.equal(reader.reads, 0);
});

test('real folder: the reader refuses .., does not follow symlinks and caps reads', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'real'));
  fs.writeFileSync(path.join(dir, 'real', 'x'), 'x'.repeat(100));
  fs.symlinkSync('real', path.join(dir, 'link'));
  fs.symlinkSync('real/x', path.join(dir, 'xlink'));
  const reader = createNodeContextReader(dir, { maxFileBytes: 50 });
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);
  assert.equal(await code(reader.readDirectory('../')), 'EPERM');
  assert.equal(await code(reader.readDirectory('real/../..')), 'EPERM');
  assert.equal(await code(reader.readDirectory('link')), 'ELOOP');
  assert.equal(await code(reader.readFile('link/x')), 'ELOOP');
  assert.equal(await code(reader.readFile('xlink')), 'ELOOP');
  assert.equal(await code(reader.readDirectory('nothing')), 'ENOENT');
  assert.equal(await code(reader.readDirectory('real/x')), 'ENOTDIR');
  assert.equal(await code(reader.readFile('real/x')), 'EFBIG');
  assert.equal((await reader.readFile('real/x', 1000)).length, 100);
  assert.deepEqual(await reader.stat('xlink'), { path: 'xlink', size: 6, kind: 'symlink', target: 'real/x' });
  assert.equal((await reader.readRange('real/x', 90, 50)).length, 10);
  const error = await reader.readDirectory('nothing').catch((e: Error) => e);
  assert.ok(!String((error as Error).message).includes(dir), 'messages name relative paths only');
});

test('real folder: 100,000 files are counted and summed', async (t) => {
  // 17 files with content, the rest hard links to them: a new inode costs ~0.5 ms on a journaled
  // virtual disk, a link ~20 µs. Each path counts its own size, as the scan and COPY sizes do.
  const dir = tempDir(t);
  let expected = 0;
  for (let d = 0; d < 100; d++) {
    const sub = path.join(dir, `d${String(d).padStart(3, '0')}`);
    fs.mkdirSync(sub);
    for (let f = 0; f < 1000; f++) {
      const file = path.join(sub, `f${f}.txt`);
      if (d === 0 && f < 17) fs.writeFileSync(file, 'x'.repeat(f));
      else fs.linkSync(path.join(dir, 'd000', `f${f % 17}.txt`), file);
      expected += f % 17;
    }
  }
  fs.writeFileSync(path.join(dir, 'skip.log'), 'ignored');
  const snapshot = await scanContext(createNodeContextReader(dir), { ignore: createIgnore('*.log\n') });
  assert.equal(snapshot.fileCount, 100_000);
  assert.equal(snapshot.totalBytes, expected);
  assert.equal(snapshot.ignoredCount, 1);
  assert.deepEqual(sizeUnder(snapshot, 'd042'), { bytes: expected / 100, files: 1000 });
});
