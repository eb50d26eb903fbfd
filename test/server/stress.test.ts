/**
 * The server as the extension ships and starts it (the minified bundle, protocol/serverLaunch.ts),
 * under stress over stdio as an editor drives it (./harness.ts): 50 documents open at once, a
 * burst of 1,000 edits, 100 hovers of which half are cancelled, a 10 MB Dockerfile, and a
 * 100,000-file build context scanned while hovers on another document keep answering; then the
 * server gives back what that took. Nothing here is timed against a limit: every answer is waited
 * for however long a busy machine makes it take (the harness's hang guard and the runner's
 * timeout catch a hang), and the figures go to the test's diagnostics. The same work's times and
 * the 80 MB memory target are rows of `npm run bench` (bench/serverStress.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancellationTokenSource, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification,
  HoverRequest, LSPErrorCodes, MessageType, ResponseError, type Hover, type Position,
} from 'vscode-languageserver-protocol/node';
import { markdown, PRODUCTION_SERVER, ServerHarness, NO_DEADLINE } from './harness';
import { bigDockerfile, memoryOf } from './stressInputs';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../../protocol/serverLaunch';

const SETTINGS = { enable: true, target: '', buildArgs: {}, debounceMs: 20 };
const OPEN_DOCUMENTS = 50;
const EDITS = 1_000;
const HOVERS = 100;
const BIG_BYTES = 10 * 1024 * 1024;
const CONTEXT_FILES = 100_000;
/**
 * What the server may still hold after the stress, above what it held with the 50 small documents
 * open. Measured on the project's 2-core machine (node 20, glibc): ~70 MB with the documents open,
 * ~73 MB settled after the whole stress, ~200 MB at the peak (the 10 MB analysis). Without the GC
 * after heavy work (server/src/memory.ts) it settles above 200 MB, without the launch options
 * above 230 MB, and it was 335 MB before either: each is more than 100 MB above the baseline, while
 * what is measured is ~3 MB, so the margin leaves thirty times the room other machines and C
 * libraries may need. The server gives memory back when it has been quiet for a moment, which a
 * busy machine delays: the test polls until the bound holds, and only a hang guard ends the wait.
 */
const RELEASE_MARGIN_MB = 100;
const RELEASE_GUARD_MS = 120_000;

/** A small Dockerfile whose stage name tells which text a hover was computed from. */
function small(stage: string): string {
  return `FROM alpine:3.20 AS ${stage}\nRUN apk add --no-cache curl\nCOPY . /app\nCMD ["sh"]\n`;
}
const SMALL_RUN: Position = { line: 1, character: 1 };
const SMALL_COPY: Position = { line: 2, character: 1 };

/**
 * `count` files under 100 folders, with hard links to 17 real files: a new inode can cost ~0.5 ms
 * on a journaled virtual disk, a link ~20 µs. Returns the bytes the files hold.
 */
function generateContext(dir: string, count: number): number {
  const perFolder = Math.ceil(count / 100);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, `d${String(Math.floor(i / perFolder)).padStart(3, '0')}`);
    if (i % perFolder === 0) fs.mkdirSync(folder);
    const file = path.join(folder, `f${i % perFolder}.txt`);
    if (i < 17) fs.writeFileSync(file, 'x'.repeat(i * 10));
    else fs.linkSync(path.join(dir, 'd000', `f${i % 17}.txt`), file);
    bytes += (i % 17) * 10;
  }
  return bytes;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

let server: ServerHarness;
let root: string;
const documents: string[] = [];
const memory: string[] = [];
/** RSS with the 50 small documents open: what the server holds before the heavy work */
let baselineMb: number | undefined;

function hoverAt(uri: string, position: Position, what: string, deadline?: number): Promise<Hover | null> {
  return server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), what, deadline);
}

function noteMemory(when: string): void {
  const m = memoryOf(server.pid);
  if (m) memory.push(`${when}: RSS ${m.rss.toFixed(1)} MB (peak ${m.peak.toFixed(1)} MB)`);
}

