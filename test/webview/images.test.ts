import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildImagesView, type ImagesView } from '../../protocol/imagesView';
import { uiStrings } from '../../protocol/layersView';
import type { WorkspaceImagesResult } from '../../protocol/protocol';
import { isToWebview, type ToWebview } from '../../protocol/webviewMessages';
import { sharedLayers } from '../../server/src/service/cache/shared';
import { mountWebview, sizedModel } from './harness';

const BASE = ['FROM debian:bookworm-slim', 'RUN apt-get update && apt-get install -y --no-install-recommends curl'];
const API = [...BASE, 'RUN echo api > /srv/name', ''].join('\n');
const WORKER = [...BASE, 'RUN echo worker > /srv/name', ''].join('\n');
const TOOLS = ['FROM debian:bookworm-slim', 'RUN apt-get update && apt-get install -y --no-install-recommends git', ''].join('\n');
const HANGUL = /[\uAC00-\uD7A3]/;

function report(images: [string, string][]): WorkspaceImagesResult {
  const shared = sharedLayers(images.map(([name, text]) => ({ name, model: sizedModel(text), contextId: `/ws/${name}` })));
  return { ...shared, images: shared.images.map((i) => ({ ...i, uri: `file:///ws/${i.name}` })), notes: [{ kind: 'noContext', name: 'services/tools/Dockerfile' }] };
}

const THREE = (): WorkspaceImagesResult => report([
  ['services/api/Dockerfile', API],
  ['services/worker/Dockerfile', WORKER],
  ['services/tools/Dockerfile', TOOLS],
]);

test('buildImagesView: two images share base and first RUN, a third only the base', () => {
  const view = buildImagesView(THREE(), 'en');
  assert.equal(view.heading, 'Images in this workspace');
  assert.equal(view.empty, undefined);
  assert.deepEqual(view.images.map((i) => i.name), ['services/api/Dockerfile', 'services/worker/Dockerfile', 'services/tools/Dockerfile']);
  const [api, worker, tools] = view.images;
  assert.equal(api!.layers.length, 3);
  // bottom-up: the base first
  assert.match(api!.layers[0]!.label, /base image debian:bookworm-slim/);
  assert.deepEqual(api!.layers[0]!.sharedWith, ['services/worker/Dockerfile', 'services/tools/Dockerfile']);
  assert.deepEqual(api!.layers[1]!.sharedWith, ['services/worker/Dockerfile']);
  assert.deepEqual(api!.layers[2]!.sharedWith, []);
  assert.equal(api!.layers[2]!.color, null);
  assert.equal(api!.layers[2]!.sharedText, '');
  assert.match(api!.layers[1]!.sharedText, /^shared with services\/worker\/Dockerfile$/);
  // the same key has the same colour everywhere, different keys differ
  assert.equal(worker!.layers[0]!.key, api!.layers[0]!.key);
  assert.equal(worker!.layers[1]!.key, api!.layers[1]!.key);
  assert.notEqual(tools!.layers[1]!.key, api!.layers[1]!.key);
  assert.equal(worker!.layers[1]!.color, api!.layers[1]!.color);
  assert.equal(tools!.layers[0]!.color, api!.layers[0]!.color);
  assert.notEqual(api!.layers[0]!.color, api!.layers[1]!.color);
  assert.equal(tools!.layers[1]!.color, null);
  assert.match(view.summary[0]!, /^3 images, 5 distinct layers, 2 of them shared\.$/);
  assert.match(view.summary[1]!, /^Counted per image: .*; stored once by content: .*saved/);
  assert.ok(view.summary.some((s) => /^Pulling services\/worker\/Dockerfile on a host that has services\/api\/Dockerfile: .* compressed to download \(1 layers; 2 already there\)\.$/.test(s)), view.summary.join('\n'));
  assert.ok(view.notes.some((n) => n.includes('services/tools/Dockerfile') && n.includes('COPY')));
  // stable: the same report gives the same view
  assert.deepEqual(buildImagesView(THREE(), 'en'), view);
  assert.ok(isToWebview({ type: 'images', view } satisfies ToWebview));
});

test('buildImagesView: Korean strings throughout; fewer than two images says so', () => {
  const view = buildImagesView(THREE(), 'ko');
  for (const text of [view.heading, view.help, ...view.summary, ...view.notes, view.images[0]!.total, view.images[0]!.layers[1]!.sharedText]) {
    assert.match(text, HANGUL, text);
  }
  const single = buildImagesView(report([['Dockerfile', API]]), 'ko');
  assert.equal(single.images.length, 0);
  assert.match(single.empty ?? '', HANGUL);
  assert.match(buildImagesView(report([['Dockerfile', API]]), 'en').empty ?? '', /Fewer than two/);
});

