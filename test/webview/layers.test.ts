import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildLayersView, selectionAt, sourceWord, uiStrings, type LayersView } from '../../protocol/layersView';
import { isFromWebview, isToWebview, isWebviewMessage, type ToWebview } from '../../protocol/webviewMessages';
import { formatBytes, formatFigure } from '../../server/src/service/features/sizeText';
import type { SizeSource } from '../../server/src/service/types';
import { mediaFile, mountWebview, sizedModel, type Webview } from './harness';

const MULTI = [
  '# syntax=docker/dockerfile:1',
  'FROM golang:1.27 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /out/app ./cmd/app',
  '',
  'FROM build AS test',
  'RUN go test ./...',
  '',
  'FROM alpine:3.22 AS runtime',
  'RUN apk add --no-cache ca-certificates tzdata',
  'COPY --from=build /out/app /usr/local/bin/app',
  'USER 65534',
  'ENTRYPOINT ["/usr/local/bin/app"]',
  '',
].join('\n');

const APT_WASTE = [
  'FROM debian:bookworm',
  'RUN apt-get update',
  'RUN apt-get install -y curl',
  'RUN rm -rf /var/lib/apt/lists/*',
  '',
].join('\n');

const HOSTILE = [
  'FROM alpine:3.22',
  'RUN echo "<img src=x onerror=alert(1)>" > /index.html',
  "RUN echo '<script>alert(2)</script>' >> /index.html",
  '',
].join('\n');

const URI = 'file:///work/app/Dockerfile';
const HANGUL = /[\uAC00-\uD7A3]/;

const lineOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.startsWith(start));

function viewOf(text: string, locale: 'en' | 'ko' = 'en'): LayersView {
  return buildLayersView(sizedModel(text), locale, { file: 'Dockerfile' });
}

/** A webview with the labels and one model shown, as after the panel's first round trip. */
async function showing(text: string, locale: 'en' | 'ko' = 'en'): Promise<Webview & { view: LayersView }> {
  const webview = await mountWebview();
  const view = viewOf(text, locale);
  webview.send({ type: 'locale', locale, strings: uiStrings(locale) } satisfies ToWebview);
  webview.send({ type: 'model', uri: URI, version: 3, view } satisfies ToWebview);
  return Object.assign(webview, { view });
}

const widthOf = (style: { width: string }) => {
  const match = /^([\d.]+)%$/.exec(style.width);
  assert.ok(match, `bar width ${JSON.stringify(style.width)}`);
  return Number(match[1]) / 100;
};

// ---- the view model -------------------------------------------------------------------------

test('buildLayersView: stages with roles, graph edges both ways, one row per layer', () => {
  const model = sizedModel(MULTI);
  const view = buildLayersView(model, 'en', { file: 'Dockerfile' });
  assert.equal(view.title, "Dockerfile · target: stage 'runtime'");
  assert.deepEqual(view.stages.map((s) => [s.name, s.role, s.roleText]), [
    ["'build'", 'needed', 'needed by the target'],
    ["'test'", 'unused', 'unused: not built'],
    ["'runtime'", 'target', 'target'],
  ]);
  assert.deepEqual(view.stages.map((s) => s.layers.length), model.stages.map((s) => s.layers.length));
  const [build, testStage, runtime] = view.stages;
  assert.deepEqual(build!.feeds.map((e) => [e.stage, e.kindText]), [[1, 'FROM'], [2, 'COPY --from']]);
  assert.deepEqual(runtime!.reads.map((e) => [e.name, e.kind, e.line]), [["'build'", 'copy-from', lineOf(MULTI, 'COPY --from')]]);
  assert.equal(testStage!.base, "FROM stage 'build'");
  assert.equal(build!.base, 'FROM golang:1.27');
  assert.equal(build!.ownLayers, '3 own layers');
  assert.match(runtime!.total, /in all$/);
  // Rows: the base group, then one per filesystem instruction, each on its instruction's line.
  assert.deepEqual(build!.layers.map((r) => [r.number, r.kind, r.line]), [
    [0, 'base', lineOf(MULTI, 'FROM golang')],
    [1, 'filesystem', lineOf(MULTI, 'WORKDIR')],
    [2, 'filesystem', lineOf(MULTI, 'COPY . .')],
    [3, 'filesystem', lineOf(MULTI, 'RUN go build')],
  ]);
  assert.equal(build!.layers[0]!.kindText, 'base image');
  assert.ok(build!.layers[0]!.breakdown!.entries.length > 1, 'the base row lists the base image layers');
  assert.equal(testStage!.layers[0]!.kindText, "every layer of stage 'build'");
  assert.equal(runtime!.layers[2]!.text, 'COPY --from=build /out/app /usr/local/bin/app');
});

