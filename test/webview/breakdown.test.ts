/**
 * A layer's contents in the layers panel: the view model built from a `LayerBreakdown` (texts in
 * both languages, sizes, bars, editor positions, paging), the messages that list folders on
 * demand, and the webview's tree (sorting, filtering, keyboard, lazy folders, hostile names).
 * The size pass does not fill breakdowns here: the fixtures attach them to a sized model by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BREAKDOWN_BUDGET, BREAKDOWN_PAGE, buildBreakdownPage, failedBreakdownPage, locateWord, visibleName,
  type BreakdownEntryView, type BreakdownView,
} from '../../protocol/breakdownView';
import { buildLayersView, sourceWord, uiStrings, type LayersView } from '../../protocol/layersView';
import { isFromWebview, isToWebview, type ToWebview } from '../../protocol/webviewMessages';
import { formatFigure, formatShort } from '../../server/src/service/features/sizeText';
import type { BreakdownEntry, DockerfileModel, LayerBreakdown } from '../../server/src/service/types';
import { mountWebview, sizedModel, type HTMLLikeElement, type Webview } from './harness';

const TEXT = [
  'FROM debian:bookworm',
  'WORKDIR /app',
  'COPY . .',
  'RUN apt-get update && \\',
  '    apt-get install -y curl \\',
  '      git && rm -rf /var/lib/apt/lists/*',
  '',
].join('\n');
const LINES = TEXT.split('\n');
const COPY_LINE = 2;
const RUN_LINE = 3;
const URI = 'file:///work/app/Dockerfile';
const HANGUL = /[\uAC00-\uD7A3]/;

const figure = (bytes: number | null, source: BreakdownEntry['source'] = 'exact') =>
  ({ bytes, low: bytes, high: bytes, source });

const file = (name: string, bytes: number, extra: Partial<BreakdownEntry> = {}): BreakdownEntry => ({ kind: 'file', name, ...figure(bytes), ...extra });

/** What `COPY . .` brings: a big node_modules (partly listed), a .git nobody listed, a small src. */
const FILES: LayerBreakdown = {
  kind: 'files',
  entries: [
    {
      kind: 'folder', name: 'node_modules', ...figure(50_000_000), files: 1200, flags: ['unintended'],
      note: { en: 'installed on the host: the image gets the host’s build', ko: '호스트에서 설치한 것이 이미지에 들어갑니다' },
      children: [
        { kind: 'folder', name: 'node_modules/react', ...figure(3_000_000), files: 40 },
        file('node_modules/.package-lock.json', 100_000),
      ],
      more: { entries: 300, bytes: 46_900_000 },
    },
    { kind: 'folder', name: '.git', ...figure(8_000_000), files: 500, flags: ['unintended'], note: { en: 'the repository history', ko: '저장소 기록' } },
    { kind: 'folder', name: 'src', ...figure(40_000), files: 2, children: [file('src/b.js', 30_000), file('src/a10.js', 6_000), file('src/a9.js', 4_000)] },
    file('server.js', 12_000),
    file('README.md', 3_000),
  ],
};

/** What the RUN installs: two requested packages, what they pull in, and the lists it removes. */
const PACKAGES: LayerBreakdown = {
  kind: 'packages',
  entries: [
    { kind: 'package', name: 'git', ...figure(30_000_000, 'bundled'), manager: 'apt', role: 'requested' },
    { kind: 'package', name: 'perl', ...figure(20_000_000, 'bundled'), manager: 'apt', role: 'dependency', pulledBy: 'git-man' },
    { kind: 'package', name: 'git-man', ...figure(2_000_000, 'bundled'), manager: 'apt', role: 'recommended', pulledBy: 'git', flags: ['recommended'] },
    { kind: 'package', name: 'libcurl4', ...figure(1_000_000, 'bundled'), manager: 'apt', role: 'dependency', pulledBy: 'curl' },
    { kind: 'package', name: 'curl', ...figure(500_000, 'bundled'), manager: 'apt', role: 'requested' },
    { kind: 'other', name: 'dpkg status', bytes: 3_200_000, low: 2_000_000, high: 4_000_000, source: 'estimate' },
  ],
  removed: [{ kind: 'cache', name: '/var/lib/apt/lists', ...figure(45_000_000, 'estimate'), flags: ['removed-here'] }],
  withoutRecommends: { packages: 3, bytes: 5_000_000 },
};

function modelWith(breakdowns: Record<number, LayerBreakdown>, text = TEXT): DockerfileModel {
  const model = sizedModel(text);
  for (const [number, breakdown] of Object.entries(breakdowns)) model.stages[0]!.layers.find((l) => l.number === Number(number))!.breakdown = breakdown;
  return model;
}

