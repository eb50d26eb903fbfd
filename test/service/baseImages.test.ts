import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import DATA from '../../server/src/service/data/base-images.json';
import { baseImageFigure, installedPackages, lookupBaseImage } from '../../server/src/service/sizes/baseImages';
import { parseImageReference } from '../../server/src/service/model/imageRef';
import type { SizeFigure } from '../../server/src/service/sizes/types';

const ref = (text: string) => parseImageReference(text, text);
const lookup = (text: string, platform?: string) => lookupBaseImage(ref(text), platform);
const families = DATA.families as Record<'debian' | 'alpine' | 'other', { median: number; min: number; max: number; n: number }>;

function consistent(figure: SizeFigure, what: string): void {
  assert.equal(figure.source, 'bundled', what);
  assert.ok(figure.bytes !== null && figure.low !== null && figure.high !== null && figure.compressed !== null, what);
  assert.ok(figure.low! <= figure.bytes! && figure.bytes! <= figure.high!, `${what}: ${figure.low} <= ${figure.bytes} <= ${figure.high}`);
  assert.ok(figure.compressed! > 0 && figure.bytes! >= figure.compressed!, what);
}

test('exact tag: node:22 with its recorded build, commit and date', () => {
  const info = lookup('node:22');
  assert.ok(info);
  assert.equal(info.key, 'node:22');
  assert.equal(info.match, 'exact');
  assert.equal(info.platform, 'linux/amd64');
  assert.equal(info.commit, '3179cb4');
  assert.equal(info.date, '2026-09-19');
  assert.equal(info.total.compressed, 408_499_334);
  assert.match(info.total.detail, /408,499,334 B compressed from docker-library\/repo-info \(3179cb4, 2026-09-19\)/);
});

test('aliases from the data: node:lts and node:krypton are node:24, debian:latest is trixie', () => {
  for (const alias of ['node:lts', 'node:krypton']) {
    const info = lookup(alias);
    assert.equal(info?.key, 'node:24', alias);
    assert.equal(info?.match, 'alias', alias);
  }
  assert.equal(lookup('node:latest')?.key, 'node:26');
  assert.equal(lookup('debian:latest')?.key, 'debian:trixie');
  assert.equal(lookup('alpine:3.24')?.key, 'alpine:latest');
});

test('Docker Hub prefixes are normalized to the official image', () => {
  for (const text of ['docker.io/library/node:22', 'docker.io/node:22', 'index.docker.io/library/node:22', 'library/node:22']) {
    const info = lookup(text);
    assert.equal(info?.key, 'node:22', text);
    assert.equal(info?.match, 'normalized', text);
    assert.equal(info?.total.compressed, 408_499_334, text);
  }
});

test('no tag means latest', () => {
  const info = lookup('alpine');
  assert.equal(info?.key, 'alpine:latest');
  assert.equal(info?.match, 'normalized');
  assert.equal(info?.total.compressed, 3_849_738);
  assert.equal(lookup('hello-world')?.key, 'hello-world:latest');
  assert.equal(lookup('node')?.key, 'node:26', 'node:latest is an alias of node:26');
});

test('digests: the index digest, a platform manifest digest, unknown digests', () => {
  const node22 = DATA.images['node:22'];
  const byIndex = lookup(`node@${node22.index}`);
  assert.equal(byIndex?.key, 'node:22');
  assert.equal(byIndex?.match, 'exact');
  assert.equal(byIndex?.platform, 'linux/amd64');

  // a platform manifest digest pins its platform whatever platform is asked for
  const arm = lookup(`node@${node22.platforms['linux/arm64/v8'].digest}`, 'linux/amd64');
  assert.equal(arm?.key, 'node:22');
  assert.equal(arm?.platform, 'linux/arm64/v8');
  assert.equal(arm?.total.compressed, 399_874_234);

  const unknown = `sha256:${'0'.repeat(64)}`;
  assert.equal(lookup(`node@${unknown}`), undefined);
  assert.equal(lookup(`python@${node22.index}`), undefined, 'a digest of another repository does not match');
  const pinned = lookup(`node:22@${unknown}`);
  assert.equal(pinned?.key, 'node:22');
  assert.equal(pinned?.match, 'variant');
  assert.match(pinned!.total.detail, /pinned digest .* is not the recorded build/);
});

