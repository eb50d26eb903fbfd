/**
 * The extension side of the layers panel against a fake `vscode`: the page and its CSP, the
 * messages both ways, following the editor, the serializer and disposal, and the command's
 * fallback. Real VS Code runs the same code in the e2e tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mock } from 'node:test';
import type { LayersResult } from '../../protocol/protocol';
import { BREAKDOWN_MAX_LIMIT } from '../../protocol/breakdownView';
import { isToWebview, type ToWebview } from '../../protocol/webviewMessages';
import { uiStrings } from '../../protocol/layersView';
import { document, editor, fakeVscode, loadClient, panel, type Fake, type FakeDocument, type FakePanel } from './fakeVscode';
import { sizedModel } from './harness';

const TEXT = 'FROM alpine:3.22 AS base\nRUN apk add --no-cache curl\nUSER 1000\n\nFROM base AS app\nCOPY --from=base /etc/os-release /tmp/\n';
const OTHER = 'FROM debian:bookworm\nRUN apt-get update\n';
const URI = 'file:///work/app/Dockerfile';
const URI2 = 'file:///work/tool/Dockerfile';

interface Setup {
  fake: Fake;
  client: Awaited<ReturnType<typeof loadClient>>;
  ctx: {
    extension: { extensionUri: unknown; globalState: { get(key: string): unknown; update(key: string, value: unknown): Promise<void> } };
    client: { sendRequest(type: unknown, params: { uri: string }): Promise<unknown> } | undefined;
    log: { warn(m: string): void; info(m: string): void; show(): void };
    disposables: { dispose(): void }[];
    onDidChangeModel(listener: (event: { uri: string; version: number }) => void): { dispose(): void };
  };
  /** the server's "model changed" notification, as the Ctx hands it on */
  modelChanged(event: { uri: string; version: number }): void;
  requests: string[];
  warnings: string[];
  infos: string[];
  texts: Map<string, string>;
  doc: FakeDocument;
}

async function setup(language = 'en'): Promise<Setup> {
  const fake = fakeVscode();
  fake.env.language = language;
  const client = await loadClient(fake);
  const texts = new Map([[URI, TEXT], [URI2, OTHER]]);
  const requests: string[] = [];
  const warnings: string[] = [];
  const infos: string[] = [];
  let version = 1;
  const globalState = new Map<string, unknown>();
  const modelListeners = new Set<(event: { uri: string; version: number }) => void>();
  const ctx: Setup['ctx'] = {
    extension: {
      extensionUri: (fake.api.Uri as { parse(s: string): unknown }).parse('file:///ext/dockerlens'),
      globalState: { get: (key) => globalState.get(key), update: async (key, value) => void globalState.set(key, value) },
    },
    client: {
      sendRequest: async (_type, params) => {
        requests.push(params.uri);
        const text = texts.get(params.uri);
        return text === undefined ? null : { uri: params.uri, version: version++, model: sizedModel(text) };
      },
    },
    log: { warn: (m) => warnings.push(m), info: (m) => infos.push(m), show() {} },
    disposables: [],
    onDidChangeModel: (listener) => {
      modelListeners.add(listener);
      return { dispose: () => modelListeners.delete(listener) };
    },
  };
  const doc = document(URI, TEXT);
  fake.documents.set(URI, doc);
  fake.documents.set(URI2, document(URI2, OTHER));
  const ed = editor(doc, 1);
  fake.window.activeTextEditor = ed;
  fake.window.visibleTextEditors = [ed];
  client.LayersPanel.register(ctx);
  return { fake, client, ctx, modelChanged: (event) => modelListeners.forEach((l) => l(event)), requests, warnings, infos, texts, doc };
}

/** Lets pending promise callbacks run (setImmediate is never mocked here). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Runs `body` with setTimeout under the test's control: the panel's debounce is stepped, not waited for. */
async function withMockedTimers(body: (delay: number) => Promise<void>, delay: number): Promise<void> {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    await body(delay);
  } finally {
    mock.timers.reset();
  }
}

