import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAX_DOCKERFILE_BYTES, workspaceImages, type WorkspaceImagesDeps } from '../../server/src/workspaceImages';
import { readBuildContext, type BuildContext } from '../../server/src/sizing';
import { WorkspaceImagesRequest } from '../../protocol/protocol';
import { ServerHarness } from './harness';

const COMMON = ['FROM node:20-slim', 'WORKDIR /app', 'COPY package.json ./', 'RUN npm ci --omit=dev'];

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockerlens-images-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const uri = (dir: string, name: string) => pathToFileURL(path.join(dir, name)).toString();

function deps(overrides: Partial<WorkspaceImagesDeps> = {}): WorkspaceImagesDeps {
  return { openText: () => undefined, readyContext: () => undefined, isCancelled: () => false, ...overrides };
}

test('workspaceImages: files from disk, named relative to the workspace, sharing the base and RUN steps', async () => {
  const dir = workspace({
    'services/api/Dockerfile': [...COMMON.slice(0, 2), 'RUN apt-get update', 'RUN echo api', ''].join('\n'),
    'services/worker/Dockerfile': [...COMMON.slice(0, 2), 'RUN apt-get update', 'RUN echo worker', ''].join('\n'),
  });
  try {
    const result = await workspaceImages(
      { uris: [uri(dir, 'services/api/Dockerfile'), uri(dir, 'services/worker/Dockerfile')], roots: [pathToFileURL(dir).toString()] },
      deps(),
    );
    assert.ok(result);
    assert.deepEqual(result.images.map((i) => i.name), ['services/api/Dockerfile', 'services/worker/Dockerfile']);
    assert.equal(result.images[0]!.uri, uri(dir, 'services/api/Dockerfile'));
    const [api, worker] = result.images;
    assert.equal(api!.layers[0]!.key, worker!.layers[0]!.key, 'same base');
    assert.equal(api!.layers[1]!.key, worker!.layers[1]!.key, 'same first RUN');
    assert.notEqual(api!.layers.at(-1)!.key, worker!.layers.at(-1)!.key);
    assert.deepEqual(result.notes.map((n) => n.kind), ['noContext', 'noContext']);
    const pull = result.pulls.find((p) => p.first === 'services/api/Dockerfile' && p.second === 'services/worker/Dockerfile');
    assert.equal(pull?.downloadLayers, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('workspaceImages: open text wins over the disk, a ready context gives COPY its inputs; unreadable and huge files are noted', async () => {
  const dir = workspace({
    'a/Dockerfile': 'FROM scratch\n',
    'a/package.json': '{"name":"a"}',
    'b/Dockerfile': [...COMMON, ''].join('\n'),
    'b/package.json': '{"name":"b"}',
    'big/Dockerfile': `FROM alpine\n${'#'.repeat(MAX_DOCKERFILE_BYTES)}\n`,
  });
  try {
    const a = uri(dir, 'a/Dockerfile');
    const b = uri(dir, 'b/Dockerfile');
    const contexts = new Map<string, BuildContext>();
    contexts.set(a, await readBuildContext(path.join(dir, 'a'), path.join(dir, 'a/Dockerfile')));
    contexts.set(b, await readBuildContext(path.join(dir, 'b'), path.join(dir, 'b/Dockerfile')));
    const result = await workspaceImages(
      { uris: [a, b, uri(dir, 'missing/Dockerfile'), uri(dir, 'big/Dockerfile'), a], roots: [pathToFileURL(dir).toString()] },
      deps({ openText: (u) => (u === a ? [...COMMON, ''].join('\n') : undefined), readyContext: (u) => contexts.get(u) }),
    );
    assert.ok(result);
    assert.deepEqual(result.images.map((i) => i.name), ['a/Dockerfile', 'b/Dockerfile'], 'each uri once');
    const [imageA, imageB] = result.images;
    assert.equal(imageA!.layers.length, imageB!.layers.length, 'the open text (not FROM scratch on disk) was analysed');
    assert.equal(imageA!.layers[0]!.key, imageB!.layers[0]!.key);
    const copy = imageA!.layers.findIndex((l) => /COPY/.test(l.label));
    assert.ok(copy > 0, imageA!.layers.map((l) => l.label).join(' | '));
    assert.notEqual(imageA!.layers[copy]!.key, imageB!.layers[copy]!.key, 'COPY reads a different context folder');
    assert.ok(imageA!.layers[copy]!.bytes !== null, 'the ready context sized the COPY');
    assert.deepEqual(result.notes.map((n) => [n.kind, n.name]), [['unreadable', 'missing/Dockerfile'], ['tooLarge', 'big/Dockerfile']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('workspaceImages: cancelled requests answer null', async () => {
  const dir = workspace({ 'Dockerfile': 'FROM alpine\n', 'x/Dockerfile': 'FROM alpine\n' });
  try {
    let calls = 0;
    const result = await workspaceImages({ uris: [uri(dir, 'Dockerfile'), uri(dir, 'x/Dockerfile')] }, deps({ isCancelled: () => ++calls > 1 }));
    assert.equal(result, null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dockerlens/workspaceImages over the wire: the server answers with both images and their shared layers', async () => {
  const dir = workspace({
    'api/Dockerfile': ['FROM alpine:3.22', 'RUN apk add --no-cache curl', 'RUN echo api', ''].join('\n'),
    'worker/Dockerfile': ['FROM alpine:3.22', 'RUN apk add --no-cache curl', 'RUN echo worker', ''].join('\n'),
  });
  const server = new ServerHarness({ settings: {} });
  try {
    await server.initialize({ capabilities: {} });
    const result = await server.request(
      server.connection.sendRequest(WorkspaceImagesRequest.type, { uris: [uri(dir, 'api/Dockerfile'), uri(dir, 'worker/Dockerfile')], roots: [pathToFileURL(dir).toString()] }),
      'dockerlens/workspaceImages',
    );
    assert.ok(result);
    assert.deepEqual(result.images.map((i) => i.name), ['api/Dockerfile', 'worker/Dockerfile']);
    assert.equal(result.layers.filter((l) => l.usedBy.length === 2).length, 2);
    await server.shutdown();
  } finally {
    server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
