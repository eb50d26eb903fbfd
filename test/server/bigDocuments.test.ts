/**
 * Big documents over the wire (issue #15): each hostile input of bench/hostileInputs.ts opened in
 * the bundled server is published with the cap diagnostic where one applies and answers a hover;
 * a small document keeps answering while a big one is analysed on the worker thread, which ends
 * once the big document closes. No timing thresholds: only answers and their order.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import { hostileInputs, writeHostile } from '../../bench/hostileInputs';
import { markdown, ServerHarness } from './harness';
import { WORKER_ENDED, WORKER_STARTED } from '../../server/src/bigDocuments';

const SLOW_MS = 300_000;

describe('big documents over the wire', () => {
  let server: ServerHarness;
  let root: string;
  const small = { uri: '', text: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n' };

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'dockerlens-big-'));
    server = new ServerHarness({ settings: { enable: true, target: '', buildArgs: {}, debounceMs: 50 } });
    await server.initialize({ capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } } });
    small.uri = 'untitled:small-Dockerfile';
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: small.uri, languageId: 'dockerfile', version: 1, text: small.text } });
    await server.diagnostics.nth(small.uri, 1, 'the small document');
  });

  after(async () => {
    await server.shutdown().catch(() => server.dispose());
    rmSync(root, { recursive: true, force: true });
  });

  const hoverSmall = async () => markdown(await server.request(
    server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: small.uri }, position: { line: 1, character: 1 } }),
    'hover on the small document',
    SLOW_MS,
  ));

  for (const input of hostileInputs()) {
    it(`${input.label}: published, hovered, and the small document answers meanwhile`, async () => {
      const file = writeHostile(root, input);
      const uri = pathToFileURL(file).href;
      const text = readFileSync(file, 'utf8');
      const events: string[] = [];
      const published = server.diagnostics.nth(uri, 1, `the publication of ${input.label}`, SLOW_MS).then((p) => {
        events.push('published');
        return p;
      });
      await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
      const answered = hoverSmall().then((answer) => {
        events.push('small answered');
        return answer;
      });
      assert.match(await answered, /apk/, 'the small document answers while the big one is analysed');
      const diagnostics = await published;
      const big = text.length > 256 * 1024;
      // a big document is analysed on the worker: the small one is answered before it is published
      if (big) assert.deepEqual(events, ['small answered', 'published']);
      const capped = diagnostics.diagnostics.filter((d) => d.code === 'DL-P002');
      if (input.key === 'ignore') assert.equal(capped.length, 0, 'nothing to cap in an ordinary Dockerfile');
      else assert.equal(capped.length, 1, `one cap diagnostic: ${JSON.stringify(diagnostics.diagnostics.map((d) => d.code))}`);
      const hover = markdown(await server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 1 } }), 'hover on the big document', SLOW_MS));
      assert.match(hover, /Layer \d+/, 'the big document answers a hover');
      await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
      await server.diagnostics.wait(uri, (p) => p.diagnostics.length === 0, 'the cleared diagnostics', SLOW_MS);
      assert.match(await hoverSmall(), /apk/);
    });
  }

  it('the worker starts with a big document and ends when it closes', async () => {
    const logged = (line: string) => server.logMessages.filter((m) => m.message === line).length;
    // a worker of the documents above may still be finishing an analysis: wait until it has ended
    await server.request((async () => {
      while (logged(WORKER_ENDED) < logged(WORKER_STARTED)) await new Promise((resolve) => setTimeout(resolve, 20));
    })(), 'the previous worker to end', SLOW_MS);
    const started = logged(WORKER_STARTED);
    const ended = logged(WORKER_ENDED);
    const input = hostileInputs().find((i) => i.key === 'words')!;
    const uri = pathToFileURL(writeHostile(root, input)).href;
    // (the document was open before, above: its next publication, not its first)
    const published = server.diagnostics.next(uri, 'the big document', SLOW_MS);
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: input.dockerfile } });
    await published;
    assert.equal(logged(WORKER_STARTED), started + 1, 'the big document started the worker');
    assert.equal(logged(WORKER_ENDED), ended, 'the worker runs while the big document is open');
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await server.diagnostics.wait(uri, (p) => p.diagnostics.length === 0, 'the cleared diagnostics', SLOW_MS);
    // the thread ends asynchronously after terminate(): poll the log with the harness's deadline
    await server.request((async () => {
      while (logged(WORKER_ENDED) === ended) await new Promise((resolve) => setTimeout(resolve, 20));
    })(), 'the worker to end', SLOW_MS);
  });
});