/** Waits (bounded) until `done` holds; the assertion after it says what was expected. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await sleep(10);
}

const settle = () => sleep(20);
const posted = (p: FakePanel) => p.webview.posted as ToWebview[];
const lastOf = <T extends ToWebview['type']>(p: FakePanel, type: T) =>
  posted(p).filter((m): m is Extract<ToWebview, { type: T }> => m.type === type).at(-1);

async function teardown(s: Setup): Promise<void> {
  for (const d of s.ctx.disposables.splice(0)) d.dispose();
}

test('panel: one panel beside the editor, scripts on, media/ and dist/media/ the only local roots, a strict CSP with a fresh nonce', async () => {
  const s = await setup();
  const first = s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  assert.equal(s.client.LayersPanel.createOrShow(s.ctx, s.doc), first, 'a second call reveals the same panel');
  assert.equal(s.fake.panels.length, 1);
  const p = s.fake.panels[0]!;
  assert.equal(p.viewType, 'dockerlens.layers');
  assert.equal(p.revealed, 1);
  assert.deepEqual(p.showOptions, { viewColumn: -2, preserveFocus: true });
  const options = p.options as { enableScripts: boolean; localResourceRoots: { toString(): string }[] };
  assert.equal(options.enableScripts, true);
  assert.deepEqual(options.localResourceRoots.map(String), ['file:///ext/dockerlens/media', 'file:///ext/dockerlens/dist/media']);
  const html = p.webview.html;
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(csp, html);
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  assert.ok(Buffer.from(nonce, 'base64').length >= 16, nonce);
  assert.equal(csp, `default-src 'none'; style-src ${p.webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${p.webview.cspSource} data:`);
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
  // The message checks first (layers.js calls them as it loads), both with the nonce.
  assert.deepEqual(scripts, [
    ` nonce="${nonce}" src="${p.webview.cspSource}/ext/dockerlens/dist/media/webviewMessages.js"`,
    ` nonce="${nonce}" src="${p.webview.cspSource}/ext/dockerlens/media/layers.js"`,
  ]);
  assert.match(html, new RegExp(`<link href="${p.webview.cspSource}/ext/dockerlens/media/layers.css" rel="stylesheet">`));
  assert.doesNotMatch(html, /unsafe-|file:\/\/|style="/);
  assert.match(html, /<html lang="en">/);
  // A new panel gets a new nonce.
  p.dispose();
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  const again = /'nonce-([^']+)'/.exec(s.fake.panels[1]!.webview.html)![1];
  assert.notEqual(again, nonce);
  await teardown(s);
});

test('panel: on ready it sends the labels, the view and the row under the cursor', async () => {
  const s = await setup();
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  await settle();
  const p = s.fake.panels[0]!;
  p.webview.posted.length = 0;
  p.webview.received.fire({ type: 'ready' });
  await settle();
  const messages = posted(p);
  assert.ok(messages.every(isToWebview), 'everything sent passes the validator');
  assert.deepEqual(messages[0], { type: 'locale', locale: 'en', strings: uiStrings('en') });
  const model = lastOf(p, 'model')!;
  assert.equal(model.uri, URI);
  assert.deepEqual(model.view.stages.map((st) => st.name), ["'base'", "'app'"]);
  assert.equal(p.title, 'Dockerlens Layers: Dockerfile');
  assert.deepEqual(lastOf(p, 'select'), { type: 'select', uri: URI, stage: 0, layer: 1 });
  await teardown(s);
});

test('panel: a reveal from the webview selects that line in the editor, keeping focus in the panel', async () => {
  const s = await setup();
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  const p = s.fake.panels[0]!;
  p.webview.received.fire({ type: 'reveal', uri: URI, line: 5 });
  await until(() => s.fake.shown.length >= 1);
  const shown = s.fake.shown.at(-1)!;
  assert.equal(shown.doc, s.doc);
  assert.equal(shown.options.preserveFocus, true);
  const { anchor, active } = shown.options.selection!;
  assert.deepEqual({ anchor, active }, { anchor: { line: 5, character: 0 }, active: { line: 5, character: TEXT.split('\n')[5]!.length } });
  // A line past the end (the file got shorter) is clamped.
  p.webview.received.fire({ type: 'reveal', uri: URI, line: 99 });
  await until(() => s.fake.shown.length >= 2);
  assert.equal(s.fake.shown.at(-1)!.options.selection!.anchor.line, TEXT.split('\n').length - 1);
  await teardown(s);
});

test('panel: a reveal of any document but the one the panel shows is refused, never opened', async () => {
  const s = await setup();
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  const p = s.fake.panels[0]!;
  const shownBefore = s.fake.shown.length;
  for (const uri of [URI2, 'file:///etc/passwd', 'command:workbench.action.terminal.new', 'untitled:x']) {
    p.webview.received.fire({ type: 'reveal', uri, line: 0 });
  }
  await settle();
  assert.equal(s.fake.shown.length, shownBefore, 'no editor was shown');
  assert.equal(s.warnings.filter((w) => /a reveal of .* was refused: the panel shows file:\/\/\/work\/app\/Dockerfile/.test(w)).length, 4);
  await teardown(s);
});

test('panel: a reveal with columns selects only those (a package name in a RUN), clamped to the line', async () => {
  const s = await setup();
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  const p = s.fake.panels[0]!;
  const line = TEXT.split('\n')[1]!;
  const curl = line.indexOf('curl');
  p.webview.received.fire({ type: 'reveal', uri: URI, line: 1, start: curl, end: curl + 4 });
  await settle();
  const { anchor, active } = s.fake.shown.at(-1)!.options.selection!;
  assert.deepEqual([anchor, active].map((p) => [p.line, p.character]), [[1, curl], [1, curl + 4]]);
  assert.equal(line.slice(anchor.character, active.character), 'curl');
  p.webview.received.fire({ type: 'reveal', uri: URI, line: 1, start: 3, end: 500 });
  await settle();
  const clamped = s.fake.shown.at(-1)!.options.selection!.active;
  assert.deepEqual([clamped.line, clamped.character], [1, line.length]);
  await teardown(s);
});

test('panel: a folder the webview asks for is listed by the server and sent back as a page, in the user\'s language', async () => {
  const s = await setup('ko');
  const asked: unknown[] = [];
  const layers = s.ctx.client!.sendRequest;
  let fail = false;
  s.ctx.client = {
    sendRequest: async (type, params) => {
      if ((type as { method?: string }).method !== 'dockerlens/breakdown') return layers(type, params);
      asked.push(params);
      if (fail) throw new Error('Client is not running');
      return { entries: [{ kind: 'file', name: 'etc/os-release', bytes: 400, low: 400, high: 400, source: 'exact' }], more: { entries: 2, bytes: 60 } };
    },
  };
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  await settle();
  const p = s.fake.panels[0]!;
  // The limit is capped: the webview cannot ask for an unbounded page.
  p.webview.received.fire({ type: 'listBreakdown', uri: URI, request: 4, stage: 1, layer: 2, path: 'etc', limit: 1_000_000 });
  await settle();
  assert.deepEqual(asked, [{ uri: URI, stage: 1, layer: 2, path: 'etc', limit: BREAKDOWN_MAX_LIMIT }]);
  const page = lastOf(p, 'breakdownPage')!;
  assert.ok(isToWebview(page));
  assert.deepEqual([page.request, page.stage, page.layer, page.path], [4, 1, 2, 'etc']);
  assert.ok('entries' in page.page);
  assert.deepEqual(page.page.entries.map((e) => [e.name, e.path, e.sourceText]), [['os-release', 'etc/os-release', '정확']]);
  assert.equal(page.page.more!.text, '2개 더, 60 B (정확)');
  // A failure is a page that says why, and a warning in the log.
  fail = true;
  p.webview.received.fire({ type: 'listBreakdown', uri: URI, request: 5, stage: 1, layer: 2, path: 'etc', limit: 100 });
  await settle();
  assert.deepEqual(lastOf(p, 'breakdownPage')!.page, { failed: '폴더 내용을 가져오지 못했습니다: Client is not running' });
  assert.match(s.warnings.at(-1)!, /cannot list "etc" of layer 2 in file:\/\/\/work\/app\/Dockerfile: Client is not running/);
  // A request for a file the panel no longer shows is not sent to the server.
  p.webview.received.fire({ type: 'listBreakdown', uri: URI2, request: 6, stage: 0, layer: 1, path: '', limit: 100 });
  await settle();
  assert.equal(asked.length, 2);
  await teardown(s);
});

test('panel: malformed messages from the webview are logged and ignored', async () => {
  const s = await setup();
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  await settle();
  const p = s.fake.panels[0]!;
  const before = p.webview.posted.length;
  for (const bad of [null, 'ready', { type: 'reveal', uri: URI }, { type: 'reveal', uri: URI, line: -3 }, { type: 'nope' }, [1]]) p.webview.received.fire(bad);
  await settle();
  assert.equal(s.warnings.length, 6);
  assert.match(s.warnings[2]!, /ignored a 'reveal' message of the wrong shape/);
  assert.equal(p.webview.posted.length, before);
  assert.equal(s.fake.shown.length, 0);
  p.webview.received.fire({ type: 'log', message: 'ignored a number' });
  assert.deepEqual(s.infos, ['layers webview: ignored a number']);
  await teardown(s);
});

test('panel: asks again when the server says the model of the shown Dockerfile changed (context read, last build set), not for another file', async () => {
  const s = await setup();
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  await settle();
  const before = s.requests.length;
  s.modelChanged({ uri: URI2, version: 7 });
  s.modelChanged({ uri: URI, version: 7 });
  await until(() => s.requests.length > before);
  assert.deepEqual(s.requests.slice(before), [URI], 'one request, for the shown file only');
  await teardown(s);
});

test('panel: follows edits (debounced), the cursor, and the active Dockerfile', async () => {
  const s = await setup();
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  await settle();
  const p = s.fake.panels[0]!;
  const requests = s.requests.length;
  await withMockedTimers(async (delay) => {
    for (let i = 0; i < 3; i++) s.fake.documentChanged.fire({ document: s.doc, contentChanges: [{}] });
    mock.timers.tick(delay - 1);
    await flush();
    assert.equal(s.requests.length, requests, 'nothing while typing');
    mock.timers.tick(1);
    await flush();
    assert.equal(s.requests.length, requests + 1, 'one request after the pause');
    // Changes to other files, and saves without changes, do nothing.
    s.fake.documentChanged.fire({ document: s.fake.documents.get(URI2)!, contentChanges: [{}] });
    s.fake.documentChanged.fire({ document: s.doc, contentChanges: [] });
    mock.timers.tick(delay * 2);
    await flush();
    assert.equal(s.requests.length, requests + 1);
  }, s.client.LayersPanel.REFRESH_DELAY_MS);
  // The cursor moves: the row follows.
  s.fake.selectionChanged.fire({ textEditor: s.fake.window.visibleTextEditors[0]!, selections: [{ active: { line: 5, character: 0 } }] });
  // Layer numbers go on from the parent stage's: the COPY is layer 2 of stage 'app'.
  assert.deepEqual(lastOf(p, 'select'), { type: 'select', uri: URI, stage: 1, layer: 2 });
  // Another Dockerfile becomes active: the panel switches; a non-Dockerfile or no editor leaves it.
  s.fake.activeEditorChanged.fire(editor(document('file:///work/README.md', '# hi', 'markdown')));
  s.fake.activeEditorChanged.fire(undefined);
  await settle();
  assert.equal(lastOf(p, 'model')!.uri, URI);
  s.fake.activeEditorChanged.fire(editor(s.fake.documents.get(URI2)!));
  await settle();
  assert.equal(lastOf(p, 'model')!.uri, URI2);
  assert.equal(p.title, 'Dockerlens Layers: Dockerfile');
  assert.deepEqual(lastOf(p, 'model')!.view.stages.map((st) => st.base), ['FROM debian:bookworm']);
  // The old file's edits no longer refresh.
  const now = s.requests.length;
  await withMockedTimers(async (delay) => {
    s.fake.documentChanged.fire({ document: s.doc, contentChanges: [{}] });
    mock.timers.tick(delay * 2);
    await flush();
    assert.equal(s.requests.length, now);
  }, s.client.LayersPanel.REFRESH_DELAY_MS);
  await teardown(s);
});

test('panel: an answer to an older request never replaces a newer one', async () => {
  const s = await setup();
  const slow = s.ctx.client!.sendRequest;
  let calls = 0;
  // the first answer is held back until the second one has been shown
  let releaseFirst!: () => void;
  const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  s.ctx.client = {
    sendRequest: async (type, params) => {
      const mine = ++calls;
      if (mine === 1) await firstHeld;
      return slow(type, params);
    },
  };
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  const p = s.fake.panels[0]!;
  await flush();
  s.fake.activeEditorChanged.fire(editor(s.fake.documents.get(URI2)!));
  await until(() => posted(p).some((m) => m.type === 'model'));
  releaseFirst();
  await flush();
  assert.equal(calls, 2);
  assert.deepEqual(posted(p).filter((m) => m.type === 'model').map((m) => (m as { uri: string }).uri), [URI2]);
  await teardown(s);
});

test('panel: says so when the file is not analysed or the request fails', async () => {
  const s = await setup();
  s.texts.delete(URI);
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  await settle();
  const p = s.fake.panels[0]!;
  assert.deepEqual(lastOf(p, 'empty'), { type: 'empty', message: uiStrings('en').notAnalysed });
  s.ctx.client = { sendRequest: async () => Promise.reject(new Error('Client is not running')) };
  p.webview.received.fire({ type: 'ready' });
  await settle();
  assert.deepEqual(lastOf(p, 'empty'), { type: 'empty', message: 'The layers could not be computed: Client is not running' });
  assert.match(s.warnings.at(-1)!, /Client is not running/);
  await teardown(s);
});

test('panel: disposing it removes every listener, and a new one can open', async () => {
  const s = await setup();
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  const p = s.fake.panels[0]!;
  assert.equal(s.fake.documentChanged.listeners.size, 1);
  await withMockedTimers(async (delay) => {
    s.fake.documentChanged.fire({ document: s.doc, contentChanges: [{}] });
    p.dispose();
    for (const emitter of [s.fake.documentChanged, s.fake.activeEditorChanged, s.fake.selectionChanged, p.webview.received]) {
      assert.equal(emitter.listeners.size, 0);
    }
    const requests = s.requests.length;
    mock.timers.tick(delay * 2);
    await flush();
    assert.equal(s.requests.length, requests, 'the pending refresh was cancelled');
  }, s.client.LayersPanel.REFRESH_DELAY_MS);
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  assert.equal(s.fake.panels.length, 2);
  // Deactivation disposes the open panel too.
  await teardown(s);
  assert.equal(s.fake.panels[1]!.disposed, true);
  assert.equal(s.fake.serializers.size, 0);
});

test('panel: the serializer revives a panel after a reload and shows the file it showed', async () => {
  const s = await setup();
  const serializer = s.fake.serializers.get('dockerlens.layers');
  assert.ok(serializer);
  s.fake.window.activeTextEditor = undefined;
  const revived = panel('dockerlens.layers', 'Dockerlens Layers', {}, undefined);
  await serializer.deserializeWebviewPanel(revived, { uri: URI2, view: {} });
  const options = revived.webview.options as { enableScripts: boolean; localResourceRoots: unknown[] };
  assert.equal(options.enableScripts, true);
  assert.deepEqual(options.localResourceRoots.map(String), ['file:///ext/dockerlens/media', 'file:///ext/dockerlens/dist/media']);
  assert.match(revived.webview.html, /Content-Security-Policy/);
  revived.webview.received.fire({ type: 'ready' });
  await settle();
  assert.equal(lastOf(revived, 'model')!.uri, URI2);
  // A garbage state falls back to the active Dockerfile, or to the waiting message.
  const other = panel('dockerlens.layers', 'x', {}, undefined);
  await serializer.deserializeWebviewPanel(other, 'garbage');
  assert.equal(revived.disposed, true, 'one panel at a time');
  other.webview.received.fire({ type: 'ready' });
  await settle();
  assert.deepEqual(lastOf(other, 'empty'), { type: 'empty', message: uiStrings('en').waiting });
  await teardown(s);
});

test('panel in Korean: labels, title and view in Korean', async () => {
  const s = await setup('ko-KR');
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  const p = s.fake.panels[0]!;
  p.webview.received.fire({ type: 'ready' });
  await settle();
  assert.match(p.webview.html, /<html lang="ko">/);
  assert.deepEqual(posted(p)[0], { type: 'locale', locale: 'ko', strings: uiStrings('ko') });
  assert.equal(p.title, 'Dockerlens 레이어: Dockerfile');
  assert.equal(lastOf(p, 'model')!.view.stages[0]!.heading, "스테이지 'base'");
  await teardown(s);
});

test('Show Layers opens the panel; where no panel can open, the table goes to the output channel', async () => {
  const s = await setup();
  const show = s.client.COMMANDS['dockerlens.showLayers']!(s.ctx);
  const result = (await show()) as LayersResult;
  assert.equal(result.uri, URI, 'the command still returns the model');
  assert.equal(s.fake.panels.length, 1);
  assert.equal(s.infos.length, 0, 'no table when the panel opened');
  // From a code lens or hover link: that file, that row; arguments of another shape are ignored.
  const p = s.fake.panels[0]!;
  await show({ uri: URI2, stage: 0, layer: 1 });
  await settle();
  assert.equal(s.fake.panels.length, 1, 'the same panel');
  assert.equal(lastOf(p, 'model')!.uri, URI2);
  assert.deepEqual(lastOf(p, 'select'), { type: 'select', uri: URI2, stage: 0, layer: 1 });
  p.webview.received.fire({ type: 'ready' });
  await settle();
  assert.deepEqual(lastOf(p, 'select'), { type: 'select', uri: URI2, stage: 0, layer: 1 }, 'kept when the webview reloads');
  await show({ uri: URI, stage: 1 });
  assert.deepEqual(lastOf(p, 'select'), { type: 'select', uri: URI, stage: 1, layer: null });
  await show({ uri: 7, stage: 'x' });
  assert.equal(lastOf(p, 'model')!.uri, URI, 'bad arguments: the active editor');
  assert.deepEqual(lastOf(p, 'select'), { type: 'select', uri: URI, stage: 0, layer: 1 }, 'and its cursor');
  await show({ uri: 'file:///not/open/Dockerfile' });
  assert.deepEqual(s.fake.infos, ['Open a Dockerfile to see its layers.']);
  p.dispose();
  s.fake.failPanels = true;
  await show();
  assert.match(s.warnings.at(-1)!, /webviews are not available/);
  assert.match(s.infos.at(-1)!, /Stage 'base'\s+FROM alpine:3\.22/);
  await teardown(s);
});

test('panel: the Run and Ship explainers are unfolded in the first panel ever, folded in the next, and follow the user\'s last toggle', async () => {
  const s = await setup();
  const open = (p: FakePanel) => lastOf(p, 'explainers')?.open;
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  const first = s.fake.panels[0]!;
  first.webview.received.fire({ type: 'ready' });
  assert.equal(open(first), true, 'the first time, the explainers are shown');
  first.webview.received.fire({ type: 'ready' });
  assert.equal(open(first), true, 'the same panel shown again keeps them');
  first.dispose();

  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  const second = s.fake.panels[1]!;
  second.webview.received.fire({ type: 'ready' });
  assert.equal(open(second), false, 'from the second panel on, folded');
  second.webview.received.fire({ type: 'explainersToggled', open: true });
  second.dispose();

  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  const third = s.fake.panels[2]!;
  third.webview.received.fire({ type: 'ready' });
  assert.equal(open(third), true, 'unfolded by the user last time: unfolded again');
  third.webview.received.fire({ type: 'explainersToggled', open: false });
  third.dispose();
  s.client.LayersPanel.createOrShow(s.ctx, s.doc);
  s.fake.panels[3]!.webview.received.fire({ type: 'ready' });
  assert.equal(open(s.fake.panels[3]!), false);
  await teardown(s);
});
