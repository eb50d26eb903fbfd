/**
 * The registry client against a real registry: Debian's docker-registry (CNCF distribution) on
 * 127.0.0.1, filled by skopeo from an OCI layout the test writes (a two-platform index) and from
 * the checked-in `docker save` archive. Anonymous access, an index resolved to each platform,
 * exact compressed layer sizes, blob existence for pushes, plain one-line errors, bearer tokens
 * through distribution's own token auth (with a small token server of the test's, signing with a
 * key the registry trusts), credentials from a Docker config, and a deadline that a drip-feeding
 * server cannot stretch. Without docker-registry, skopeo or openssl it skips with one line.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createSign, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistryClient, parseRegistryReference, type RegistryReference } from '../../server/src/images/registry';
import { readDockerCredentials } from '../../server/src/images/dockerConfig';
import { freePort } from '../freePort';

const ROOT = path.resolve(__dirname, '../../..');
const missing = ['docker-registry', 'skopeo', 'openssl'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
const SKIP = missing.length > 0 ? `SKIP registry: ${missing.join(', ')} not installed (apt-get install docker-registry skopeo openssl)` : false;

const work = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-registry-'));
const children: ChildProcess[] = [];
const servers: Server[] = [];
after(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(work, { recursive: true, force: true });
});

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** An OCI layout with a two-platform index; each layer is a gzipped one-file tar of random bytes. */
function writeLayout(dir: string): { compressed: Record<string, number> } {
  mkdirSync(path.join(dir, 'blobs/sha256'), { recursive: true });
  const put = (data: Buffer) => {
    const digest = sha256(data);
    writeFileSync(path.join(dir, 'blobs/sha256', digest), data);
    return { digest: `sha256:${digest}`, size: data.length };
  };
  const tar = (content: Buffer) => {
    const header = Buffer.alloc(512);
    header.write('data.bin', 0);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\x0000', 257);
    header.write(`${header.reduce((a, b) => a + b, 0).toString(8).padStart(6, '0')}\0 `, 148);
    return Buffer.concat([header, content, Buffer.alloc((512 - (content.length % 512)) % 512), Buffer.alloc(1024)]);
  };
  const compressed: Record<string, number> = {};
  const manifests = [];
  for (const [arch, bytes, variant] of [['amd64', 3000, undefined], ['arm64', 5000, 'v8']] as const) {
    const raw = tar(randomBytes(bytes));
    const layer = put(gzipSync(raw));
    compressed[arch] = layer.size;
    const config = put(Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(raw)}`] }, history: [{ created_by: 'ADD data.bin /' }, { created_by: 'CMD ["x"]', empty_layer: true }] })));
    const manifest = put(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }] })));
    manifests.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, platform: { os: 'linux', architecture: arch, ...(variant ? { variant } : {}) } });
  }
  const index = put(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests })));
  writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', ...index, annotations: { 'org.opencontainers.image.ref.name': '1' } }] }));
  return { compressed };
}


/** Starts docker-registry with this config and waits until /v2/ answers. */
async function startRegistry(name: string, storage: string, extra: string): Promise<string> {
  const port = await freePort();
  const config = path.join(work, `${name}.yml`);
  writeFileSync(config, `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\nhttp:\n  addr: 127.0.0.1:${port}\n${extra}`);
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const host = `127.0.0.1:${port}`;
  // poll until it answers; the deadline only guards against a registry that never starts
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = get(`http://${host}/v2/`, (res) => { res.resume(); resolve(true); });
      req.on('error', () => resolve(false));
    });
    if (ok) return host;
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not answer on ${host}: ${log}`);
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

describe('registry client against a real registry', { skip: SKIP }, () => {
  let open: string;
  let guarded: string;
  let compressed: Record<string, number>;
  let tokenRequests: { scope: string | null; service: string | null; authorization: string | undefined }[] = [];
  const storage = path.join(work, 'storage');

  before(async () => {
    const layout = path.join(work, 'layout');
    ({ compressed } = writeLayout(layout));
    open = await startRegistry('open', storage, '');
    execFileSync('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci:${layout}:1`, `docker://${open}/team/multi:1`], { stdio: 'pipe' });
    execFileSync('skopeo', ['copy', '--dest-tls-verify=false', `docker-archive:${path.join(ROOT, 'test/fixtures/compare/scratch-image/image.tar')}`, `docker://${open}/team/base:1`], { stdio: 'pipe' });

    // The same storage behind token auth: tokens from the test's own token server, signed with a
    // key whose certificate the registry trusts. team/private needs credentials; the rest is anonymous.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'cert.pem'), '-subj', '/CN=dockerlens-test-token', '-days', '1'], { stdio: 'pipe' });
    const key = readFileSync(path.join(work, 'key.pem'), 'utf8');
    const certDer = Buffer.from(readFileSync(path.join(work, 'cert.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const tokenServer = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      tokenRequests.push({ scope: url.searchParams.get('scope'), service: url.searchParams.get('service'), authorization: req.headers.authorization });
      const [, name = '', actions = ''] = (url.searchParams.get('scope') ?? '').split(':');
      const user = req.headers.authorization ? Buffer.from(req.headers.authorization.replace(/^Basic /, ''), 'base64').toString() : '';
      if (name === 'team/private' && user !== 'reader:s3cret') {
        res.writeHead(401).end('{"details":"credentials needed"}');
        return;
      }
      const now = Math.floor(Date.now() / 1000);
      const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] }));
      const claims = base64url(JSON.stringify({ iss: 'dockerlens-test', sub: user.split(':')[0] ?? '', aud: 'dockerlens-registry', exp: now + 600, nbf: now - 60, iat: now, jti: randomBytes(8).toString('hex'), access: [{ type: 'repository', name, actions: actions.split(',').filter((a) => a === 'pull') }] }));
      const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${header}.${claims}.${base64url(signature)}` }));
    });
    servers.push(tokenServer);
    await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
    const tokenHost = `127.0.0.1:${(tokenServer.address() as AddressInfo).port}`;
    execFileSync('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${open}/team/base:1`, `docker://${open}/team/private:1`], { stdio: 'pipe' });
    guarded = await startRegistry('guarded', storage, `auth:\n  token:\n    realm: http://${tokenHost}/token\n    service: dockerlens-registry\n    issuer: dockerlens-test\n    rootcertbundle: ${path.join(work, 'cert.pem')}\n`);
  });

  const ref = (host: string, repository: string, tag = '1'): RegistryReference => parseRegistryReference(`${host}/${repository}:${tag}`)!;

  it('follows a multi-platform index to each platform: exact compressed layer sizes, digests and history', async () => {
    const client = createRegistryClient({ insecure: [open] });
    const amd = await client.image(ref(open, 'team/multi'));
    assert.deepEqual(amd.layers.map((l) => l.size), [compressed['amd64']]);
    assert.match(amd.indexDigest!, /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(amd.digest, amd.indexDigest);
    assert.deepEqual(amd.history, [{ createdBy: 'ADD data.bin /', emptyLayer: false }, { createdBy: 'CMD ["x"]', emptyLayer: true }]);
    assert.equal(amd.diffIds.length, 1);
    const arm = await client.image(ref(open, 'team/multi'), 'linux/arm64');
    assert.deepEqual(arm.layers.map((l) => l.size), [compressed['arm64']]);
    assert.equal(arm.indexDigest, amd.indexDigest);
    // by digest, the platform manifest itself
    const pinned = await client.image(parseRegistryReference(`${open}/team/multi@${arm.digest}`)!);
    assert.deepEqual(pinned.layers, arm.layers);
    await assert.rejects(client.image(ref(open, 'team/multi'), 'linux/s390x'), /no linux\/s390x image in its index \(it has linux\/amd64, linux\/arm64\/v8\)/);
  });

  it('reads a Docker v2 manifest pushed from a docker save archive, and says which blobs a repository has', async () => {
    const client = createRegistryClient({ insecure: [open] });
    const image = await client.image(ref(open, 'team/base'));
    assert.ok(image.layers.length >= 1);
    for (const layer of image.layers) {
      assert.equal(await client.hasBlob(open, 'team/base', layer.digest), true);
      assert.equal(await client.hasBlob(open, 'team/empty', layer.digest), false);
    }
  });

  it('one plain line for what goes wrong: no such tag, plain HTTP without permission, nothing listening', async () => {
    const client = createRegistryClient({ insecure: [open] });
    await assert.rejects(client.image(ref(open, 'team/multi', 'missing')), new RegExp(`^Error: ${open.replace(/\./g, '\\.')}/team/multi:missing \\(${open.replace(/\./g, '\\.')}\\): no such manifest \\(404\\)$`));
    await assert.rejects(createRegistryClient().image(ref(open, 'team/multi')), /answers plain HTTP, not HTTPS \(a local registry: allow it with --insecure-registry\)/);
    const closed = `127.0.0.1:${await freePort()}`;
    await assert.rejects(createRegistryClient({ insecure: [closed] }).image(ref(closed, 'team/multi')), /connection refused/);
  });

  it('gets an anonymous bearer token through the WWW-Authenticate challenge, once per repository', async () => {
    tokenRequests = [];
    const client = createRegistryClient({ insecure: [guarded, ...tokenRealmHosts()] });
    const image = await client.image(ref(guarded, 'team/multi'));
    assert.deepEqual(image.layers.map((l) => l.size), [compressed['amd64']]);
    assert.equal(await client.hasBlob(guarded, 'team/multi', image.layers[0]!.digest), true);
    assert.deepEqual(tokenRequests.map((t) => [t.scope, t.service, t.authorization]), [['repository:team/multi:pull', 'dockerlens-registry', undefined]]);
  });

  it('uses credentials from a Docker config for a private repository, and never runs a credential helper', async () => {
    const home = path.join(work, 'docker-config');
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'config.json'), JSON.stringify({
      auths: { [guarded]: { auth: Buffer.from('reader:s3cret').toString('base64') } },
      credsStore: 'dockerlens-test-marker',
      credHelpers: { 'ghcr.io': 'dockerlens-test-marker' },
    }));
    const credentials = await readDockerCredentials({ DOCKER_CONFIG: home });
    assert.equal(credentials.notes.length, 2);
    assert.match(credentials.notes[0]!, /docker-credential-dockerlens-test-marker is configured; Dockerlens never runs it/);
    await assert.rejects(createRegistryClient({ insecure: [guarded, ...tokenRealmHosts()] }).image(ref(guarded, 'team/private')), /token service answered 401/);
    tokenRequests = [];
    const image = await createRegistryClient({ insecure: [guarded, ...tokenRealmHosts()], auth: credentials.auth }).image(ref(guarded, 'team/private'));
    assert.ok(image.layers.length >= 1);
    assert.equal(tokenRequests[0]!.authorization, `Basic ${Buffer.from('reader:s3cret').toString('base64')}`);
  });

  /** the token server's host: the realm is plain HTTP on loopback, allowed like the registry */
  function tokenRealmHosts(): string[] {
    return servers.map((s) => `127.0.0.1:${(s.address() as AddressInfo).port}`);
  }
});