const viewOf = (model: DockerfileModel, locale: 'en' | 'ko' = 'en'): LayersView => buildLayersView(model, locale, { file: 'Dockerfile' });
const rowOf = (view: LayersView, number: number) => view.stages[0]!.layers.find((r) => r.number === number)!;
const walk = (entries: BreakdownEntryView[] | null): BreakdownEntryView[] => (entries ?? []).flatMap((e) => [e, ...walk(e.children)]);

// ---- the view model -----------------------------------------------------------------------------

test('breakdown view: files with sizes as the rows say them, bars against the layer, folders listed or left to list', () => {
  const model = modelWith({ 2: FILES });
  const breakdown = rowOf(viewOf(model), 2).breakdown!;
  assert.equal(breakdown.heading, 'Files this layer copies');
  assert.equal(breakdown.label, 'Inside layer 2');
  // COPY's own size is not known here: bars are relative to what the entries add up to.
  const sum = FILES.entries.reduce((s, e) => s + e.bytes!, 0);
  assert.equal(breakdown.total, sum);
  assert.deepEqual(breakdown.entries.map((e) => [e.name, e.path, e.kind]), [
    ['node_modules', 'node_modules', 'folder'], ['.git', '.git', 'folder'], ['src', 'src', 'folder'], ['server.js', 'server.js', 'file'], ['README.md', 'README.md', 'file'],
  ]);
  for (const [i, entry] of breakdown.entries.entries()) {
    const source = FILES.entries[i]!;
    const fig = { bytes: source.bytes, low: source.low, high: source.high, compressed: null, source: source.source, detail: '' };
    assert.equal(entry.size, formatShort(fig));
    assert.equal(entry.sizeFull, formatFigure(fig, 'en'));
    assert.equal(entry.sourceText, sourceWord(source.source, 'en'));
    assert.equal(entry.fraction, source.bytes! / sum);
    // Files lead to the COPY line as a whole.
    assert.deepEqual(entry.at, { line: COPY_LINE, span: null });
  }
  const [modules, git, src] = breakdown.entries;
  assert.equal(modules!.share, `${Math.round((50_000_000 / sum) * 100)}% of the layer`);
  assert.equal(modules!.filesText, '1200 files');
  assert.deepEqual(modules!.flags, [{ flag: 'unintended', text: 'probably unintended' }]);
  assert.equal(modules!.note, 'installed on the host: the image gets the host’s build');
  assert.equal(modules!.label, `node_modules, folder, 50.0 MB (exact), probably unintended, 1200 files, ${modules!.share}, ${modules!.note}`);
  // Children are named inside their folder, their paths stay from the layer's root.
  assert.deepEqual(modules!.children!.map((c) => [c.name, c.path, c.lazy, c.children]), [
    ['react', 'node_modules/react', true, null],
    ['.package-lock.json', 'node_modules/.package-lock.json', false, null],
  ]);
  assert.deepEqual(modules!.more, { entries: 300, bytes: 46_900_000, text: '300 more, 46.9 MB (exact)' });
  assert.deepEqual([git!.lazy, git!.children], [true, null], '.git: files, none listed: the server lists them on demand');
  assert.deepEqual(src!.children!.map((c) => c.path), ['src/b.js', 'src/a10.js', 'src/a9.js']);
  assert.equal(src!.lazy, true);
  assert.equal(breakdown.more, null);
});

test('breakdown view: packages say who asked for them and lead to the word in the RUN that brings them in', () => {
  const model = modelWith({ 3: PACKAGES });
  const row = rowOf(viewOf(model), 3);
  const breakdown = row.breakdown!;
  assert.equal(breakdown.heading, 'Packages this layer installs');
  // The RUN's estimate is larger than its listed packages: bars are relative to the layer's size.
  assert.equal(breakdown.total, row.bytes);
  const by = (name: string) => breakdown.entries.find((e) => e.name === name)!;
  assert.deepEqual(['git', 'perl', 'git-man', 'libcurl4', 'curl', 'dpkg status'].map((n) => [by(n).kindText, by(n).roleText]), [
    ['apt package', 'requested'],
    ['apt package', 'dependency of git-man'],
    ['apt package', 'recommended by git'],
    ['apt package', 'dependency of curl'],
    ['apt package', 'requested'],
    ['other changes', ''],
  ]);
  const wordAt = (entry: BreakdownEntryView) => LINES[entry.at.line]!.slice(entry.at.span!.start, entry.at.span!.end);
  // Requested: their own name, on the continuation line where it is written.
  assert.equal(by('curl').at.line, 4);
  assert.equal(wordAt(by('curl')), 'curl');
  assert.equal(by('git').at.line, 5);
  assert.equal(wordAt(by('git')), 'git');
  // Pulled in: the package that pulls them in, when that one is written in the RUN.
  assert.equal(wordAt(by('libcurl4')), 'curl');
  assert.equal(wordAt(by('git-man')), 'git');
  // perl comes through git-man, which the RUN does not name: the instruction's first line.
  assert.deepEqual(by('perl').at, { line: RUN_LINE, span: null });
  assert.deepEqual(by('dpkg status').at, { line: RUN_LINE, span: null });
  assert.equal(by('dpkg status').sizeFull, '≈ 3.2 MB (2.0 MB–4.0 MB, estimated)');
  assert.deepEqual(by('git-man').flags.map((f) => f.text), ['left out by --no-install-recommends']);
  assert.equal(breakdown.withoutRecommends, '--no-install-recommends would leave out 3 package(s), 5.0 MB (estimated)');
  assert.equal(breakdown.removedHeading, 'Removed by the same RUN (not in the layer)');
  assert.deepEqual(breakdown.removed.map((e) => [e.name, e.kindText, e.flags[0]!.text]), [['/var/lib/apt/lists', 'cache', 'removed in the same RUN']]);
});