describe('language server under stress (the shipped bundle over stdio)', () => {
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlens-stress-'));
    server = new ServerHarness({ settings: SETTINGS, serverPath: PRODUCTION_SERVER, nodeArgs: SERVER_EXEC_ARGV, env: SERVER_ENV });
    await server.initialize({
      capabilities: {
        workspace: { configuration: true },
        textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: { versionSupport: true } },
      },
    });
  });

  after(() => {
    server?.dispose();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it(`${OPEN_DOCUMENTS} documents open at once: each is analysed and answers hovers about its own text`, async (t) => {
    const folder = path.join(root, 'many');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'app.txt'), 'hello\n');
    for (let i = 0; i < OPEN_DOCUMENTS; i++) documents.push(pathToFileURL(path.join(folder, `Dockerfile.${i}`)).href);
    const started = performance.now();
    await Promise.all(documents.map((uri, i) => server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text: small(`doc-${i}`) },
    })));
    await Promise.all(documents.map((uri) => server.diagnostics.wait(uri, (p) => p.version === 1, `publishDiagnostics for ${uri} version 1`)));
    const published = performance.now() - started;
    const hovers = await Promise.all(documents.map((uri, i) => hoverAt(uri, SMALL_RUN, `hover on document ${i}`)));
    hovers.forEach((h, i) => assert.match(markdown(h), new RegExp(`Layer 1 of stage \`doc-${i}\``)));
    t.diagnostic(`${OPEN_DOCUMENTS} opened: all diagnostics in ${ms(published)}, then ${OPEN_DOCUMENTS} concurrent hovers in ${ms(performance.now() - started - published)}`);
    noteMemory(`after opening ${OPEN_DOCUMENTS} documents`);
    baselineMb = memoryOf(server.pid)?.rss;
  });

  it(`a burst of ${EDITS.toLocaleString('en-US')} edits: the next hover and the last publication reflect the final text`, async (t) => {
    const uri = documents[0]!;
    const before = server.diagnostics.count(uri);
    const started = performance.now();
    const sent: Promise<void>[] = [];
    for (let version = 2; version <= EDITS + 1; version++) {
      sent.push(server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ text: small(`burst-v${version}`) }],
      }));
    }
    await Promise.all(sent);
    const finalVersion = EDITS + 1;
    const value = markdown(await hoverAt(uri, SMALL_RUN, 'hover after the burst'));
    const hovered = performance.now() - started;
    assert.match(value, new RegExp(`Layer 1 of stage \`burst-v${finalVersion}\``), 'the hover was computed from the last text');
    const published = await server.diagnostics.wait(uri, (p) => p.version === finalVersion, `publishDiagnostics for version ${finalVersion}`);
    assert.equal(published.version, finalVersion);
    const publications = server.diagnostics.received.filter((p) => p.uri === uri).slice(before);
    assert.ok(publications.every((p) => (p.version ?? 0) <= finalVersion));
    t.diagnostic(`${EDITS} didChange sent and the following hover answered in ${ms(hovered)}; diagnostics for v${finalVersion} after ${ms(performance.now() - started)}; `
      + `${publications.length} publication(s) during the burst (debounce ${SETTINGS.debounceMs} ms)`);
  });

  it(`${HOVERS} hovers in flight, half of them cancelled: all settle and the server stays up`, async (t) => {
    const uri = documents[1]!;
    // a new version, so the hovers wait on a fresh analysis instead of a cached model
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: small('cancel-me') }] });
    const sources: CancellationTokenSource[] = [];
    const pending: Promise<Hover | null>[] = [];
    for (let i = 0; i < HOVERS; i++) {
      const source = new CancellationTokenSource();
      sources.push(source);
      pending.push(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: SMALL_RUN }, source.token));
      if (i % 2 === 0) source.cancel();
    }
    const settled = await server.deadline(Promise.allSettled(pending), `all ${HOVERS} hovers to settle`);
    const outcome = { answered: 0, nullAfterCancel: 0, cancelledError: 0, answeredAfterCancel: 0 };
    settled.forEach((s, i) => {
      const cancelled = i % 2 === 0;
      if (s.status === 'rejected') {
        assert.ok(cancelled, `hover ${i} was not cancelled but failed: ${String(s.reason)}`);
        assert.ok(s.reason instanceof ResponseError, `hover ${i}: ${String(s.reason)}`);
        assert.equal(s.reason.code, LSPErrorCodes.RequestCancelled);
        outcome.cancelledError++;
      } else if (s.value === null) {
        assert.ok(cancelled, `hover ${i} was not cancelled but answered null`);
        outcome.nullAfterCancel++;
      } else {
        assert.match(markdown(s.value), /Layer 1 of stage `cancel-me`/);
        if (cancelled) outcome.answeredAfterCancel++;
        else outcome.answered++;
      }
    });
    for (const source of sources) source.dispose();
    assert.equal(outcome.answered, HOVERS / 2, 'every hover that was not cancelled answered');
    assert.ok(server.running, 'the server is still running');
    assert.match(markdown(await hoverAt(uri, SMALL_RUN, 'hover after the cancellations')), /Layer 1 of stage `cancel-me`/);
    t.diagnostic(`cancelled ${HOVERS / 2}: ${outcome.cancelledError} answered RequestCancelled, ${outcome.nullAfterCancel} null, ${outcome.answeredAfterCancel} answered anyway; `
      + `the other ${outcome.answered} answered`);
  });

  // Waits for every answer however long it takes (NO_DEADLINE); the test's timeout guards a hang.
  it('a 10 MB Dockerfile opens, answers hovers and is published', { timeout: 900_000 }, async (t) => {
    const big = bigDockerfile(BIG_BYTES);
    const folder = path.join(root, 'big');
    fs.mkdirSync(folder);
    const uri = pathToFileURL(path.join(folder, 'Dockerfile')).href;
    const started = performance.now();
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: big.text } });
    const first = markdown(await hoverAt(uri, big.lastRun, 'hover on the 10 MB Dockerfile', NO_DEADLINE));
    const hovered = performance.now() - started;
    assert.match(first, new RegExp(`Layer \\d+ of stage \`s${big.stages - 1}\``));
    // The first analysis runs while its folder is read; the end of that read re-analyses and
    // publishes again, with the context's sizes.
    const published = await server.diagnostics.nth(uri, 1, 'publishDiagnostics for the 10 MB Dockerfile', NO_DEADLINE);
    assert.equal(published.version, 1);
    const publishedAt = performance.now() - started;
    await server.diagnostics.nth(uri, 2, 'the re-publication of the 10 MB Dockerfile once its folder was read', NO_DEADLINE);
    const republishedAt = performance.now() - started;
    const t0 = performance.now();
    const again = markdown(await hoverAt(uri, big.firstRun, 'second hover on the 10 MB Dockerfile', NO_DEADLINE));
    const second = performance.now() - t0;
    assert.match(again, /Layer \d+ of stage `s0`/);
    noteMemory('with the 10 MB Dockerfile open');
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await server.diagnostics.wait(uri, (p) => p.version === undefined && p.diagnostics.length === 0, 'the empty publication on close');
    const mb = (Buffer.byteLength(big.text) / 1024 / 1024).toFixed(1);
    t.diagnostic(`${mb} MB, ${big.text.split('\n').length.toLocaleString('en-US')} lines, ${big.stages} stages, ${big.instructions.toLocaleString('en-US')} instructions: `
      + `open + first hover ${ms(hovered)}; diagnostics (${published.diagnostics.length}) at ${ms(publishedAt)}, again after its folder was read at ${ms(republishedAt)}; `
      + `a hover on the analysed model ${ms(second)}`);
  });

  it(`a ${CONTEXT_FILES.toLocaleString('en-US')}-file build context is scanned while hovers on another document keep answering`, async (t) => {
    const folder = path.join(root, 'context');
    fs.mkdirSync(folder);
    const generation = performance.now();
    const bytes = generateContext(folder, CONTEXT_FILES);
    const generated = performance.now() - generation;
    fs.writeFileSync(path.join(folder, '.dockerignore'), '*.log\n');
    const contextText = small('scanned');
    fs.writeFileSync(path.join(folder, 'Dockerfile'), contextText);
    const uri = pathToFileURL(path.join(folder, 'Dockerfile')).href;
    const other = documents[2]!;

    // The scan's end re-publishes the context's Dockerfile; the COPY hover then has exact sizes.
    let copyHover = '';
    let scanDone = false;
    const started = performance.now();
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: contextText } });
    const scan = (async () => {
      try {
        for (;;) {
          const seen = server.diagnostics.count(uri);
          copyHover = markdown(await hoverAt(uri, SMALL_COPY, 'hover on COPY in the scanned context'));
          if (!copyHover.includes('reading the build context')) return performance.now() - started;
          await server.diagnostics.nth(uri, seen + 1, 'the re-publication after the context scan', NO_DEADLINE);
        }
      } finally {
        scanDone = true;
      }
    })();

    const latencies: number[] = [];
    let duringScan = 0;
    do {
      const t0 = performance.now();
      const value = markdown(await hoverAt(other, SMALL_RUN, `hover ${latencies.length} on another document during the scan`));
      latencies.push(performance.now() - t0);
      if (!scanDone) duringScan++;
      assert.match(value, /Layer 1 of stage `doc-2`/);
    } while (!scanDone);
    const scanned = await scan;

    const files = Number(/([\d,]+) files, [^\n]* from the build context/.exec(copyHover)?.[1]?.replace(/,/g, '') ?? NaN);
    assert.ok(files >= CONTEXT_FILES, `the COPY hover counts the whole context:\n${copyHover}`);
    assert.ok(duringScan > 0, 'at least one hover was answered while the scan ran');
    t.diagnostic(`context of ${CONTEXT_FILES.toLocaleString('en-US')} files (${(bytes / 1024 / 1024).toFixed(1)} MB, generated in ${ms(generated)}) scanned and sized in ${ms(scanned)}; COPY hover counts ${files.toLocaleString('en-US')} files`);
    t.diagnostic(`${duringScan} hovers on another document during the scan: p50 ${ms(percentile(latencies, 0.5))}, p99 ${ms(percentile(latencies, 0.99))}, max ${ms(Math.max(...latencies))}`);
    noteMemory('after the context scan');
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await server.diagnostics.wait(uri, (p) => p.version === undefined && p.diagnostics.length === 0, 'the empty publication on close');
  });

  it(`memory is given back after the stress: resident memory falls to within ${RELEASE_MARGIN_MB} MB of what it was with the small documents open`, async (t: TestContext) => {
    // a request answered after the last close: the server has done what the close asked for
    await hoverAt(documents[2]!, SMALL_RUN, 'a hover after the last close');
    const first = memoryOf(server.pid);
    if (!first || baselineMb === undefined) {
      t.skip(`RSS is read from /proc/<pid>/status, which ${process.platform} does not have: not measured`);
      return;
    }
    const bound = baselineMb + RELEASE_MARGIN_MB;
    let now = first;
    let readings = 1;
    const guard = Date.now() + RELEASE_GUARD_MS;
    while (now.rss > bound && Date.now() < guard) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      now = memoryOf(server.pid) ?? now;
      readings++;
    }
    for (const line of memory) t.diagnostic(line);
    t.diagnostic(`baseline ${baselineMb.toFixed(1)} MB; right after the stress ${first.rss.toFixed(1)} MB, then ${now.rss.toFixed(1)} MB after ${readings} reading(s); peak ${now.peak.toFixed(1)} MB`);
    assert.ok(now.rss <= bound, `the server still holds ${now.rss.toFixed(1)} MB, more than ${RELEASE_MARGIN_MB} MB above its ${baselineMb.toFixed(1)} MB baseline, ${RELEASE_GUARD_MS / 1000} s after the stress`);
  });

  it('shuts down cleanly after the stress: exit code 0, no protocol errors, no logged errors', async () => {
    const { code, signal } = await server.shutdown();
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.deepEqual(server.protocolErrors, [], 'every byte on stdout parsed as JSON-RPC');
    assert.deepEqual(server.logMessages.filter((m) => m.type === MessageType.Error).map((m) => m.message), [], 'the server logged no errors');
    assert.doesNotMatch(server.stderr, /^\s+at .+:\d+:\d+\)?$/m, `stderr carries a stack trace:\n${server.stderr}`);
  });
});
