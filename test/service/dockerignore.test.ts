import { test } from 'node:test';
import assert from 'node:assert/strict';
import ignoreLibrary from '@balena/dockerignore';
import { createIgnore, dockerignoreFor } from '../../server/src/service/sizes/dockerignore';

/** Asserts which of `paths` the .dockerignore text excludes. */
function excludes(text: string, expected: Record<string, boolean>): void {
  const ig = createIgnore(text);
  const actual = Object.fromEntries(Object.keys(expected).map((p) => [p, ig.ignores(p)]));
  assert.deepEqual(actual, expected, text);
}

test('comments only in the first column, blank lines and CRLF', () => {
  const ig = createIgnore('# a comment\n\n   \n  # not a comment\r\nsecret\r\n');
  assert.deepEqual(ig.patterns, ['# not a comment', 'secret']);
  excludes('# secret\nsecret\n', { secret: true, '# secret': false });
  excludes('  # x\n', { '# x': true });
});

test('a leading / or ./ anchors nothing more: patterns are relative to the context root', () => {
  excludes('/secret\n./build\n', { secret: true, build: true, 'build/out.js': true, 'sub/secret': false });
  assert.deepEqual(createIgnore('/a//b/\n./c/./d\n!/e\n! f\n').patterns, ['a/b', 'c/d', '!e', '!f']);
});

test('* and ? do not cross /; a pattern also excludes everything under what it matches', () => {
  excludes('*.md\n', { 'README.md': true, 'docs/a.md': false });
  excludes('*/*.md\n', { 'README.md': false, 'docs/a.md': true, 'docs/x/a.md': false });
  excludes('file?.txt\n', { 'file1.txt': true, 'file12.txt': false, 'file/.txt': false });
  excludes('a/b\n', { 'a/b': true, 'a/b/c/d': true, 'a/bc': false, a: false });
});

test('** matches any number of directories, anywhere in a pattern', () => {
  excludes('**/*.log\n', { 'a.log': true, 'x/y/a.log': true, 'a.log.txt': false });
  excludes('a/**/b\n', { 'a/b': true, 'a/x/y/b': true, 'a/x/y/b/c': true, 'b': false });
  excludes('**/node_modules\n', { node_modules: true, 'pkg/node_modules/x/index.js': true, 'pkg/node_modules_x': false });
  excludes('logs/**\n', { logs: false, 'logs/a': true, 'logs/a/b': true });
  excludes('**\n', { a: true, 'a/b/c': true });
});

test('! exceptions: the last matching pattern wins', () => {
  excludes('*.md\n!README.md\n', { 'README.md': false, 'CHANGES.md': true });
  excludes('!README.md\n*.md\n', { 'README.md': true, 'CHANGES.md': true });
  excludes('*.md\n!*.md\n*.md\n!README*.md\n', { 'README.md': false, 'README-x.md': false, 'a.md': true });
});

test('character classes, negated with ^', () => {
  excludes('[a-c]*.txt\n', { 'apple.txt': true, 'cherry.txt': true, 'date.txt': false });
  excludes('[^a]*.txt\n', { 'apple.txt': false, 'banana.txt': true });
  excludes('[\\]x]\n', { ']': true, x: true, y: false });
});

test('a trailing / is cleaned away: it excludes a file of that name too', () => {
  excludes('build/\n', { build: true, 'build/app.js': true, 'src/build': false });
  const ig = createIgnore('build/\n');
  assert.equal(ig.ignores('build', true), true);
  assert.equal(ig.ignores('build', false), true);
});

test('an excluded directory with a re-included file inside is still walked', () => {
  const ig = createIgnore('docs\nnode_modules\n!docs/README.md\n');
  excludes('docs\nnode_modules\n!docs/README.md\n', { docs: true, 'docs/README.md': false, 'docs/other.md': true, 'node_modules/x': true });
  assert.equal(ig.descendInto('docs', ig.stateOf('docs')), true);
  assert.equal(ig.descendInto('node_modules', ig.stateOf('node_modules')), false);
  // a pattern after the exception excludes the directory again: nothing inside can come back
  const later = createIgnore('docs\n!docs/README.md\ndocs\n');
  assert.equal(later.descendInto('docs', later.stateOf('docs')), false);
  assert.equal(later.ignores('docs/README.md'), true);
});