test('breakdown view in Korean: every text it adds is Korean', () => {
  const model = modelWith({ 2: FILES, 3: PACKAGES });
  const view = viewOf(model, 'ko');
  const breakdowns = [rowOf(view, 2).breakdown!, rowOf(view, 3).breakdown!];
  assert.equal(breakdowns[0]!.heading, '이 레이어가 복사하는 파일');
  const entries = breakdowns.flatMap((b) => [...walk(b.entries), ...b.removed]);
  const texts = [
    ...breakdowns.flatMap((b) => [b.heading, b.label, b.removedHeading]),
    breakdowns[1]!.withoutRecommends,
    ...entries.flatMap((e) => [e.kindText, e.sourceText, e.share, ...e.flags.map((f) => f.text), ...(e.roleText ? [e.roleText] : []), ...(e.filesText ? [e.filesText] : [])]),
    ...entries.flatMap((e) => (e.more ? [e.more.text] : [])),
  ];
  for (const text of texts) assert.match(text, HANGUL, JSON.stringify(text));
  const modules = breakdowns[0]!.entries[0]!;
  assert.equal(modules.note, '호스트에서 설치한 것이 이미지에 들어갑니다');
  assert.equal(modules.filesText, '파일 1200개');
  assert.match(modules.share, /^레이어의 \d+%$/);
  assert.equal(breakdowns[1]!.entries.find((e) => e.name === 'libcurl4')!.roleText, 'curl의 의존성');
  assert.equal(modules.more!.text, '300개 더, 46.9 MB (정확)');
});

test('breakdown view: a huge tree is cut into pages; the rest is counted and summed, deeper folders load on demand', () => {
  const wide: BreakdownEntry[] = Array.from({ length: 1000 }, (_, i) => file(`f${i}`, 1000 - i));
  const huge = modelWith({ 2: { kind: 'files', entries: wide, more: { entries: 50, bytes: 7 } } });
  const top = rowOf(viewOf(huge), 2).breakdown!;
  assert.equal(top.entries.length, BREAKDOWN_PAGE);
  const rest = wide.slice(BREAKDOWN_PAGE).reduce((s, e) => s + e.bytes!, 0);
  assert.deepEqual([top.more!.entries, top.more!.bytes], [900 + 50, rest + 7]);
  // Four levels of ten folders (11,110 entries): the payload stays within the budget, breadth first.
  const deep = (prefix: string, depth: number): BreakdownEntry[] => Array.from({ length: 10 }, (_, i) => ({
    kind: 'folder', name: `${prefix}d${i}`, ...figure(10 ** depth), files: 10 ** depth, ...(depth > 0 ? { children: deep(`${prefix}d${i}/`, depth - 1) } : {}),
  }));
  const tree = rowOf(viewOf(modelWith({ 2: { kind: 'files', entries: deep('', 3) } })), 2).breakdown!;
  const all = walk(tree.entries);
  assert.equal(all.length, BREAKDOWN_BUDGET);
  assert.ok(all.every((e) => e.path.split('/').length <= 3), 'the first levels come whole before any deeper one');
  const unlisted = all.filter((e) => e.children === null);
  assert.ok(unlisted.length > 0 && unlisted.every((e) => e.lazy), 'what did not fit is listed on demand');
});

