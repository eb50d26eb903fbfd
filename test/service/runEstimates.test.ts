import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/service';
import { estimateRun, type RunContext } from '../../server/src/service/sizes/run';
import { ALPINE_BASE_PACKAGES } from '../../server/src/service/sizes/apk';
import { combineParts } from '../../server/src/service/sizes/combine';
import { exactSize, unknownSize } from '../../server/src/service/sizes/types';
import { instr } from '../modelQueries';

const MB = 1e6;

function run(body: string, context: RunContext = { installedApk: ALPINE_BASE_PACKAGES }, base = 'alpine:3.20') {
  const model = analyzeDockerfile(`FROM ${base}\n${body}\n`);
  return estimateRun(instr(model, 0, 'RUN'), context);
}

test('apk add: table sizes plus a dependency allowance, with a range around it', () => {
  const { size, parts } = run('RUN apk add --no-cache git');
  assert.deepEqual(parts.map((p) => p.estimator), ['apk']);
  const git = 7031808;
  assert.equal(size.source, 'estimate');
  assert.ok(size.low! >= git && size.low! < git * 1.1, `low ${size.low}`);
  assert.ok(size.bytes! > git * 1.4 && size.bytes! < git * 1.8, `best ${size.bytes}`);
  assert.ok(size.high! > git * 3);
  assert.match(size.detail, /apk adds 1 requested package \(git\)/);
});

test('apk add without --no-cache keeps the index; removing /var/cache/apk in the same RUN drops it', () => {
  const kept = run('RUN apk add curl');
  const removed = run('RUN apk add curl && rm -rf /var/cache/apk/*');
  assert.ok(kept.size.bytes! - removed.size.bytes! > 2 * MB);
  assert.ok(kept.parts[0]!.notes.some((n) => /--no-cache/.test(n)));
});

test('apk: packages already in the base cost nothing; virtual groups deleted in the same RUN leave nothing', () => {
  const base = run('RUN apk add --no-cache musl busybox');
  assert.equal(base.size.bytes, 0);
  const virtual = run('RUN apk add --no-cache --virtual .build gcc musl-dev && make && apk del .build');
  const apk = virtual.parts.find((p) => p.estimator === 'apk')!;
  assert.ok(apk.size.bytes! < MB, `gcc should be gone: ${apk.size.bytes}`);
});

test('apk: a package missing from the table is guessed with a wide range and named', () => {
  const { parts } = run('RUN apk add --no-cache some-unknown-pkg');
  assert.ok(parts[0]!.notes.some((n) => n.includes('some-unknown-pkg')));
  assert.ok(parts[0]!.size.high! > 20 * MB);
});

test('pip: per-package estimate, cache counted unless --no-cache-dir or a cache mount', () => {
  const cached = run('RUN pip install flask requests', {}, 'python:3.12');
  const noCache = run('RUN pip install --no-cache-dir flask requests', {}, 'python:3.12');
  const mounted = run('RUN --mount=type=cache,target=/root/.cache/pip pip install flask requests', {}, 'python:3.12');
  assert.deepEqual(cached.parts.map((p) => p.estimator), ['pip']);
  assert.ok(cached.size.bytes! > noCache.size.bytes!);
  assert.equal(mounted.size.bytes, noCache.size.bytes);
  assert.match(noCache.size.detail, /pip installs flask, requests/);
  assert.ok(run('RUN python3 -m pip install -r requirements.txt --no-cache-dir', {}, 'python:3.12').size.bytes! > 10 * MB);
});

test('pip: a cache removed by the same RUN (rm of the folder or its parent, ~ or $HOME, pip cache purge) is not in the layer', () => {
  const noCache = run('RUN pip install --no-cache-dir flask requests', {}, 'python:3.12');
  for (const cleanup of ['rm -rf /root/.cache/pip', 'rm -rf ~/.cache/pip', 'rm -rf $HOME/.cache', 'rm -rf /root/.cache/*', 'pip cache purge']) {
    const cleaned = run(`RUN pip install flask requests && ${cleanup}`, {}, 'python:3.12');
    assert.equal(cleaned.size.bytes, noCache.size.bytes, cleanup);
    assert.ok(!cleaned.parts[0]!.notes.some((n) => n.startsWith("pip's download cache stays")), cleanup);
    assert.deepEqual(cleaned.parts[0]!.breakdown?.removed?.map((e) => [e.name, e.flags]), [['/root/.cache/pip', ['removed-here']]], cleanup);
  }
  const other = run('RUN pip install flask requests && rm -rf /tmp/build /root/.cache/pip-tools', {}, 'python:3.12');
  assert.ok(other.size.bytes! > noCache.size.bytes!, 'other folders leave the cache in place');
  assert.ok(other.parts[0]!.notes.some((n) => n.startsWith("pip's download cache stays")));
});

