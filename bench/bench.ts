/**
 * Benchmark: one table of what Dockerlens costs, each row against a baseline or a target.
 *
 * - the full analysis the language server runs on every change (analyzeDockerfile + diagnostics
 *   + documentSymbols + foldingRanges) against dockerfile-utils' validate() on the same text, the
 *   validator most Dockerfile extensions run (both parse with dockerfile-ast, so the ratio shows
 *   what our model costs on top of a parse-and-lint pass); the same with the size pass and rules;
 * - hover latency over stdio against the server as it ships (the minified bundle, started with
 *   the extension's options), on a settled document and while a 100,000-file context is read;
 * - re-analysis after one edit (a line typed into, a line inserted, a RUN typed into beside a
 *   100,000-file COPY and its breakdown) with the document's IncrementalAnalysis against a fresh
 *   analysis with sizes, in process; and over stdio, one edit
 *   (didChange + the next hover) against the first open (didOpen + the first hover);
 * - the build-context scan of 100,000 files against a plain readdir + lstat walk
 *   (./contextScan.ts);
 * - the breakdown of a COPY of 100,000 files (its folder tree, from the snapshot) against the
 *   same COPY's figure alone, and one folder listed on demand (./breakdown.ts);
 * - activation of the bundled client (./activation.ts: stub vscode API, stub server);
 * - loading the bundled apt table (brotli + parseAptTable);
 * - the slowest fuzz mutant and the slowest corpus file (./worstCase.ts), and a 10 MB Dockerfile
 *   over stdio with the server's memory after heavy work (./serverStress.ts): the speed and memory
 *   targets the tests no longer carry.
 * - hostile inputs (./hostile.ts): each big input through the CLI and the server, time and peak
 *   memory against the issue's targets, hovers on another document meanwhile, memory after close.
 * - reading 50,000-entry lockfiles against JSON.parse of the same package-lock (./lockfiles.ts).
 *
 * `npm run bench` (builds first). `--json` prints the rows as JSON instead of a table. It asserts
 * nothing: it is a measurement, not a test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { validate } from 'dockerfile-utils';
import {
  DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest, type Position,
} from 'vscode-languageserver-protocol/node';
import { analyzeDockerfile, diagnose, diagnostics, documentSymbols, estimateSizes, foldingRanges } from '../server/src/service/index';
import { parseAptTable } from '../server/src/service/sizes/aptTable';
import { aptService } from '../server/src/service/sizes/aptService';
import type { SizeServices } from '../server/src/service/sizes/estimate';
import { generateDockerfile } from './generate';
import { PRODUCTION_SERVER, ServerHarness } from '../test/server/harness';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../protocol/serverLaunch';
import { activationSamples } from './activation';
import { IncrementalAnalysis } from '../server/src/service/incremental';
import { sizeModel, type BuildContext } from '../server/src/sizing';
import { createNodeContextReader } from '../server/src/nodeContextReader';
import { createIgnore } from '../server/src/service/sizes/dockerignore';
import { contextScanRows, generateContext } from './contextScan';
import { breakdownRows, syntheticSnapshot } from './breakdown';
import { corpusWorstRow, fuzzWorstRow } from './worstCase';
import { serverStressRows } from './serverStress';
import { hostileRows } from './hostile';
import { lockfileRows } from './lockfiles';

const SAMPLES = 30;
const WARMUP = 5;

// ---------------------------------------------------------------------------------------------
// Input (./generate.ts makes it)

function instructionCount(text: string): number {
  const model = analyzeDockerfile(text);
  return model.preamble.length + model.stages.reduce((n, s) => n + s.instructions.length, 0);
}

// ---------------------------------------------------------------------------------------------
// Measurement

interface Stats {
  median: number;
  p90: number;
  min: number;
}

/**
 * One row of the report: a measurement, our time, the baseline's (when there is one), and the
 * target: a ratio (ours / baseline on medians, ≤ target) or, with `targetText`, a stated bound
 * whose `met` the row works out itself. No `met`: reported only.
 */
export interface Row {
  name: string;
  ours: Stats;
  baseline?: Stats;
  /** ours / baseline, on medians */
  ratio?: number;
  /** the ratio we aim for (≤) */
  target?: number;
  met?: boolean;
  /** replaces "median (p90)" in the ours column */
  oursText?: string;
  /** replaces "median (p90)" in the baseline column */
  baselineText?: string;
  /** replaces "≤ target×" in the target column */
  targetText?: string;
  /** printed under the table */
  note?: string;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const median = sorted.length % 2 === 1
    ? sorted[(sorted.length - 1) / 2]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return { median, p90: at(0.9), min: sorted[0]! };
}