test('buildLayersView: sizes in the same words as hovers, bars relative to the largest row', () => {
  const model = sizedModel(MULTI);
  const view = buildLayersView(model, 'en');
  const rows = view.stages.flatMap((s) => s.layers);
  const largest = Math.max(...rows.map((r) => r.bytes ?? 0));
  for (const row of rows) {
    const layer = model.stages[row.stage]!.layers.find((l) => l.number === row.number)!;
    assert.equal(row.sizeFull, formatFigure(layer.size!, 'en'));
    assert.equal(row.fraction, row.bytes === null ? 0 : row.bytes / largest, row.id);
    // no baseline here: used stages say unknown, the unused stage says it is not built
    const used = model.stages[row.stage]!.used;
    assert.equal(row.cache, used ? 'unknown' : 'not-built');
    assert.match(row.cacheText, used ? /^cache: no baseline/ : /^cache: not built for the target/);
  }
  assert.ok(rows.some((r) => r.fraction === 1));
  const unknown = rows.find((r) => r.text === 'COPY . .')!;
  assert.deepEqual([unknown.size, unknown.bytes, unknown.fraction, unknown.sourceText], ['?', null, 0, 'not known']);
  assert.match(view.cacheNote, /compared with no baseline/);
});

test('sourceWord: the badge says what formatFigure says', () => {
  const sources: SizeSource[] = ['exact', 'bundled', 'registry', 'engine', 'estimate', 'unknown'];
  for (const locale of ['en', 'ko'] as const) {
    for (const source of sources) {
      const word = sourceWord(source, locale);
      assert.ok(formatFigure({ bytes: 5, low: 5, high: 5, compressed: null, source, detail: '' }, locale).endsWith(`(${word})`), `${locale} ${source}`);
    }
  }
  assert.equal(sourceWord('estimate', 'en'), 'estimated');
  assert.equal(sourceWord('bundled', 'ko'), '내장 데이터');
});

test('buildLayersView: wasted bytes mark the layer that wrote them and the one that removed them', () => {
  const view = viewOf(APT_WASTE);
  const rows = view.stages[0]!.layers;
  const update = rows.find((r) => r.text === 'RUN apt-get update')!;
  const cleanup = rows.find((r) => r.text.startsWith('RUN rm -rf'))!;
  assert.equal(update.wasted.length, 1);
  assert.equal(update.wasted[0]!.role, 'written');
  assert.match(update.wasted[0]!.text, /^\/var\/lib\/apt\/lists: [\d.]+ MB of apt lists \(apt-get update\), deleted by layer 3; still stored and shipped in this layer$/);
  assert.match(update.label, /wasted bytes$/);
  assert.deepEqual(cleanup.wasted.map((w) => w.role), ['removes']);
  assert.equal(cleanup.wasted[0]!.text, `Deletes /var/lib/apt/lists (${formatBytes(update.wasted[0]!.bytes)}, written by layer 1): the image does not get smaller`);
  assert.ok(view.ship!.points.some((p) => /written by one layer and deleted .* Efficiency \d+\.\d%/.test(p)));
});

test('buildLayersView: packages purged by a later layer mark the install layer with their count, names and bytes (en, ko)', () => {
  const text = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y --auto-remove make\n';
  for (const [locale, written, removes] of [
    ['en', /^1 apt packages \(make\): [\d.]+ MB, removed by layer 2; still stored and shipped in this layer$/, /^Removes 1 apt packages \(make, [\d.]+ MB\) installed by layer 1: the image does not get smaller$/],
    ['ko', /^apt 패키지 1개\(make\): [\d.]+ MB, 레이어 2에서 제거했지만/, /^레이어 1에서 설치한 apt 패키지 1개\(make, [\d.]+ MB\)를 제거하지만/],
  ] as const) {
    const rows = viewOf(text, locale).stages[0]!.layers;
    const install = rows.find((r) => r.text.startsWith('RUN apt-get update'))!;
    const purge = rows.find((r) => r.text.startsWith('RUN apt-get purge'))!;
    assert.deepEqual(install.wasted.map((w) => w.role), ['written']);
    assert.match(install.wasted[0]!.text, written);
    assert.match(purge.wasted[0]!.text, removes);
  }
});

test('buildLayersView: Run draws the thin read-write layer over read-only layers over the host kernel', () => {
  const view = viewOf(MULTI);
  const run = view.run!;
  assert.equal(run.stack[0]!.kind, 'container');
  assert.equal(run.stack.at(-1)!.kind, 'kernel');
  // The target's layers, newest first, between the two.
  assert.deepEqual(run.stack.slice(1, -1).map((e) => e.kind), ['layer', 'layer', 'base']);
  assert.match(run.stack[1]!.label, /^Layer 2 \(read-only\): COPY --from=build/);
  assert.equal(run.stack.at(-2)!.label, 'Base image alpine:3.22 (read-only)');
  assert.equal(viewOf(MULTI).stages[1]!.layers[0]!.kindText, "every layer of stage 'build'");
  const text = run.points.join('\n');
  assert.match(text, /read-only/);
  assert.match(text, /writes only there/);
  assert.match(text, /no kernel in the image/);
  assert.match(text, /virtual machine/);
});