test('linux/arm64 is linux/arm64/v8, with its own layers', () => {
  const a = lookup('node:22', 'linux/arm64');
  const b = lookup('node:22', 'linux/arm64/v8');
  assert.deepEqual(a, b);
  assert.equal(a?.platform, 'linux/arm64/v8');
  assert.equal(a?.total.compressed, 399_874_234);
  assert.notEqual(a?.layers[0].digest, lookup('node:22')?.layers[0].digest);
  assert.match(a!.layers[0].createdBy!, /--arch 'arm64'/);
  assert.match(a!.layers[0].size.detail, /measured for node:22 on linux\/amd64/);
});

test('a platform the data lacks falls back to linux/amd64 and says so', () => {
  const docker = lookup('docker:latest', 'linux/arm64');
  assert.ok(docker);
  assert.equal(docker.platform, 'linux/amd64');
  assert.match(docker.total.detail, /linux\/arm64\/v8 is not in the bundled data for docker:latest; figures are for linux\/amd64/);
  assert.match(docker.layers[0].size.detail, /figures are for linux\/amd64/);
  assert.ok(docker.note);

  const s390 = lookup('node:22', 'linux/s390x');
  assert.equal(s390?.platform, 'linux/amd64');
  assert.equal(s390?.total.compressed, 408_499_334);
  assert.match(s390!.total.detail, /linux\/s390x is not in the bundled data/);
  assert.equal(lookup('node:22')?.note, undefined, 'no note when nothing was substituted');
});

test('variants one step from a recorded tag, justified by the data', () => {
  const cases: [string, string, RegExp][] = [
    ['node:22-bookworm', 'node:22', /built on Debian bookworm/],
    ['node:22-bookworm-slim', 'node:22-slim', /built on Debian bookworm/],
    ['python:3.14-slim-trixie', 'python:3.14-slim', /built on Debian trixie/],
    ['python:3.14-trixie', 'python:3.14', /built on Debian trixie/],
    ['node:22-alpine3.24', 'node:22-alpine', /built on Alpine 3\.24\.2/],
    ['node:22.23.2-slim', 'node:22-slim', /recorded build is version 22\.23\.2/],
    ['golang:1.27.1', 'golang:1.27', /recorded build is version 1\.27\.1/],
    ['nginx:1.31.6-alpine', 'nginx:alpine', /version 1\.31\.6/],
    ['ubuntu:jammy', 'ubuntu:22.04', /built on Ubuntu 22\.04/],
    ['node:lts-bookworm', 'node:24', /built on Debian bookworm/],
  ];
  for (const [text, key, why] of cases) {
    const info = lookup(text);
    assert.equal(info?.key, key, text);
    assert.equal(info?.match, 'variant', text);
    assert.match(info!.total.detail, new RegExp(`${text.replace(/\./g, '\\.')} is not in the bundled data; using ${key.replace(/\./g, '\\.')}`), text);
    assert.match(info!.total.detail, why, text);
  }
});

test('variants stay conservative: a different release or version is not the same image', () => {
  for (const text of ['node:22-trixie', 'node:22.23.9', 'node:22.23', 'golang:bookworm', 'node:22-alpine3.23', 'python:3.14.7-alpine3.24', 'redis:8']) {
    assert.equal(lookup(text), undefined, text);
  }
});

test('unknown tags: undefined, and an unknown figure that says why', () => {
  assert.equal(lookup('node:99'), undefined);
  const figure = baseImageFigure(ref('node:99'));
  assert.equal(figure.source, 'unknown');
  assert.equal(figure.bytes, null);
  assert.equal(figure.compressed, null);
  assert.match(figure.detail, /^node:99 is not in the bundled data \(60 official images, 95 tags, mid-2026\); its size is not known/);
  assert.match(figure.detail, /Bundled node tags: 22, 22-alpine/);
  assert.match(baseImageFigure(ref('nosuchimage:1')).detail, /^nosuchimage:1 is not in the bundled data/);
});

test('other registries and non-official Hub images are not in the data', () => {
  for (const text of ['ghcr.io/acme/node:22', 'localhost:5000/node:22', 'quay.io/library/node:22']) {
    assert.equal(lookup(text), undefined, text);
    assert.equal(installedPackages(ref(text)), undefined, text);
  }
  assert.equal(baseImageFigure(ref('ghcr.io/acme/node:22')).source, 'unknown');
  assert.match(baseImageFigure(ref('ghcr.io/acme/node:22')).detail, /^images from ghcr\.io are not in the bundled data/);
  assert.match(baseImageFigure(ref('localhost:5000/node:22')).detail, /^images from localhost:5000 are not/);
  assert.equal(lookup('bitnami/redis:latest'), undefined);
  assert.match(baseImageFigure(ref('bitnami/redis:latest')).detail, /not a Docker official image/);
});

