/**
 * Layer breakdowns, one kind at a time: COPY/ADD files by folder (from in-memory contexts),
 * COPY --from another stage, apt/apk/pip/npm installs, RUN outputs and cleanups, base image
 * history; the waste marks put on them after the fact; one folder listed on demand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, listBreakdown } from '../../server/src/service';
import type { AptTable } from '../../server/src/service/sizes/aptTable';
import { aptService } from '../../server/src/service/sizes/aptService';
import type { BreakdownEntry, LayerBreakdown } from '../../server/src/service/sizes/breakdown';
import { scanContext, type ContextSnapshot } from '../../server/src/service/sizes/context';
import { copyFromContext, precomputeCopySizes } from '../../server/src/service/sizes/contextSizes';
import { createIgnore } from '../../server/src/service/sizes/dockerignore';
import { estimateSizes } from '../../server/src/service/sizes/estimate';
import { TREE_LIMITS } from '../../server/src/service/sizes/fileTree';
import type { DockerfileModel, Layer } from '../../server/src/service/types';
import { MINI_APT } from '../aptFixture';
import { memoryContext, type MemoryContext, type MemoryEntry } from '../memoryContext';

const KiB = 1024;

async function sized(text: string, files: Record<string, MemoryEntry> = {}, options: { ignore?: string; apt?: AptTable } = {}): Promise<{ model: DockerfileModel; snapshot: ContextSnapshot; reader: MemoryContext }> {
  const reader = memoryContext(files);
  const snapshot = await scanContext(reader, options.ignore ? { ignore: createIgnore(options.ignore) } : {});
  const analysed = analyzeDockerfile(text);
  const sizes = await precomputeCopySizes(analysed, snapshot);
  const model = estimateSizes(analysed, { copyFromContext: copyFromContext(sizes, snapshot, analysed), ...(options.apt ? { apt: aptService(options.apt) } : {}) });
  return { model, snapshot, reader };
}

function layerOf(model: DockerfileModel, number: number, stage = model.target): Layer {
  const layer = model.stages[stage]!.layers.find((l) => l.number === number);
  assert.ok(layer, `no layer ${number} in stage ${stage}`);
  return layer;
}

function breakdownOf(model: DockerfileModel, number: number, stage = model.target): LayerBreakdown {
  const breakdown = layerOf(model, number, stage).breakdown;
  assert.ok(breakdown, `layer ${number} has no breakdown`);
  return breakdown;
}

const names = (entries: readonly BreakdownEntry[] | undefined) => (entries ?? []).map((e) => e.name);
const named = (entries: readonly BreakdownEntry[] | undefined, name: string): BreakdownEntry => {
  const found = (entries ?? []).find((e) => e.name === name);
  assert.ok(found, `no entry ${name} in ${names(entries).join(', ')}`);
  return found;
};
const isLargestFirst = (entries: readonly BreakdownEntry[]) => entries.every((e, i) => i === 0 || (entries[i - 1]!.bytes ?? -1) >= (e.bytes ?? -1));

// ---- COPY/ADD from the build context ------------------------------------------------------

test('COPY: the files by folder, relative to the destination, largest first, with exact sums', async () => {
  const { model } = await sized('FROM scratch\nWORKDIR /app\nCOPY . .\n', {
    'src/a.js': 'a'.repeat(300),
    'src/lib/b.js': 'b'.repeat(500),
    'src/lib/c.js': 'c'.repeat(100),
    'README.md': 'r'.repeat(50),
    'assets/logo.png': { size: 4000 },
  });
  const breakdown = breakdownOf(model, 2);
  assert.equal(breakdown.kind, 'files');
  assert.equal(breakdown.root, '/app');
  assert.deepEqual(names(breakdown.entries), ['assets', 'src', 'README.md']);
  const src = named(breakdown.entries, 'src');
  assert.deepEqual([src.kind, src.bytes, src.files, src.source], ['folder', 900, 3, 'exact']);
  assert.deepEqual(names(src.children), ['src/lib', 'src/a.js']);
  assert.deepEqual(names(named(src.children, 'src/lib').children), ['src/lib/b.js', 'src/lib/c.js']);
  assert.equal(named(breakdown.entries, 'README.md').kind, 'file');
  const total = breakdown.entries.reduce((sum, e) => sum + e.bytes!, 0);
  assert.equal(total, layerOf(model, 2).size!.bytes, 'the entries add up to the layer');
});

test('COPY: a directory source lands by its contents; .dockerignore and --exclude leave files out', async () => {
  const { model } = await sized('FROM scratch\nCOPY --exclude=*.map web/ /srv/\n', {
    'web/index.html': 'x'.repeat(10),
    'web/app.js': 'x'.repeat(20),
    'web/app.js.map': 'x'.repeat(900),
    'web/tmp/cache.bin': 'x'.repeat(5000),
  }, { ignore: 'web/tmp\n' });
  const breakdown = breakdownOf(model, 1);
  assert.equal(breakdown.root, '/srv');
  assert.deepEqual(names(breakdown.entries), ['app.js', 'index.html']);
});

test('COPY: a lone file copied to a file path is named by the destination; a heredoc likewise', async () => {
  const { model } = await sized('FROM scratch\nCOPY app.sh /usr/local/bin/run\nCOPY <<EOF /etc/app.conf\nkey=1\nEOF\n', { 'app.sh': 'echo hi\n' });
  const copy = breakdownOf(model, 1);
  assert.equal(copy.root, '/usr/local/bin');
  assert.deepEqual(names(copy.entries), ['run']);
  const heredoc = breakdownOf(model, 2);
  assert.equal(heredoc.root, '/etc');
  assert.deepEqual(copy.entries[0]!.bytes, 8);
  assert.deepEqual([heredoc.entries[0]!.name, heredoc.entries[0]!.bytes, heredoc.entries[0]!.source], ['app.conf', 'key=1\n'.length, 'exact']);
});

test('COPY: files that look unintended are flagged, with why, even when too small to make the top', async () => {
  const files: Record<string, MemoryEntry> = {
    '.git/objects/pack/p.pack': { size: 9000 },
    'node_modules/x/index.js': { size: 3000 },
    'config/.env': 'SECRET=1',
    'config/.env.example': 'SECRET=',
    'certs/server.key': 'k',
    'logs/debug.log': { size: 40 },
    'app/__pycache__/m.cpython-312.pyc': { size: 70 },
  };
  // enough large folders to push the flagged ones out of a top-level list on size alone
  for (let i = 0; i < TREE_LIMITS.top + 5; i++) files[`big${String(i).padStart(2, '0')}/blob`] = { size: 100_000 + i };
  const { model } = await sized('FROM scratch\nCOPY . /app\n', files);
  const breakdown = breakdownOf(model, 1);
  const git = named(breakdown.entries, '.git');
  assert.deepEqual(git.flags, ['unintended']);
  assert.match(git.note!.en, /repository history/);
  assert.ok(git.note!.ko.length > 0);
  assert.deepEqual(named(breakdown.entries, 'node_modules').flags, ['unintended']);
  assert.deepEqual(named(named(breakdown.entries, 'config').children, 'config/.env').flags, ['unintended']);
  assert.equal(named(named(breakdown.entries, 'config').children, 'config/.env.example').flags, undefined, 'an example file is fine');
  assert.deepEqual(named(named(breakdown.entries, 'certs').children, 'certs/server.key').flags, ['unintended']);
  assert.deepEqual(named(named(breakdown.entries, 'logs').children, 'logs/debug.log').flags, ['unintended']);
  assert.deepEqual(named(named(breakdown.entries, 'app').children, 'app/__pycache__').flags, ['unintended']);
  // the flagged folders are there although 55 larger ones compete for 50 places
  assert.ok(breakdown.more && breakdown.more.entries > 0);
  assert.equal(breakdown.entries.filter((e) => e.name.startsWith('big')).length, TREE_LIMITS.top);
});

test('COPY: into a folder that itself looks unintended, nothing inside is flagged again', async () => {
  const { model } = await sized('FROM node:22\nCOPY vendor/ /app/node_modules/\n', { 'vendor/a/node_modules/b/index.js': 'x', 'vendor/a/index.js': 'y' });
  const a = named(breakdownOf(model, 1).entries, 'a');
  assert.equal(named(a.children, 'a/node_modules').flags, undefined);
});

test('COPY: the tree stays bounded: 50 entries at the top, 20 under a folder, the rest summed in more', async () => {
  const files: Record<string, MemoryEntry> = {};
  for (let i = 0; i < 80; i++) files[`f${String(i).padStart(3, '0')}.txt`] = { size: 1000 + i };
  for (let i = 0; i < 30; i++) files[`lib/m${String(i).padStart(2, '0')}.js`] = { size: 500_000 + i };
  const { model } = await sized('FROM scratch\nCOPY . /x/\n', files);
  const breakdown = breakdownOf(model, 1);
  assert.equal(breakdown.entries.length, TREE_LIMITS.top);
  assert.ok(isLargestFirst(breakdown.entries));
  // 81 top entries (80 files and lib/): the 31 smallest files are summed
  const left = Array.from({ length: 31 }, (_, i) => 1000 + i).reduce((a, b) => a + b, 0);
  assert.deepEqual(breakdown.more, { entries: 31, bytes: left });
  const lib = named(breakdown.entries, 'lib');
  assert.equal(lib.children!.length, TREE_LIMITS.children);
  assert.deepEqual(lib.more, { entries: 10, bytes: Array.from({ length: 10 }, (_, i) => 500_000 + i).reduce((a, b) => a + b, 0) });
});

test('COPY: what a later layer deletes is flagged wasted (a folder of it, or all of it)', async () => {
  const context = { 'node_modules/x/a.js': { size: 7000 }, 'src/main.js': { size: 100 } };
  const part = await sized('FROM scratch\nWORKDIR /app\nCOPY . .\nRUN rm -rf node_modules\n', context);
  const entries = breakdownOf(part.model, 2).entries;
  const modules = named(entries, 'node_modules');
  assert.ok(modules.flags?.includes('wasted') && modules.flags.includes('unintended'));
  assert.match(modules.note!.en, /deleted by layer 3/);
  assert.equal(named(entries, 'src').flags, undefined);
  const all = await sized('FROM scratch\nCOPY . /app\nRUN rm -rf /app\n', context);
  assert.ok(breakdownOf(all.model, 1).entries.every((e) => e.flags?.includes('wasted')));
});

test('COPY: the breakdown is made from the snapshot, without reading the context again', async () => {
  const { model, snapshot, reader } = await sized('FROM scratch\nCOPY . /app\n', { 'a/b/c.txt': 'x', 'a/d.txt': 'yy' });
  const reads = { ...reader.calls, readDirectory: [...reader.calls.readDirectory], readFile: [...reader.calls.readFile] };
  const analysed = analyzeDockerfile('FROM scratch\nCOPY . /app\n');
  estimateSizes(analysed, { copyFromContext: copyFromContext(await precomputeCopySizes(analysed, snapshot), snapshot, analysed) });
  listBreakdown(model, snapshot, { stage: 0, layer: 1, path: 'a/b' });
  assert.deepEqual(reader.calls.readDirectory, reads.readDirectory);
  assert.deepEqual(reader.calls.readFile, reads.readFile);
});

// ---- COPY --from another stage --------------------------------------------------------------

test('COPY --from: the files the other stage copied from the context, or its whole output as one estimate', async () => {
  const text = 'FROM scratch AS build\nCOPY src /src\nRUN make -C /src\nFROM scratch\nCOPY --from=build /src /app\nCOPY --from=build /src/lib /lib\nCOPY --from=build /out /bin/tool\n';
  const { model } = await sized(text, { 'src/lib/a.c': { size: 300 }, 'src/main.c': { size: 100 } });
  const whole = breakdownOf(model, 1);
  assert.equal(whole.root, '/app');
  assert.deepEqual(names(whole.entries), ['lib', 'main.c']);
  assert.equal(named(whole.entries, 'lib').files, 1);
  const sub = breakdownOf(model, 2);
  assert.equal(sub.root, '/lib');
  assert.deepEqual(names(sub.entries), ['a.c']);
  const unknown = breakdownOf(model, 3);
  assert.equal(unknown.root, '/bin');
  assert.deepEqual([unknown.entries[0]!.name, unknown.entries[0]!.source], ['tool', 'estimate']);
  assert.match(unknown.entries[0]!.note!.en, /not known before its build/);
});

test('COPY --from chained through three stages: the last stage gets the files the first copied and the second added, exact', async () => {
  const text = 'FROM scratch AS a\nCOPY src /src\nFROM scratch AS b\nCOPY --from=a /src /mid\nCOPY extra.txt /mid/extra.txt\nFROM scratch\nCOPY --from=b /mid /all\nCOPY --from=b /mid/lib /app\n';
  const { model } = await sized(text, { 'src/lib/x.c': { size: 300 }, 'src/main.c': { size: 100 }, 'extra.txt': { size: 7 } });
  // b's copy of a's folder: a's files, exact
  assert.deepEqual([layerOf(model, 1, 1).size?.bytes, layerOf(model, 1, 1).size?.source], [400, 'exact']);
  // the last stage's copy of b's folder: a's 400 B through b, and b's own 7 B, exact
  const all = layerOf(model, 1);
  assert.deepEqual([all.size?.bytes, all.size?.source], [407, 'exact']);
  const entries = breakdownOf(model, 1);
  assert.equal(entries.root, '/all');
  assert.deepEqual(names(entries.entries), ['lib', 'main.c', 'extra.txt']);
  assert.equal(named(entries.entries, 'lib').bytes, 300);
  assert.equal(named(entries.entries, 'extra.txt').bytes, 7);
  // a part of b's folder: 300 B (lib/x.c); whatever the figure's source, its range holds them
  const part = layerOf(model, 2).size!;
  assert.ok(part.low! <= 300 && 300 <= part.high!, `COPY --from=b /mid/lib: ${JSON.stringify(part)}`);
  assert.ok(part.source === 'exact' ? part.bytes === 300 : part.source === 'estimate');
});

// ---- RUN: apt, apk, pip, npm, builds, cleanups ----------------------------------------------

test('apt: each package with its Installed-Size, requested or pulled in by what, and what --no-install-recommends drops', async () => {
  const { model } = await sized('FROM debian:bookworm\nRUN apt-get update && apt-get install -y app && rm -rf /var/lib/apt/lists/*\n', {}, { apt: MINI_APT });
  const breakdown = breakdownOf(model, 1);
  assert.equal(breakdown.kind, 'packages');
  const app = named(breakdown.entries, 'app');
  assert.deepEqual([app.kind, app.manager, app.role, app.bytes, app.source], ['package', 'apt', 'requested', 100 * KiB, 'bundled']);
  assert.deepEqual([named(breakdown.entries, 'libfoo').role, named(breakdown.entries, 'libfoo').pulledBy], ['dependency', 'app']);
  const docs = named(breakdown.entries, 'docs');
  assert.deepEqual([docs.role, docs.pulledBy, docs.flags], ['recommended', 'app', ['recommended']]);
  assert.deepEqual(named(breakdown.entries, 'helper').flags, ['recommended'], "a recommended package's dependency goes with it");
  assert.equal(named(breakdown.entries, 'setup').flags, undefined);
  assert.equal(breakdown.withoutRecommends?.packages, 2);
  assert.ok(breakdown.withoutRecommends!.bytes >= 205 * KiB * 0.93);
  assert.equal(named(breakdown.entries, '/var/lib/dpkg').source, 'estimate');
  assert.ok(!names(breakdown.entries).includes('/var/lib/apt/lists'), 'the lists are removed in the same RUN');
  assert.deepEqual(breakdown.removed?.map((e) => [e.name, e.flags]), [['/var/lib/apt/lists', ['removed-here']]]);
  assert.ok(isLargestFirst(breakdown.entries));
});

test('apt: lists left by one RUN and deleted by a later one are flagged wasted there', async () => {
  const { model } = await sized('FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends setup\nRUN rm -rf /var/lib/apt/lists/*\n', {}, { apt: MINI_APT });
  const lists = named(breakdownOf(model, 1).entries, '/var/lib/apt/lists');
  assert.deepEqual([lists.kind, lists.flags], ['cache', ['wasted']]);
  assert.match(lists.note!.en, /deleted by layer 3/);
  assert.equal(breakdownOf(model, 2).withoutRecommends, undefined, 'recommends already off: nothing to drop');
});

test('apk: requested packages from the bundled table, an allowance for their dependencies, the index cache', async () => {
  const kept = breakdownOf((await sized('FROM alpine:3.22\nRUN apk add curl\n')).model, 1);
  const curl = named(kept.entries, 'curl');
  assert.deepEqual([curl.manager, curl.role, curl.source], ['apk', 'requested', 'bundled']);
  assert.equal(named(kept.entries, 'dependencies').source, 'estimate');
  assert.equal(named(kept.entries, '/var/cache/apk').kind, 'cache');
  const none = breakdownOf((await sized('FROM alpine:3.22\nRUN apk add --no-cache curl\n')).model, 1);
  assert.ok(!names(none.entries).includes('/var/cache/apk'));
  const removed = breakdownOf((await sized('FROM alpine:3.22\nRUN apk add curl && rm -rf /var/cache/apk/*\n')).model, 1);
  assert.deepEqual(names(removed.removed), ['/var/cache/apk']);
  const unknown = named(breakdownOf((await sized('FROM alpine:3.22\nRUN apk add --no-cache no-such-pkg-xyz\n')).model, 1).entries, 'no-such-pkg-xyz');
  assert.equal(unknown.source, 'estimate');
});

test('pip and npm: named packages as estimates, requirement files and node_modules as wholes, caches left or cleaned', async () => {
  const pip = breakdownOf((await sized('FROM python:3.12\nRUN pip install flask requests && pip install -r requirements.txt\n')).model, 1);
  assert.deepEqual(['flask', 'requests'].map((n) => [named(pip.entries, n).manager, named(pip.entries, n).role, named(pip.entries, n).source]), [['pip', 'requested', 'estimate'], ['pip', 'requested', 'estimate']]);
  assert.match(named(pip.entries, 'requirements.txt').note!.en, /requirements\.txt/);
  assert.equal(named(pip.entries, '/root/.cache/pip').kind, 'cache');
  const npm = breakdownOf((await sized('FROM node:22\nWORKDIR /app\nRUN npm ci\n')).model, 2);
  assert.deepEqual([named(npm.entries, '/app/node_modules').kind, named(npm.entries, '/root/.npm').kind], ['folder', 'cache']);
  const cleaned = breakdownOf((await sized('FROM node:22\nWORKDIR /app\nRUN npm ci && npm cache clean --force\n')).model, 2);
  assert.ok(!names(cleaned.entries).includes('/root/.npm'));
  assert.deepEqual(names(cleaned.removed), ['/root/.npm']);
  const total = npm.entries.reduce((sum, e) => sum + e.bytes!, 0);
  assert.equal(total, layerOf((await sized('FROM node:22\nWORKDIR /app\nRUN npm ci\n')).model, 2).size!.bytes);
});

test('RUN: build output and caches, downloads of unknown size, small changes otherwise', async () => {
  const go = breakdownOf((await sized('FROM golang:1.23\nWORKDIR /src\nRUN go build -o bin/app ./cmd/app\n')).model, 2);
  assert.equal(go.kind, 'run');
  assert.equal(named(go.entries, '/src/bin/app').kind, 'file');
  assert.equal(named(go.entries, '/root/.cache/go-build').kind, 'cache');
  const mounted = breakdownOf((await sized('FROM golang:1.23\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .\n')).model, 1);
  assert.ok(!names(mounted.entries).includes('/root/.cache/go-build'), 'a cache mount keeps the cache out');
  const download = breakdownOf((await sized('FROM debian:bookworm\nRUN curl -fsSLO https://example.com/tool.tgz\n')).model, 1);
  assert.deepEqual([download.entries[0]!.name, download.entries[0]!.source], ['https://example.com/tool.tgz', 'unknown']);
  const small = breakdownOf((await sized('FROM alpine:3.22\nRUN adduser -D app\n')).model, 1);
  assert.deepEqual(small.entries.map((e) => [e.kind, e.source]), [['other', 'estimate']]);
});

// ---- base image -----------------------------------------------------------------------------

test('base: one history entry per layer of the bundled base image, largest first', async () => {
  const { model } = await sized('FROM node:22-bookworm-slim\nRUN true\n');
  const stage = model.stages[0]!;
  const breakdown = breakdownOf(model, 0);
  assert.equal(breakdown.kind, 'base');
  assert.equal(breakdown.entries.length, stage.sizes!.baseImage!.layers.length);
  assert.ok(breakdown.entries.every((e) => e.kind === 'history' && e.source === 'bundled' && e.name.length > 0));
  assert.ok(isLargestFirst(breakdown.entries));
  const withHistory = stage.sizes!.baseImage!.layers.filter((l) => l.createdBy);
  assert.ok(withHistory.every((l) => breakdown.entries.some((e) => e.name === l.createdBy)));
  assert.equal(layerOf((await sized('FROM ghcr.io/acme/x:1\nRUN true\n')).model, 0).breakdown, undefined, 'nothing known, nothing itemised');
});

// ---- one folder on demand -------------------------------------------------------------------

test('listBreakdown: an unexpanded folder from the snapshot, largest first, paged; unknown layers and paths are null', async () => {
  const files: Record<string, MemoryEntry> = { '.env': 'A=1' };
  for (let i = 0; i < 12; i++) files[`a/b/c/d/f${String(i).padStart(2, '0')}.txt`] = { size: 100 + i };
  const { model, snapshot } = await sized('FROM scratch\nWORKDIR /w\nCOPY . .\nRUN rm -rf a/b/c\n', files);
  const breakdown = breakdownOf(model, 2);
  const deepest = (entries: readonly BreakdownEntry[]): BreakdownEntry => {
    const folder = entries.find((e) => e.kind === 'folder')!;
    return folder.children ? deepest(folder.children) : folder;
  };
  const unexpanded = deepest(breakdown.entries);
  assert.deepEqual([unexpanded.name, unexpanded.children, unexpanded.files], ['a/b/c', undefined, 12], 'three levels shown, the third unexpanded');
  assert.deepEqual(names(listBreakdown(model, snapshot, { stage: 0, layer: 2, path: unexpanded.name })?.entries), ['a/b/c/d']);
  const listed = listBreakdown(model, snapshot, { stage: 0, layer: 2, path: 'a/b/c/d/', limit: 5 });
  assert.ok(listed);
  assert.deepEqual(names(listed.entries), ['11', '10', '09', '08', '07'].map((i) => `a/b/c/d/f${i}.txt`));
  assert.deepEqual(listed.more, { entries: 7, bytes: [0, 1, 2, 3, 4, 5, 6].reduce((sum, i) => sum + 100 + i, 0) });
  const c = listBreakdown(model, snapshot, { stage: 0, layer: 2, path: 'a/b' });
  assert.ok(named(c!.entries, 'a/b/c').flags?.includes('wasted'), 'the listing carries the waste marks');
  assert.deepEqual(names(listBreakdown(model, snapshot, { stage: 0, layer: 2, path: '' })!.entries), ['a', '.env']);
  assert.equal(listBreakdown(model, snapshot, { stage: 0, layer: 9, path: '' }), null);
  assert.equal(listBreakdown(model, snapshot, { stage: 3, layer: 2, path: '' }), null);
  assert.equal(listBreakdown(model, snapshot, { stage: 0, layer: 2, path: 'no/such/folder' }), null);
});

test('listBreakdown: a COPY --from folder is listed in the stage it copies from; packages page from the model', async () => {
  const files: Record<string, MemoryEntry> = {};
  for (let i = 0; i < 3; i++) files[`src/p/q/r/s/t${i}.go`] = { size: 10 + i };
  const { model, snapshot } = await sized('FROM scratch AS build\nCOPY src /src\nFROM scratch\nCOPY --from=build /src /app\n', files);
  const listed = listBreakdown(model, snapshot, { stage: 1, layer: 1, path: 'p/q/r/s' });
  assert.deepEqual(names(listed?.entries), ['p/q/r/s/t2.go', 'p/q/r/s/t1.go', 'p/q/r/s/t0.go']);
  const apt = await sized('FROM debian:bookworm\nRUN apt-get install -y app\n', {}, { apt: MINI_APT });
  const page = listBreakdown(apt.model, undefined, { stage: 0, layer: 1, path: '', limit: 2 });
  assert.equal(page?.entries.length, 2);
  assert.equal(page!.more!.entries, breakdownOf(apt.model, 1).entries.length - 2);
  assert.equal(listBreakdown(apt.model, undefined, { stage: 0, layer: 1, path: 'app' }), null, 'a package is not a folder');
});