test("buildLayersView: Ship gives the compressed total and what a push or pull sends when the base is there", () => {
  const model = sizedModel(MULTI);
  const view = buildLayersView(model, 'en');
  const ship = view.ship!;
  assert.equal(ship.figures.length, 4);
  assert.match(ship.figures[0]!.value, /MB$/);
  const runtime = model.stages[2]!;
  const own = runtime.layers.filter((l) => l.kind === 'filesystem').reduce((sum, l) => sum + l.size!.compressed!, 0);
  assert.ok(own < model.image!.total.compressed!, 'own layers are less than the whole image');
  const push = ship.points.find((p) => p.startsWith('Push'))!;
  assert.equal(push, `Push to a registry that already has alpine:3.22: only this Dockerfile's own 2 layer(s) are sent: ≈ ${(own / 1e6).toFixed(1)} MB.`);
  assert.match(ship.points.find((p) => p.startsWith('Pull'))!, /already has alpine:3\.22: .* to download/);
  // FROM scratch has no base to reuse.
  const scratch = viewOf('FROM scratch\nCOPY --from=alpine:3.22 /etc/passwd /etc/passwd\n');
  assert.ok(scratch.ship!.points.some((p) => p.startsWith('Built FROM scratch')));
});

test('buildLayersView: a file without FROM says so and has no Run or Ship', () => {
  const view = viewOf('# nothing yet\n');
  assert.equal(view.empty, 'No FROM instruction: nothing to build.');
  assert.deepEqual([view.stages.length, view.run, view.ship], [0, null, null]);
});

test('buildLayersView in Korean: every text the view adds is Korean', () => {
  const view = viewOf(MULTI, 'ko');
  assert.equal(view.locale, 'ko');
  assert.match(view.title, /타깃: 스테이지 'runtime'/);
  const texts = [
    view.summary, view.cacheNote,
    ...view.stages.flatMap((s) => [s.heading, s.roleText, s.ownLayers, s.total, ...s.feeds.map((f) => f.kindText === 'FROM' || f.kindText === 'COPY --from' ? '스테이지' : f.kindText)]),
    ...view.stages.flatMap((s) => s.layers.flatMap((r) => [r.cacheText, r.label, r.sourceText, ...(r.kindText ? [r.kindText] : [])])),
    view.run!.heading, ...view.run!.points, ...view.run!.stack.filter((e) => e.kind !== 'layer').map((e) => e.label),
    view.ship!.heading, ...view.ship!.points, ...view.ship!.figures.map((f) => f.label),
  ];
  for (const text of texts) assert.match(text, HANGUL, JSON.stringify(text));
  const waste = viewOf(APT_WASTE, 'ko').stages[0]!.layers.flatMap((r) => r.wasted.map((w) => w.text));
  assert.equal(waste.length, 2);
  for (const text of waste) assert.match(text, HANGUL);
});

test('uiStrings: Korean is complete', () => {
  const en = uiStrings('en');
  const ko = uiStrings('ko');
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  for (const [key, value] of Object.entries(ko)) assert.match(value, HANGUL, key);
  // Placeholders survive translation.
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    assert.deepEqual(ko[key].match(/\{\w+\}/g) ?? [], en[key].match(/\{\w+\}/g) ?? [], key);
  }
});

test('selectionAt: the row under an editor line', () => {
  const model = sizedModel(MULTI);
  assert.deepEqual(selectionAt(model, lineOf(MULTI, 'RUN go build')), { stage: 0, layer: 3 });
  assert.deepEqual(selectionAt(model, lineOf(MULTI, 'FROM golang')), { stage: 0, layer: 0 });
  assert.deepEqual(selectionAt(model, lineOf(MULTI, 'FROM build')), { stage: 1, layer: 0 });
  assert.deepEqual(selectionAt(model, lineOf(MULTI, 'USER')), { stage: 2, layer: null });
  assert.equal(selectionAt(model, 0), null);
});

// ---- message validation -----------------------------------------------------------------------

const MALFORMED: unknown[] = [
  null,
  undefined,
  'model',
  42,
  [],
  {},
  { type: 'model' },
  { type: 'model', uri: URI, version: 1 },
  { type: 'model', uri: URI, version: 1, view: { stages: 'no' } },
  { type: 'select', uri: URI, stage: -1, layer: 0 },
  { type: 'select', uri: URI, stage: 0 },
  { type: 'locale', locale: 'fr', strings: {} },
  { type: 'empty' },
  { type: 'reveal', uri: URI, line: -1 },
  { type: 'reveal', uri: URI, line: 1.5 },
  { type: 'reveal', line: 2 },
  { type: 'openEverything' },
  { type: 'log', message: 7 },
];

