/**
 * Wire test: spawns the bundled server (`node dist/server.js --stdio`) and speaks LSP to it over
 * stdio through vscode-languageserver-protocol's own reader and writer, as an editor would (the
 * fake editor is ./harness.ts). Run `node esbuild.js --tests` first so dist/server.js is current.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancellationTokenSource, CodeLensRequest, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, DocumentSymbolRequest,
  ExitNotification, FoldingRangeRequest, HoverRequest, LSPErrorCodes, MessageType, ResponseError, ShutdownRequest,
  type DocumentSymbol, type MessageConnection, type Position,
} from 'vscode-languageserver-protocol/node';
import { LayersRequest } from '../../protocol/protocol';
import { DEADLINE_MS, markdown, ServerHarness, type DiagnosticsLog } from './harness';

const URI = 'file:///workspace/app/Dockerfile';
const UNKNOWN_URI = 'file:///workspace/never-opened/Dockerfile';

/** What the fake client answers to `workspace/configuration` for section `dockerlens`. */
const SETTINGS = { enable: true, target: '', buildArgs: { ALPINE_VERSION: '3.20' }, debounceMs: 10 };

/**
 * Strips every `|` from `marked` and returns the text plus the 0-based positions the markers
 * stood at, in order. Keeps test sources readable: `RU|N apk add` means "hover here".
 */
function cursors(marked: string): { text: string; positions: Position[] } {
  const positions: Position[] = [];
  let text = '';
  let line = 0;
  let character = 0;
  for (const ch of marked) {
    if (ch === '|') {
      positions.push({ line, character });
      continue;
    }
    text += ch;
    if (ch === '\n') {
      line++;
      character = 0;
    } else {
      character += ch.length; // UTF-16 units, as LSP counts them
    }
  }
  if (positions.length === 0) throw new Error('cursors(): the text has no | marker');
  return { text, positions };
}

// Version 1: an ARG without default in FROM (only the settings' buildArgs give it a value), an
// unused stage, and a COPY --from naming no stage. Markers: the ENV, then the RUN.
const { text: BROKEN, positions: [ENV_POS, RUN_POS] } = cursors(`# syntax=docker/dockerfile:1
ARG ALPINE_VERSION
FROM alpine:\${ALPINE_VERSION} AS deps
E|NV APP_HOME=/app
R|UN apk add --no-cache curl \\
    jq

FROM alpine:3.20 AS unused
RUN echo never built

FROM deps AS final
COPY --from=missing /src /dst
CMD ["sh"]
`);

// Version 2: the unused stage is gone and COPY reads from a real stage.
const FIXED = `# syntax=docker/dockerfile:1
ARG ALPINE_VERSION
FROM alpine:\${ALPINE_VERSION} AS deps
ENV APP_HOME=/app
RUN apk add --no-cache curl \\
    jq

FROM deps AS final
COPY --from=deps /etc/os-release /dst
CMD ["sh"]
`;

let server: ServerHarness;
let connection: MessageConnection;
let diagnosticsLog: DiagnosticsLog;

function request<R>(promise: Promise<R>, what: string): Promise<R> {
  return server.request(promise, what);
}

const textDocument = { uri: URI };

