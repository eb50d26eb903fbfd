/**
 * The last build in the editor, over stdio: the client names a built image for a Dockerfile (a
 * checked-in `docker save` archive here), and the layers carry its sizes beside the prediction,
 * the hover says "Last build: …", the model says what does not align. Untrusted workspaces, the
 * engine setting off and no engine each give one line, and everything else works as before.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import { LayersRequest, SetBuiltImageNotification, BuiltImagesRequest, type LayersResult } from '../../protocol/protocol';
import { markdown, ServerHarness } from './harness';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/compare/scratch-image');

let tmp: string;
let dockerfile: string;
let uri: string;
let text: string;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-lastbuild-'));
  cpSync(FIXTURE, path.join(tmp, 'app'), { recursive: true });
  dockerfile = path.join(tmp, 'app', 'Dockerfile');
  uri = pathToFileURL(dockerfile).href;
  text = readFileSync(dockerfile, 'utf8');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

async function start(trusted: boolean, settings: Record<string, unknown> = {}): Promise<ServerHarness> {
  const server = new ServerHarness({ settings });
  await server.initialize({ capabilities: { workspace: { configuration: true } }, initializationOptions: { trusted } });
  const published = server.diagnostics.wait(uri, () => true, 'diagnostics on open');
  await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  await published;
  return server;
}

/**
 * The model once the server has applied the last build (or said why not). The build context is
 * read in the background and the last build waits for it; the server publishes diagnostics again
 * when it is read, so each miss waits for the next analysis (messages arrive in order).
 */
async function layers(server: ServerHarness): Promise<LayersResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = await server.request(server.connection.sendRequest(LayersRequest.type, { uri }), 'dockerlens/layers');
    if (result?.model.lastBuild) return result;
    await server.diagnostics.next(uri, 'the analysis once the build context is read');
  }
  assert.fail(`no lastBuild on the model.${server.stderrHint()}`);
}

const COPY_LINE = 7; // 0-based: COPY a.txt b.txt ./

describe('the last build over stdio', () => {
  it('an archive: built sizes beside the prediction, a hover line, what rebuilds', async () => {
    const server = await start(true);
    try {
      await server.connection.sendNotification(SetBuiltImageNotification.type, { uri, image: { kind: 'path', path: path.join(tmp, 'app', 'image.tar') } });
      const { model } = await layers(server);
      const last = model.lastBuild!;
      assert.ok(!('problem' in last), JSON.stringify(last));
      if ('problem' in last) return;
      assert.deepEqual([last.image, last.verdict, last.problems], ['dockerlens-fixture/scratch-image:1.0', 'aligned', []]);
      const built = model.stages[0]!.layers.map((l) => [l.number, l.built?.bytes, l.built?.current, l.size?.source]);
      // copies of the files are newer than the image: the COPY layers are made anew and stay exact (context)
      assert.deepEqual(built, [[1, 0, true, 'engine'], [2, 18, false, 'exact'], [3, 4055, false, 'exact']]);
      const hover = markdown(await server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: COPY_LINE, character: 2 } }), 'hover on COPY'));
      assert.match(hover, /Last build: 18 B \(predicted 18 B\); the next build makes this layer anew: a\.txt changed/);

      await server.connection.sendNotification(SetBuiltImageNotification.type, { uri, image: null });
      const forgotten = await server.request(server.connection.sendRequest(LayersRequest.type, { uri }), 'dockerlens/layers after forgetting');
      assert.equal(forgotten?.model.lastBuild, undefined);
      assert.ok(forgotten!.model.stages[0]!.layers.every((l) => l.built === undefined && l.size?.source !== 'engine'));
    } finally {
      await server.shutdown();
    }
  });

  it('untrusted, engine setting off, no engine: one line each, the rest unaffected', async () => {
    const untrusted = await start(false);
    try {
      await untrusted.connection.sendNotification(SetBuiltImageNotification.type, { uri, image: { kind: 'path', path: path.join(tmp, 'app', 'image.tar') } });
      const { model } = await layers(untrusted);
      assert.deepEqual(model.lastBuild, { image: path.join(tmp, 'app', 'image.tar'), problem: 'Reading built images needs a trusted workspace.' });
      assert.ok(model.stages[0]!.layers.every((l) => l.built === undefined));
      const listed = await untrusted.request(untrusted.connection.sendRequest(BuiltImagesRequest.type, { uri }), 'builtImages');
      assert.deepEqual(listed, { images: [], problem: 'Reading built images needs a trusted workspace.' });
    } finally {
      await untrusted.shutdown();
    }

    const off = await start(true, { engine: false });
    try {
      await off.connection.sendNotification(SetBuiltImageNotification.type, { uri, image: { kind: 'engine', reference: 'app:latest' } });
      const { model } = await layers(off);
      assert.deepEqual(model.lastBuild, { image: 'app:latest', problem: 'The local engine is not read: the setting dockerlens.engine is off.' });
    } finally {
      await off.shutdown();
    }

    const socket = path.join(tmp, 'no-engine.sock');
    const saved = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = `unix://${socket}`; // inherited by the server process
    let noEngine: ServerHarness | undefined;
    try {
      noEngine = await start(true, { engine: true });
    } finally {
      if (saved === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = saved;
    }
    try {
      await noEngine.connection.sendNotification(SetBuiltImageNotification.type, { uri, image: { kind: 'engine', reference: 'app:latest' } });
      const { model } = await layers(noEngine);
      assert.deepEqual(model.lastBuild, { image: 'app:latest', problem: `no Docker engine: no socket at ${socket}` });
      assert.equal(model.stages[0]!.layers[1]!.size?.source, 'exact', 'sizes as without a last build');
      const hover = markdown(await noEngine.request(noEngine.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 2 } }), 'hover on FROM'));
      assert.match(hover, /Last build \\\(app:latest\\\) not read: no Docker engine: no socket at/, 'in words, escaped as markdown');
      const listed = await noEngine.request(noEngine.connection.sendRequest(BuiltImagesRequest.type, { uri }), 'builtImages');
      assert.deepEqual(listed, { images: [], problem: `no Docker engine: no socket at ${socket}` });
    } finally {
      await noEngine.shutdown();
    }
  });
});