test('isWebviewMessage: the real messages pass, malformed ones do not', () => {
  const view = viewOf(MULTI);
  const toWebview: unknown[] = [
    { type: 'locale', locale: 'ko', strings: uiStrings('ko') },
    { type: 'model', uri: URI, version: 0, view },
    JSON.parse(JSON.stringify({ type: 'model', uri: URI, version: 7, view: viewOf(APT_WASTE, 'ko') })),
    { type: 'select', uri: URI, stage: 2, layer: null },
    { type: 'select', uri: URI, stage: 0, layer: 3 },
    { type: 'empty', message: 'nothing' },
  ];
  const fromWebview: unknown[] = [{ type: 'ready' }, { type: 'reveal', uri: URI, line: 4 }, { type: 'log', message: 'x' }];
  for (const m of toWebview) assert.ok(isToWebview(m) && isWebviewMessage(m) && !isFromWebview(m), JSON.stringify(m).slice(0, 80));
  for (const m of fromWebview) assert.ok(isFromWebview(m) && isWebviewMessage(m) && !isToWebview(m), JSON.stringify(m));
  for (const m of MALFORMED) assert.equal(isWebviewMessage(m), false, String(JSON.stringify(m)));
  // One bad row spoils the view.
  const broken = structuredClone(view);
  broken.stages[0]!.layers[1]!.fraction = 2;
  assert.equal(isToWebview({ type: 'model', uri: URI, version: 1, view: broken }), false);
  const noText = structuredClone(view) as unknown as { stages: { layers: Record<string, unknown>[] }[] };
  delete noText.stages[2]!.layers[0]!.text;
  assert.equal(isToWebview({ type: 'model', uri: URI, version: 1, view: noText }), false);
});

// ---- the webview --------------------------------------------------------------------------------

test('webview: says it is ready, and draws nothing it was not told', async () => {
  const webview = await mountWebview();
  assert.deepEqual(webview.posted, [{ type: 'ready' }]);
  assert.equal(webview.one('#app').textContent, '');
  webview.send({ type: 'locale', locale: 'en', strings: uiStrings('en') });
  assert.equal(webview.one('#app').textContent, 'Open a Dockerfile to see its layers.');
  webview.send({ type: 'empty', message: 'Dockerlens does not analyse this file.' });
  assert.equal(webview.one('.empty').textContent, 'Dockerlens does not analyse this file.');
  await webview.close();
});

test('webview: one group per stage, one row per layer, proportional bars, the unused stage marked', async () => {
  const webview = await showing(MULTI);
  const { view } = webview;
  const tree = webview.one('[role="tree"]');
  assert.equal(tree.getAttribute('aria-label'), 'Stages and their layers');
  const headers = webview.all('.stage-header');
  assert.deepEqual(headers.map((h) => h.getAttribute('aria-level')), ['1', '1', '1']);
  assert.deepEqual(headers.map((h) => h.querySelector('.stage-heading')!.textContent), ["Stage 'build'", "Stage 'test'", "Stage 'runtime'"]);
  for (const stage of view.stages) {
    const rows = webview.all(`.layer[data-stage="${stage.index}"]`);
    assert.equal(rows.length, stage.layers.length, stage.name);
    rows.forEach((row, i) => {
      const layer = stage.layers[i]!;
      assert.equal(row.getAttribute('role'), 'treeitem');
      assert.equal(row.getAttribute('aria-level'), '2');
      assert.equal(row.getAttribute('aria-label'), layer.label);
      assert.equal(row.querySelector('.num')!.textContent, String(layer.number));
      assert.equal(row.querySelector('.size')!.textContent, layer.size);
      assert.equal(row.querySelector('.compressed')!.textContent, layer.compressed);
      assert.equal(row.querySelector('.source')!.textContent, layer.sourceText);
      assert.equal(row.querySelector('.instruction')!.textContent, layer.text);
      assert.equal(row.dataset.cache, layer.cache);
    });
  }
  // Bars: width ∝ bytes, base groups in their own colour.
  const bars = webview.all('.layer').map((row) => ({ row, bar: row.querySelector('.bar')! }));
  const rows = view.stages.flatMap((s) => s.layers);
  const largest = Math.max(...rows.map((r) => r.bytes ?? 0));
  bars.forEach(({ row, bar }, i) => {
    const layer = rows[i]!;
    assert.ok(Math.abs(widthOf(bar.style) - (layer.bytes ?? 0) / largest) < 1e-4, `${row.id}: ${bar.style.width}`);
    assert.equal(bar.classList.contains('bar-base'), layer.kind !== 'filesystem', row.id);
  });
  const go = rows.find((r) => r.text === 'RUN go build -o /out/app ./cmd/app')!;
  const apk = rows.find((r) => r.text.startsWith('RUN apk add'))!;
  const ratio = widthOf(webview.one(`#row-${go.id.replace(':', '-')} .bar`).style) / widthOf(webview.one(`#row-${apk.id.replace(':', '-')} .bar`).style);
  assert.ok(Math.abs(ratio - go.bytes! / apk.bytes!) / ratio < 1e-2, `${ratio}`);
  // The unused stage.
  const unused = webview.one('#stage-1');
  assert.ok(unused.classList.contains('role-unused'));
  assert.equal(unused.querySelector('.role-badge')!.textContent, 'unused: not built');
  assert.ok(webview.all('.layer[data-stage="1"]').every((r) => r.classList.contains('stage-unused')));
  assert.ok(!webview.all('.layer[data-stage="2"]').some((r) => r.classList.contains('stage-unused')));
  // Edges between stage headers, as links to the other stage.
  const links = webview.all('#stage-0 .edge-link').map((a) => a.textContent);
  assert.deepEqual(links, ["'test'", "'runtime'"]);
  assert.match(webview.one('#stage-0 .edges').textContent!, /^feeds →'test' \(FROM\) · 'runtime' \(COPY --from\)$/);
  webview.one('#stage-0 .edge-link:last-of-type').click();
  assert.equal(webview.document.activeElement?.id, 'stage-2');
  assert.equal(webview.posted.length, 1, 'following an edge does not move the editor');
  await webview.close();
});

