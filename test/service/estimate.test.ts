import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as posix from 'node:path/posix';
import { analyzeDockerfile } from '../../server/src/service';
import { estimateSizes, type SizeServices } from '../../server/src/service/sizes/estimate';
import { exactSize } from '../../server/src/service/sizes/types';
import type { DockerfileModel, Layer } from '../../server/src/service/types';

const MB = 1e6;

function sized(text: string, services: SizeServices = {}): DockerfileModel {
  return estimateSizes(analyzeDockerfile(text), services);
}

const layerOf = (model: DockerfileModel, stage: number, number: number): Layer => {
  const layer = model.stages[stage]!.layers.find((l) => l.number === number);
  assert.ok(layer, `no layer ${number} in stage ${stage}`);
  return layer;
};

/** A fake context: every COPY copies 1 MB of text per source word. */
const fakeContext: SizeServices = {
  copyFromContext: (info, workdir) => {
    const words = info.args.split(/\s+/);
    const bytes = (words.length - 1) * MB;
    return { size: exactSize(bytes, null, `exact: ${bytes} bytes`), content: 'source-text', writes: [{ path: posix.resolve(workdir, words.at(-1)!), bytes, what: 'files copied' }], notes: [] };
  },
};

test('the base group carries the bundled base image figure and its layers', () => {
  const model = sized('FROM debian:bookworm\nRUN true\n');
  const stage = model.stages[0]!;
  assert.equal(stage.layers[0]!.size!.source, 'bundled');
  assert.ok(Math.abs(stage.sizes!.base.bytes! - 116.6 * MB) / (116.6 * MB) < 0.02, `${stage.sizes!.base.bytes}`);
  assert.equal(stage.sizes!.base.compressed, 48_497_091);
  assert.equal(stage.sizes!.baseImage!.key, 'debian:bookworm');
  assert.ok(stage.sizes!.baseImage!.layers.length >= 1);
});

test('an unknown base image is unknown, and the stage total stays unknown-bounded', () => {
  const model = sized('FROM ghcr.io/acme/tool:1\nRUN true\n');
  assert.equal(model.stages[0]!.sizes!.base.source, 'unknown');
  assert.match(model.stages[0]!.sizes!.base.detail, /ghcr\.io/);
  assert.equal(model.stages[0]!.sizes!.total.high, null);
});

test('scratch is exactly empty; COPY without a scanned context says why it is unknown', () => {
  const model = sized('FROM scratch\nCOPY app /app\n', { contextUnavailable: 'scanning the build context…' });
  assert.equal(model.stages[0]!.sizes!.base.bytes, 0);
  assert.equal(layerOf(model, 0, 1).size!.source, 'unknown');
  assert.equal(layerOf(model, 0, 1).size!.detail, 'scanning the build context…');
});

test('COPY from the context uses the service and compresses as its content kind', () => {
  const model = sized('FROM scratch\nCOPY a b /app/\n', fakeContext);
  const size = layerOf(model, 0, 1).size!;
  assert.equal(size.source, 'exact');
  assert.equal(size.bytes, 2 * MB);
  assert.equal(size.compressed, Math.round(2 * MB / 4.2));
});

test('stage totals: base + own; a child stage starts from its parent total', () => {
  const model = sized('FROM alpine:3.22 AS a\nRUN apk add --no-cache git\nFROM a AS b\nWORKDIR /srv/x\n');
  const [a, b] = model.stages;
  assert.equal(b!.sizes!.base.bytes, a!.sizes!.total.bytes);
  assert.equal(b!.sizes!.total.bytes, a!.sizes!.total.bytes! + 32);
  assert.equal(model.image!.total.bytes, b!.sizes!.total.bytes);
});

test('packages installed by an earlier RUN are not counted again later in the stage', () => {
  const model = sized('FROM alpine:3.22\nRUN apk add --no-cache git\nRUN apk add --no-cache git\n');
  assert.ok(layerOf(model, 0, 1).size!.bytes! > 7 * MB);
  assert.ok(layerOf(model, 0, 2).size!.bytes! < 0.1 * MB);
});

test('apt hook: the lists state flows from one RUN to the next', () => {
  const seen: boolean[] = [];
  const services: SizeServices = {
    apt: (_commands, state) => {
      seen.push(state.listsPresent);
      return { size: exactSize(MB, null, 'apt'), notes: [], listsLeft: true };
    },
  };
  sized('FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n', services);
  assert.deepEqual(seen, [false, true]);
});

test('wasted space: a cache left by one layer and removed by a later one', () => {
  const model = sized('FROM alpine:3.22\nRUN apk add curl\nRUN rm -rf /var/cache/apk/*\n');
  const wasted = model.image!.wasted;
  assert.equal(wasted.items.length, 1);
  assert.equal(wasted.items[0]!.path, '/var/cache/apk');
  assert.equal(wasted.items[0]!.layer, 1);
  assert.equal(wasted.items[0]!.removedBy, 2);
  assert.ok(wasted.efficiency < 1 && wasted.efficiency > 0.5);
});

test('wasted space: files copied then deleted later, across a parent stage', () => {
  const model = sized('FROM scratch AS a\nCOPY big /data\nFROM a\nRUN rm -rf /data\n', fakeContext);
  const items = model.image!.wasted.items;
  assert.deepEqual(items.map((i) => [i.path, i.bytes, i.stage, i.removedBy]), [['/data', MB, 0, 2]]);
});

test('COPY --from a stage: exact when that stage copied the files from the context', () => {
  const model = sized('FROM scratch AS build\nCOPY dist /out\nFROM scratch\nCOPY --from=build /out /srv\n', fakeContext);
  const size = layerOf(model, 1, 1).size!;
  assert.equal(size.source, 'exact');
  assert.equal(size.bytes, MB);
});

test('COPY --from a stage that built something: a bounded estimate; from an image: unknown', () => {
  const model = sized('FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n');
  const fromStage = layerOf(model, 1, 1).size!;
  assert.equal(fromStage.source, 'estimate');
  assert.match(fromStage.detail, /what stage 'build' wrote under \/out\/app/);
  assert.ok(fromStage.bytes! >= 1e6 && fromStage.high! <= 100e6, 'a Go binary, not the build cache');
  assert.equal(layerOf(model, 1, 2).size!.source, 'unknown');
});

test('the size pass does not mutate the model it is given', () => {
  const model = analyzeDockerfile('FROM alpine:3.22\nRUN apk add git\n');
  const before = JSON.stringify(model);
  estimateSizes(model);
  assert.equal(JSON.stringify(model), before);
});

test('chown -R of files an earlier layer copied copies them up: counted in the layer and as waste', () => {
  const model = sized('FROM alpine:3.22\nCOPY data /srv/data\nRUN chown -R app:app /srv\n', fakeContext);
  const layer = layerOf(model, 0, 2);
  assert.ok(layer.size!.bytes! >= 1e6, `the chown layer holds the copied-up bytes: ${layer.size!.bytes}`);
  assert.ok(layer.notes!.some((n) => /copies 1\.0 MB of earlier layers' files/.test(n)));
  assert.deepEqual(model.image!.wasted.items.map((i) => [i.path, i.how, i.layer, i.removedBy]), [['/srv/data', 'overwritten', 1, 2]]);
  const untouched = sized('FROM alpine:3.22\nCOPY data /srv/data\nRUN chown -R app:app /opt\n', fakeContext);
  assert.ok(layerOf(untouched, 0, 2).size!.bytes! < 1e5);
});
