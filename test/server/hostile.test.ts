/**
 * Hostile build contexts over the wire: named pipes where the server reads a .dockerignore or an
 * ADD source. Before the safe reader, each pipe held one of libuv's four I/O threads forever: a
 * few such folders left every other context unread and their hovers waiting. Every wait here has
 * a deadline (the harness's), and the server is killed afterwards, so a regression fails instead
 * of hanging the suite.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkfifo, NO_MKFIFO } from '../fifo';
import { DidOpenTextDocumentNotification, HoverRequest, type Position } from 'vscode-languageserver-protocol/node';
import { WorkspaceImagesRequest } from '../../protocol/protocol';
import { DEADLINE_MS, markdown, ServerHarness } from './harness';

/** more pipe folders than libuv has I/O threads (4 by default) */
const PIPE_FOLDERS = 6;
const COPY_LINE: Position = { line: 1, character: 2 };
const TEXT = 'FROM alpine:3.22\nCOPY app.txt /app/\n';

describe('hostile workspaces over stdio', { timeout: 120_000 }, () => {
  let server: ServerHarness;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dockerlens-hostile-wire-'));
    server = new ServerHarness({ settings: { enable: true, debounceMs: 10 } });
    await server.initialize({ capabilities: { workspace: { configuration: true }, textDocument: { hover: { contentFormat: ['markdown'] } } } });
  });
  after(() => {
    server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  function folder(name: string, files: Record<string, string | 'fifo'>): string {
    const root = path.join(dir, name);
    mkdirSync(root);
    for (const [file, content] of Object.entries(files)) {
      if (content === 'fifo') mkfifo(path.join(root, file));
      else writeFileSync(path.join(root, file), content);
    }
    return pathToFileURL(path.join(root, 'Dockerfile')).href;
  }

  async function open(uri: string, text: string): Promise<void> {
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  }

  /** The hover on COPY once the context's scan is over (the scan's end re-publishes diagnostics). */
  async function settledHover(uri: string): Promise<string> {
    const deadline = Date.now() + DEADLINE_MS * 3;
    let value = '';
    while (Date.now() < deadline) {
      const known = new Set(server.diagnostics.received);
      value = markdown(await server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: COPY_LINE }), `hover on COPY in ${uri}`));
      if (!value.includes('reading the build context')) return value;
      await server.diagnostics.wait(uri, (p) => !known.has(p), `the re-publication of ${uri} after its context scan`, DEADLINE_MS * 3);
    }
    return value;
  }

  it('folders with a named-pipe .dockerignore say why their context is unknown, and other folders are still read', { skip: NO_MKFIFO }, async () => {
    const pipes: string[] = [];
    for (let i = 0; i < PIPE_FOLDERS; i++) {
      const uri = folder(`pipe-${i}`, { 'app.txt': 'hello', '.dockerignore': 'fifo' });
      pipes.push(uri);
      await open(uri, TEXT);
    }
    const addPipe = folder('add-pipe', { 'app.txt': 'hello', 'x.tar': 'fifo' });
    await open(addPipe, 'FROM alpine:3.22\nCOPY app.txt /app/\nADD x.tar /\n');
    const plain = folder('plain', { 'app.txt': 'hello!' });
    await open(plain, TEXT);

    assert.match(await settledHover(plain), /Size: 6 B \(exact\)/);
    // the ADD of a pipe does not stop the COPY beside it from being measured
    assert.match(await settledHover(addPipe), /Size: 5 B \(exact\)/);
    for (const uri of pipes) {
      const hover = await settledHover(uri);
      assert.match(hover, /the build context could not be read: a named pipe, not a regular file: not read: \.dockerignore/, hover);
    }
  });

  it('ARG X=${X}${X} sixty times: a hover is answered (no JSON-RPC error) and the diagnostics carry DL-P003', async () => {
    const uri = pathToFileURL(path.join(dir, 'exponential', 'Dockerfile')).href;
    const text = ['ARG X=ab', ...Array(60).fill('ARG X=${X}${X}'), 'FROM alpine:3.22', 'ENV Y=$X', 'RUN echo $Y'].join('\n');
    const published = server.diagnostics.wait(uri, () => true, `publishDiagnostics for ${uri}`);
    published.catch(() => undefined); // awaited below; a failing hover must not leave it unhandled
    await open(uri, text);
    const hover = markdown(await server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 63, character: 1 } }), 'hover on RUN'));
    assert.match(hover, /layer 1/i);
    const diagnostics = (await published).diagnostics;
    assert.ok(diagnostics.some((d) => d.code === 'DL-P003'), JSON.stringify(diagnostics.map((d) => d.code)));
    assert.ok(server.running, server.stderrHint());
  });

  it('the workspace images side by side: a named pipe among the Dockerfiles is noted unreadable, the others compared', { skip: NO_MKFIFO }, async () => {
    const good = folder('images-good', { Dockerfile: 'FROM alpine:3.22\nRUN echo hi\n' });
    const pipe = folder('images-pipe', { Dockerfile: 'fifo' });
    const result = await server.request(
      server.connection.sendRequest(WorkspaceImagesRequest.type, { uris: [good, pipe], roots: [pathToFileURL(dir).toString()] }),
      'dockerlens/workspaceImages',
    );
    assert.ok(result);
    assert.deepEqual(result.images.map((i) => i.name), ['images-good/Dockerfile']);
    assert.deepEqual(result.notes.filter((n) => n.kind === 'unreadable'), [{ kind: 'unreadable', name: 'images-pipe/Dockerfile', detail: 'a named pipe, not a regular file: not read' }]);
  });
});
