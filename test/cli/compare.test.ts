/**
 * `dockerlens compare` offline: a real `docker save` archive checked in beside its Dockerfile
 * (test/fixtures/compare/scratch-image, built FROM scratch by Docker Engine 20.10 with BuildKit),
 * archives the test writes itself in each form the readers accept (docker save with linked
 * layers, OCI layout folder and tar, gzip layers), and the Engine API client against a fake engine
 * on a unix socket. No engine, no network.
 */
import { createServer, type Server } from 'node:http';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020';
import { runCli } from '../../server/src/cli';
import type { CompareReport } from '../../server/src/cli/compare';
import { readImageArchive } from '../../server/src/images/archiveImage';
import { createEngine, describeSocketError, engineSocket } from '../../server/src/images/engine';
import { tarArchive } from '../../bench/accuracy/fixtures';
import { tarEntries } from '../../server/src/service/sizes/archive';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/compare/scratch-image');
const validate = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/compare.schema.json'), 'utf8')) as object);

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-compare-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

async function compare(args: string[]): Promise<CompareReport> {
  const result = await runCli(['compare', ...args, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as CompareReport;
  assert.ok(validate(report), JSON.stringify(validate.errors?.slice(0, 3)));
  return report;
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** One layer's tar with files of the given sizes. */
function layer(files: Record<string, number>): Buffer {
  return tarArchive([{ name: 'app' }, ...Object.entries(files).map(([name, size]) => ({ name: `app/${name}`, data: Buffer.alloc(size, 0x61) }))]);
}

const HISTORY = [
  { created_by: '', comment: 'Imported from -' },
  { created_by: 'WORKDIR /app', comment: 'buildkit.dockerfile.v0' },
  { created_by: 'RUN /bin/sh -c echo hi > greeting # buildkit', comment: 'buildkit.dockerfile.v0' },
  { created_by: 'COPY a.txt ./ # buildkit', comment: 'buildkit.dockerfile.v0' },
  { created_by: 'CMD ["sh"]', comment: 'buildkit.dockerfile.v0', empty_layer: true },
];
const DOCKERFILE = 'FROM busybox:latest\nWORKDIR /app\nRUN echo hi > greeting\nCOPY a.txt ./\nCMD ["sh"]\n';

function config(layers: Buffer[]): Buffer {
  return Buffer.from(JSON.stringify({ created: '2026-11-26T09:00:00Z', os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${sha(l)}`) }, history: HISTORY }));
}

const LAYERS = [layer({ 'bin-busybox': 2000 }), layer({}), layer({ greeting: 3 }), layer({ 'a.txt': 6 })];

describe('dockerlens compare, offline', () => {
  it('a real docker save archive: aligned, sizes layer by layer, what rebuilds', async () => {
    const dir = path.join(tmp, 'scratch-image');
    cpSync(FIXTURE, dir, { recursive: true }); // fresh copies: every file is newer than the image
    const report = await compare([path.join(dir, 'Dockerfile'), '--image', path.join(dir, 'image.tar')]);
    assert.equal(report.image.source, 'docker-save');
    assert.equal(report.image.name, 'dockerlens-fixture/scratch-image:1.0');
    assert.equal(report.image.id, 'sha256:b55c2c7b49ea6e35558d25c3c47069b7242a4149e14f942096e176c3d72a40e3');
    assert.deepEqual([report.alignment.verdict, report.alignment.baseEntries, report.alignment.problems], ['aligned', 0, []]);
    const rows = report.rows.map((r) => [r.keyword, r.layer, r.actual?.bytes, r.predicted?.bytes, r.match]);
    assert.deepEqual(rows, [
      ['WORKDIR', 1, 0, 32, 'same'],
      ['COPY', 2, 18, 18, 'same'],
      ['COPY', 3, 4055, 4055, 'same'],
      ['WORKDIR', null, 0, 0, 'same'],
    ]);
    // The copies are newer than the build: their COPY steps rebuild; the WORKDIR below is reused.
    assert.deepEqual(report.rows.map((r) => r.reused), [true, false, false, null]);
    assert.equal(report.rows[1]!.reason, 'a.txt changed');
    assert.equal(report.total.actual.bytes, 18 + 4055);
    assert.deepEqual(report.estimatorErrors, [{ estimator: 'workdir', predicted: 32, actual: 0 }]);
    for (const [what, breakIt] of [
      ['an unknown match', (o: any) => (o.rows[0].match = 'maybe')],
      ['an unknown verdict', (o: any) => (o.alignment.verdict = 'close')],
      ['negative actual bytes', (o: any) => (o.rows[1].actual.bytes = -1)],
    ] as Array<[string, (o: any) => void]>) {
      const copy = structuredClone(report);
      breakIt(copy);
      assert.equal(validate(copy), false, what);
    }

    const text = await runCli(['compare', path.join(dir, 'Dockerfile'), '--image', path.join(dir, 'image.tar')]);
    assert.match(text.stdout, /Dockerfile vs dockerlens-fixture\/scratch-image:1\.0 \(docker-save, built 2026-11-26 09:06\)/);
    assert.match(text.stdout, /COPY a\.txt b\.txt \.\/ +18 B +exact +18 B +0 B +rebuilds: a\.txt changed/);
    assert.match(text.stdout, /Did not align: nothing/);
    assert.doesNotMatch(text.stdout, /base image was not checked/, 'FROM scratch has no base to check');
  });

  it('the same image as Docker 20.10 saves it (linked layers), as an OCI layout folder and as an OCI tar', async () => {
    // docker save: identical layers are stored once and linked
    const save = path.join(tmp, 'save.tar');
    const ids = LAYERS.map(sha);
    const emptyTwin = tarArchive([{ name: 'app' }]);
    const cfg = config(LAYERS);
    writeFileSync(save, tarArchive([
      ...LAYERS.flatMap((l, i) => [{ name: `${ids[i]}` }, i === 1 ? { name: `${ids[i]}/layer.tar`, link: `../${ids[1]}-twin/layer.tar` } : { name: `${ids[i]}/layer.tar`, data: l }]),
      { name: `${ids[1]}-twin` },
      { name: `${ids[1]}-twin/layer.tar`, data: emptyTwin },
      { name: `${sha(cfg)}.json`, data: cfg },
      { name: 'manifest.json', data: Buffer.from(JSON.stringify([{ Config: `${sha(cfg)}.json`, RepoTags: ['app:1.0'], Layers: ids.map((id) => `${id}/layer.tar`) }])) },
    ]));
    const fromSave = await readImageArchive(save);
    assert.deepEqual(fromSave.layers.map((l) => [l.size, l.compressed]), [[2000, null], [0, null], [3, null], [6, null]]);
    assert.deepEqual(fromSave.history.map((h) => h.layer), [0, 1, 2, 3, null]);
    assert.equal(fromSave.id, `sha256:${sha(cfg)}`);

    // OCI layout: gzip blobs, compressed sizes from the descriptors' blobs
    const layout = path.join(tmp, 'oci');
    const blobs = path.join(layout, 'blobs', 'sha256');
    mkdirSync(blobs, { recursive: true });
    const put = (data: Buffer) => {
      writeFileSync(path.join(blobs, sha(data)), data);
      return { digest: `sha256:${sha(data)}`, size: data.length };
    };
    const gz = LAYERS.map((l) => gzipSync(l));
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...put(cfg) },
      layers: gz.map((g) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...put(g) })),
    }));
    const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...put(manifest), annotations: { 'org.opencontainers.image.ref.name': 'app:1.0' } }] };
    writeFileSync(path.join(layout, 'index.json'), JSON.stringify(index));
    writeFileSync(path.join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    const fromLayout = await readImageArchive(layout);
    assert.deepEqual(fromLayout.layers.map((l) => [l.size, l.compressed]), gz.map((g, i) => [[2000, 0, 3, 6][i], g.length]));
    assert.equal(fromLayout.source, 'oci-layout');
    assert.equal(fromLayout.name, 'app:1.0');

    const ociTar = path.join(tmp, 'oci.tar');
    writeFileSync(ociTar, tarArchive([
      { name: 'oci-layout', data: readFileSync(path.join(layout, 'oci-layout')) },
      { name: 'index.json', data: readFileSync(path.join(layout, 'index.json')) },
      { name: 'blobs' }, { name: 'blobs/sha256' },
      ...[cfg, manifest, ...gz].map((data) => ({ name: `blobs/sha256/${sha(data)}`, data })),
    ]));
    assert.deepEqual((await readImageArchive(ociTar)).layers, fromLayout.layers);

    // The whole command on the layout: the base row sums the base's layers
    const context = path.join(tmp, 'ctx');
    mkdirSync(context);
    writeFileSync(path.join(context, 'Dockerfile'), DOCKERFILE);
    writeFileSync(path.join(context, 'a.txt'), 'alpha\n');
    const report = await compare([path.join(context, 'Dockerfile'), '--image', layout]);
    assert.deepEqual(report.rows.map((r) => [r.kind, r.keyword, r.actual?.bytes, r.actual?.compressed === gz[report.rows.indexOf(r)]?.length]), [
      ['base', 'FROM', 2000, true], ['layer', 'WORKDIR', 0, true], ['layer', 'RUN', 3, true], ['layer', 'COPY', 6, true],
    ]);
    assert.equal(report.alignment.verdict, 'aligned');
  });

  it('picks the named image of an archive holding several, and says what is wrong in one line', async () => {
    const cfg = config(LAYERS);
    const multi = path.join(tmp, 'multi.tar');
    const ids = LAYERS.map(sha);
    writeFileSync(multi, tarArchive([
      ...LAYERS.flatMap((l, i) => [{ name: ids[i]! }, { name: `${ids[i]}/layer.tar`, data: l }]),
      { name: `${sha(cfg)}.json`, data: cfg },
      { name: 'manifest.json', data: Buffer.from(JSON.stringify([
        { Config: `${sha(cfg)}.json`, RepoTags: ['other:2'], Layers: ids.slice(0, 1).map((id) => `${id}/layer.tar`) },
        { Config: `${sha(cfg)}.json`, RepoTags: ['docker.io/library/app:latest'], Layers: ids.map((id) => `${id}/layer.tar`) },
      ])) },
    ]));
    assert.equal((await readImageArchive(multi, { reference: 'app' })).layers.length, 4);
    await assert.rejects(readImageArchive(multi, { reference: 'nope:1' }), /nope:1 is not in multi\.tar \(it holds other:2, docker\.io\/library\/app:latest\)/);
    const first = await readImageArchive(multi);
    assert.match(first.notes.join('\n'), /holds 2 images: the first one was read/);

    const three = tarArchive([0, 1, 2].map((i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    const inMemory = async (_p: string, offset: number, length: number) => three.subarray(offset, offset + length);
    assert.deepEqual((await tarEntries(inMemory, { path: 'three.tar', size: three.length, kind: 'file' })).map((e) => [e.name, e.size, three.subarray(e.offset, e.offset + 1).toString()]), [['f0', 1, 'x'], ['f1', 1, 'x'], ['f2', 1, 'x']]);
    await assert.rejects(tarEntries(inMemory, { path: 'three.tar', size: three.length, kind: 'file' }, 2), /three\.tar has more than 2 entries/);

    const notArchive = path.join(tmp, 'plain.txt');
    writeFileSync(notArchive, 'hello\n');
    const dockerfile = path.join(FIXTURE, 'Dockerfile');
    const refused = await runCli(['compare', dockerfile, '--image', notArchive]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^Cannot read the image .*plain\.txt: plain\.txt is not a tar archive: not an image archive$/);
    const noImage = await runCli(['compare', dockerfile]);
    assert.equal(noImage.code, 2);
    assert.match(noImage.stderr, /^Which image\? Give --image <reference\|path>\./);
  });
});

describe('the Engine API client', () => {
  let server: Server;
  let socket: string;
  const calls: string[] = [];
  before(async () => {
    socket = path.join(tmp, 'engine.sock');
    const routes: Record<string, unknown> = {
      '/version': { Version: '20.10.24' },
      '/images/json': [{ Id: 'sha256:1', RepoTags: ['app:test'], Created: 1795683735, Size: 6009 }, { Id: 'sha256:2', RepoTags: ['<none>:<none>'], Created: 1, Size: 1 }],
      '/images/app%3Atest/json': { Id: 'sha256:1', Created: '2026-11-26T09:00:00Z', Os: 'linux', Architecture: 'amd64', RootFS: { Layers: ['sha256:a', 'sha256:b', 'sha256:c', 'sha256:d'] } },
      '/images/app%3Atest/history': [
        { CreatedBy: 'CMD ["sh"]', Size: 0, Created: 1795683735 },
        { CreatedBy: 'COPY a.txt ./ # buildkit', Size: 6, Created: 1795683735 },
        { CreatedBy: 'RUN /bin/sh -c echo hi > greeting # buildkit', Size: 3, Created: 1795683734 },
        { CreatedBy: 'WORKDIR /app', Size: 0, Created: 1795683734 },
        { CreatedBy: '', Size: 2000, Created: 1795683700 },
      ],
    };
    server = createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      if (req.url?.startsWith('/events?')) {
        // two events, a line that is no event, then the engine goes away
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`${JSON.stringify({ Type: 'image', Action: 'tag', id: 'sha256:1', Actor: { ID: 'sha256:1', Attributes: { name: 'app:test' } } })}\n{"Type":"image","Act`);
        res.end(`ion":"untag","id":"sha256:2"}\nnot json\n`);
        return;
      }
      const body = routes[req.url ?? ''];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { message: `No such image: ${decodeURIComponent(req.url ?? '')}` }));
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads images, history and layer ids with GET requests only', async () => {
    const engine = createEngine(socket);
    assert.equal(await engine.ping(), '20.10.24');
    assert.deepEqual((await engine.images()).map((i) => i.tags), [['app:test'], []]);
    const image = await engine.image('app:test');
    assert.deepEqual(image.layers.map((l) => [l.diffId, l.size]), [['sha256:a', 2000], ['sha256:b', 0], ['sha256:c', 3], ['sha256:d', 6]]);
    assert.equal(image.source, 'engine');
    assert.equal(await engine.diffIds('missing:1'), undefined);
    await assert.rejects(engine.image('missing:1'), /^Error: the engine has no image missing:1$/);
    assert.ok(calls.every((c) => c.startsWith('GET ')));
  });

  it('follows image events (a build tags an image) until the stream ends', async () => {
    const names: string[] = [];
    const ended = await new Promise<string>((resolve) => createEngine(socket).watchImages((name) => names.push(name), resolve));
    assert.deepEqual(names, ['app:test', 'sha256:2']);
    assert.equal(ended, 'the engine closed the event stream');
    assert.ok(calls.some((c) => c === `GET /events?filters=${encodeURIComponent('{"type":["image"]}')}`));
  });

  it('compare against the engine: one command, the same rows as from an archive', async () => {
    const context = path.join(tmp, 'engine-ctx');
    mkdirSync(context, { recursive: true });
    writeFileSync(path.join(context, 'Dockerfile'), DOCKERFILE);
    writeFileSync(path.join(context, 'a.txt'), 'alpha\n');
    const saved = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = `unix://${socket}`;
    try {
      const report = await compare([path.join(context, 'Dockerfile'), '--image', 'app:test']);
      assert.equal(report.image.source, 'engine');
      assert.deepEqual(report.rows.map((r) => [r.keyword, r.actual?.bytes]), [['FROM', 2000], ['WORKDIR', 0], ['RUN', 3], ['COPY', 6]]);
      assert.match(report.notes.join('\n'), /the engine has no image busybox:latest: the base is taken as unchanged/);
      process.env['DOCKER_HOST'] = `unix://${path.join(tmp, 'no-such.sock')}`;
      const missing = await runCli(['compare', path.join(context, 'Dockerfile'), '--image', 'app:test']);
      assert.equal(missing.code, 2);
      assert.equal(missing.stderr, `Cannot read the image app:test: no Docker engine: no socket at ${path.join(tmp, 'no-such.sock')}`);
    } finally {
      if (saved === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = saved;
    }
  });

  it('no engine, a remote engine, no permission: one plain line each', () => {
    assert.deepEqual(engineSocket({ DOCKER_HOST: 'tcp://10.0.0.1:2375' }), { problem: 'DOCKER_HOST is tcp://10.0.0.1:2375: only a local unix socket is read (no TCP or SSH engines)' });
    assert.deepEqual(engineSocket({}, () => false), { problem: 'no Docker engine: no socket at /var/run/docker.sock' });
    assert.deepEqual(engineSocket({ XDG_RUNTIME_DIR: '/run/user/1000' }, (p) => p.includes('podman')), { socket: '/run/user/1000/podman/podman.sock' });
    const error = (code: string) => Object.assign(new Error('x'), { code });
    assert.equal(describeSocketError(error('EACCES'), '/var/run/docker.sock').message, 'no permission to use the Docker engine at /var/run/docker.sock (is your user in the docker group?)');
    assert.equal(describeSocketError(error('ECONNREFUSED'), '/s').message, 'nothing answers on /s: the Docker engine is not running');
  });
});
