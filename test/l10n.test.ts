import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const json = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every package.json %key% has English and Korean text, and the two key sets match', () => {
  const manifest = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const keys = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
  const en = json('package.nls.json');
  const ko = json('package.nls.ko.json');
  assert.ok(keys.length >= 5);
  for (const key of keys) {
    assert.ok(typeof en[key] === 'string' && en[key] !== '', `package.nls.json lacks ${key}`);
    assert.ok(typeof ko[key] === 'string' && ko[key] !== '', `package.nls.ko.json lacks ${key}`);
  }
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
});

test('every vscode.l10n.t string of the client has a Korean translation', () => {
  const bundle = json('l10n/bundle.l10n.ko.json');
  const used = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'client/src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) used.add(m[1]!.replace(/\\'/g, "'"));
  }
  assert.ok(used.size >= 5, `found ${used.size} strings`);
  for (const text of used) assert.ok(typeof bundle[text] === 'string' && bundle[text] !== '', `no Korean for: ${text}`);
  for (const key of Object.keys(bundle)) assert.ok(used.has(key), `stale translation: ${key}`);
});

test('README has no relative links (vsce cannot resolve them without a repository URL)', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const relative = [...readme.matchAll(/\]\((?!https?:|#|command:)([^)]+)\)/g)].map((m) => m[1]);
  assert.deepEqual(relative, []);
});

// The walkthrough shows its markdown in a narrow pane beside the steps, where code blocks do not
// wrap: lines longer than this were cut off on the right in code-server at its default size.
const WALKTHROUGH_CODE_COLUMNS = 40;

test('walkthrough code blocks fit the narrow walkthrough pane', () => {
  const dir = path.join(ROOT, 'media/walkthrough');
  const pages = readdirSync(dir).filter((name) => name.endsWith('.md'));
  assert.ok(pages.length >= 4);
  for (const page of pages) {
    let inCode = false;
    let codeLines = 0;
    for (const line of readFileSync(path.join(dir, page), 'utf8').split('\n')) {
      if (line.startsWith('```')) {
        inCode = !inCode;
        continue;
      }
      if (!inCode) continue;
      codeLines++;
      assert.ok([...line].length <= WALKTHROUGH_CODE_COLUMNS, `${page}: a code line of ${[...line].length} columns: ${line}`);
    }
    assert.ok(codeLines > 0, `${page} has a code block`);
  }
});