test('npm ci keeps its cache unless cleaned in the same RUN or mounted', () => {
  const kept = run('RUN npm ci', {}, 'node:22');
  const cleaned = run('RUN npm ci && npm cache clean --force', {}, 'node:22');
  const mounted = run('RUN --mount=type=cache,target=/root/.npm npm ci', {}, 'node:22');
  assert.ok(kept.size.bytes! > cleaned.size.bytes!);
  assert.equal(mounted.size.bytes, cleaned.size.bytes);
  assert.ok(kept.parts[0]!.notes.some((n) => n.includes('/root/.npm')));
});

test('a download is unknown, says why and is named; beside known parts the figure is partial', () => {
  const { size, parts } = run('RUN curl -fsSL https://example.com/tool.tgz | tar xz -C /usr/local');
  assert.deepEqual(parts.map((p) => p.estimator), ['download'], 'tar unpacks the download: no second unknown part');
  assert.equal(size.source, 'unknown');
  assert.match(size.detail, /known only once fetched/);
  assert.deepEqual(size.unknownParts?.map((u) => u.what), ['download https://example.com/tool.tgz']);
  const mixed = run('RUN apk add --no-cache git && curl -o /x https://example.com/x');
  assert.equal(mixed.size.source, 'partial');
  assert.equal(mixed.size.high, null);
  assert.ok(mixed.size.bytes! > 7 * MB, 'the known part is kept as the floor');
  assert.deepEqual(mixed.size.unknownParts?.map((u) => u.what), ['download https://example.com/x']);
});

test('downloads whatever the URL looks like: a variable, wget, git clone; never a few kB', () => {
  for (const body of [
    'RUN curl -fsSL "$URL" -o /tmp/x.tgz && tar -xzf /tmp/x.tgz -C /opt',
    'RUN wget -q ${DOWNLOAD_URL} && unzip app.zip',
    'RUN git clone --depth 1 https://github.com/x/y /src',
  ]) {
    const { size, parts } = run(body);
    assert.deepEqual(parts.map((p) => p.estimator), ['download'], body);
    assert.equal(size.bytes, null, body);
    assert.equal(size.unknownParts?.length, 1, body);
  }
});

test('a signing key fetched into apt-key or gpg is a few kB, with the range measured on Debian keyrings', () => {
  const key = run('RUN curl -fsSL https://download.docker.com/linux/debian/gpg | apt-key add -', {}, 'debian:bookworm');
  assert.equal(key.size.source, 'estimate');
  assert.ok(key.size.low! >= 100 && key.size.high! <= 100e3, `${key.size.low}–${key.size.high}`);
  const both = run('RUN wget -qO- https://example.com/key.asc | gpg --dearmor > /k.gpg && curl -o /app.tgz https://example.com/app.tgz', {}, 'debian:bookworm');
  assert.equal(both.size.source, 'partial');
  assert.deepEqual(both.size.unknownParts?.map((u) => u.what), ['download https://example.com/app.tgz']);
});

test('commands not known to write only small files are unknown parts, named as written; known small ones stay small', () => {
  for (const [body, named] of [
    ['RUN ./hack/build', './hack/build'],
    ['RUN yum install -y httpd && yum clean all', 'yum'],
    ['RUN set -e && sh ./install.sh', 'sh'],
    ['RUN gem install bundler', 'gem'],
    ['RUN cp -r /src /app', 'cp'],
    // output as large as the input, sent to a file (a real build: 1.05 MB, once predicted 6 kB)
    ['RUN head -c 1048576 /dev/urandom > /random.bin', 'head'],
    ['RUN cat /parts/* >/big.bin', 'cat'],
  ] as const) {
    const { size } = run(body);
    assert.equal(size.bytes, null, body);
    assert.deepEqual(size.unknownParts?.map((u) => u.what), [`files written by ${named}`], body);
  }
  for (const body of ['RUN useradd -m app && mkdir -p /srv && chown app /srv', 'RUN ln -s /a /b && echo ok > /etc/x && sed -i s/a/b/ /etc/y', 'RUN set -ex; cd /tmp; true', 'RUN cp /etc/a /etc/b', 'RUN date > /build-date && head -n1 /etc/os-release 2>/dev/null', 'RUN grep -q x /etc/y > /dev/null']) {
    const { size, parts } = run(body);
    assert.deepEqual(parts.map((p) => p.estimator), ['other'], body);
    assert.equal(size.source, 'estimate', body);
    assert.ok(size.bytes! < 100e3, body);
  }
  const beside = run('RUN apk add --no-cache git && ./configure --prefix=/usr');
  assert.equal(beside.size.source, 'partial');
  assert.deepEqual(beside.size.unknownParts?.map((u) => u.what), ['files written by ./configure']);
});

