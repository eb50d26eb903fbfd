import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../server/src/cli';
import { forgetRegistryMemory, registryPackageSizes, TARBALL_RATIO } from '../../server/src/registrySizes';
import { freePort } from '../freePort';

/**
 * The registry look-up against a real npm registry: verdaccio 6.8 (scripts/npm-registry-setup.sh)
 * on 127.0.0.1 with its own storage, fixture packages published by the test, and a counting proxy
 * in front so that "no request" can be asserted.
 */
const HOME = process.env['DOCKERLENS_NPM_REGISTRY_HOME'] || path.join(homedir(), '.cache', 'dockerlens-npm-registry');
const BIN = path.join(HOME, 'node_modules', 'verdaccio', 'bin', 'verdaccio');

function unavailable(): string | undefined {
  if (existsSync(BIN)) return undefined;
  const reason = existsSync(path.join(HOME, 'unavailable')) ? readFileSync(path.join(HOME, 'unavailable'), 'utf8').trim() : 'not installed';
  return `verdaccio unavailable (${reason}): run scripts/npm-registry-setup.sh`;
}


/** Polls until the registry answers, or fails after the deadline. */
async function waitFor(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited: ${log()}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer within 60 s: ${log()}`);
}

interface Registry {
  url: string;
  requests: string[];
  stop(): Promise<void>;
}

async function startRegistry(dir: string): Promise<Registry> {
  const port = await freePort();
  writeFileSync(path.join(dir, 'config.yaml'), [
    `storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
    'auth:', '  htpasswd:', `    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
    'uplinks: {}',
    'packages:', "  '**':", '    access: $all', '    publish: $authenticated',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n'));
  let output = '';
  const child = spawn(process.execPath, [BIN, '--config', path.join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor(`http://127.0.0.1:${port}/-/ping`, child, () => output.slice(-500));
  // the counting proxy: every request the product makes passes here (Host kept, so the tarball
  // URLs verdaccio writes point back at the proxy)
  const requests: string[] = [];
  const proxy: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const forward = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    stop: async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}

/** A user the test creates, and its token in an npmrc for `npm publish`. */
async function login(registry: string, dir: string): Promise<{ token: string; npmrc: string }> {
  const response = await fetch(`${registry}/-/user/org.couchdb.user:fixture`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'fixture', password: 'fixture-password-1' }),
  });
  const { token } = (await response.json()) as { token: string };
  const npmrc = path.join(dir, 'npmrc');
  writeFileSync(npmrc, `${registry.replace(/^http:/, '')}/:_authToken=${token}\n`);
  return { token, npmrc };
}

function fixturePackage(dir: string, name: string, version: string, bytes: number): string {
  const folder = path.join(dir, `${name}-${version}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, version, license: 'MIT' }));
  // text that compresses a little, like real sources
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `export const value${i} = ${(i * 7919) % 104729};\n`;
  writeFileSync(path.join(folder, 'index.js'), text.slice(0, bytes));
  return folder;
}

/** npm, run without blocking: the counting proxy lives in this process and must keep answering. */
async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', args, { cwd, encoding: 'utf8' });
  return stdout;
}

/**
 * Publishes as the public registry stores a package from modern npm: the packument carries
 * `dist.unpackedSize` (verdaccio keeps what the publish document says; `npm publish` itself
 * leaves it to the registry to add, which verdaccio does not).
 */
async function publishWithUnpackedSize(registry: string, token: string, folder: string, dir: string): Promise<number> {
  const [info] = JSON.parse(await npm(['pack', '--json', '--pack-destination', dir], folder)) as { name: string; version: string; filename: string; integrity: string; shasum: string; unpackedSize: number; entryCount: number }[];
  const tgz = readFileSync(path.join(dir, info!.filename));
  const file = `${info!.name}-${info!.version}.tgz`;
  const response = await fetch(`${registry}/${info!.name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      _id: info!.name,
      name: info!.name,
      'dist-tags': { latest: info!.version },
      versions: { [info!.version]: { name: info!.name, version: info!.version, dist: { integrity: info!.integrity, shasum: info!.shasum, tarball: `${registry}/${info!.name}/-/${file}`, unpackedSize: info!.unpackedSize, fileCount: info!.entryCount } } },
      _attachments: { [file]: { content_type: 'application/octet-stream', data: tgz.toString('base64'), length: tgz.length } },
    }),
  });
  assert.equal(response.status, 201, await response.text());
  return info!.unpackedSize;
}