describe('language server over stdio (dist/server.js)', () => {
  before(async () => {
    server = new ServerHarness({ settings: SETTINGS });
    connection = server.connection;
    diagnosticsLog = server.diagnostics;

    const result = await server.initialize({
      capabilities: {
        workspace: { configuration: true },
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          publishDiagnostics: { versionSupport: true },
        },
      },
    });
    assert.equal(result.serverInfo?.name, 'dockerlens');
    assert.equal(result.capabilities.hoverProvider, true);
    assert.equal(result.capabilities.documentSymbolProvider, true);
    assert.equal(result.capabilities.foldingRangeProvider, true);
  });

  after(() => {
    server?.dispose();
  });

  it('publishes diagnostics on open, analysed with the settings pulled from the client', async () => {
    const published = diagnosticsLog.wait(URI, (p) => p.version === 1, `publishDiagnostics for ${URI} version 1`);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: URI, languageId: 'dockerfile', version: 1, text: BROKEN },
    });
    const { diagnostics } = await published;

    assert.ok(server.configurationRequests.some((item) => item.section === 'dockerlens' && item.scopeUri === URI), 'the server asked for the dockerlens settings of the document');
    for (const d of diagnostics) assert.equal(d.source, 'dockerlens');
    const found = diagnostics.map((d) => ({ code: d.code, rule: (d.data as { rule: string }).rule, line: d.range.start.line })).sort((a, b) => a.line - b.line);
    // No DL-G008 (unresolved-from-arg): ALPINE_VERSION came from the client's buildArgs setting.
    assert.deepEqual(found, [
      { code: 'DL-G007', rule: 'unused-stage', line: 7 },
      { code: 'DL-G002', rule: 'stage-or-image', line: 11 },
    ]);
    const unused = diagnostics.find((d) => d.code === 'DL-G007')!;
    assert.deepEqual(unused.tags, [1], 'an unused stage is tagged Unnecessary');
  });

  it('after each publication it says the model changed (views ask again), in order with the diagnostics', async () => {
    const other = 'file:///tmp/dockerlens-wire/other/Dockerfile';
    const published = diagnosticsLog.wait(other, (p) => p.version === 3, `publishDiagnostics for ${other}`);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: other, languageId: 'dockerfile', version: 3, text: 'FROM alpine:3.20\nRUN true\n' } });
    await published;
    // Messages arrive in the order sent: the first document's notice came before this publication.
    assert.ok(server.modelChanges.some((c) => c.uri === URI && c.version === 1), JSON.stringify(server.modelChanges));
    await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: other } });
  });

  it('hover on a RUN names its layer', async () => {
    const value = markdown(await request(connection.sendRequest(HoverRequest.type, { textDocument, position: RUN_POS! }), 'hover on RUN'));
    assert.match(value, /Layer 1 of stage `deps`/);
  });

  it('hover on an ENV says it makes no layer', async () => {
    const value = markdown(await request(connection.sendRequest(HoverRequest.type, { textDocument, position: ENV_POS! }), 'hover on ENV'));
    assert.match(value, /No layer/);
    assert.doesNotMatch(value, /Layer \d/);
  });

  it('documentSymbol lists the stages with their instructions and layer numbers', async () => {
    const symbols = (await request(connection.sendRequest(DocumentSymbolRequest.type, { textDocument }), 'documentSymbol')) as DocumentSymbol[] | null;
    assert.ok(symbols);
    const stages = symbols.filter((s) => s.name.startsWith('stage '));
    assert.deepEqual(stages.map((s) => s.name), ["stage 'deps'", "stage 'unused'", "stage 'final'"]);
    const deps = stages[0]!;
    assert.deepEqual(deps.children?.map((c) => [c.name.split(' ')[0], c.detail]), [['ENV', 'metadata'], ['RUN', 'layer 1']]);
    assert.match(stages[1]!.detail ?? '', /unused/);
    const final = stages[2]!;
    assert.match(final.detail ?? '', /target/);
    // final is built FROM deps: its own layers continue the numbering.
    assert.deepEqual(final.children?.map((c) => [c.name.split(' ')[0], c.detail]), [['COPY', 'layer 2'], ['CMD', 'metadata']]);
  });

  it('foldingRange folds stages and multi-line instructions', async () => {
    const ranges = await request(connection.sendRequest(FoldingRangeRequest.type, { textDocument }), 'foldingRange');
    assert.ok(ranges);
    const runLine = RUN_POS!.line;
    assert.ok(ranges.some((r) => r.startLine === 2 && r.kind === 'region'), 'stage deps folds from its FROM');
    assert.ok(ranges.some((r) => r.startLine === runLine && r.endLine === runLine + 1), 'the continued RUN folds');
    assert.ok(ranges.some((r) => r.startLine === 10 && r.endLine === 12), 'stage final folds to its last line');
  });

  it('dockerlens/layers returns the model for the open document', async () => {
    const result = await request(connection.sendRequest(LayersRequest.type, { uri: URI }), 'dockerlens/layers');
    assert.ok(result);
    assert.equal(result.uri, URI);
    assert.equal(result.version, 1);
    const { model } = result;
    assert.deepEqual(model.stages.map((s) => s.name), ['deps', 'unused', 'final']);
    assert.equal(model.target, 2);
    assert.equal(model.stages[2]!.isTarget, true);
    assert.deepEqual(model.stages.map((s) => s.used), [true, false, true]);
    const base = model.stages[0]!.base;
    assert.equal(base.kind, 'image');
    assert.equal(base.kind === 'image' ? base.display : '', 'alpine:3.20', 'the buildArgs setting resolved the FROM');
  });

  it('code lenses carry layer numbers and run the show-layers command with the layer', async () => {
    const lenses = await request(connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: URI } }), 'codeLens');
    assert.ok(lenses && lenses.length > 0);
    const layerLens = lenses.find((l) => l.command?.title.startsWith('Layer 1'));
    assert.ok(layerLens, JSON.stringify(lenses.map((l) => l.command?.title)));
    assert.equal(layerLens.command!.command, 'dockerlens.showLayers');
    assert.deepEqual(layerLens.command!.arguments, [{ uri: URI, stage: 0, layer: 1 }]);
    assert.ok(lenses.some((l) => /^Stage 'unused' .*not built for the target/.test(l.command?.title ?? '')));
  });

  it('requests for a document that is not open return null', async () => {
    assert.equal(await request(connection.sendRequest(LayersRequest.type, { uri: UNKNOWN_URI }), 'dockerlens/layers (unknown uri)'), null);
    assert.equal(await request(connection.sendRequest(HoverRequest.type, { textDocument: { uri: UNKNOWN_URI }, position: { line: 0, character: 0 } }), 'hover (unknown uri)'), null);
  });

  it('survives a hover cancelled right after it was sent', async () => {
    const source = new CancellationTokenSource();
    const cancelled = connection.sendRequest(HoverRequest.type, { textDocument, position: RUN_POS! }, source.token);
    source.cancel(); // the connection sends $/cancelRequest for the request's id
    try {
      const result = await request(cancelled, 'the cancelled hover');
      if (result !== null) assert.match(markdown(result), /Layer 1/);
    } catch (error) {
      assert.ok(error instanceof ResponseError, `unexpected failure: ${String(error)}`);
      assert.equal(error.code, LSPErrorCodes.RequestCancelled);
    } finally {
      source.dispose();
    }
    assert.ok(server.sentMethods.includes('$/cancelRequest'), 'a $/cancelRequest went over the wire');
    assert.equal(server.child.exitCode, null, 'the server is still running');
    const next = await request(connection.sendRequest(HoverRequest.type, { textDocument, position: RUN_POS! }), 'hover after cancellation');
    assert.match(markdown(next), /Layer 1 of stage `deps`/);
  });

  it('a full-text didChange that fixes the problems clears the diagnostics', async () => {
    const published = diagnosticsLog.wait(URI, (p) => p.version === 2, `publishDiagnostics for ${URI} version 2`);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ text: FIXED }],
    });
    const params = await published;
    assert.equal(params.version, 2);
    assert.deepEqual(params.diagnostics, []);

    const layers = await request(connection.sendRequest(LayersRequest.type, { uri: URI }), 'dockerlens/layers after the change');
    assert.equal(layers?.version, 2);
    assert.deepEqual(layers?.model.stages.map((s) => s.name), ['deps', 'final']);
  });

  it('sizes COPY exactly from the build context once it has been read', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'dockerlens-wire-'));
    try {
      writeFileSync(path.join(folder, 'app.txt'), 'x'.repeat(1234));
      writeFileSync(path.join(folder, 'secret.log'), 'y'.repeat(999));
      writeFileSync(path.join(folder, '.dockerignore'), '*.log\n');
      const { text, positions: [copy] } = cursors('FROM alpine:3.22\nCO|PY . /app\n');
      const uri = pathToFileURL(path.join(folder, 'Dockerfile')).href;
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
      // The first publication may come before the scan; the scan's end triggers another one.
      await diagnosticsLog.wait(uri, () => true, `publishDiagnostics for ${uri}`);
      let value = '';
      const deadline = Date.now() + DEADLINE_MS;
      while (Date.now() < deadline) {
        value = markdown(await request(connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: copy! }), 'hover on COPY'));
        if (!value.includes('reading the build context')) break;
        await diagnosticsLog.next(uri, 'the re-publication after the context scan');
      }
      assert.match(value, /Size: 1\.2 kB \(exact\)/, value);
      // app.txt and .dockerignore itself are sent; secret.log is left out
      assert.match(value, /2 files, 1\.2 kB from the build context \\\(after \.dockerignore\\\)/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('shuts down cleanly: exit code 0, stdout carried only protocol, no stack on stderr', async () => {
    await request(connection.sendRequest(ShutdownRequest.type), 'shutdown');
    await connection.sendNotification(ExitNotification.type);
    const { code, signal } = await server.deadline(server.exited, 'the server process to exit after shutdown + exit');
    assert.equal(signal, null);
    assert.equal(code, 0);

    assert.deepEqual(server.protocolErrors, [], 'every byte on stdout parsed as JSON-RPC');
    const errors = server.logMessages.filter((m) => m.type === MessageType.Error).map((m) => m.message);
    assert.deepEqual(errors, [], 'the server logged no errors');
    assert.doesNotMatch(server.stderr, /^\s+at .+:\d+:\d+\)?$/m, `stderr carries a stack trace:\n${server.stderr}`);
    assert.doesNotMatch(server.stderr, /^\w*(Error|Exception)\b/m, `stderr carries an exception:\n${server.stderr}`);
  });
});