test('on-disk size from the measured ratio: debian:bookworm ≈ 116.6 MB', () => {
  const figure = baseImageFigure(ref('debian:bookworm'));
  consistent(figure, 'debian:bookworm');
  assert.equal(figure.compressed, 48_497_091);
  assert.ok(Math.abs(figure.bytes! - 116.6e6) / 116.6e6 < 0.01, `${figure.bytes}`);
  const layer = lookup('debian:bookworm')!.layers[0];
  assert.ok(Math.abs(layer.size.bytes! / layer.size.compressed! - 2.40) < 0.01);
  assert.match(layer.size.detail, /^compressed 48,497,091 B from docker-library\/repo-info \(05f354f, 2026-08-04\); on disk ≈ 2\.40× measured for debian:bookworm/);
});

test('a tag without a measurement uses its family median, with the family range', () => {
  const info = lookup('python:3.14');
  assert.ok(info);
  const { median, min, max, n } = families.debian;
  assert.ok(median > 2.3 && median < 2.9 && min < median && median < max && n >= 10);
  for (const layer of info.layers) {
    const c = layer.size.compressed!;
    assert.equal(layer.size.bytes, Math.round(c * median));
    assert.equal(layer.size.low, Math.round(c * min));
    assert.equal(layer.size.high, Math.round(c * max));
    assert.match(layer.size.detail, new RegExp(`median of ${n} measured Debian/Ubuntu-based images, range ${min.toFixed(2)}–${max.toFixed(2)}×`));
  }
  consistent(info.total, 'python:3.14');
  const alpineBased = lookup('golang:alpine')!;
  assert.match(alpineBased.layers[0].size.detail, /measured Alpine-based images/);
  assert.equal(alpineBased.layers[0].size.bytes, Math.round(alpineBased.layers[0].size.compressed! * families.alpine.median));
});

test('a measurement of the very same build gives a tight total', () => {
  const slim = baseImageFigure(ref('node:22-slim'));
  assert.equal(slim.bytes, 227_340_000);
  assert.ok(slim.high! - slim.low! <= 20_000);
  assert.match(slim.detail, /measured for this build/);
  const alpine = baseImageFigure(ref('node:22-alpine'));
  assert.ok(Math.abs(alpine.bytes! - 167.4e6) < 1e5);
  assert.equal(alpine.compressed, 60_697_390);
});