function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const ms = (v: number) => `${v.toFixed(2)} ms`;

/** Keeps results alive so the JIT cannot drop the work. */
let sink = 0;

function ours(text: string): void {
  const model = analyzeDockerfile(text);
  sink += diagnostics(diagnose(model, text)).length + documentSymbols(model).length + foldingRanges(model).length;
}

function theirs(text: string): void {
  sink += validate(text).length;
}

/** Interleaved, alternating which side goes first, after a warm-up of both. */
function compare(name: string, text: string, side: (text: string) => void, target: number | undefined, samples = SAMPLES): Row {
  for (let i = 0; i < WARMUP; i++) {
    side(text);
    theirs(text);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      a.push(time(() => side(text)));
      b.push(time(() => theirs(text)));
    } else {
      b.push(time(() => theirs(text)));
      a.push(time(() => side(text)));
    }
  }
  const o = stats(a);
  const t = stats(b);
  const ratio = o.median / t.median;
  return { name, ours: o, baseline: t, ratio, ...(target !== undefined ? { target, met: ratio <= target } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Data files

const ROOT = path.resolve(__dirname, '../..');
const APT_TABLE = path.join(ROOT, 'server/src/service/data/apt-bookworm.txt.br');

function sizeServices(): SizeServices {
  return { apt: aptService(parseAptTable(brotliDecompressSync(fs.readFileSync(APT_TABLE)))) };
}

/** The bundled apt table as the server loads it: brotli, then parseAptTable. The first run is cold. */
function aptTableRow(samples = 15): Row {
  const compressed = fs.readFileSync(APT_TABLE);
  const load = () => parseAptTable(brotliDecompressSync(compressed));
  const t0 = performance.now();
  const table = load();
  const cold = performance.now() - t0;
  const runs: number[] = [];
  for (let i = 0; i < samples; i++) runs.push(time(() => (sink += load().packageCount)));
  const text = brotliDecompressSync(compressed);
  const decompress: number[] = [];
  for (let i = 0; i < samples; i++) decompress.push(time(() => (sink += brotliDecompressSync(compressed).length)));
  const kb = (n: number) => `${Math.round(n / 1024).toLocaleString('en-US')} KB`;
  return {
    name: `apt table: brotli + parseAptTable, ${table.packageCount.toLocaleString('en-US')} packages (${kb(compressed.length)} → ${kb(text.length)})`,
    ours: stats(runs),
    note: `apt table: first (cold) load ${ms(cold)}; warm median ${ms(stats(runs).median)}, of which brotli ${ms(stats(decompress).median)}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Over stdio, against the bundled server

const SERVER_SETTINGS = { enable: true, target: '', buildArgs: {}, debounceMs: 50 };

/** The server as the package ships it and the extension starts it. */
async function startServer(): Promise<ServerHarness> {
  const server = new ServerHarness({ settings: SERVER_SETTINGS, serverPath: PRODUCTION_SERVER, nodeArgs: SERVER_EXEC_ARGV, env: SERVER_ENV });
  await server.initialize({
    capabilities: {
      workspace: { configuration: true },
      textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: { versionSupport: true } },
    },
  });
  return server;
}

/** Where each instruction starts: where the hovers go. */
function instructionStarts(text: string): Position[] {
  const model = analyzeDockerfile(text);
  return [...model.preamble, ...model.stages.flatMap((s) => s.instructions)].map((i) => ({ line: i.range.start.line, character: i.range.start.character + 1 }));
}

/**
 * Hover round trips on a Dockerfile on disk (its folder is the build context), once the server
 * has read the context and published: the latency an editor sees on a settled document.
 */
async function hoverLatencyRow(text: string, label: string, samples = 500): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlens-bench-hover-'));
  const server = await startServer();
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'main.go'), 'package main\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
    const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    // published once while the context is read, and again when it has been
    await server.diagnostics.nth(uri, 2, 'the publication after the build context was read', 60_000);
    const positions = instructionStarts(text);
    const hover = (i: number) => server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positions[i % positions.length]! }), 'hover');
    for (let i = 0; i < 50; i++) await hover(i);
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      if (!(await hover(i * 7))) throw new Error(`no hover at ${JSON.stringify(positions[(i * 7) % positions.length])}`);
      latencies.push(performance.now() - t0);
    }
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    return {
      name: `hover latency over stdio, ${label}, ${samples} hovers`,
      ours: stats(latencies),
      oursText: `p50 ${ms(p50)}, p99 ${ms(p99)}`,
      targetText: 'p99 < 10 ms',
      met: p99 < 10,
    };
  } finally {
    await server.shutdown().catch(() => server.dispose());
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Hover round trips on a small Dockerfile while the build context of another one, 100,000
 * files, is read (from its open until its publication with the context's sizes): what someone
 * typing sees while a big folder is scanned.
 */
async function hoverDuringScanRow(files = 100_000): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlens-bench-scan-hover-'));
  const server = await startServer();
  try {
    const contextDir = path.join(dir, 'context');
    fs.mkdirSync(contextDir);
    generateContext(contextDir, files);
    const smallDir = path.join(dir, 'small');
    fs.mkdirSync(smallDir);
    const text = 'FROM alpine:3.20\nRUN apk add --no-cache curl\nCOPY . /app\n';
    const small = pathToFileURL(path.join(smallDir, 'Dockerfile')).href;
    const scanned = pathToFileURL(path.join(contextDir, 'Dockerfile')).href;
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: small, languageId: 'dockerfile', version: 1, text } });
    await server.diagnostics.nth(small, 2, 'the publication after the small context was read', 60_000);
    const hover = () => server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: small }, position: { line: 1, character: 1 } }), 'hover');
    for (let i = 0; i < 50; i++) await hover();
    let done = false;
    const sized = server.diagnostics.nth(scanned, 2, 'the publication after the 100,000 files were read', 120_000).then(() => (done = true));
    const started = performance.now();
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: scanned, languageId: 'dockerfile', version: 1, text } });
    const latencies: number[] = [];
    while (!done) {
      const t0 = performance.now();
      if (!(await hover())) throw new Error('no hover during the scan');
      latencies.push(performance.now() - t0);
    }
    await sized;
    const scan = performance.now() - started;
    return {
      name: `hover latency over stdio while ${files.toLocaleString('en-US')} context files are read, ${latencies.length} hovers`,
      ours: stats(latencies),
      oursText: `p50 ${ms(percentile(latencies, 0.5))}, p99 ${ms(percentile(latencies, 0.99))}`,
      note: `hover during a scan: the context was read and the document published with its sizes ${ms(scan)} after its open`,
    };
  } finally {
    await server.shutdown().catch(() => server.dispose());
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What one edit costs against the first open, both as an editor sees them over stdio: didOpen +
 * the first hover (the whole analysis) vs one didChange of one line + the next hover. Untitled
 * documents: no build context on either side, so both rows time the analysis alone.
 */
async function incrementalRow(text: string, label: string, samples = 15): Promise<Row> {
  const server = await startServer();
  try {
    const positions = instructionStarts(text);
    const at = positions[Math.floor(positions.length / 2)]!;
    const hover = (uri: string) => server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at }), 'hover', 60_000);

    const opens: number[] = [];
    for (let i = 0; i < samples + 2; i++) {
      const uri = `untitled:bench-open-${i}`;
      const t0 = performance.now();
      await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
      if (!(await hover(uri))) throw new Error('no hover after open');
      const elapsed = performance.now() - t0;
      if (i >= 2) opens.push(elapsed); // two warm-up opens
      await server.diagnostics.wait(uri, (p) => p.version === 1, 'the publication after open', 60_000);
      await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
      await server.diagnostics.wait(uri, (p) => p.version === undefined, 'the publication after close', 60_000);
    }

    const uri = 'untitled:bench-edit';
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    await server.diagnostics.wait(uri, (p) => p.version === 1, 'the publication after open', 60_000);
    const lines = text.split('\n');
    const edits: number[] = [];
    for (let version = 2; version < samples + 4; version++) {
      // one line changes: a RUN's command text, as typing into it would
      lines[at.line] = `${lines[at.line]!.replace(/ # edit \d+$/, '')} # edit ${version}`;
      const edited = lines.join('\n');
      const t0 = performance.now();
      await server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: edited }] });
      if (!(await hover(uri))) throw new Error('no hover after the edit');
      const elapsed = performance.now() - t0;
      if (version >= 4) edits.push(elapsed);
      await server.diagnostics.wait(uri, (p) => p.version === version, `the publication of version ${version}`, 60_000);
    }
    const o = stats(edits);
    const b = stats(opens);
    const ratio = o.median / b.median;
    return {
      name: `one edit (didChange + hover) vs open (didOpen + hover), ${label}`,
      ours: o, baseline: b, ratio, target: 0.2, met: ratio <= 0.2,
      note: 'edit vs open: after a change the server parses, walks and sizes again only what the edit touched (IncrementalAnalysis); an open analyses everything',
    };
  } finally {
    await server.shutdown().catch(() => server.dispose());
  }
}

