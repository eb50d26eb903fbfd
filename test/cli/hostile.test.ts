/**
 * A cloned repository is hostile input: named pipes, sockets, devices, symlinks out of a folder
 * and symlink loops where the CLI expects a Dockerfile, a .dockerignore, an ADD source or an image
 * folder's files. Each case runs the bundled dist/cli.js in its own process and expects a prompt
 * answer with a one-line reason; the spawn's timeout kills a hung CLI so a regression fails here
 * (the test timeouts are hang guards, not speed assertions).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkfifo, NO_MKFIFO } from '../fifo';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
/** kills a CLI that hangs on a pipe: the failure then names the case instead of stalling the suite */
const KILL_AFTER_MS = 30_000;
const GUARD = { timeout: 60_000 };


function cli(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: KILL_AFTER_MS });
  assert.equal(result.signal, null, `dockerlens ${args.join(' ')} did not finish: it was killed after ${KILL_AFTER_MS} ms (a hang)`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
const fifo = (p: string) => mkfifo(path.join(dir, p));
const file = (p: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
  writeFileSync(path.join(dir, p), text);
};

describe('hostile files: the CLI never waits on a pipe and never reads outside what it was given', () => {
  let socketServer: Server | undefined;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dockerlens-hostile-'));
    for (const d of ['dockerfile-pipe', 'ignore-pipe', 'own-ignore-pipe', 'add-pipe', 'add-socket', 'loop', 'image-links', 'image-pipe']) mkdirSync(path.join(dir, d));
    // a listening unix socket file where an ADD source is
    file('add-socket/Dockerfile', 'FROM alpine:3.22\nADD sock.tar /\nCOPY app.txt /\n');
    file('add-socket/app.txt', 'hello');
    socketServer = createServer();
    await new Promise<void>((resolve) => socketServer!.listen(path.join(dir, 'add-socket/sock.tar'), resolve));
  });
  after(async () => {
    await new Promise<void>((resolve) => (socketServer ? socketServer.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a named pipe as the Dockerfile: exit 2 with the reason', { ...GUARD, skip: NO_MKFIFO }, () => {
    fifo('dockerfile-pipe/Dockerfile');
    const result = cli(['explain', 'dockerfile-pipe/Dockerfile'], dir);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim(), 'Cannot read dockerfile-pipe/Dockerfile: a named pipe, not a regular file: not read');
    const check = cli(['check', 'dockerfile-pipe/Dockerfile'], dir);
    assert.equal(check.code, 2);
    assert.match(check.stderr, /a named pipe, not a regular file/);
  });

  it('a named pipe as .dockerignore: the context is not known (not read unfiltered), and says why', { ...GUARD, skip: NO_MKFIFO }, () => {
    file('ignore-pipe/Dockerfile', 'FROM alpine:3.22\nCOPY . /app\n');
    file('ignore-pipe/app.txt', 'x'.repeat(100));
    fifo('ignore-pipe/.dockerignore');
    const result = cli(['explain', 'ignore-pipe/Dockerfile'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Build context: ignore-pipe could not be read \(a named pipe, not a regular file: not read: \.dockerignore\): COPY\/ADD sizes are not known$/m);
  });

  it('a named pipe as Dockerfile.dockerignore (the per-Dockerfile ignore file)', { ...GUARD, skip: NO_MKFIFO }, () => {
    file('own-ignore-pipe/Dockerfile', 'FROM alpine:3.22\nCOPY . /app\n');
    fifo('own-ignore-pipe/Dockerfile.dockerignore');
    const result = cli(['explain', 'own-ignore-pipe/Dockerfile', '--json'], dir);
    assert.equal(result.code, 0, result.stderr);
    const copy = (JSON.parse(result.stdout) as { layers: { keyword: string; size: { source: string; detail: string } }[] }).layers.find((l) => l.keyword === 'COPY')!;
    assert.equal(copy.size.source, 'unknown');
  });

  it('a named pipe as an ADD source: explain answers; the pipe is a 0-byte entry, refused unread', { ...GUARD, skip: NO_MKFIFO }, () => {
    file('add-pipe/Dockerfile', 'FROM alpine:3.22\nADD x.tar /\nCOPY app.txt /\n');
    file('add-pipe/app.txt', 'hello');
    fifo('add-pipe/x.tar');
    const result = cli(['explain', 'add-pipe/Dockerfile'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /ADD x\.tar \//);
    assert.match(result.stdout, /\s5 B\s.*exact\s+COPY app\.txt/);
    assert.match(result.stdout, /^Build context: add-pipe \(3 files/m);
  });

  it('a socket as an ADD source: explain answers', GUARD, () => {
    const result = cli(['explain', 'add-socket/Dockerfile'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\s5 B\s.*exact\s+COPY app\.txt/);
  });

  it('a symlink loop as the Dockerfile: exit 2 with one plain line, no absolute path', GUARD, () => {
    symlinkSync('b', path.join(dir, 'loop/a'));
    symlinkSync('a', path.join(dir, 'loop/b'));
    const result = cli(['explain', 'loop/a'], dir);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim(), 'Cannot read loop/a: a symlink loop (or a symlink that is not followed)');
    const device = cli(['explain', '/dev/zero'], dir);
    assert.equal(device.code, 2);
    assert.equal(device.stderr.trim(), 'Cannot read /dev/zero: a character device, not a regular file: not read');
  });

  it('compare: an image folder whose files link out of it (/dev/zero, a secret) is refused, nothing outside is read', GUARD, () => {
    file('secret.json', '{"manifests": []}');
    symlinkSync('/dev/zero', path.join(dir, 'image-links/manifest.json'));
    const zero = cli(['compare', 'add-pipe/Dockerfile', '--no-context', '--image', 'image-links'], dir);
    assert.equal(zero.code, 2);
    assert.equal(zero.stderr.trim(), 'Cannot read the image image-links: manifest.json is a symlink out of the image folder: not followed');
    rmSync(path.join(dir, 'image-links/manifest.json'));
    symlinkSync(path.join(dir, 'secret.json'), path.join(dir, 'image-links/index.json'));
    const secret = cli(['compare', 'add-pipe/Dockerfile', '--no-context', '--image', 'image-links'], dir);
    assert.equal(secret.code, 2);
    // the secret says "lists no image" when read: the refusal proves it was not
    assert.equal(secret.stderr.trim(), 'Cannot read the image image-links: index.json is a symlink out of the image folder: not followed');
  });

  it('compare: a named pipe as the image archive or as an image folder\'s index.json', { ...GUARD, skip: NO_MKFIFO }, () => {
    fifo('image.tar');
    const archive = cli(['compare', 'add-pipe/Dockerfile', '--no-context', '--image', './image.tar'], dir);
    assert.equal(archive.code, 2);
    assert.equal(archive.stderr.trim(), 'Cannot read the image ./image.tar: a named pipe, not a regular file: not read');
    fifo('image-pipe/index.json');
    const folder = cli(['compare', 'add-pipe/Dockerfile', '--no-context', '--image', 'image-pipe'], dir);
    assert.equal(folder.code, 2);
    assert.equal(folder.stderr.trim(), 'Cannot read the image image-pipe: a named pipe, not a regular file: not read: index.json');
  });

  it('ARG X=${X}${X} sixty times: explain and check finish (exit 0, not 3) and say the value was cut (DL-P003)', GUARD, () => {
    file('exponential/Dockerfile', ['ARG X=ab', ...Array(60).fill('ARG X=${X}${X}'), 'FROM alpine:3.22', 'ENV Y=$X', 'RUN echo $Y'].join('\n'));
    const explain = cli(['explain', 'exponential/Dockerfile', '--no-context'], dir);
    assert.equal(explain.code, 0, explain.stderr);
    assert.doesNotMatch(explain.stderr, /Invalid string length/);
    const check = cli(['check', 'exponential/Dockerfile', '--no-context', '--json', '--fail-on', 'never'], dir);
    assert.equal(check.code, 0, check.stderr);
    const codes = (JSON.parse(check.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    assert.ok(codes.includes('DL-P003'), codes.join(' '));
  });

  it('control and direction characters in names are escaped in text output (tables, diff, messages); JSON keeps them', GUARD, () => {
    const evil = 'evil\u001b[31mRED\nfake row';
    const bidi = 'invoice\u202efdp.exe';
    file('names/Dockerfile', 'FROM alpine:3.22\nCOPY . /app\n');
    file(`names/${evil}`, 'x');
    file(`names/${bidi}`, 'y');
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const layer = cli(['explain', 'names/Dockerfile', '--layer', '1'], dir);
    assert.equal(layer.code, 0, layer.stderr);
    assert.doesNotMatch(layer.stdout, raw);
    assert.ok(layer.stdout.includes('evil\\u{1b}[31mRED\\nfake row'), layer.stdout);
    assert.ok(layer.stdout.includes('invoice\\u{202e}fdp.exe'), layer.stdout);
    assert.ok(!layer.stdout.split('\n').some((l) => l.startsWith('fake row')), 'a newline in a name makes no line of its own');
    const json = cli(['explain', 'names/Dockerfile', '--layer', '1', '--json'], dir);
    assert.ok(JSON.stringify(JSON.parse(json.stdout)).includes(JSON.stringify(evil).slice(1, -1)), 'JSON carries the name as it is');
    // diff between two folders: the changed file's name
    mkdirSync(path.join(dir, 'names-before'));
    file('names-before/Dockerfile', 'FROM alpine:3.22\nCOPY . /app\n');
    file(`names-before/${evil}`, 'changed');
    file(`names-before/${bidi}`, 'y');
    const diff = cli(['diff', '--before', 'names-before', '--after', 'names'], dir);
    assert.doesNotMatch(diff.stdout, raw);
    assert.ok(diff.stdout.includes('evil\\u{1b}[31mRED\\nfake row'), diff.stdout);
    const markdown = cli(['diff', '--before', 'names-before', '--after', 'names', '--format', 'markdown'], dir);
    assert.doesNotMatch(markdown.stdout, raw);
    // a message naming a file the user gave
    const missing = cli(['explain', 'nowhere\u001b]0;title\u0007/Dockerfile'], dir);
    assert.equal(missing.stderr.trim(), 'Cannot read nowhere\\u{1b}]0;title\\u{7}/Dockerfile: no such file');
  });

  it('diff: a named pipe as the Dockerfile of --after', { ...GUARD, skip: NO_MKFIFO }, () => {
    mkdirSync(path.join(dir, 'diff-before'));
    mkdirSync(path.join(dir, 'diff-after'));
    file('diff-before/Dockerfile', 'FROM alpine:3.22\n');
    fifo('diff-after/Dockerfile');
    const result = cli(['diff', '--before', 'diff-before', '--after', 'diff-after'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^Cannot read diff-after\/Dockerfile: a named pipe, not a regular file: not read$/m);
  });
});
