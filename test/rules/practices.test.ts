import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDockerfile, diagnose, type Diagnosis } from '../../server/src/service';
import { estimateSizes } from '../../server/src/service/sizes/estimate';
import { aptService } from '../../server/src/service/sizes/aptService';
import { parseAptTable } from '../../server/src/service/sizes/aptTable';
import type { TextEdit } from '../../server/src/service/rules/practices';
import { exactSize } from '../../server/src/service/sizes/types';
import type { Layer } from '../../server/src/service/types';
import { formatBytes } from '../../server/src/service/features/sizeText';

const table = parseAptTable(brotliDecompressSync(readFileSync(path.resolve(__dirname, '../../..', 'server/src/service/data/apt-bookworm.txt.br'))).toString('utf8'));

function check(text: string, settings: Record<string, 'off' | 'error' | 'warning' | 'information' | 'hint'> = {}): Diagnosis[] {
  const model = estimateSizes(analyzeDockerfile(text), {
    apt: aptService(table),
    copyFromContext: (info) => ({ size: exactSize(5e6, null, 'x'), content: 'source-text', writes: [], notes: [], inputs: info.args.split(/\s+/).slice(0, -1) }),
  });
  return diagnose(model, text, settings);
}

/** The first own layer of the only stage (the RUN), sized with the bundled apt table. */
function runLayer(text: string): Layer {
  return estimateSizes(analyzeDockerfile(text), { apt: aptService(table) }).stages[0]!.layers.find((l) => l.number === 1)!;
}

const codes = (list: Diagnosis[]) => list.map((d) => d.code).sort();
const only = (list: Diagnosis[], code: string) => {
  const found = list.filter((d) => d.code === code);
  assert.equal(found.length, 1, `${code} in ${JSON.stringify(list.map((d) => d.code))}`);
  return found[0]!;
};

/** Applies LSP-style edits (non-overlapping) to a text. */
function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