test('webview: the Run and Ship explainers fold as the extension says, together, and report a toggle', async () => {
  const webview = await showing(MULTI);
  const details = () => webview.all('details.explainer') as unknown as { open: boolean }[];
  assert.equal(details().length, 2);
  assert.ok(details().every((d) => d.open), 'unfolded until the extension says otherwise');
  webview.send({ type: 'explainers', open: false } satisfies ToWebview);
  assert.ok(details().every((d) => !d.open));
  assert.equal(webview.posted.filter((m) => (m as { type: string }).type === 'explainersToggled').length, 0, 'the extension\'s own choice is not reported back');
  // the user unfolds Run: Ship follows, the choice is reported once and survives a new model
  webview.one('section.run summary').click();
  await new Promise((resolve) => setImmediate(resolve)); // the toggle event is queued as a task, as in browsers
  assert.ok(details().every((d) => d.open));
  assert.deepEqual(webview.posted.filter((m) => (m as { type: string }).type === 'explainersToggled'), [{ type: 'explainersToggled', open: true }]);
  webview.send({ type: 'model', uri: URI, version: 4, view: webview.view } satisfies ToWebview);
  assert.ok(details().every((d) => d.open), 'a re-render keeps the user\'s choice');
  await webview.close();
});

test('webview: each row shows whether the next build reuses it, the reason on the badge', async () => {
  const webview = await mountWebview();
  const view = viewOf(MULTI);
  const rows = view.stages.flatMap((s) => s.layers).filter((l) => l.kind === 'filesystem');
  assert.ok(rows.length >= 2);
  rows[0]!.cache = 'reused';
  rows[0]!.cacheText = 'cache: reused on the next build';
  rows[1]!.cache = 'rebuilt';
  rows[1]!.cacheText = 'cache: rebuilds, because src/main.go changed';
  webview.send({ type: 'locale', locale: 'en', strings: uiStrings('en') } satisfies ToWebview);
  webview.send({ type: 'model', uri: URI, version: 1, view } satisfies ToWebview);
  const badge = (id: string) => webview.one(`#row-${id.replace(':', '-')} .cache-marker`);
  assert.equal(badge(rows[0]!.id).textContent, 'cached');
  assert.equal(badge(rows[1]!.id).textContent, 'rebuilds');
  assert.equal(badge(rows[1]!.id).getAttribute('title'), 'cache: rebuilds, because src/main.go changed');
  // without a baseline the state is unknown: no badge claims anything
  assert.equal(webview.all('.cache-marker').length, 2);
  await webview.close();
});