test('descendInto follows exceptions with wildcards only where they can reach', () => {
  const ig = createIgnore('*\n!src/*.go\n!**/keep.txt\n');
  assert.equal(ig.descendInto('src', ig.stateOf('src')), true);
  assert.equal(ig.ignores('src/main.go'), false);
  assert.equal(ig.ignores('a/b/keep.txt'), false);
  const fixed = createIgnore('*\n!src/*.go\n');
  assert.equal(fixed.descendInto('vendor', fixed.stateOf('vendor')), false);
  assert.equal(fixed.descendInto('src', fixed.stateOf('src')), true);
  const depth = createIgnore('*\n!*.go\n');
  assert.equal(depth.descendInto('src', depth.stateOf('src')), false, 'a one-component exception cannot reach inside a directory');
});

test('Dockerfile and .dockerignore can be excluded like any file', () => {
  excludes('Dockerfile\n.dockerignore\n', { Dockerfile: true, '.dockerignore': true, 'app/Dockerfile': false });
  excludes('*\n!src\n', { Dockerfile: true, '.dockerignore': true, 'src/a.ts': false });
});

test('dockerignoreFor: the Dockerfile-specific file first, then the root .dockerignore', () => {
  assert.deepEqual(dockerignoreFor('build.Dockerfile'), ['build.Dockerfile.dockerignore', '.dockerignore']);
  assert.deepEqual(dockerignoreFor('docker/app.Dockerfile'), ['docker/app.Dockerfile.dockerignore', '.dockerignore']);
  assert.deepEqual(dockerignoreFor('./Dockerfile'), ['Dockerfile.dockerignore', '.dockerignore']);
});

// Where @balena/dockerignore alone differs from Docker: each case shows the library's answer and ours.

const library = (patterns: string[], path: string): boolean | 'throws' => {
  try {
    return ignoreLibrary().add(patterns).ignores(path);
  } catch {
    return 'throws';
  }
};

test('matching is case-sensitive (the library ignores case by default)', () => {
  assert.equal(library(['DOCS'], 'docs'), true);
  excludes('DOCS\n', { docs: false, DOCS: true });
});

test('regex operators in names are literal characters (the library treats + ( ) | { } as regex)', () => {
  assert.equal(library(['c++'], 'c++'), 'throws');
  assert.equal(library(['a|b'], 'abc'), true);
  assert.equal(library(['foo(1).txt'], 'foo(1).txt'), false);
  excludes('c++\na|b\nfoo(1).txt\nv{2}\n', { 'c++': true, c: false, abc: false, 'a|b': true, 'foo(1).txt': true, 'foo1.txt': false, 'v{2}': true, vv: false });
  excludes('*.c++\n', { 'x.c++': true, 'x.c': false });
});

test('a pattern matching any parent directory excludes the path (the library tries one parent only)', () => {
  assert.equal(library(['x/**b'], 'x/y/b/c'), false);
  excludes('x/**b\n', { 'x/y/b/c': true, 'x/y/b': true, 'x/y/c': false });
});

test('**name is a suffix test in Docker', () => {
  assert.equal(library(['**.log'], 'a/b.log'), false);
  excludes('**.log\n', { 'a/b.log': true, 'b.log': true, 'b.txt': false });
});

test('a lone ! and malformed patterns are reported: docker build fails on them', () => {
  const ig = createIgnore('!\nok\n[a\nbad\\\n');
  assert.equal(ig.errors.length, 3);
  assert.deepEqual(ig.patterns, ['ok']);
  assert.equal(library(['[a'], 'a'), 'throws');
  assert.doesNotThrow(() => ig.ignores('a'));
});

test('names starting with # or ! after cleaning, and a byte-order mark', () => {
  excludes('/#notes\n\\!important\n', { '#notes': true, '!important': true, important: false });
  excludes('!!weird*\n*\n!!weird\n', { '!weird': false, weird: true });
  excludes('\uFEFF# comment\nsecret\n', { '# comment': false, secret: true });
});

test('the state a walker carries matches asking path by path', () => {
  const ig = createIgnore('**/*.tmp\nbuild\n!build/keep\nx/**b\n');
  const paths = ['a', 'a/b.tmp', 'build', 'build/keep', 'build/keep/k.tmp', 'build/other', 'x', 'x/y', 'x/y/b', 'x/y/b/c'];
  const states = new Map<string, ReturnType<typeof ig.stateOf>>();
  for (const p of paths) {
    const parent = p.includes('/') ? states.get(p.slice(0, p.lastIndexOf('/'))) : undefined;
    const state = ig.match(p, p.split('/').length, parent);
    states.set(p, state);
    assert.equal(state.ignored, createIgnore('**/*.tmp\nbuild\n!build/keep\nx/**b\n').ignores(p), p);
  }
});

test('no patterns: nothing is excluded', () => {
  const ig = createIgnore('');
  assert.equal(ig.ignores('anything/at/all'), false);
  assert.equal(ig.hasExceptions, false);
});
