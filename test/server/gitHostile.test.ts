/**
 * The language server over stdio with a Dockerfile in a hostile repository (test/hostileRepo.ts).
 * Trusted: the cache prediction's baseline and the revision list run nothing the repository
 * configures and leave `.git` as it was, and the prediction is still right. Untrusted: git and
 * the engine are never touched at all: a `git` first on the server's PATH and a socket named by
 * DOCKER_HOST each record a use; the same session trusted shows both probes work.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { BuiltImagesRequest, LayersRequest, RevisionsRequest, SetBuiltImageNotification, type LayersResult } from '../../protocol/protocol';
import { changedIn, createHostileRepo, hasGit, HOSTILE_DOCKERFILE, type HostileRepo } from '../hostileRepo';
import { ServerHarness } from './harness';

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-hostile-server-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

async function open(server: ServerHarness, uri: string): Promise<void> {
  const published = server.diagnostics.wait(uri, () => true, 'diagnostics on open');
  await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: HOSTILE_DOCKERFILE } });
  await published;
}

/**
 * The model once the whole analysis ran (the build context read, the baseline asked for, the last
 * build applied or refused): each miss waits for the next publication, as in lastBuild.test.ts.
 */
async function settled(server: ServerHarness, uri: string, done: (result: LayersResult) => boolean): Promise<LayersResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = await server.request(server.connection.sendRequest(LayersRequest.type, { uri }), 'dockerlens/layers');
    if (result && done(result)) return result;
    await server.diagnostics.next(uri, 'the analysis once the build context is read');
  }
  assert.fail(`the analysis did not settle.${server.stderrHint()}`);
}

describe('a hostile repository, trusted workspace', () => {
  it('the baseline and the revision list run nothing it configures, leave .git as it was, and predict right', async (t) => {
    if (!hasGit()) return t.skip('git is not installed on this machine');
    const hostile = createHostileRepo(path.join(tmp, 'trusted'));
    const uri = pathToFileURL(hostile.dockerfile).href;
    const before = hostile.gitState();
    const ext = path.join(hostile.programs, 'external-diff');
    const server = new ServerHarness({ settings: {}, env: { GIT_EXTERNAL_DIFF: ext, GIT_PAGER: ext, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.fsmonitor', GIT_CONFIG_VALUE_0: ext } });
    try {
      await server.initialize({ capabilities: { workspace: { configuration: true } }, initializationOptions: { trusted: true } });
      await open(server, uri);
      const { model } = await settled(server, uri, (r) => r.model.cache !== undefined);
      const revisions = await server.request(server.connection.sendRequest(RevisionsRequest.type, { uri }), 'dockerlens/revisions');
      assert.deepEqual(revisions.map((r) => r.subject), ['signed', 'first']);
      assert.deepEqual(hostile.ran(), [], 'programs the repository configures ran');
      assert.deepEqual(changedIn(before, hostile.gitState()), [], '.git changed');
      assert.deepEqual(model.cache?.prediction.target?.reused, [1], 'COPY keep.txt: same bytes, only a new time');
      assert.deepEqual(model.cache?.prediction.target?.rebuilt, [2, 3]);
      await server.shutdown();
    } finally {
      server.dispose();
    }
  });
});

describe('a hostile repository, untrusted workspace', () => {
  interface Probed {
    hostile: HostileRepo;
    gitRan: boolean;
    connections: number;
    model: LayersResult['model'];
  }

  /** A session whose `git` records each run and whose engine socket records each connection. */
  async function probed(name: string, trusted: boolean): Promise<Probed> {
    const hostile = createHostileRepo(path.join(tmp, name));
    const bin = path.join(tmp, name, 'bin');
    mkdirSync(bin);
    const gitMarker = path.join(tmp, name, 'git-ran');
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\n: > '${gitMarker}'\nexit 1\n`);
    chmodSync(path.join(bin, 'git'), 0o755);
    let connections = 0;
    const engine: Server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    const socket = path.join(tmp, name, 'engine.sock');
    await new Promise<void>((resolve) => engine.listen(socket, resolve));
    const uri = pathToFileURL(hostile.dockerfile).href;
    const server = new ServerHarness({
      settings: { engine: true },
      env: { PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, DOCKER_HOST: `unix://${socket}` },
    });
    try {
      await server.initialize({ capabilities: { workspace: { configuration: true } }, initializationOptions: { trusted } });
      await open(server, uri);
      // every way in: the built-image picker, a chosen engine image, the revision picker
      await server.request(server.connection.sendRequest(BuiltImagesRequest.type, { uri }), 'dockerlens/builtImages');
      await server.connection.sendNotification(SetBuiltImageNotification.type, { uri, image: { kind: 'engine', reference: 'app:latest' } });
      const { model } = await settled(server, uri, (r) => r.model.lastBuild !== undefined);
      await server.request(server.connection.sendRequest(RevisionsRequest.type, { uri }), 'dockerlens/revisions');
      await server.shutdown();
      return { hostile, gitRan: existsSync(gitMarker), connections, model };
    } finally {
      server.dispose();
      await new Promise<void>((resolve) => engine.close(() => resolve()));
    }
  }

  it('never runs git and never connects to the engine', async (t) => {
    if (!hasGit()) return t.skip('git is not installed on this machine');
    const untrusted = await probed('untrusted', false);
    assert.equal(untrusted.gitRan, false, 'git ran in an untrusted workspace');
    assert.equal(untrusted.connections, 0, 'the engine socket was connected to in an untrusted workspace');
    assert.deepEqual(untrusted.hostile.ran(), []);
    assert.deepEqual(untrusted.model.lastBuild, { image: 'app:latest', problem: 'Reading built images needs a trusted workspace.' });
    assert.equal(untrusted.model.cache, undefined, 'no baseline without git');
  });

  it('(the probes work: the same session trusted runs that git and reaches that socket)', async (t) => {
    if (!hasGit()) return t.skip('git is not installed on this machine');
    const trusted = await probed('control', true);
    assert.equal(trusted.gitRan, true);
    assert.ok(trusted.connections > 0);
  });
});