test('webview: Run and Ship sections, cache honestly not known', async () => {
  const webview = await showing(MULTI);
  const run = webview.one('section.run');
  assert.equal(run.querySelector('h2')!.textContent, 'Run: a container on top of the image');
  const stack = Array.from(run.querySelectorAll('.stack li'));
  assert.equal(stack.length, webview.view.run!.stack.length);
  assert.ok(stack[0]!.classList.contains('stack-container'));
  assert.ok(stack.at(-1)!.classList.contains('stack-kernel'));
  assert.match(run.textContent!, /no kernel in the image/);
  const ship = webview.one('section.ship');
  assert.equal(ship.querySelector('h2')!.textContent, 'Ship: push and pull');
  assert.equal(ship.querySelectorAll('dt').length, 4);
  assert.match(ship.textContent!, /only this Dockerfile's own 2 layer\(s\) are sent/);
  assert.match(webview.one('.cache-note').textContent!, /Build cache: compared with no baseline/);
  await webview.close();
});

test('webview: wasted markers on the layer that wrote the apt lists and on the one that deleted them', async () => {
  const webview = await showing(APT_WASTE);
  const written = webview.all('.wasted-marker.wasted-written');
  assert.equal(written.length, 1);
  assert.equal(written[0]!.textContent, 'wasted');
  assert.match(written[0]!.getAttribute('title')!, /apt lists/);
  assert.ok(webview.one('#row-0-1').classList.contains('has-waste'));
  assert.equal(webview.one('#row-0-3 .wasted-marker.wasted-removes').textContent, 'late cleanup');
  await webview.close();
});

test('webview: instruction text is text, never markup', async () => {
  const webview = await showing(HOSTILE);
  assert.equal(webview.all('img').length, 0);
  assert.equal(webview.all('script').length, 0);
  const texts = webview.all('.instruction').map((c) => c.textContent);
  assert.ok(texts.includes('RUN echo "<img src=x onerror=alert(1)>" > /index.html'), texts.join('\n'));
  assert.ok(texts.includes("RUN echo '<script>alert(2)</script>' >> /index.html"));
  assert.ok(webview.all('.stack-label').some((s) => s.textContent!.includes('<img src=x onerror=alert(1)>')));
  // Labels from the extension are text too.
  const evil = { ...uiStrings('en'), waiting: '<img src=y onerror=alert(3)>' };
  webview.send({ type: 'locale', locale: 'en', strings: evil });
  webview.send({ type: 'empty', message: '<script>alert(4)</script>' });
  assert.equal(webview.all('img, script').length, 0);
  assert.equal(webview.one('.empty').textContent, '<script>alert(4)</script>');
  await webview.close();
});

test('webview: a click on a row asks the editor to show its line', async () => {
  const webview = await showing(MULTI);
  const go = webview.view.stages[0]!.layers[3]!;
  webview.one('#row-0-3 .instruction').click();
  assert.deepEqual(webview.posted.at(-1), { type: 'reveal', uri: URI, line: lineOf(MULTI, 'RUN go build') });
  assert.equal(go.line, lineOf(MULTI, 'RUN go build'));
  assert.equal(webview.one('#row-0-3').getAttribute('aria-selected'), 'true');
  webview.one('#stage-2 .stage-heading').click();
  assert.deepEqual(webview.posted.at(-1), { type: 'reveal', uri: URI, line: lineOf(MULTI, 'FROM alpine') });
  await webview.close();
});

test('webview: arrow keys move between rows, Enter reveals, Right and Left open and close details', async () => {
  const webview = await showing(MULTI);
  const items = webview.all('[role="treeitem"]');
  assert.equal(items.filter((i) => i.getAttribute('tabindex') === '0').length, 1, 'one tab stop');
  items[0]!.focus();
  const active = () => webview.document.activeElement as unknown as { id: string };
  webview.key(items[0]!, 'ArrowDown');
  assert.equal(active().id, 'row-0-0');
  webview.key(webview.one('#row-0-0'), 'ArrowDown');
  webview.key(webview.one('#row-0-1'), 'ArrowDown');
  assert.equal(active().id, 'row-0-2');
  webview.key(webview.one('#row-0-2'), 'ArrowUp');
  assert.equal(active().id, 'row-0-1');
  assert.equal(webview.one('#row-0-1').getAttribute('tabindex'), '0');
  webview.key(webview.one('#row-0-1'), 'Enter');
  assert.deepEqual(webview.posted.at(-1), { type: 'reveal', uri: URI, line: lineOf(MULTI, 'WORKDIR') });
  // Details: the figures, and what the layer is made of when that is known.
  webview.key(webview.one('#row-0-1'), 'ArrowRight');
  assert.equal(webview.one('#row-0-1').getAttribute('aria-expanded'), 'true');
  assert.match(webview.one('#row-0-1 .details').textContent!, /cache: no baseline/);
  assert.equal(active().id, 'row-0-1', 'focus stays on the row');
  webview.key(webview.one('#row-0-1'), 'ArrowLeft');
  assert.equal(webview.all('#row-0-1 .details').length, 0);
  webview.key(webview.one('#row-0-1'), 'ArrowLeft');
  assert.equal(active().id, 'stage-0');
  // Left on a stage header folds its rows away; Right brings them back.
  webview.key(webview.one('#stage-0'), 'ArrowLeft');
  assert.equal(webview.one('#stage-0').getAttribute('aria-expanded'), 'false');
  assert.equal(webview.all('.layer[data-stage="0"]').length, 0);
  webview.key(webview.one('#stage-0'), 'ArrowDown');
  assert.equal(active().id, 'stage-1');
  webview.key(webview.one('#stage-1'), 'End');
  assert.equal(active().id, 'row-2-2');
  webview.key(webview.one('#row-2-2'), 'Home');
  webview.key(webview.one('#stage-0'), 'ArrowRight');
  assert.equal(webview.all('.layer[data-stage="0"]').length, 4);
  // The base row's details list the base image's own layers.
  webview.key(webview.one('#stage-0'), 'ArrowDown');
  webview.key(webview.one('#row-0-0'), ' ');
  assert.ok(webview.all('#row-0-0 .contents-row.kind-history').length > 1);
  await webview.close();
});

test('webview: a new model keeps the focused row, the open details and the folded stages', async () => {
  const webview = await showing(MULTI);
  webview.key(webview.one('#stage-1'), 'ArrowLeft');
  webview.one('#row-2-1').focus();
  webview.key(webview.one('#row-2-1'), 'ArrowRight');
  webview.send({ type: 'model', uri: URI, version: 4, view: viewOf(MULTI.replace('tzdata', 'tzdata curl')) });
  assert.equal((webview.document.activeElement as unknown as { id: string }).id, 'row-2-1');
  assert.equal(webview.all('#row-2-1 .details').length, 1);
  assert.equal(webview.all('.layer[data-stage="1"]').length, 0);
  assert.match(webview.one('#row-2-1 .instruction').textContent!, /tzdata curl$/);
  // Another file starts afresh.
  webview.send({ type: 'model', uri: 'file:///work/other/Dockerfile', version: 1, view: viewOf(APT_WASTE) });
  assert.equal(webview.all('.details').length, 0);
  assert.equal(webview.all('.selected').length, 0);
  await webview.close();
});

test("webview: the editor's cursor highlights its row", async () => {
  const webview = await showing(MULTI);
  webview.send({ type: 'select', uri: URI, stage: 2, layer: 1 });
  assert.deepEqual(webview.all('[aria-selected="true"]').map((e) => e.id), ['row-2-1']);
  webview.send({ type: 'select', uri: URI, stage: 2, layer: null });
  assert.deepEqual(webview.all('.selected').map((e) => e.id), ['stage-2']);
  webview.send({ type: 'select', uri: 'file:///other/Dockerfile', stage: 0, layer: 1 });
  assert.deepEqual(webview.all('.selected').map((e) => e.id), ['stage-2'], 'another file is ignored');
  const posted = webview.posted.length;
  assert.equal(webview.posted.length, posted, 'a highlight from the editor is not sent back');
  await webview.close();
});

test('webview: malformed messages are ignored without throwing, and reported', async () => {
  const webview = await showing(MULTI);
  const before = webview.one('#app').textContent;
  const posted = webview.posted.length;
  for (const message of MALFORMED) webview.send(message);
  assert.equal(webview.one('#app').textContent, before);
  const logs = webview.posted.slice(posted);
  assert.equal(logs.length, MALFORMED.length);
  for (const log of logs) assert.ok(isFromWebview(log) && log.type === 'log' && log.message.startsWith('ignored '), JSON.stringify(log));
  await webview.close();
});

test('webview and protocol agree on what is a valid message for the webview', async () => {
  const webview = await showing(APT_WASTE);
  const view = webview.view;
  const samples: unknown[] = [
    ...MALFORMED,
    { type: 'model', uri: URI, version: 4, view },
    { type: 'model', uri: URI, version: 4, view: { ...view, stages: [{ ...view.stages[0], role: 'other' }] } },
    { type: 'model', uri: URI, version: 4, view: { ...view, run: { heading: 'x' } } },
    { type: 'model', uri: URI, version: 4, view: { ...view, ship: null, run: null } },
    { type: 'select', uri: URI, stage: 0, layer: 2 },
    { type: 'empty', message: '' },
    { type: 'locale', locale: 'en', strings: { ...uiStrings('en'), keyboardHelp: undefined } },
  ];
  // The last-build figures are checked too: a wrong shape is refused, not drawn half.
  const stage = view.stages[0]!;
  const badBuild: unknown[] = [
    { type: 'model', uri: URI, version: 4, view: { ...view, lastBuild: [1] } },
    { type: 'model', uri: URI, version: 4, view: { ...view, stages: [{ ...stage, layers: [{ ...stage.layers[0], built: 'x' }] }] } },
  ];
  for (const sample of badBuild) assert.equal(isToWebview(sample), false);
  samples.push(...badBuild, { type: 'model', uri: URI, version: 4, view: { ...view, lastBuild: ['built 1 min ago'] } });
  for (const sample of samples) {
    const posted = webview.posted.length;
    webview.send(sample);
    const rejected = webview.posted.slice(posted).some((m) => isFromWebview(m) && m.type === 'log');
    assert.equal(rejected, !isToWebview(sample), String(JSON.stringify(sample)).slice(0, 120));
  }
  await webview.close();
});

test('webview in Korean: labels and texts from the Korean view', async () => {
  const webview = await showing(MULTI, 'ko');
  assert.equal(webview.document.documentElement.lang, 'ko');
  assert.equal(webview.one('[role="tree"]').getAttribute('aria-label'), '스테이지와 레이어');
  assert.equal(webview.one('#stage-1 .role-badge').textContent, '쓰이지 않음: 빌드되지 않음');
  assert.match(webview.one('section.run h2').textContent!, /^실행/);
  assert.match(webview.one('section.ship h2').textContent!, /^배포/);
  assert.match(webview.one('#stage-0 .edges').textContent!, /^전달 →/);
  assert.match(webview.one('.columns').textContent!, /레이어크기압축출처명령어/);
  await webview.close();
});

test('webview: state keeps the view and the selection, and a revived panel draws it at once', async () => {
  const first = await showing(MULTI);
  first.one('#row-2-1 .instruction').click();
  first.key(first.one('#row-2-1'), 'ArrowRight');
  const saved = first.state() as { view?: unknown; uri?: string; selected?: string; expanded?: string[] };
  assert.equal(saved.uri, URI);
  assert.equal(saved.selected, 'row-2-1');
  assert.deepEqual(saved.expanded, ['2:1']);
  await first.close();
  const revived = await mountWebview(saved);
  assert.deepEqual(revived.posted, [{ type: 'ready' }]);
  assert.equal(revived.all('.layer').length, first.view.stages.flatMap((s) => s.layers).length);
  assert.equal(revived.one('#row-2-1').getAttribute('aria-selected'), 'true');
  assert.equal(revived.all('#row-2-1 .details').length, 1);
  await revived.close();
  // A state from an older version (or garbage) is dropped, not drawn.
  const fresh = await mountWebview({ view: { stages: 3 }, strings: 'x', scrollY: 'far' });
  assert.equal(fresh.one('#app').textContent, '');
  await fresh.close();
});

// ---- static checks on media/ ----------------------------------------------------------------------

test('media: no remote resources, no HTML from data, theme colours only', () => {
  const js = readFileSync(mediaFile('layers.js'), 'utf8');
  const css = readFileSync(mediaFile('layers.css'), 'utf8');
  assert.match(js, /^\/\/@ts-check/);
  for (const banned of [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\(/, /new Function/, /https?:\/\//]) {
    assert.doesNotMatch(js, banned);
  }
  assert.doesNotMatch(css, /https?:|url\(|@import/);
  assert.doesNotMatch(css, /#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i);
  for (const variable of css.match(/var\(--[\w-]+/g) ?? []) assert.match(variable, /^var\(--vscode-/);
});

test('buildLayersView: with a baseline, rows say reused or rebuilt and why, and the note sums it up', async () => {
  const { predictRebuild } = await import('../../server/src/service/cache/predict.js');
  const model = sizedModel('FROM alpine:3.22\nCOPY a /a\nRUN apk add --no-cache git\n');
  const withCache = { ...model, cache: { baseline: 'the last commit (git HEAD)', prediction: predictRebuild(model, { editedLines: [2] }) } };
  const view = buildLayersView(withCache, 'en');
  const rows = view.stages[0]!.layers.filter((r) => r.kind === 'filesystem');
  assert.deepEqual(rows.map((r) => r.cache), ['reused', 'rebuilt']);
  assert.equal(rows[1]!.cacheText, 'cache: rebuilds, because line 3 changed');
  assert.match(view.cacheNote, /^Build cache: compared with the last commit \(git HEAD\): next build reuses 1 layers and rebuilds 1/);
});

const PARTLY_KNOWN = [
  'FROM registry.example.com/team/base:1',
  'ARG URL',
  'RUN curl -fsSL "$URL" -o /x.tgz && tar -xzf /x.tgz -C /opt',
  'RUN apk add --no-cache git && ./install.sh',
  'RUN useradd app',
  '',
].join('\n');

test('buildLayersView: an image with parts not known says which, and shows no part as a number or 0 B', () => {
  const view = viewOf(PARTLY_KNOWN);
  assert.match(view.summary, /^Image: ≈ [\d.]+ MB known \(≥ [\d.]+ MB\) \+ unknown \(base image registry\.example\.com\/team\/base:1; RUN line 3: download \$URL; RUN line 4: files written by \.\/install\.sh\), ≥ [\d.]+ MB compressed$/);
  const rows = view.stages[0]!.layers;
  const [base, download, mixed] = rows;
  assert.deepEqual([base!.size, base!.source, base!.compressed], ['?', 'unknown', '']);
  assert.deepEqual([download!.size, download!.source, download!.bytes], ['?', 'unknown', null]);
  assert.match(mixed!.size, /^[\d.]+ MB\+\?$/, 'the known part with its mark');
  assert.equal(mixed!.source, 'partial');
  assert.match(mixed!.sizeFull, /^≈ [\d.]+ MB known \(≥ [\d.]+ MB\) \+ unknown \(files written by \.\/install\.sh\)$/);
  assert.match(view.stages[0]!.total, /^[\d.]+ MB\+\? in all$/);
  const ship = view.ship!;
  assert.match(ship.figures[0]!.value, /^≥ [\d.]+ MB \+ a part not known$/);
  assert.match(ship.points.find((p) => p.startsWith('Push'))!, /: ≥ [\d.]+ MB and 2 layer\(s\) of unknown size\.$/);
  assert.match(view.run!.points.join('\n'), /one copy of its ≈ [\d.]+ MB \+ \? on disk/);
  const texts = [view.summary, view.stages[0]!.total, ...[base!, download!, mixed!].flatMap((r) => [r.size, r.sizeFull, r.compressed]), ...ship.figures.slice(0, -1).map((f) => f.value), ...ship.points];
  for (const text of texts) assert.doesNotMatch(text, /\b0 B\b/, text);
  const korean = viewOf(PARTLY_KNOWN, 'ko');
  assert.match(korean.summary, /알려진 부분 ≈ [\d.]+ MB \(≥ [\d.]+ MB\) \+ 알 수 없음 \(베이스 이미지 registry\.example\.com\/team\/base:1; 3번째 줄 RUN: \$URL 다운로드; 4번째 줄 RUN: \.\/install\.sh 명령이 쓴 파일\)/);
});

test('webview: a partly known row draws its known part on a dashed track, with the partial badge', async () => {
  const webview = await showing(PARTLY_KNOWN);
  const [base, download, mixed] = webview.view.stages[0]!.layers;
  const row = (id: string) => webview.one(`#row-${id.replace(':', '-')}`);
  assert.ok(row(mixed!.id).querySelector('.bar-track')!.classList.contains('bar-unknown'));
  assert.ok(row(mixed!.id).querySelector('.source')!.classList.contains('source-partial'));
  assert.ok(widthOf(row(mixed!.id).querySelector('.bar')!.style) > 0, 'the known part still has its bar');
  for (const unknown of [base!, download!]) {
    assert.equal(row(unknown.id).querySelector('.size')!.textContent, '?');
    assert.ok(row(unknown.id).querySelector('.bar-track')!.classList.contains('bar-unknown'));
  }
  assert.match(webview.one('.image-total').textContent!, /\+ unknown \(base image registry\.example\.com\/team\/base:1;/);
  await webview.close();
});