// ---------------------------------------------------------------------------------------------
// Re-analysis after an edit, in process

/**
 * What the language server computes after an edit (the model with sizes), for one document
 * across its edits (IncrementalAnalysis) against from scratch (analyzeDockerfile + sizeModel), on
 * the same edited texts, interleaved. Two kinds of edit: typing into a line in the middle of the
 * file (there a COPY --from's arguments), and a line inserted there (every later line moves down); and typing
 * into a RUN of the stage whose COPY takes 100,000 context files, which the layer breakdown lists
 * by folder and the RUN's deletes flag.
 */
async function reanalysisRows(text: string, label: string, samples = SAMPLES): Promise<Row[]> {
  const lines = text.split('\n');
  const positions = instructionStarts(text);
  const at = positions[Math.floor(positions.length / 2)]!.line;
  const typed = (n: number) => lines.map((l, i) => (i === at ? `${l} # edit ${n}` : l)).join('\n');
  const inserted = (n: number) => [...lines.slice(0, at), ...Array.from({ length: n }, () => ''), ...lines.slice(at)].join('\n');
  const options = { contextUnavailable: 'not a file on disk' };
  const row = async (name: string, edited: (n: number) => string, first = text, context?: BuildContext): Promise<Row> => {
    const incremental = new IncrementalAnalysis();
    const analyse = async (edit: string, reuse: boolean) => {
      const model = reuse ? incremental.analyze(edit) : analyzeDockerfile(edit);
      sink += (await sizeModel(model, context, { ...(context ? {} : options), ...(reuse ? { incremental } : {}) })).stages.length;
    };
    await analyse(first, true);
    const ours: number[] = [];
    const full: number[] = [];
    for (let i = 1; i <= WARMUP + samples; i++) {
      const edit = edited(i);
      const t0 = performance.now();
      await analyse(edit, true);
      const t1 = performance.now();
      await analyse(edit, false);
      const t2 = performance.now();
      if (i > WARMUP) {
        ours.push(t1 - t0);
        full.push(t2 - t1);
      }
    }
    const o = stats(ours);
    const b = stats(full);
    const ratio = o.median / b.median;
    return { name: `${name}: incremental vs full analysis + sizes`, ours: o, baseline: b, ratio, target: 0.2, met: ratio <= 0.2 };
  };
  // the COPY's files come from a snapshot as the scan leaves it (the scan itself is another row)
  const snapshot = syntheticSnapshot(100_000);
  const context: BuildContext = { root: '/bench-context', reader: createNodeContextReader('/bench-context'), ignore: createIgnore(''), snapshot };
  const copying = 'FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN rm -rf node_modules .git\nRUN npm run build\n';
  const intoRun = (n: number) => copying.replace('npm run build', `npm run build -- --edit ${n}`);
  return [
    await row(`one edit typed into a line, ${label}`, typed),
    await row(`one line inserted, ${label}`, inserted),
    await row('one edit typed into a RUN beside a COPY of 100,000 files (breakdown, waste)', intoRun, copying, context),
  ];
}