test('visibleName: control and direction characters shown as escapes, long names cut in the middle', () => {
  assert.equal(visibleName('a\nb\tc'), 'a\\nb\\tc');
  assert.equal(visibleName('invoice\u202Efdp.exe'), 'invoice\\u{202e}fdp.exe');
  assert.equal(visibleName('zero\u200Bwidth\u0000'), 'zero\\u{200b}width\\u{0}');
  assert.equal(visibleName('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>', 'markup is text the webview shows as text');
  const long = `${'a'.repeat(5000)}END`;
  const shown = visibleName(long);
  assert.equal(shown.length, 160);
  assert.ok(shown.startsWith('aaa') && shown.endsWith('END') && shown.includes('…'));
  assert.equal(visibleName('한글 이름.txt'), '한글 이름.txt');
});

test('locateWord: whole words only, with version and arch suffixes', () => {
  const line = '  RUN apk add curl-dev curl=8.5 python3 py3-pip libc6:amd64';
  const model = sizedModel(`FROM alpine\n${line}\n`);
  const run = model.stages[0]!.instructions[1]!;
  const at = (word: string) => locateWord(run, word);
  // Columns count from the line's start, indentation included.
  const curl = line.indexOf(' curl=') + 1;
  assert.deepEqual(at('curl'), { line: 1, span: { start: curl, end: curl + 4 } });
  assert.equal(at('pip'), null);
  assert.equal(at('python'), null);
  const libc = line.indexOf('libc6');
  assert.deepEqual(at('libc6')?.span, { start: libc, end: libc + 5 });
  assert.equal(at(''), null);
});

test('breakdown view: a base row without a breakdown lists the base image layers as history', () => {
  const base = rowOf(viewOf(sizedModel(TEXT)), 0).breakdown;
  assert.ok(base && base.kind === 'base' && base.entries.length >= 1);
  assert.equal(base.heading, 'Layers of the base image');
  assert.ok(base.entries.every((e) => e.kind === 'history' && e.kindText === 'base image layer' && e.at.line === 0));
  assert.equal(rowOf(viewOf(sizedModel(TEXT)), 1).breakdown, null, 'a layer nothing is known of has none');
});

test('buildBreakdownPage: a folder listed on demand, or why not', () => {
  const model = modelWith({ 2: FILES });
  const page = buildBreakdownPage(model, 0, 2, '.git', { entries: [file('objects', 7_000_000), file('.git/HEAD', 21)], more: { entries: 498, bytes: 1_200_000 } }, 'en');
  assert.ok('entries' in page);
  assert.deepEqual(page.entries.map((e) => [e.name, e.path]), [['objects', '.git/objects'], ['HEAD', '.git/HEAD']]);
  assert.equal(page.entries[0]!.fraction, 7_000_000 / rowOf(viewOf(model), 2).breakdown!.total, 'bars against the same total as the model');
  assert.equal(page.more!.text, '498 more, 1.2 MB (exact)', 'the rest of a folder of exact files');
  assert.deepEqual(buildBreakdownPage(model, 0, 2, '.git', null, 'en'), { failed: 'What this folder holds is not known.' });
  assert.deepEqual(buildBreakdownPage(model, 0, 9, '.git', { entries: [] }, 'ko'), { failed: '이 폴더에 무엇이 있는지 알 수 없습니다.' });
  assert.deepEqual(failedBreakdownPage('Client is not running', 'en'), { failed: 'The folder could not be listed: Client is not running' });
});

test('messages: breakdown pages, listing requests and reveals at a word pass; malformed ones do not', () => {
  const model = modelWith({ 2: FILES });
  const page = buildBreakdownPage(model, 0, 2, '.git', { entries: [file('.git/HEAD', 21)] }, 'en');
  const good: unknown[] = [
    { type: 'breakdownPage', uri: URI, request: 1, stage: 0, layer: 2, path: '.git', page },
    { type: 'breakdownPage', uri: URI, request: 2, stage: 0, layer: 2, path: '', page: { failed: 'no' } },
    { type: 'model', uri: URI, version: 1, view: JSON.parse(JSON.stringify(viewOf(modelWith({ 2: FILES, 3: PACKAGES })))) },
  ];
  for (const m of good) assert.ok(isToWebview(m) && !isFromWebview(m), JSON.stringify(m).slice(0, 100));
  const from: unknown[] = [
    { type: 'listBreakdown', uri: URI, request: 3, stage: 0, layer: 2, path: 'node_modules/react', limit: 100 },
    { type: 'reveal', uri: URI, line: 4, start: 23, end: 27 },
  ];
  for (const m of from) assert.ok(isFromWebview(m) && !isToWebview(m), JSON.stringify(m));
  const bad: unknown[] = [
    { type: 'listBreakdown', uri: URI, request: 3, stage: 0, layer: 2, path: 'x', limit: 0 },
    { type: 'listBreakdown', uri: URI, request: -1, stage: 0, layer: 2, path: 'x', limit: 10 },
    { type: 'listBreakdown', uri: URI, request: 1, stage: 0, layer: 2, limit: 10 },
    { type: 'reveal', uri: URI, line: 4, start: 5 },
    { type: 'reveal', uri: URI, line: 4, start: 9, end: 5 },
    { type: 'breakdownPage', uri: URI, request: 1, stage: 0, layer: 2, path: '.git', page: { entries: [{ name: 'x' }], more: null } },
    { type: 'breakdownPage', uri: URI, request: 1, stage: 0, layer: 2, path: '.git' },
  ];
  for (const m of bad) assert.equal(isToWebview(m) || isFromWebview(m), false, JSON.stringify(m));
  const view = viewOf(modelWith({ 2: FILES }));
  const broken = structuredClone(view);
  rowOf(broken, 2).breakdown!.entries[0]!.children![0]!.fraction = 3;
  assert.equal(isToWebview({ type: 'model', uri: URI, version: 1, view: broken }), false, 'a bad entry deep down spoils the view');
});

// ---- the webview --------------------------------------------------------------------------------

async function showing(model: DockerfileModel, locale: 'en' | 'ko' = 'en'): Promise<Webview & { view: LayersView }> {
  const webview = await mountWebview();
  const view = viewOf(model, locale);
  webview.send({ type: 'locale', locale, strings: uiStrings(locale) } satisfies ToWebview);
  webview.send({ type: 'model', uri: URI, version: 1, view } satisfies ToWebview);
  return Object.assign(webview, { view });
}

const active = (webview: Webview) => webview.document.activeElement as unknown as HTMLLikeElement;
const names = (webview: Webview, scope = '#row-0-2') => webview.all(`${scope} .contents-row:not(.contents-extra)`).map((r) => r.querySelector('.contents-name')!.textContent);
const rowNamed = (webview: Webview, name: string) => webview.all('.contents-row').find((r) => r.querySelector('.contents-name')?.textContent === name)!;
const typeFilter = (webview: Webview, text: string) => {
  const input = webview.one('#row-0-2 .contents-filter') as unknown as { value: string; dispatchEvent(e: unknown): void };
  input.value = text;
  input.dispatchEvent(new webview.window.Event('input', { bubbles: true }));
};

test('webview: an open COPY row shows its contents largest first, with bars, sizes and sources; Name sorts by name', async () => {
  const webview = await showing(modelWith({ 2: FILES }));
  assert.equal(webview.all('.contents').length, 0, 'closed rows show no contents');
  webview.one('#row-0-2 .toggle').click();
  const tree = webview.one('#row-0-2 .contents-tree');
  assert.equal(tree.getAttribute('role'), 'tree');
  assert.equal(tree.getAttribute('aria-label'), 'Inside layer 2');
  assert.equal(webview.one('#row-0-2 .contents h3').textContent, 'Files this layer copies');
  assert.deepEqual(names(webview), ['node_modules', '.git', 'src', 'server.js', 'README.md']);
  const breakdown = rowOf(webview.view, 2).breakdown!;
  for (const entry of breakdown.entries) {
    const row = rowNamed(webview, entry.name);
    assert.equal(row.getAttribute('role'), 'treeitem');
    assert.equal(row.getAttribute('aria-level'), '1');
    assert.equal(row.getAttribute('aria-label'), entry.label);
    assert.equal(row.querySelector('.size')!.textContent, entry.size);
    assert.equal(row.querySelector('.source')!.textContent, entry.sourceText);
    assert.ok(Math.abs(Number.parseFloat(row.querySelector('.bar')!.style.width) / 100 - entry.fraction) < 1e-6, entry.name);
  }
  assert.equal(rowNamed(webview, 'node_modules').getAttribute('aria-expanded'), 'false');
  assert.equal(rowNamed(webview, 'server.js').getAttribute('aria-expanded'), null, 'files do not expand');
  assert.ok(rowNamed(webview, '.git').classList.contains('flagged-unintended'));
  assert.equal(rowNamed(webview, '.git').querySelector('.flag')!.getAttribute('title'), 'the repository history');
  // By name, at every level, numbers in names in their numeric order.
  const [bySize, byName] = webview.all('#row-0-2 .contents-sort-button');
  assert.equal(bySize!.getAttribute('aria-pressed'), 'true');
  byName!.click();
  assert.deepEqual([bySize!.getAttribute('aria-pressed'), byName!.getAttribute('aria-pressed')], ['false', 'true']);
  assert.deepEqual(names(webview), ['.git', 'node_modules', 'README.md', 'server.js', 'src']);
  rowNamed(webview, 'src').querySelector('.twisty')!.click();
  assert.deepEqual(names(webview).slice(-3), ['a9.js', 'a10.js', 'b.js']);
  bySize!.click();
  assert.deepEqual(names(webview), ['node_modules', '.git', 'src', 'b.js', 'a10.js', 'a9.js', 'server.js', 'README.md']);
  await webview.close();
});

test('webview: the filter keeps matching entries and the folders they are in, and says how many match', async () => {
  const webview = await showing(modelWith({ 2: FILES }));
  webview.one('#row-0-2 .toggle').click();
  typeFilter(webview, 'REACT');
  assert.deepEqual(names(webview), ['node_modules', 'react'], 'the folder opens to show the match');
  assert.equal(rowNamed(webview, 'node_modules').getAttribute('aria-expanded'), 'true');
  assert.ok(rowNamed(webview, 'react').classList.contains('match'));
  assert.ok(!rowNamed(webview, 'node_modules').classList.contains('match'));
  const status = webview.one('#row-0-2 .contents-status');
  assert.equal(status.getAttribute('aria-live'), 'polite');
  assert.equal(status.textContent, '1 of 10 listed entries match Folders not listed yet are not searched.');
  // The more row stays: the rest of node_modules is still there to list.
  assert.equal(webview.all('#row-0-2 .contents-more').length, 1);
  typeFilter(webview, '.js');
  assert.deepEqual(names(webview), ['node_modules', '.package-lock.json', 'src', 'b.js', 'a10.js', 'a9.js', 'server.js']);
  typeFilter(webview, 'nothing-like-this');
  assert.deepEqual(names(webview), []);
  assert.match(status.textContent!, /^No listed entry matches\./);
  // Escape in the box clears it; the filter is kept per layer in the state, and through a new model.
  const box = webview.one('#row-0-2 .contents-filter');
  box.focus();
  typeFilter(webview, 'src');
  webview.send({ type: 'model', uri: URI, version: 2, view: webview.view });
  assert.equal(active(webview).id, box.id, 'typing goes on in the box while the model refreshes');
  assert.equal((active(webview) as unknown as { value: string }).value, 'src');
  assert.deepEqual((webview.state() as { contents: Record<string, { filter: string }> }).contents['0:2']!.filter, 'src');
  webview.key(active(webview), 'Escape');
  assert.equal(webview.one('#row-0-2 .contents-status').textContent, '');
  assert.deepEqual(names(webview), ['node_modules', '.git', 'src', 'server.js', 'README.md']);
  await webview.close();
});

test('webview: keyboard: into the contents with Right, folders open and close, Left goes back up, Enter goes to the word in the editor', async () => {
  const webview = await showing(modelWith({ 2: FILES, 3: PACKAGES }));
  webview.one('#row-0-2').focus();
  webview.key(webview.one('#row-0-2'), 'ArrowRight');
  assert.equal(webview.one('#row-0-2').getAttribute('aria-expanded'), 'true');
  webview.key(webview.one('#row-0-2'), 'ArrowRight');
  assert.equal(active(webview).querySelector('.contents-name')!.textContent, 'node_modules', 'Right on an open row goes into its contents');
  const one = (name: string) => rowNamed(webview, name);
  assert.equal(webview.all('#row-0-2 .contents-row[tabindex="0"]').length, 1, 'one tab stop in the contents');
  webview.key(active(webview), 'ArrowDown');
  webview.key(active(webview), 'ArrowDown');
  assert.equal(active(webview), one('src'));
  webview.key(one('src'), 'ArrowRight');
  assert.equal(one('src').getAttribute('aria-expanded'), 'true');
  assert.equal(active(webview), one('src'), 'opening keeps the focus');
  assert.equal(one('b.js').getAttribute('aria-level'), '2');
  assert.equal(one('b.js').getAttribute('aria-setsize'), '3');
  webview.key(one('src'), 'ArrowRight');
  assert.equal(active(webview), one('b.js'), 'Right on an open folder goes to its first child');
  webview.key(one('b.js'), 'End');
  assert.equal(active(webview), one('README.md'));
  webview.key(one('README.md'), 'Home');
  webview.key(one('node_modules'), 'Enter');
  assert.deepEqual(webview.posted.at(-1), { type: 'reveal', uri: URI, line: COPY_LINE });
  webview.key(one('node_modules'), 'End');
  webview.key(one('README.md'), 'ArrowUp');
  webview.key(one('server.js'), 'ArrowUp');
  assert.equal(active(webview), one('a9.js'));
  webview.key(one('a9.js'), 'ArrowLeft');
  assert.equal(active(webview), one('src'), 'Left on a child goes to its folder');
  webview.key(one('src'), 'ArrowLeft');
  assert.equal(one('src').getAttribute('aria-expanded'), 'false');
  assert.equal(webview.all('.contents-row').filter((r) => r.getAttribute('aria-level') === '2').length, 0);
  webview.key(one('src'), 'ArrowLeft');
  assert.equal(active(webview).id, 'row-0-2', 'Left at the top goes back to the layer row');
  // Up and Down in the main tree skip the contents.
  webview.key(webview.one('#row-0-2'), 'ArrowDown');
  assert.equal(active(webview).id, 'row-0-3');
  // A package: Enter selects its name in the RUN, on the line where it is written.
  webview.key(webview.one('#row-0-3'), 'ArrowRight');
  webview.key(webview.one('#row-0-3'), 'ArrowRight');
  webview.key(active(webview), 'End');
  const curl = rowNamed(webview, 'curl');
  webview.key(curl, 'ArrowUp');
  webview.key(active(webview), 'ArrowDown');
  assert.equal(active(webview), curl);
  webview.key(curl, 'Enter');
  const reveal = webview.posted.at(-1) as { line: number; start: number; end: number };
  assert.equal(LINES[reveal.line]!.slice(reveal.start, reveal.end), 'curl');
  rowNamed(webview, 'libcurl4').click();
  const pulled = webview.posted.at(-1) as { line: number; start: number; end: number };
  assert.equal(LINES[pulled.line]!.slice(pulled.start, pulled.end), 'curl', 'a dependency leads to the package that pulls it in');
  webview.key(rowNamed(webview, 'libcurl4'), 'Escape');
  assert.equal(active(webview).id, 'row-0-3');
  // What the RUN removes and what --no-install-recommends would save are said under the tree.
  assert.match(webview.one('#row-0-3 .contents-recommends').textContent!, /^--no-install-recommends would leave out 3 package\(s\)/);
  assert.equal(webview.one('#row-0-3 .contents-removed li .contents-name').textContent, '/var/lib/apt/lists');
  await webview.close();
});

/** What the server would list for a folder, made into the page the extension sends. */
function pageMessage(model: DockerfileModel, request: { request: number; path: string }, entries: BreakdownEntry[], more?: { entries: number; bytes: number }): ToWebview {
  return { type: 'breakdownPage', uri: URI, request: request.request, stage: 0, layer: 2, path: request.path, page: buildBreakdownPage(model, 0, 2, request.path, { entries, ...(more ? { more } : {}) }, 'en') };
}

test('webview: an unlisted folder is asked for when opened, drawn when the answer comes, and paged with "more"', async () => {
  const model = modelWith({ 2: FILES });
  const webview = await showing(model);
  webview.one('#row-0-2 .toggle').click();
  const lists = () => webview.posted.filter((m): m is { type: 'listBreakdown'; request: number; path: string; limit: number } => isFromWebview(m) && m.type === 'listBreakdown');
  assert.equal(lists().length, 0, 'nothing is asked for before a folder opens');
  rowNamed(webview, '.git').focus();
  webview.key(rowNamed(webview, '.git'), 'ArrowRight');
  const asked = lists().at(-1)!;
  assert.deepEqual({ ...asked, request: 0 }, { type: 'listBreakdown', uri: URI, request: 0, stage: 0, layer: 2, path: '.git', limit: BREAKDOWN_PAGE });
  assert.equal(webview.all('#row-0-2 .contents-extra').map((r) => r.textContent).find((t) => t === 'Listing…'), 'Listing…');
  // An answer to another request (an older one) is not drawn.
  webview.send(pageMessage(model, { request: asked.request + 7, path: '.git' }, [file('.git/stale', 1)]));
  assert.equal(webview.all('.contents-row').filter((r) => r.querySelector('.contents-name')?.textContent === 'stale').length, 0);
  webview.send(pageMessage(model, asked, [file('.git/objects', 7_000_000), file('.git/HEAD', 21)], { entries: 498, bytes: 1_200_000 }));
  assert.deepEqual(names(webview).slice(1, 5), ['.git', 'objects', 'HEAD', 'src']);
  assert.equal(active(webview), rowNamed(webview, '.git'), 'focus stays where it was');
  const more = webview.all('#row-0-2 .contents-more').find((r) => r.getAttribute('aria-level') === '2')!;
  assert.equal(more.textContent, '498 more, 1.2 MB (exact)');
  assert.equal(more.getAttribute('title'), 'Enter or a click lists them');
  more.click();
  assert.deepEqual({ path: lists().at(-1)!.path, limit: lists().at(-1)!.limit }, { path: '.git', limit: 2 + BREAKDOWN_PAGE });
  const second = lists().at(-1)!;
  webview.send(pageMessage(model, second, [file('.git/objects', 7_000_000), file('.git/HEAD', 21), file('.git/config', 300)]));
  assert.deepEqual(names(webview).slice(1, 6), ['.git', 'objects', 'config', 'HEAD', 'src']);
  assert.equal(webview.all('#row-0-2 .contents-more').filter((r) => r.getAttribute('aria-level') === '2').length, 0);
  webview.send({ type: 'model', uri: URI, version: 2, view: webview.view });
  const refreshed = lists().at(-1)!;
  assert.deepEqual({ path: refreshed.path, limit: refreshed.limit }, { path: '.git', limit: BREAKDOWN_PAGE }, 'a new model asks again for what was listed');
  assert.deepEqual(names(webview).slice(1, 6), ['.git', 'objects', 'config', 'HEAD', 'src'], 'drawn as before until the answer');
  // A failed listing says why, in the folder.
  rowNamed(webview, 'node_modules').focus();
  webview.key(rowNamed(webview, 'node_modules'), 'ArrowRight');
  webview.key(rowNamed(webview, 'react'), 'ArrowRight');
  const react = lists().at(-1)!;
  assert.equal(react.path, 'node_modules/react');
  webview.send({ type: 'breakdownPage', uri: URI, request: react.request, stage: 0, layer: 2, path: react.path, page: failedBreakdownPage('Client is not running', 'en') });
  const failed = webview.all('#row-0-2 .contents-extra').find((r) => r.getAttribute('aria-level') === '3')!;
  assert.equal(failed.textContent, 'The folder could not be listed: Client is not running');
  // Another file: nothing listed is kept, answers for the old file are dropped.
  webview.send({ type: 'model', uri: 'file:///work/other/Dockerfile', version: 1, view: webview.view });
  webview.send(pageMessage(model, refreshed, [file('.git/late', 1)]));
  assert.deepEqual((webview.state() as { pages: object }).pages, {});
  await webview.close();
});

test('webview: hostile file names are text: markup, direction overrides, newlines and very long names', async () => {
  const hostile: LayerBreakdown = {
    kind: 'files',
    entries: [
      file('<img src=x onerror=alert(1)>', 5000),
      file('report\u202Egnp.exe', 4000),
      file('two\nlines<script>alert(2)</script>', 3000),
      file(`${'very-long-'.repeat(1000)}end`, 2000),
      { kind: 'folder', name: '"><svg onload=alert(3)>', ...figure(1000), files: 2, children: [file('"><svg onload=alert(3)>/x', 1000)] },
    ],
  };
  const webview = await showing(modelWith({ 2: hostile }));
  webview.one('#row-0-2 .toggle').click();
  rowNamed(webview, '"><svg onload=alert(3)>').querySelector('.twisty')!.click();
  assert.equal(webview.all('img, script, svg').length, 0);
  const shown = names(webview);
  assert.deepEqual(shown.slice(0, 3), ['<img src=x onerror=alert(1)>', 'report\\u{202e}gnp.exe', 'two\\nlines<script>alert(2)</script>']);
  assert.ok(shown[3]!.length === 160 && shown[3]!.endsWith('end'));
  assert.equal(shown[5], 'x');
  // Names sit in <bdi>, so what is left of a direction change cannot reorder the row.
  assert.ok(webview.all('#row-0-2 .contents-name').every((n) => (n as unknown as { tagName: string }).tagName === 'BDI'));
  assert.ok(!webview.one('#row-0-2 .contents-tree').textContent!.includes('\u202E'));
  // Ids made from such names still find their rows.
  const ids = webview.all('#row-0-2 .contents-row').map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.equal(webview.document.getElementById(id)?.id, id);
  // And filtering for markup is a plain substring search.
  typeFilter(webview, '<script>');
  assert.deepEqual(names(webview), ['two\\nlines<script>alert(2)</script>']);
  await webview.close();
});

test('webview in Korean: the contents labels are Korean', async () => {
  const webview = await showing(modelWith({ 2: FILES }), 'ko');
  webview.one('#row-0-2 .toggle').click();
  assert.equal(webview.one('#row-0-2 .contents-filter').getAttribute('placeholder'), '이름으로 거르기');
  assert.deepEqual(webview.all('#row-0-2 .contents-sort-button').map((b) => b.textContent), ['크기', '이름']);
  assert.equal(webview.one('#row-0-2 .contents-tree').getAttribute('aria-label'), '레이어 2의 내용');
  typeFilter(webview, 'src');
  assert.match(webview.one('#row-0-2 .contents-status').textContent!, /^1개가 맞습니다 \(나열된 항목 10개 중\)/);
  await webview.close();
});

test('webview: a revived panel draws the open folders, the listed pages, the sort and the filter it had', async () => {
  const model = modelWith({ 2: FILES });
  const first = await showing(model);
  first.one('#row-0-2 .toggle').click();
  rowNamed(first, '.git').querySelector('.twisty')!.click();
  const asked = first.posted.filter((m) => isFromWebview(m) && m.type === 'listBreakdown').at(-1) as { request: number; path: string };
  first.send(pageMessage(model, asked, [file('.git/objects', 7_000_000)]));
  first.all('#row-0-2 .contents-sort-button')[1]!.click();
  const saved = first.state();
  await first.close();
  const revived = await mountWebview(saved);
  assert.deepEqual(names(revived), ['.git', 'objects', 'node_modules', 'README.md', 'server.js', 'src']);
  assert.equal(revived.all('#row-0-2 .contents-sort-button')[1]!.getAttribute('aria-pressed'), 'true');
  await revived.close();
  // A saved state with a malformed page is dropped whole, not drawn.
  const bad = { ...(saved as object), pages: { '0:2\n.git': { entries: [{ name: 'x' }], more: null } } };
  const fresh = await mountWebview(bad);
  assert.deepEqual(names(fresh).slice(0, 2), ['.git', 'node_modules']);
  await fresh.close();
});

test('breakdown view: the type of every view entry is what the webview validator accepts (round trip through JSON)', () => {
  const view = viewOf(modelWith({ 2: FILES, 3: PACKAGES }));
  const breakdowns = view.stages[0]!.layers.map((r) => r.breakdown).filter((b): b is BreakdownView => b !== null);
  assert.equal(breakdowns.length, 3, 'base, COPY and RUN');
  assert.ok(isToWebview({ type: 'model', uri: URI, version: 1, view: JSON.parse(JSON.stringify(view)) }));
});
