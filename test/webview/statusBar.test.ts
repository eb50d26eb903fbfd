/**
 * The status bar item against a fake `vscode`, fed real sized models: it never shows a bare
 * number for an estimated figure (≈), one with a part not known (≥ … + ?, the parts named in the
 * tooltip) or an unknown one (?); only a figure with no guess and no unknown part is plain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DockerfileModel } from '../../server/src/service/types';
import { document, editor, fakeVscode, loadClient, type FakeStatusItem } from './fakeVscode';
import { sizedModel } from './harness';

const URI = 'file:///work/app/Dockerfile';

/** Lets pending promise callbacks run (setImmediate is never mocked here). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** The status bar as it shows `model` for the active Dockerfile, in `language`. */
async function shown(model: DockerfileModel | null, language = 'en'): Promise<FakeStatusItem & { tip: string }> {
  const fake = fakeVscode();
  fake.env.language = language;
  const client = await loadClient(fake);
  const doc = document(URI, '');
  fake.window.activeTextEditor = editor(doc);
  const ctx = {
    client: { sendRequest: async () => (model ? { uri: URI, version: 1, model } : null) },
    log: { debug() {}, warn() {}, info() {} },
    disposables: [] as { dispose(): void }[],
    onDidChangeModel: () => ({ dispose() {} }),
  };
  client.registerStatusBar(ctx);
  await flush();
  const item = fake.statusItems[0]!;
  const tooltip = item.tooltip;
  // the tooltip as it reads once rendered: appendText's escapes removed
  const tip = (typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '').replace(/\\(.)/g, '$1').replace(/ {2}\n/g, '\n');
  const seen = { ...item, tip };
  for (const d of ctx.disposables) d.dispose();
  return seen;
}

test('status bar: an estimated image keeps ≈ (and its range), never a bare number', async () => {
  const model = sizedModel('FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n');
  assert.equal(model.image!.total.source, 'estimate');
  const item = await shown(model);
  assert.ok(item.visible);
  assert.match(item.text, /^\$\(layers\) ≈ [\d.]+ MB (±\d+%|−\d+%\/\+\d+%|\(≤ [\d.]+ [MG]B\)) · ≈ [\d.]+ MB gz$/);
  assert.match(item.tip, /^Target image: ≈ [\d.]+ MB \([\d.]+ MB–[\d.]+ MB, estimated\)/m);
});

test('status bar: an image with parts not known shows "≈ … + ?" and names them in the tooltip', async () => {
  const model = sizedModel('FROM registry.example.com/team/base:1\nARG URL\nRUN curl -fsSL "$URL" -o /x.tgz && tar -xzf /x.tgz -C /opt\nRUN apk add --no-cache git\n');
  assert.equal(model.image!.total.source, 'partial');
  const item = await shown(model);
  assert.ok(item.visible);
  assert.match(item.text, /^\$\(layers\) ≈ [\d.]+ MB \+ \?$/, 'no compressed figure beside a partial one: it would read as the whole');
  assert.match(item.tip, /^Target image: ≈ [\d.]+ MB known \(≥ [\d.]+ MB\) \+ unknown \(base image registry\.example\.com\/team\/base:1; RUN line 3: download \$URL\)$/m);
  assert.match(item.tip, /^Compressed \(what a push or pull ships\): ≥ [\d.]+ MB$/m);
  const ko = await shown(model, 'ko');
  assert.match(ko.text, /^\$\(layers\) ≈ [\d.]+ MB \+ \?$/);
});

test('status bar: an image of which nothing is known shows "?", not 0 B and not nothing', async () => {
  const model = sizedModel('FROM registry.example.com/team/base:1\nRUN ./install.sh\n');
  assert.equal(model.image!.total.bytes, null);
  const item = await shown(model);
  assert.ok(item.visible);
  assert.equal(item.text, '$(layers) size ?');
  assert.match(item.tip, /^Target image: size not known \(base image registry\.example\.com\/team\/base:1; RUN line 2: files written by \.\/install\.sh\)$/m);
  assert.doesNotMatch(item.text + item.tip, /\b0 B\b/);
});

test('status bar: a figure with no guess in it is plain; no model hides the item', async () => {
  const exact = sizedModel('FROM alpine:3.22\n');
  assert.equal(exact.image!.total.source, 'bundled');
  const item = await shown(exact);
  assert.match(item.text, /^\$\(layers\) [\d.]+ MB · [\d.]+ MB gz$/);
  assert.equal((await shown(null)).visible, false);
});