// ---------------------------------------------------------------------------------------------
// Activation

function activationRow(samples = 10): Row {
  const runs = activationSamples(samples);
  const median = (pick: (s: (typeof runs)[number]) => number) => stats(runs.map(pick)).median;
  return {
    name: `activation: require(dist/client.js) + activate(), stub vscode + server, ${samples} cold runs`,
    ours: stats(runs.map((r) => r.total)),
    note: `activation: require ${ms(median((r) => r.require))}; activate() reaches the server launch (fork) after ${ms(median((r) => r.toFork))} `
      + `and resolves after ${ms(median((r) => r.activate))}, the rest being the language client's start against a stub server that answers initialize at once; `
      + 'VS Code\'s own extension loading and the real server\'s start are not included',
  };
}

// ---------------------------------------------------------------------------------------------
// Report

function formatTable(rows: Row[]): string {
  const header = ['measurement', 'ours', 'baseline', 'ratio', 'target', 'result'];
  const body = rows.map((r) => [
    r.name,
    r.oursText ?? `${ms(r.ours.median)} (p90 ${ms(r.ours.p90)})`,
    r.baselineText ?? (r.baseline ? `${ms(r.baseline.median)} (p90 ${ms(r.baseline.p90)})` : '—'),
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : '—',
    r.targetText ?? (r.target !== undefined ? `≤ ${r.target.toFixed(1)}×` : '—'),
    r.met === undefined ? 'report' : r.met ? 'met' : 'not met',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const inputs = [1_000, 10_000].map((n) => {
    const text = generateDockerfile(n);
    const kb = (Buffer.byteLength(text) / 1024).toFixed(0);
    const counted = instructionCount(text);
    return { n, text, label: `${counted.toLocaleString('en-US')} instructions (${kb} KB)` };
  });
  const [small] = inputs;
  const rows: Row[] = [];
  const progress = (what: string) => {
    if (!json) process.stderr.write(`… ${what}\n`);
  };

  // `--only edit,scan`: the rows whose key contains one of the words
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',').filter(Boolean) : [];
  const want = (key: string) => only.length === 0 || only.some((word) => key.includes(word));

  if (want('analysis')) {
    for (const input of inputs) {
      progress(`analysis vs validate, ${input.label}`);
      rows.push(compare(`full analysis, ${input.label} vs validate`, input.text, ours, 1.0));
    }
  }
  if (want('sizes')) {
    progress('analysis + sizes + rules vs validate');
    const services = sizeServices();
    rows.push(compare(`analysis + sizes + rules, ${small!.label} vs validate`, small!.text, (text) => {
      const model = estimateSizes(analyzeDockerfile(text), services);
      sink += diagnose(model, text).length;
    }, undefined));
  }
  if (want('hover')) {
    progress('hover latency over stdio');
    rows.push(await hoverLatencyRow(small!.text, small!.label));
    progress('hover latency during a context scan');
    rows.push(await hoverDuringScanRow());
  }
  if (want('edit')) {
    progress('one edit: incremental vs full re-analysis');
    rows.push(...await reanalysisRows(small!.text, small!.label));
    progress('edit vs open over stdio');
    rows.push(await incrementalRow(small!.text, small!.label));
  }
  if (want('scan')) {
    progress('context scan (100,000 files)');
    rows.push(...await contextScanRows());
  }
  if (want('breakdown')) {
    progress('COPY breakdown (100,000 files)');
    rows.push(...await breakdownRows());
    rows.push(...lockfileRows());
  }
  if (want('activation')) {
    progress('client activation');
    rows.push(activationRow());
  }
  if (want('apt')) {
    progress('apt table');
    rows.push(aptTableRow());
  }
  if (want('fuzz')) {
    progress('slowest fuzz mutant (10,000)');
    rows.push(fuzzWorstRow());
  }
  if (want('corpus')) {
    progress('slowest corpus file (3,000)');
    rows.push(corpusWorstRow());
  }
  if (want('stress')) {
    progress('10 MB Dockerfile and server memory after heavy work');
    rows.push(...await serverStressRows());
  }
  if (want('hostile')) rows.push(...await hostileRows(progress));

  if (json) {
    process.stdout.write(`${JSON.stringify({ node: process.version, samples: SAMPLES, rows }, null, 2)}\n`);
    return;
  }
  const cpus = os.cpus();
  console.log(`Dockerlens benchmark · node ${process.version} · ${os.platform()} ${os.arch()} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}`);
  console.log('full analysis = analyzeDockerfile + diagnostics + documentSymbols + foldingRanges; + sizes + rules = analyzeDockerfile + estimateSizes (bundled apt table) + diagnose');
  console.log("validate = dockerfile-utils validate() (rcjsuen's validator, default settings)");
  console.log(`in-process rows: ${SAMPLES} samples per side, interleaved, after ${WARMUP} warm-up rounds; ratio = ours / baseline on medians`);
  console.log('');
  console.log(formatTable(rows));
  const notes = rows.flatMap((r) => (r.note ? [r.note] : []));
  if (notes.length > 0) console.log(['', ...notes.map((n) => `· ${n}`)].join('\n'));
  if (sink === -1) console.log(''); // never true; keeps `sink` observable
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
