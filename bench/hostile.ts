/**
 * The bench's hostile-input section (issue #15): each input of ./hostileInputs.ts through the CLI
 * (`explain`: wall time and peak RSS of the process) and through the language server as it ships
 * (time from didOpen to the publication with the build context's sizes, the server's peak RSS, hover round trips on
 * another, small document while the big one is analysed, and the server's RSS once the big one is
 * closed, against its RSS before it was opened). Targets from the issue: ≤ 5 s and ≤ 500 MB per
 * input, hover p99 ≤ 100 ms on the other document, RSS back within ~100 MB of idle after close.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { Row } from './bench';
import { stats } from './measure';
import { hostileInputs, writeHostile, type HostileInput } from './hostileInputs';
import { PRODUCTION_SERVER, ServerHarness } from '../test/server/harness';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../protocol/serverLaunch';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const PRELOAD = path.resolve(__dirname, 'maxRss.js');
const TARGET_MS = 5_000;
const TARGET_MB = 500;
const TARGET_HOVER_P99_MS = 100;
const TARGET_KEPT_MB = 100;
const SETTINGS = { enable: true, target: '', buildArgs: {}, debounceMs: 50 };

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

/** `explain` in a child process: wall time, exit code and peak RSS (reported by ./maxRss.ts). */
function cliRow(input: HostileInput, dockerfile: string): Row {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ['--require', PRELOAD, CLI, 'explain', dockerfile], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  const elapsed = performance.now() - t0;
  const rss = Number(/MAXRSS (\d+)/.exec(run.stderr ?? '')?.[1] ?? NaN) * 1024;
  const capped = (run.stdout ?? '').includes('DL-P002');
  const met = run.status !== null && run.status <= 1 && elapsed <= TARGET_MS && rss <= TARGET_MB * 1024 * 1024;
  return {
    name: `hostile: CLI explain, ${input.label}`,
    ours: stats([elapsed]),
    oursText: `${ms(elapsed)}, peak ${mb(rss)}, exit ${run.status ?? run.signal}${capped ? ', capped (DL-P002)' : ''}`,
    targetText: `≤ ${TARGET_MS / 1000} s, ≤ ${TARGET_MB} MB`,
    met,
  };
}

/** The server's resident and peak resident memory, from /proc (Linux); NaN elsewhere. */
function serverMemory(pid: number): { rss: number; peak: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

async function serverRow(input: HostileInput, dockerfile: string, root: string): Promise<Row> {
  const server = new ServerHarness({ settings: SETTINGS, serverPath: PRODUCTION_SERVER, nodeArgs: SERVER_EXEC_ARGV, env: SERVER_ENV });
  try {
    await server.initialize({
      capabilities: {
        workspace: { configuration: true },
        textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: { versionSupport: true } },
      },
    });
    const smallDir = path.join(root, `small-${input.key}`);
    fs.mkdirSync(smallDir, { recursive: true });
    const small = pathToFileURL(path.join(smallDir, 'Dockerfile')).href;
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: small, languageId: 'dockerfile', version: 1, text: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n' },
    });
    await server.diagnostics.nth(small, 2, 'the small document with its context', 60_000);
    const hover = () => server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: small }, position: { line: 1, character: 1 } }), 'hover', 120_000);
    for (let i = 0; i < 20; i++) await hover();
    const idle = serverMemory(server.pid).rss;

    const uri = pathToFileURL(dockerfile).href;
    const text = fs.readFileSync(dockerfile, 'utf8');
    let published = false;
    // published once while its folder is read, again with the context's sizes: the second is the whole analysis
    const first = server.diagnostics.nth(uri, 2, `the publication of ${input.label} with its context`, 300_000).then((p) => {
      published = true;
      return p;
    });
    const t0 = performance.now();
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    const latencies: number[] = [];
    while (!published) {
      const h0 = performance.now();
      await hover();
      latencies.push(performance.now() - h0);
    }
    const diagnostics = await first;
    const elapsed = performance.now() - t0;
    const capped = diagnostics.diagnostics.some((d) => d.code === 'DL-P002');
    const bigHover = await server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 1 } }), 'hover on the big document', 120_000);
    const { peak } = serverMemory(server.pid);
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await server.diagnostics.wait(uri, (p) => p.diagnostics.length === 0, 'the cleared diagnostics', 60_000);
    // the GC after a close runs on the next turn; a few hovers later it has
    for (let i = 0; i < 20; i++) await hover();
    const after = serverMemory(server.pid).rss;
    const p99 = percentile(latencies, 0.99);
    const kept = after - idle;
    const met = elapsed <= TARGET_MS && peak <= TARGET_MB * 1024 * 1024 && (latencies.length === 0 || p99 <= TARGET_HOVER_P99_MS) && kept <= TARGET_KEPT_MB * 1024 * 1024;
    return {
      name: `hostile: server, ${input.label}`,
      ours: stats([elapsed]),
      oursText: `published after ${ms(elapsed)}${capped ? ' (capped)' : ''}, peak ${mb(peak)}, other-document hover p99 ${latencies.length > 0 ? ms(p99) : '–'} (${latencies.length} hovers), `
        + `hover here ${bigHover ? 'answered' : 'empty'}, RSS ${mb(idle)} idle → ${mb(after)} after close`,
      targetText: `≤ ${TARGET_MS / 1000} s, ≤ ${TARGET_MB} MB, p99 ≤ ${TARGET_HOVER_P99_MS} ms, ≤ +${TARGET_KEPT_MB} MB kept`,
      met,
    };
  } finally {
    await server.shutdown().catch(() => server.dispose());
  }
}

/** The hostile-input rows; `progress` names each step as it starts. */
export async function hostileRows(progress: (what: string) => void): Promise<Row[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlens-bench-hostile-'));
  const rows: Row[] = [];
  try {
    for (const input of hostileInputs()) {
      const dockerfile = writeHostile(root, input);
      progress(`hostile input, CLI: ${input.label}`);
      rows.push(cliRow(input, dockerfile));
      if (input.key === 'explain') continue; // the CLI's table; the server is measured on the 200,000 lines
      progress(`hostile input, server: ${input.label}`);
      rows.push(await serverRow(input, dockerfile, root));
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return rows;
}
