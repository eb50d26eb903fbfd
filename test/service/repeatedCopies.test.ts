/**
 * The manifest-first pattern: a later COPY that writes files an earlier COPY of the stage already
 * wrote the same (same context file, same path, same --chown/--chmod, nothing in between touching
 * them) stores nothing for them, so they are neither its size nor waste of the earlier layer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, diagnose, type DockerfileModel } from '../../server/src/service';
import { scanContext } from '../../server/src/service/sizes/context';
import { copyFromContext, precomputeCopySizes } from '../../server/src/service/sizes/contextSizes';
import { estimateSizes } from '../../server/src/service/sizes/estimate';
import { describeNotes } from '../../server/src/service/sizes/messages';
import type { Layer } from '../../server/src/service/types';
import { buildLayersView } from '../../protocol/layersView';
import { formatBytes } from '../../server/src/service/features/sizeText';
import { memoryContext } from '../memoryContext';

const FILES = {
  'package.json': 'p'.repeat(1_000),
  'package-lock.json': 'l'.repeat(400_000),
  'src/index.js': 's'.repeat(30_000),
  'src/lib/util.js': 'u'.repeat(20_000),
};
const SOURCES = 50_000;
const MANIFESTS = 401_000;

async function sized(text: string): Promise<DockerfileModel> {
  const snapshot = await scanContext(memoryContext(FILES));
  const analysed = analyzeDockerfile(text);
  return estimateSizes(analysed, { copyFromContext: copyFromContext(await precomputeCopySizes(analysed, snapshot), snapshot, analysed) });
}

const layer = (model: DockerfileModel, number: number): Layer => model.stages[model.target]!.layers.find((l) => l.number === number)!;
const dockerfile = (...lines: string[]) => `${['FROM node:22', 'WORKDIR /app', ...lines].join('\n')}\n`;

test('manifest-first: COPY . . stores only the files that are new; nothing is wasted, no DL-S005', async () => {
  const text = dockerfile('COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .');
  const model = await sized(text);
  assert.equal(layer(model, 2)!.size!.bytes, MANIFESTS);
  assert.equal(layer(model, 4)!.size!.bytes, SOURCES);
  assert.equal(model.image!.wasted.bytes, 0);
  assert.ok(!diagnose(model, text, {}).some((d) => d.code === 'DL-S005'));
  const copy = layer(model, 4);
  assert.ok(copy.notes!.includes(`2 files (${formatBytes(MANIFESTS)}) an earlier COPY already wrote the same are not stored again (BuildKit leaves unchanged files out of a layer)`), copy.notes!.join('\n'));
  assert.match(describeNotes(copy, 'ko').at(-1)!, /^앞선 COPY가 똑같이 쓴 파일 2개\([\d.]+ kB\)는 다시 저장되지 않습니다/);
  // the breakdown lists what the layer holds: not the manifests
  const names = copy.breakdown!.entries.map((e) => e.name);
  assert.ok(names.includes('src'), names.join(', '));
  assert.ok(!names.includes('package-lock.json'), names.join(', '));
  // no badge on either layer in the panel
  const rows = buildLayersView(model, 'en').stages[0]!.layers;
  assert.deepEqual(rows.flatMap((r) => r.wasted), []);
});

test('different --chmod or --chown: the files are stored again and the earlier copies are overwritten (badge: overwrites)', async () => {
  for (const flag of ['--chmod=600', '--chown=node']) {
    const model = await sized(dockerfile('COPY package.json package-lock.json ./', 'RUN npm ci', `COPY ${flag} . .`));
    assert.equal(layer(model, 4)!.size!.bytes, SOURCES + MANIFESTS, flag);
    assert.equal(model.image!.wasted.bytes, MANIFESTS, flag);
    const rows = buildLayersView(model, 'en').stages[0]!.layers;
    const marker = rows.find((r) => r.number === 4)!.wasted[0]!;
    assert.equal(marker.role, 'overwrites');
  }
});

test('a layer in between that deletes or rewrites a file: it is stored again', async () => {
  const deleted = await sized(dockerfile('COPY package.json package-lock.json ./', 'RUN rm package-lock.json', 'COPY . .'));
  assert.equal(layer(deleted, 4)!.size!.bytes, SOURCES + 400_000, 'the lockfile comes back; package.json is unchanged');
  const overwritten = await sized(dockerfile('COPY package.json package-lock.json ./', 'COPY src/index.js package-lock.json', 'COPY . .'));
  assert.equal(layer(overwritten, 4)!.size!.bytes, SOURCES + 400_000);
});

test('another source landing at the same path, or the same source at another path, is stored', async () => {
  const renamed = await sized(dockerfile('COPY package-lock.json ./lock.json', 'COPY . .'));
  assert.equal(layer(renamed, 3)!.size!.bytes, SOURCES + MANIFESTS);
  const elsewhere = await sized(dockerfile('COPY package.json package-lock.json /manifests/', 'COPY . .'));
  assert.equal(layer(elsewhere, 3)!.size!.bytes, SOURCES + MANIFESTS);
  const otherContent = await sized(dockerfile('COPY src/index.js ./package.json', 'COPY . .'));
  assert.equal(layer(otherContent, 3)!.size!.bytes, SOURCES + MANIFESTS);
});