test('builds: the output is written where -o says, caches count unless mounted; plain commands as small changes', () => {
  const unmounted = run('RUN go build -o /out/app ./cmd/app');
  assert.ok(unmounted.parts[0]!.writes.some((w) => w.path === '/out/app'));
  assert.ok(unmounted.parts[0]!.notes.some((n) => n.includes('/root/.cache/go-build')));
  const mounted = run('RUN --mount=type=cache,target=/root/.cache/go-build go build -o app .');
  assert.ok(mounted.size.bytes! < unmounted.size.bytes!);
  assert.deepEqual(mounted.parts[0]!.writes.map((w) => w.path), ['/app']);
  const make = run('RUN make all');
  assert.equal(make.size.bytes, null, 'a project build is not guessed');
  assert.deepEqual(make.size.unknownParts?.map((u) => u.what), ['build output of make all']);
  const goAndMake = run('RUN go build -o /out/app . && make docs');
  assert.equal(goAndMake.size.source, 'partial', 'the Go binary has a typical range, make does not');
  assert.ok(goAndMake.size.bytes! >= 1.5 * MB);
  const small = run('RUN adduser -D app && chmod 755 /srv');
  assert.deepEqual(small.parts.map((p) => p.estimator), ['other']);
  assert.ok(small.size.bytes! < 100e3);
});

test('the apt hook is used when a table is loaded, and its figure counted', () => {
  const apt = () => ({ size: exactSize(5 * MB, null, 'fake apt'), notes: [] });
  const { size, parts } = run('RUN apt-get install -y curl', { apt }, 'debian:bookworm');
  assert.deepEqual(parts.map((p) => p.estimator), ['apt']);
  assert.equal(size.bytes, 5 * MB);
  assert.ok(size.compressed! < size.bytes! / 2, 'compressed with the Debian packages ratio');
});

test('combining parts: sources, unknowns and compressed bytes', () => {
  const figure = combineParts([
    { size: exactSize(10 * MB, null, 'a'), content: 'source-text' },
    { size: exactSize(10 * MB, 10 * MB, 'b'), content: 'mixed' },
  ]);
  assert.equal(figure.source, 'exact');
  assert.equal(figure.bytes, 20 * MB);
  assert.equal(figure.compressed, Math.round(10 * MB / 4.2) + 10 * MB);
  const unknown = combineParts([{ size: unknownSize('why'), content: 'mixed' }]);
  assert.equal(unknown.bytes, null);
  assert.equal(unknown.source, 'unknown');
  const partial = combineParts([
    { size: exactSize(10 * MB, 4 * MB, 'a'), content: 'mixed' },
    { size: unknownSize('not fetched'), content: 'mixed', at: { stage: 0, layer: 3 } },
  ]);
  assert.deepEqual([partial.source, partial.bytes, partial.low, partial.high, partial.compressed], ['partial', 10 * MB, 10 * MB, null, 4 * MB]);
  assert.deepEqual(partial.unknownParts, [{ stage: 0, layer: 3, what: 'not fetched' }]);
  const nested = combineParts([{ size: partial, content: 'mixed', at: { stage: 1, layer: 9 } }, { size: exactSize(1, 1, 'b'), content: 'mixed' }]);
  assert.equal(nested.source, 'partial', 'a partial part keeps the sum partial');
  assert.deepEqual(nested.unknownParts, [{ stage: 0, layer: 3, what: 'not fetched' }], 'where a part already says where it is, that stays');
});
