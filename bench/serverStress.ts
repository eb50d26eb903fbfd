/**
 * The stress test's heavy work, timed and weighed (test/server/stress.test.ts asserts only that
 * it is answered and that memory is given back; a busy machine must not fail it):
 * - a 10 MB Dockerfile over stdio: didOpen + the first hover, against dockerfile-utils' validate()
 *   of the same text in process (a parse and lint, the strongest simple baseline); reported;
 * - the server's resident memory once that document and a 100,000-file build context have been
 *   opened and closed, against the same server idle after initialize; target < 80 MB.
 * Both run the minified server with the extension's launch options.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { validate } from 'dockerfile-utils';
import { DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { Row } from './bench';
import { stats } from './measure';
import { PRODUCTION_SERVER, ServerHarness, NO_DEADLINE } from '../test/server/harness';
import { bigDockerfile, memoryOf } from '../test/server/stressInputs';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../protocol/serverLaunch';
import { generateContext } from './contextScan';

const RSS_TARGET_MB = 80;

async function startServer(): Promise<ServerHarness> {
  const server = new ServerHarness({ settings: { enable: true, target: '', buildArgs: {}, debounceMs: 50 }, serverPath: PRODUCTION_SERVER, nodeArgs: SERVER_EXEC_ARGV, env: SERVER_ENV });
  await server.initialize({ capabilities: { workspace: { configuration: true }, textDocument: { hover: { contentFormat: ['markdown'] }, publishDiagnostics: { versionSupport: true } } } });
  return server;
}

/** RSS once it stops falling: readings every 100 ms until five in a row fell by less than 0.5 MB. */
async function settledRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 300; i++) {
    readings.push(memoryOf(pid)?.rss ?? NaN);
    const recent = readings.slice(-5);
    if (recent.length === 5 && recent[0]! - recent[4]! < 0.5) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return readings[readings.length - 1]!;
}

export async function serverStressRows(): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlens-bench-stress-'));
  const server = await startServer();
  try {
    const idle = await settledRss(server.pid);
    const big = bigDockerfile(10 * 1024 * 1024);
    const baseline = [0, 1, 2].map(() => {
      const t0 = performance.now();
      validate(big.text);
      return performance.now() - t0;
    });
    fs.mkdirSync(path.join(dir, 'big'));
    const uri = pathToFileURL(path.join(dir, 'big', 'Dockerfile')).href;
    const t0 = performance.now();
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: big.text } });
    await server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: big.lastRun }), 'hover on the 10 MB Dockerfile', NO_DEADLINE);
    const opened = performance.now() - t0;
    await server.diagnostics.nth(uri, 2, 'the publication after the folder was read', NO_DEADLINE);
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await server.diagnostics.wait(uri, (p) => p.version === undefined, 'the empty publication on close', NO_DEADLINE);

    const contextDir = path.join(dir, 'context');
    fs.mkdirSync(contextDir);
    generateContext(contextDir, 100_000);
    const scanned = pathToFileURL(path.join(contextDir, 'Dockerfile')).href;
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: scanned, languageId: 'dockerfile', version: 1, text: 'FROM alpine:3.20\nCOPY . /app\n' } });
    await server.diagnostics.nth(scanned, 2, 'the publication after the 100,000 files were read', NO_DEADLINE);
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: scanned } });
    await server.diagnostics.wait(scanned, (p) => p.version === undefined, 'the empty publication on close', NO_DEADLINE);
    const after = await settledRss(server.pid);
    const peak = memoryOf(server.pid)?.peak ?? NaN;
    const mb = (v: number) => ({ median: v, p90: v, min: v });
    return [
      {
        name: `10 MB Dockerfile (${big.instructions.toLocaleString('en-US')} instructions): didOpen + first hover over stdio vs validate()`,
        ours: stats([opened]), baseline: stats(baseline), ratio: opened / stats(baseline).median,
      },
      {
        name: 'server RSS after a 10 MB Dockerfile and a 100,000-file context were opened and closed, vs idle',
        ours: mb(after), baseline: mb(idle), ratio: after / idle,
        oursText: `${after.toFixed(1)} MB`,
        baselineText: `${idle.toFixed(1)} MB idle`,
        targetText: `< ${RSS_TARGET_MB} MB`,
        met: after < RSS_TARGET_MB,
        note: `server memory: ${idle.toFixed(1)} MB idle after initialize, ${after.toFixed(1)} MB settled after the heavy work, peak ${peak.toFixed(1)} MB`,
      },
    ];
  } finally {
    await server.shutdown().catch(() => server.dispose());
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
