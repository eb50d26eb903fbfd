/**
 * Wire test for `dockerlens/breakdown` through the bundled server (dist/server.js over stdio):
 * a COPY layer's folder the layers payload left unexpanded is listed on demand, from the build
 * context the server already read; unknown documents, stages, layers and folders answer null.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { BreakdownRequest, LayersRequest } from '../../protocol/protocol';
import type { BreakdownEntry } from '../../server/src/service/types';
import { ServerHarness } from './harness';

test('dockerlens/breakdown over the wire: an unexpanded folder of a COPY layer, then null for what is unknown', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockerlens-breakdown-'));
  const write = (name: string, content: string) => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  };
  const text = 'FROM scratch\nWORKDIR /app\nCOPY . .\n';
  write('Dockerfile', text);
  // .env makes DL-S007 fire once the context is read: the publication to wait for
  write('.env', 'TOKEN=1\n');
  for (let i = 0; i < 25; i++) write(`web/static/img/icons/i${String(i).padStart(2, '0')}.svg`, 'x'.repeat(100 + i));
  const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
  const server = new ServerHarness({ settings: { enable: true, target: '', buildArgs: {}, debounceMs: 10 } });
  try {
    await server.initialize({ capabilities: { workspace: { configuration: true } } });
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    await server.diagnostics.wait(uri, (p) => p.diagnostics.some((d) => d.code === 'DL-S007'), 'the publication after the build context was read', 30_000);

    const layers = await server.request(server.connection.sendRequest(LayersRequest.type, { uri }), 'dockerlens/layers');
    const copy = layers!.model.stages[0]!.layers.find((l) => l.number === 2)!;
    assert.equal(copy.breakdown?.root, '/app');
    const unexpanded = (function deepest(entries: BreakdownEntry[]): BreakdownEntry {
      const folder = entries.find((e) => e.kind === 'folder')!;
      return folder.children ? deepest(folder.children) : folder;
    })(copy.breakdown!.entries);
    assert.deepEqual([unexpanded.name, unexpanded.children], ['web/static/img', undefined]);

    const ask = (params: { stage: number; layer: number; path: string; limit?: number }, what: string) =>
      server.request(server.connection.sendRequest(BreakdownRequest.type, { uri, ...params }), what);
    const img = await ask({ stage: 0, layer: 2, path: 'web/static/img' }, 'dockerlens/breakdown web/static/img');
    assert.deepEqual(img?.entries.map((e) => [e.name, e.kind, e.files]), [['web/static/img/icons', 'folder', 25]]);
    const icons = await ask({ stage: 0, layer: 2, path: 'web/static/img/icons', limit: 3 }, 'dockerlens/breakdown icons');
    assert.deepEqual(icons?.entries.map((e) => [e.name, e.bytes, e.source]), [
      ['web/static/img/icons/i24.svg', 124, 'exact'],
      ['web/static/img/icons/i23.svg', 123, 'exact'],
      ['web/static/img/icons/i22.svg', 122, 'exact'],
    ]);
    assert.deepEqual(icons?.more, { entries: 22, bytes: Array.from({ length: 22 }, (_, i) => 100 + i).reduce((a, b) => a + b, 0) });

    const unknownDocument = await server.request(server.connection.sendRequest(BreakdownRequest.type, { uri: `${uri}.missing`, stage: 0, layer: 2, path: '' }), 'unknown document');
    assert.equal(unknownDocument, null);
    assert.equal(await ask({ stage: 0, layer: 7, path: '' }, 'unknown layer'), null);
    assert.equal(await ask({ stage: 4, layer: 2, path: '' }, 'unknown stage'), null);
    assert.equal(await ask({ stage: 0, layer: 2, path: 'web/nothing/here' }, 'unknown folder'), null);
    await server.shutdown();
  } finally {
    server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