test('node:22: eight layers mapped to the history lines that made them', () => {
  const info = lookup('node:22')!;
  assert.deepEqual(
    info.layers.map((l) => l.size.compressed),
    [48_503_440, 24_056_077, 64_424_271, 211_707_818, 3_321, 58_553_286, 1_250_675, 446],
  );
  const made = info.layers.map((l) => l.createdBy ?? '');
  assert.match(made[0], /^RUN # debian\.sh --arch 'amd64' out\/ 'bookworm'/);
  assert.match(made[1], /^RUN set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl/);
  assert.match(made[4], /^RUN groupadd --gid 1000 node/);
  assert.match(made[5], /^RUN ARCH= && dpkgArch=/);
  assert.match(made[7], /^COPY docker-entrypoint\.sh \/usr\/local\/bin\/$/);
  assert.ok(made.every((line) => /^(RUN|COPY|ADD) /.test(line) && line.length <= 160 && !line.includes('# buildkit')));
  assert.equal(info.layers.reduce((s, l) => s + l.size.compressed!, 0), info.total.compressed);
  assert.ok(info.layers.every((l) => /^[0-9a-f]{12}$/.test(l.digest)));
});

test('WORKDIR layers and rockcraft config steps map the way the layer counts say', () => {
  const golang = lookup('golang:1.27')!;
  assert.equal(golang.layers.length, 7);
  assert.equal(golang.layers[6].createdBy, 'WORKDIR /go');
  assert.equal(golang.layers[6].size.compressed, 32);
  const ubuntu = lookup('ubuntu:26.04')!;
  assert.equal(ubuntu.layers.length, 2);
  assert.ok(ubuntu.layers.every((l) => l.createdBy?.startsWith('RUN umoci raw add-layer')));
});

test('installed packages: dpkg for debian:bookworm, apk for Alpine tags', () => {
  const debian = installedPackages(ref('debian:bookworm'));
  assert.ok(debian);
  assert.equal(debian.manager, 'dpkg');
  assert.equal(debian.from, 'debian:bookworm');
  assert.equal(debian.lowerBound, false);
  assert.equal(debian.packages.size, 88);
  for (const name of ['apt', 'bash', 'dpkg', 'libc6', 'coreutils']) assert.ok(debian.packages.has(name), name);
  assert.ok(!debian.packages.has('curl'), 'debian:bookworm has no curl');

  const alpine = installedPackages(ref('alpine:3.23'));
  assert.ok(alpine);
  assert.equal(alpine.manager, 'apk');
  assert.equal(alpine.from, 'alpine:3.23.6');
  for (const name of ['musl', 'busybox', 'apk-tools']) assert.ok(alpine.packages.has(name), name);

  assert.deepEqual(lookup('debian:bookworm')!.installed, debian);
  assert.ok(installedPackages(ref('node:22'))!.packages.has('build-essential') === false);
  assert.ok(installedPackages(ref('node:22'))!.packages.has('gcc'));
});

test('installed packages from the bottom layer\'s OS release are a lower bound', () => {
  const python = installedPackages(ref('python:3.14'));
  assert.equal(python?.manager, 'dpkg');
  assert.equal(python?.from, 'debian:trixie');
  assert.equal(python?.lowerBound, true);
  assert.ok(python?.packages.has('apt'));

  const nodeAlpine = installedPackages(ref('node:22-alpine'));
  assert.equal(nodeAlpine?.manager, 'apk');
  assert.equal(nodeAlpine?.from, 'alpine:3.24.2');
  assert.equal(nodeAlpine?.lowerBound, true);
  assert.ok(nodeAlpine?.packages.has('musl'));

  assert.equal(installedPackages(ref('mariadb:latest'))?.from, 'ubuntu:24.04');
  assert.equal(installedPackages(ref('busybox:musl')), undefined, 'busybox is not an Alpine rootfs');
  assert.equal(installedPackages(ref('hello-world')), undefined);
});

test('tags with only a package list: installed names and the measured on-disk size', () => {
  const slim = installedPackages(ref('python:3.12-slim'));
  assert.equal(slim?.manager, 'dpkg');
  assert.equal(slim?.from, 'python:3.12-slim');
  assert.equal(lookup('python:3.12-slim'), undefined);
  const figure = baseImageFigure(ref('python:3.12-slim'));
  assert.equal(figure.source, 'bundled');
  assert.equal(figure.bytes, 119_200_000);
  assert.equal(figure.compressed, null);
  assert.match(figure.detail, /compressed layers are not in the bundled data/);
  assert.equal(installedPackages(ref('node:24-alpine3.24'))?.manager, 'apk');
});

test('every bundled entry and platform gives consistent figures', () => {
  for (const key of Object.keys(DATA.images)) {
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const info = lookup(key, platform);
      assert.ok(info, key);
      assert.equal(info.key, key);
      consistent(info.total, `${key} ${platform}`);
      for (const layer of info.layers) consistent(layer.size, `${key} ${platform} layer`);
      assert.equal(info.layers.reduce((s, l) => s + l.size.compressed!, 0), info.total.compressed);
    }
  }
});

test('the generator is deterministic and the committed table is current', (t) => {
  const root = resolve(__dirname, '../../..');
  const shared = resolve(root, '../shared/data');
  const script = join(root, 'scripts/build-base-images.mjs');
  if (!existsSync(join(shared, 'base-images.json'))) {
    t.skip('../shared/data is not present');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dockerlens-base-'));
  try {
    const env = { ...process.env, SOURCE_DATE_EPOCH: '1780000000' };
    const run = (out: string) => execFileSync(process.execPath, [script, shared, '--out', out], { env, encoding: 'utf8' });
    run(join(dir, 'a.json'));
    run(join(dir, 'b.json'));
    const a = readFileSync(join(dir, 'a.json'));
    assert.ok(a.equals(readFileSync(join(dir, 'b.json'))));
    assert.ok(a.length < 250_000, `${a.length} bytes`);
    // without SOURCE_DATE_EPOCH, regenerating over the committed file keeps it byte for byte
    const committed = join(root, 'server/src/service/data/base-images.json');
    copyFileSync(committed, join(dir, 'c.json'));
    execFileSync(process.execPath, [script, shared, '--out', join(dir, 'c.json')], { encoding: 'utf8' });
    assert.ok(readFileSync(join(dir, 'c.json')).equals(readFileSync(committed)), 'the committed base-images.json is out of date');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