describe('registry client deadlines', () => {
  it('a server that drips one byte at a time cannot stretch the deadline', async () => {
    const drip = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    });
    servers.push(drip);
    await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(drip.address() as AddressInfo).port}`;
    const client = createRegistryClient({ insecure: [host], deadlineMs: 300 });
    await assert.rejects(client.image(parseRegistryReference(`${host}/team/slow:1`)!), /no complete answer within 300 ms/);
  });

  it('parses references as the Docker CLI does', () => {
    assert.deepEqual(parseRegistryReference('debian'), { host: 'registry-1.docker.io', repository: 'library/debian', reference: 'latest', written: 'debian' });
    assert.deepEqual(parseRegistryReference('docker.io/library/node:22'), { host: 'registry-1.docker.io', repository: 'library/node', reference: '22', written: 'docker.io/library/node:22' });
    assert.equal(parseRegistryReference('ghcr.io/owner/app:1.2')!.host, 'ghcr.io');
    assert.equal(parseRegistryReference('localhost:5000/app')!.repository, 'app');
    assert.equal(parseRegistryReference('user/app')!.repository, 'user/app');
    assert.equal(parseRegistryReference('$BASE'), undefined);
    assert.equal(parseRegistryReference('app@sha256:nothex'), undefined);
  });
});