test('DL-C001 source copied before the dependency install: quantified, and the fix reorders', () => {
  const text = 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n';
  const d = only(check(text), 'DL-C001');
  assert.match(d.message, /any source edit rebuilds layers 2–3 \(/);
  assert.equal(apply(text, d.fix!.edits), 'FROM node:22\nWORKDIR /app\nCOPY package.json package-lock.json* ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n');
  assert.deepEqual(codes(check(apply(text, d.fix!.edits))).filter((c) => c === 'DL-C001'), []);
  assert.ok(!codes(check('FROM node:22\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n')).includes('DL-C001'));
});

test('DL-C002 apt-get update alone: the fix merges it into the install below', () => {
  const text = 'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n';
  const d = only(check(text), 'DL-C002');
  assert.equal(apply(text, d.fix!.edits), 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n');
  assert.ok(!codes(check(apply(text, d.fix!.edits))).includes('DL-C002'));
});

test('DL-S001 recommends: bytes saved come from the resolver, the fix adds the flag', () => {
  const text = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl git && rm -rf /var/lib/apt/lists/*\n';
  const d = only(check(text), 'DL-S001');
  const fixed = apply(text, d.fix!.edits);
  assert.equal(fixed, 'FROM debian:bookworm\nRUN apt-get update && apt-get install --no-install-recommends -y curl git && rm -rf /var/lib/apt/lists/*\n');
  assert.ok(!codes(check(fixed)).includes('DL-S001'));
  // The saving is the RUN layer with recommends minus the same layer with the flag, both through
  // the whole size pass: 16.9 MB for bookworm's curl + git.
  const withRecommends = runLayer(text);
  const saving = withRecommends.size!.bytes! - runLayer(fixed).size!.bytes!;
  assert.equal(formatBytes(saving), '16.9 MB');
  assert.ok(d.message.includes(`--no-install-recommends would leave out ${formatBytes(saving)} (estimated`), d.message);
  // What Debian's control data makes recommended: git Recommends ssh-client (openssh-client), patch
  // and less; curl's libcurl4 and git Recommend ca-certificates. Requested packages stay.
  const roles = new Map((withRecommends.breakdown?.entries ?? []).map((e) => [e.name, e.role]));
  for (const name of ['openssh-client', 'patch', 'less', 'ca-certificates']) assert.equal(roles.get(name), 'recommended', name);
  for (const name of ['git', 'curl']) assert.equal(roles.get(name), 'requested', name);
});

test('DL-S002 apt lists left in the layer: the fix removes them in the same RUN', () => {
  const text = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n';
  const d = only(check(text), 'DL-S002');
  assert.match(d.message, /leaves 19\.9 MB of package lists/);
  const fixed = apply(text, d.fix!.edits);
  assert.match(fixed, /curl \\\n {4}&& rm -rf \/var\/lib\/apt\/lists\/\*\n$/);
  assert.ok(!codes(check(fixed)).includes('DL-S002'));
});

test('DL-S003 pip cache and DL-S004 npm cache, with their fixes', () => {
  const pip = 'FROM python:3.14-slim\nRUN pip install flask\n';
  const p = only(check(pip), 'DL-S003');
  assert.equal(apply(pip, p.fix!.edits), 'FROM python:3.14-slim\nRUN pip install --no-cache-dir flask\n');
  assert.ok(!codes(check('FROM python:3.14-slim\nRUN pip install --no-cache-dir flask\n')).includes('DL-S003'));
  assert.ok(!codes(check('FROM python:3.14-slim\nRUN pip install flask && rm -rf /root/.cache/pip\n')).includes('DL-S003'), 'a cache removed in the same RUN');
  const npm = 'FROM node:22\nCOPY package.json ./\nRUN npm ci\n';
  const n = only(check(npm), 'DL-S004');
  assert.equal(apply(npm, n.fix!.edits), 'FROM node:22\nCOPY package.json ./\nRUN npm ci \\\n    && npm cache clean --force\n');
});

test('DL-S005 files removed in a later layer name the bytes that stay', () => {
  const d = only(check('FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n'), 'DL-S005');
  assert.match(d.message, /Deletes \/var\/lib\/apt\/lists .*19\.9 MB.* written by layer 1/);
  assert.equal(d.range.start.line, 3);
});

test('DL-S005 packages purged in a later layer: the diagnostic names them, their bytes and the install layer (en, ko)', () => {
  const text = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends gcc make && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y --auto-remove gcc make\n';
  const d = only(check(text), 'DL-S005');
  assert.match(d.message, /^Removes \d+ apt packages \(gcc-12, cpp-12, .*\+\d+, \d+\.\d MB\) installed by layer 1: /);
  const model = estimateSizes(analyzeDockerfile(text), { apt: aptService(table) });
  const ko = diagnose(model, text, {}, undefined, 'ko').find((k) => k.code === 'DL-S005')!;
  assert.match(ko.message, /레이어 1에서 설치한 apt 패키지 \d+개\(gcc-12, /);
  assert.equal(d.range.start.line, 2);
  // purged in the same RUN: nothing stays, nothing to say
  assert.ok(!codes(check('FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && apt-get purge -y --auto-remove gcc && rm -rf /var/lib/apt/lists/*\n')).includes('DL-S005'));
});

test('DL-S006 ADD of plain files: the fix says COPY; archives and URLs are left alone', () => {
  const text = 'FROM alpine:3.22\nADD app.py /app/\n';
  const d = only(check(text), 'DL-S006');
  assert.equal(apply(text, d.fix!.edits), 'FROM alpine:3.22\nCOPY app.py /app/\n');
  assert.ok(!codes(check('FROM alpine:3.22\nADD rootfs.tar.gz /\nADD https://example.com/x /x\n')).includes('DL-S006'));
});

test('DL-C003 consecutive RUNs: the fix merges them', () => {
  const text = 'FROM alpine:3.22\nRUN adduser -D app\nRUN mkdir /data\n';
  const d = only(check(text), 'DL-C003');
  assert.equal(apply(text, d.fix!.edits), 'FROM alpine:3.22\nRUN adduser -D app \\\n    && mkdir /data\n');
  assert.ok(!codes(check('FROM alpine:3.22\nRUN a\nENV X=1\nRUN b\n')).includes('DL-C003'));
});

test('DL-R001 secret-looking ARG/ENV names and DL-R002 unpinned bases', () => {
  const list = check('FROM node\nARG NPM_TOKEN\nENV DB_PASSWORD=x\nENV MODE=prod\n');
  assert.equal(list.filter((d) => d.code === 'DL-R001').length, 2);
  assert.match(only(list, 'DL-R002').message, /node has no tag/);
  assert.ok(!codes(check('FROM node:22@sha256:0123\n')).includes('DL-R002'));
});

test('settings change severity or turn a rule off; ignore comments silence a line', () => {
  const text = 'FROM alpine:3.22\nRUN a\nRUN b\n';
  assert.equal(only(check(text, { 'DL-C003': 'warning' }), 'DL-C003').severity, 'warning');
  assert.ok(!codes(check(text, { 'consecutive-runs': 'off' })).includes('DL-C003'));
  assert.ok(!codes(check('FROM alpine:3.22\nRUN a\n# dockerlens-ignore DL-C003\nRUN b\n')).includes('DL-C003'));
  assert.ok(!codes(check('FROM alpine:3.22\nRUN a\n# dockerlens-ignore\n# a reason\nRUN b\n')).includes('DL-C003'));
  assert.ok(codes(check('FROM alpine:3.22\nRUN a\n# dockerlens-ignore DL-S001\nRUN b\n')).includes('DL-C003'));
});

test('unused stages get no practice findings of their own', () => {
  const list = check('FROM alpine:3.22 AS tools\nRUN a\nRUN b\nFROM alpine:3.22\nCMD ["x"]\n');
  assert.deepEqual(codes(list), ['DL-G007']);
});

test('corpus false positives stay quiet: ADD of a variable, secret metadata names, empty secrets', () => {
  assert.ok(!codes(check('FROM alpine:3.22\nENV URL=https://example.com/x.tgz\nADD $URL /x\n')).includes('DL-S006'));
  const quiet = check('FROM alpine:3.22\nENV TOKEN_EXPIRATION_TIME=3600\nENV PASSWORD_FILE=/run/secrets/pw\nENV GLUU_SECRET_VAULT_HOST=localhost\nENV PASSWORD ""\nENV API_KEY=\n');
  assert.deepEqual(quiet.filter((d) => d.code === 'DL-R001'), []);
  assert.equal(check('FROM alpine:3.22\nARG GITHUB_TOKEN\nENV DB_PASSWORD secret\n').filter((d) => d.code === 'DL-R001').length, 2);
});

test('DL-S007: COPY of the whole context that carries .git, node_modules, .env or keys', async () => {
  const { scanContext } = await import('../../server/src/service/sizes/context.js');
  const { memoryContext } = await import('../memoryContext.js');
  const { copyFromContext, precomputeCopySizes } = await import('../../server/src/service/sizes/contextSizes.js');
  const reader = memoryContext({ 'app.js': 'x', '.git/HEAD': 'ref', '.git/objects/a': 'y'.repeat(2000), 'node_modules/x/index.js': 'z', '.env': 'SECRET=1', 'certs/server.key': 'k' });
  const snapshot = await scanContext(reader);
  const text = 'FROM alpine:3.22\nCOPY . /app\nCOPY app.js /srv/\n';
  const analysed = analyzeDockerfile(text);
  const sizes = await precomputeCopySizes(analysed, snapshot);
  const model = estimateSizes(analysed, { copyFromContext: copyFromContext(sizes, snapshot, analysed) });
  const found = diagnose(model, text, {}, snapshot).filter((d) => d.code === 'DL-S007');
  assert.equal(found.length, 1, 'only the COPY of the whole context');
  assert.match(found[0]!.message, /\.git\/ \(2 files, 2\.0 kB\): the repository history/);
  assert.match(found[0]!.message, /node_modules\//);
  assert.match(found[0]!.message, /\.env .*environment files/);
  assert.match(found[0]!.message, /certs\/server\.key .*private keys/);
  assert.equal(diagnose(model, text).filter((d) => d.code === 'DL-S007').length, 0, 'no context, no finding');
});

test('DL-S007: only the kinds it warns about (an .env inside a build-output folder still counts; logs are left to the layer breakdown)', async () => {
  const { scanContext } = await import('../../server/src/service/sizes/context.js');
  const { memoryContext } = await import('../memoryContext.js');
  const { copyFromContext, precomputeCopySizes } = await import('../../server/src/service/sizes/contextSizes.js');
  const snapshot = await scanContext(memoryContext({ 'coverage/.env': 'K=1', 'logs/debug.log': 'x', '__pycache__/m.pyc': 'y' }));
  const text = 'FROM alpine:3.22\nCOPY . /app\n';
  const analysed = analyzeDockerfile(text);
  const model = estimateSizes(analysed, { copyFromContext: copyFromContext(await precomputeCopySizes(analysed, snapshot), snapshot, analysed) });
  const found = diagnose(model, text, {}, snapshot).filter((d) => d.code === 'DL-S007');
  assert.equal(found.length, 1);
  assert.match(found[0]!.message, /coverage\/\.env \(3 B\): environment files/);
  assert.doesNotMatch(found[0]!.message, /debug\.log|pycache/);
});

test('DL-R002 offers to pin the tag latest was in the bundled data, or its digest, replacing only the reference', () => {
  const text = 'FROM --platform=linux/amd64 alpine AS base\nRUN a\n';
  const fix = only(check(text), 'DL-R002').fix!;
  assert.match(fix.title, /^Pin to alpine:3\.\d+ \(latest in the bundled data of \d{4}-\d\d-\d\d\)$/);
  const [edit] = fix.edits;
  assert.deepEqual(edit!.range, { start: { line: 0, character: 28 }, end: { line: 0, character: 34 } });
  assert.match(edit!.newText, /^alpine:3\.\d+$/);
  // the Hub's long form keeps its prefix; :latest is replaced, not appended to
  const long = only(check('FROM docker.io/library/alpine:latest\n'), 'DL-R002').fix!.edits[0]!;
  assert.match(long.newText, /^docker\.io\/library\/alpine:3\.\d+$/);
  assert.equal(long.range.end.character - long.range.start.character, 'docker.io/library/alpine:latest'.length);
  // no versioned tag in the data: the digest
  const bash = only(check('FROM bash\n'), 'DL-R002').fix!;
  assert.match(bash.title, /digest latest had on \d{4}-\d\d-\d\d/);
  assert.match(bash.edits[0]!.newText, /^bash@sha256:[0-9a-f]{64}$/);
  // a reference the data does not describe, or one written with a variable, gets no fix
  assert.equal(only(check('FROM example.com/team/app\n'), 'DL-R002').fix, undefined);
  assert.equal(only(check('ARG IMG=alpine\nFROM $IMG\n'), 'DL-R002').fix, undefined);
});