async function showing(view: ImagesView) {
  const webview = await mountWebview();
  webview.send({ type: 'locale', locale: 'en', strings: uiStrings('en') } satisfies ToWebview);
  webview.send({ type: 'empty', message: 'Open a Dockerfile' } satisfies ToWebview);
  webview.send({ type: 'images', view } satisfies ToWebview);
  return webview;
}

test('webview: one column per image, shared layers coloured and labelled, focusing one marks its twins', async () => {
  const webview = await showing(buildImagesView(THREE(), 'en'));
  try {
    const columns = webview.all('.image-column');
    assert.equal(columns.length, 3);
    assert.deepEqual(webview.all('.image-name').map((n) => n.textContent), ['services/api/Dockerfile', 'services/worker/Dockerfile', 'services/tools/Dockerfile']);
    assert.equal(webview.all('.image-layer').length, 8);
    assert.equal(webview.all('.image-layer.shared').length, 5);
    const [apiBase, apiRun] = Array.from(columns[0]!.querySelectorAll('.image-layer'));
    assert.match(apiRun!.textContent ?? '', /shared with services\/worker\/Dockerfile/);
    assert.match(apiRun!.getAttribute('aria-label') ?? '', /shared with/);
    assert.equal(webview.all('.image-layer[tabindex="0"]').length, 1, 'one tab stop');

    apiRun!.focus();
    const twins = webview.all('.image-layer.twin');
    assert.equal(twins.length, 1);
    assert.equal(twins[0]!.dataset.key, apiRun!.dataset.key);
    assert.ok(apiRun!.classList.contains('linked'));
    assert.ok(columns[1]!.querySelector('.twin'), 'the twin is in the worker column');

    apiBase!.focus();
    assert.equal(webview.all('.image-layer.twin').length, 2, 'the base is in both other images');

    // Right moves to the same height in the next image; its twins are then marked from there.
    webview.key(apiBase!, 'ArrowRight');
    const focused = webview.document.activeElement as unknown as { id: string };
    assert.equal(focused.id, 'image-layer-1-0');
    assert.equal(webview.all('.image-layer.twin').length, 2);
    webview.key(webview.one('#image-layer-1-0'), 'ArrowDown');
    assert.equal((webview.document.activeElement as unknown as { id: string }).id, 'image-layer-1-1');

    assert.ok(webview.all('.images-summary li').length >= 3);
    // the images survive a new model / empty message and a reload of the saved state
    webview.send({ type: 'empty', message: 'nothing' } satisfies ToWebview);
    assert.equal(webview.all('.image-column').length, 3);
    const restored = await mountWebview(webview.state());
    try {
      restored.send({ type: 'locale', locale: 'en', strings: uiStrings('en') } satisfies ToWebview);
      assert.equal(restored.all('.image-column').length, 3);
    } finally {
      await restored.close();
    }
  } finally {
    await webview.close();
  }
});

test('webview: hostile image names and labels are text, never markup; malformed images messages are ignored', async () => {
  const hostile = '<img src=x onerror=alert(1)>/Dockerfile';
  const base = report([
    [hostile, ['FROM alpine:3.22', 'RUN echo "<script>alert(2)</script>"', ''].join('\n')],
    ['ok/Dockerfile', ['FROM alpine:3.22', 'RUN echo "<script>alert(2)</script>"', 'RUN true', ''].join('\n')],
  ]);
  const webview = await showing(buildImagesView(base, 'en'));
  try {
    assert.equal(webview.all('img').length, 0);
    assert.equal(webview.all('script').length, 0);
    assert.equal(webview.all('.image-name')[0]!.textContent, hostile);
    assert.ok(webview.all('.image-layer').some((l) => (l.textContent ?? '').includes('<script>')));
    assert.ok(webview.all('.image-layer-shared').some((l) => (l.textContent ?? '').includes(hostile)));
    const before = webview.posted.length;
    webview.send({ type: 'images', view: { locale: 'en', heading: 'x', help: 'y', summary: [], notes: [], images: [{ name: 'a', uri: 'u', total: 't', layers: [{ id: '0:0' }] }] } });
    assert.equal(webview.all('.image-column').length, 2, 'the malformed view replaced nothing');
    assert.match(JSON.stringify(webview.posted.slice(before)), /ignored a 'images' message of the wrong shape/);
  } finally {
    await webview.close();
  }
});