test('npm registry look-ups against verdaccio: unpackedSize, tarball × ratio, cache reused offline, nothing without --online', async (t) => {
  const why = unavailable();
  if (why) return t.skip(why);
  const dir = mkdtempSync(path.join(tmpdir(), 'dockerlens-verdaccio-'));
  const cacheDir = path.join(dir, 'cache');
  let registry: Registry | undefined = await startRegistry(dir);
  try {
    const { token, npmrc } = await login(registry.url, dir);
    // fixture-a through the real client (no unpackedSize in the packument), fixture-b with it
    const a = fixturePackage(dir, 'fixture-a', '1.0.0', 40_000);
    await npm(['publish', '--registry', `${registry.url}/`, '--userconfig', npmrc], a);
    const unpackedB = await publishWithUnpackedSize(registry.url, token, fixturePackage(dir, '@fixture/b', '2.0.0', 25_000), dir);
    const tarballA = Number((await fetch(`${registry.url}/fixture-a/-/fixture-a-1.0.0.tgz`, { method: 'HEAD' })).headers.get('content-length'));
    assert.ok(tarballA > 0);

    const wanted = [{ name: 'fixture-a', version: '1.0.0' }, { name: '@fixture/b', version: '2.0.0' }, { name: 'not-published', version: '1.0.0' }];
    const sizes = await registryPackageSizes(wanted, { url: registry.url, cacheDir });
    assert.deepEqual(sizes.get('npm:@fixture/b@2.0.0'), { bytes: unpackedB, source: 'registry' });
    const sizedA = sizes.get('npm:fixture-a@1.0.0')!;
    assert.equal(sizedA.source, 'registry');
    assert.equal(sizedA.bytes, Math.round(tarballA * TARBALL_RATIO.best));
    assert.equal(sizedA.low, Math.round(tarballA * TARBALL_RATIO.low));
    assert.equal(sizedA.high, Math.round(tarballA * TARBALL_RATIO.high));
    assert.equal(sizes.has('npm:not-published@1.0.0'), false);

    // the CLI: a lockfile naming both; without --online no request reaches the registry
    const project = path.join(dir, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify({
      lockfileVersion: 3,
      packages: { '': {}, 'node_modules/fixture-a': { version: '1.0.0' }, 'node_modules/@fixture/b': { version: '2.0.0' } },
    }));
    writeFileSync(path.join(project, 'Dockerfile'), 'FROM node:22-slim\nWORKDIR /app\nCOPY package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\n');
    const cliCache = path.join(dir, 'cli-cache');
    process.env['DOCKERLENS_CACHE_DIR'] = cliCache;
    const entriesOf = (stdout: string) => {
      const out = JSON.parse(stdout) as { layers: { breakdown?: { entries: { name: string; source: string; bytes: number }[] } }[] };
      return out.layers.flatMap((l) => l.breakdown?.entries ?? []).filter((e) => e.name.includes('@1.0.0') || e.name.includes('@2.0.0')).sort((x, y) => (x.name < y.name ? -1 : 1));
    };
    registry.requests.length = 0;
    const offline = await runCli(['explain', path.join(project, 'Dockerfile'), '--json', '--npm-registry', registry.url]);
    assert.equal(offline.code, 0, offline.stderr);
    assert.deepEqual(registry.requests, []);
    assert.ok(entriesOf(offline.stdout).every((e) => e.source === 'estimate'));
    const online = await runCli(['explain', path.join(project, 'Dockerfile'), '--json', '--online', '--npm-registry', registry.url]);
    assert.equal(online.code, 0, online.stderr);
    assert.ok(registry.requests.length > 0);
    assert.deepEqual(entriesOf(online.stdout).map((e) => e.source), ['registry', 'registry']);
    assert.ok(existsSync(cliCache));

    // the registry gone: the cached answers still size both packages, and nothing is asked
    await registry.stop();
    registry = undefined;
    // as a new process would: only the file on disk remembers
    forgetRegistryMemory();
    const again = await registryPackageSizes(wanted, { url: `http://127.0.0.1:${new URL(sizedUrl(cacheDir)).port}`, cacheDir });
    assert.deepEqual(again.get('npm:@fixture/b@2.0.0'), sizes.get('npm:@fixture/b@2.0.0'));
    assert.deepEqual(again.get('npm:fixture-a@1.0.0'), sizedA);
    const cliAgain = await runCli(['explain', path.join(project, 'Dockerfile'), '--json', '--online', '--npm-registry', new URL(sizedUrl(cacheDir)).origin]);
    assert.deepEqual(entriesOf(cliAgain.stdout).map((e) => e.source), ['registry', 'registry']);
  } finally {
    delete process.env['DOCKERLENS_CACHE_DIR'];
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The registry URL the cache file's keys were recorded under (the stopped proxy's). */
function sizedUrl(cacheDir: string): string {
  const cache = JSON.parse(readFileSync(path.join(cacheDir, 'npm-package-sizes.json'), 'utf8')) as Record<string, unknown>;
  return Object.keys(cache)[0]!.split(' ')[0]!;
}
