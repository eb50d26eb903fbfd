/**
 * RUN --mount: what a mount of any type holds is not in the layer. Every estimator (apt lists and
 * archives, pip, npm, go caches, build outputs) leaves it out of the figure, the breakdown, the
 * writes the waste pass reads and the cleanup diagnostics, and says where it went (en and ko).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDockerfile, diagnose, hover, type DockerfileModel } from '../../server/src/service';
import { aptService } from '../../server/src/service/sizes/aptService';
import { parseAptTable } from '../../server/src/service/sizes/aptTable';
import { APT_LISTS } from '../../server/src/service/sizes/apt';
import { BIN_CACHES } from '../../server/src/service/sizes/aptCaches';
import { estimateSizes } from '../../server/src/service/sizes/estimate';
import { runMounts } from '../../server/src/service/sizes/mounts';
import { estimateRun } from '../../server/src/service/sizes/run';
import { describeNotes } from '../../server/src/service/sizes/messages';
import type { Layer } from '../../server/src/service/types';
import { instr } from '../modelQueries';
import { withCursor } from '../cursor';

const table = parseAptTable(brotliDecompressSync(readFileSync(path.resolve(__dirname, '../../..', 'server/src/service/data/apt-bookworm.txt.br'))).toString('utf8'));
const MB = 1e6;

function sized(text: string): DockerfileModel {
  return estimateSizes(analyzeDockerfile(text), { apt: aptService(table) });
}

function layer(model: DockerfileModel, number: number): Layer {
  const found = model.stages[model.target]!.layers.find((l) => l.number === number);
  assert.ok(found, `no layer ${number}`);
  return found;
}

const codes = (text: string) => diagnose(sized(text), text, {}).map((d) => d.code);
const entryNames = (l: Layer) => [...(l.breakdown?.entries ?? []), ...(l.breakdown?.removed ?? [])].map((e) => e.name);

test('runMounts: every type, BuildKit defaults (bind, /run/secrets/<id>, ssh_agent.N), relative targets, variables skipped', () => {
  const model = analyzeDockerfile([
    'FROM debian:bookworm',
    'WORKDIR /src',
    'RUN --mount=target=/a --mount=type=cache,target=/b --mount=type=tmpfs,dst=/c --mount=type=secret,id=npmrc --mount=type=secret,id=token,env=TOKEN'
      + ' --mount=type=ssh --mount=type=ssh,id=other --mount=type=bind,target=out --mount=type=cache,target=$CACHE true',
  ].join('\n'));
  const mounts = runMounts(instr(model, 0, 'RUN'), '/src');
  assert.deepEqual(mounts, [
    { type: 'bind', target: '/a' },
    { type: 'cache', target: '/b' },
    { type: 'tmpfs', target: '/c' },
    { type: 'secret', target: '/run/secrets/npmrc' },
    { type: 'ssh', target: '/run/buildkit/ssh_agent.0' },
    { type: 'ssh', target: '/run/buildkit/ssh_agent.1' },
    { type: 'bind', target: '/src/out' },
  ]);
});

test('apt: lists and archives in cache mounts are not in the layer, and the hover says where they went (en, ko)', () => {
  const install = 'apt-get update && apt-get install -y --no-install-recommends ca-certificates curl';
  const plain = layer(sized(`FROM debian:bookworm\nRUN ${install}\n`), 1);
  const text = `FROM debian:bookworm\nRUN --mount=type=cache,target=/var/lib/apt/lists --mount=type=cache,target=/var/cache/apt ${install}\n`;
  const mounted = layer(sized(text), 1);
  // the lists are the whole difference
  assert.ok(Math.abs(plain.size!.bytes! - mounted.size!.bytes! - APT_LISTS.best) < 1, `${plain.size!.bytes} vs ${mounted.size!.bytes}`);
  assert.ok(!entryNames(mounted).includes('/var/lib/apt/lists'));
  assert.equal(mounted.facts?.aptListsBytes, undefined);
  assert.ok(mounted.notes!.some((n) => /^apt lists \(apt-get update\): held by the cache mount at \/var\/lib\/apt\/lists, not stored in this layer \(stored there it would add about 19\.9 MB\)$/.test(n)), mounted.notes!.join('\n'));
  assert.ok(describeNotes(mounted, 'ko').some((n) => n.includes('/var/lib/apt/lists의 cache 마운트에 있어 이 레이어에 들어가지 않습니다')));
  assert.ok(!mounted.notes!.some((n) => /leaves .* of lists in the layer/.test(n)));
  // the hover shows the note
  const { text: marked, position } = withCursor(text.replace('RUN', 'R|UN'));
  const model = sized(marked.replace('R|UN', 'RUN'));
  assert.match(hover(model, position, 'en')!.markdown, /held by the cache mount at \/var\/lib\/apt\/lists/);
  assert.match(hover(model, position, 'ko')!.markdown, /cache 마운트에 있어 이 레이어에 들어가지 않습니다/);
});

test('no cleanup diagnostic fires for what a mount holds: DL-S002 (apt lists), DL-S003 (pip), DL-S004 (npm)', () => {
  assert.ok(codes('FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n').includes('DL-S002'));
  assert.ok(!codes('FROM debian:bookworm\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl\n').includes('DL-S002'));
  assert.ok(!codes('FROM debian:bookworm\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends curl\n').includes('DL-S002'));
  assert.ok(codes('FROM python:3.12\nRUN pip install flask\n').includes('DL-S003'));
  assert.ok(!codes('FROM python:3.12\nRUN --mount=type=bind,target=/root/.cache pip install flask\n').includes('DL-S003'));
  assert.ok(codes('FROM node:22\nWORKDIR /app\nRUN npm ci\n').includes('DL-S004'));
  for (const type of ['cache', 'bind', 'tmpfs']) {
    assert.ok(!codes(`FROM node:22\nWORKDIR /app\nRUN --mount=type=${type},target=/root/.npm npm ci\n`).includes('DL-S004'), type);
  }
});

test('npm with /root/.npm mounted: no cache in the figure, the breakdown or the writes; the note says what it would have cost', () => {
  const kept = layer(sized('FROM node:22\nWORKDIR /app\nRUN npm ci\n'), 2);
  const bound = layer(sized('FROM node:22\nWORKDIR /app\nRUN --mount=type=bind,target=/root/.npm,rw npm ci\n'), 2);
  assert.ok(entryNames(kept).includes('/root/.npm'));
  assert.ok(!entryNames(bound).includes('/root/.npm'));
  const cache = kept.size!.bytes! - bound.size!.bytes!;
  assert.ok(cache > 10 * MB, `cache ${cache}`);
  assert.ok(bound.notes!.some((n) => n === `npm cache: held by the bind mount at /root/.npm, not stored in this layer (stored there it would add about ${(cache / MB).toFixed(1)} MB)`), bound.notes!.join('\n'));
});

test('a removal inside a mount is no waste; a later RUN deleting the mounted cache deletes nothing of the layer', () => {
  const text = [
    'FROM debian:bookworm',
    'RUN apt-get update',
    'RUN --mount=type=cache,target=/var/lib/apt/lists apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
  ].join('\n');
  const model = sized(`${text}\n`);
  // the lists of layer 1 are still in the image: the rm touched the mount
  assert.equal(model.image!.wasted.bytes, 0);
  const unmounted = sized(`${text.replace('--mount=type=cache,target=/var/lib/apt/lists ', '')}\n`);
  assert.ok(unmounted.image!.wasted.bytes > 19 * MB);
});

test('go caches in a tmpfs mount and a build output into a bind mount are not in the layer', () => {
  const model = analyzeDockerfile('FROM golang:1.22\nWORKDIR /src\nRUN --mount=type=tmpfs,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod --mount=type=bind,target=/out,rw go mod download && go build -o /out/app .\n');
  const run = estimateRun(instr(model, 0, 'RUN'), { workdir: '/src' });
  const plain = estimateRun(instr(analyzeDockerfile('FROM golang:1.22\nWORKDIR /src\nRUN go mod download && go build -o /out/app .\n'), 0, 'RUN'), { workdir: '/src' });
  assert.ok(plain.size.bytes! > 150 * MB);
  assert.ok(run.size.bytes! < 1 * MB, `${run.size.bytes}`);
  assert.deepEqual(run.parts.flatMap((p) => p.writes), []);
  const notes = run.parts.flatMap((p) => p.notes);
  assert.ok(notes.some((n) => n.startsWith('Go build cache: held by the tmpfs mount at /root/.cache/go-build')), notes.join('\n'));
  assert.ok(notes.some((n) => n.includes('held by the cache mount at /go/pkg/mod')));
  assert.ok(notes.some((n) => n.includes('held by the bind mount at /out')));
});

test('docker-clean removed: apt keeps .deb files and pkgcache.bin, in the layer unless a mount holds them or apt-get clean removes them', () => {
  const install = 'apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*';
  const clean = layer(sized(`FROM debian:bookworm\nRUN ${install}\n`), 1);
  const kept = layer(sized(`FROM debian:bookworm\nRUN rm -f /etc/apt/apt.conf.d/docker-clean && ${install}\n`), 1);
  assert.ok(kept.size!.bytes! - clean.size!.bytes! > BIN_CACHES.best, `${kept.size!.bytes} vs ${clean.size!.bytes}`);
  assert.ok(entryNames(kept).includes('/var/cache/apt/archives'));
  assert.ok(kept.notes!.some((n) => n.includes('stay in the layer (/var/cache/apt/archives)')));
  // removed in an earlier RUN: the next RUN keeps them too
  const later = layer(sized(`FROM debian:bookworm\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN ${install}\n`), 2);
  assert.equal(later.size!.bytes, kept.size!.bytes);
  const mounted = layer(sized(`FROM debian:bookworm\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt ${install}\n`), 2);
  assert.equal(mounted.size!.bytes, clean.size!.bytes);
  assert.ok(mounted.notes!.some((n) => n.startsWith("apt's downloaded packages (.deb): held by the cache mount at /var/cache/apt")));
  const cleaned = layer(sized(`FROM debian:bookworm\nRUN rm -f /etc/apt/apt.conf.d/docker-clean && ${install} && apt-get clean\n`), 1);
  assert.equal(cleaned.size!.bytes, clean.size!.bytes);
  assert.ok(cleaned.breakdown!.removed!.some((e) => e.name === '/var/cache/apt/archives' && e.flags?.includes('removed-here')));
});

test('--no-install-recommends already written: the note says what it left out, not advice to add it', () => {
  const with_ = layer(sized('FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n'), 1);
  const note = with_.notes!.find((n) => n.includes('--no-install-recommends'));
  assert.ok(note, with_.notes!.join('\n'));
  assert.match(note, /^already left out by --no-install-recommends: \d+ recommended packages \([\d.]+ MB\) that apt would otherwise install$/);
  assert.match(describeNotes(with_, 'ko').find((n) => n.includes('--no-install-recommends'))!, /이미 써서 권장 패키지 \d+개/);
});

test('maven and gradle: the dependency repository stays in the layer unless a cache mount holds it', () => {
  for (const [command, cache] of [['mvn -B package', '/root/.m2'], ['./gradlew build', '/root/.gradle']] as const) {
    const run = (mount: string) => estimateRun(instr(analyzeDockerfile(`FROM eclipse-temurin:21\nWORKDIR /src\nRUN ${mount}${command}\n`), 0, 'RUN'), { workdir: '/src' });
    const kept = run('');
    const mounted = run(`--mount=type=cache,target=${cache} `);
    assert.ok(kept.parts.flatMap((p) => p.writes).some((w) => w.path === cache), command);
    assert.ok(kept.parts.flatMap((p) => p.notes).some((n) => n.includes(`stays in the layer (${cache})`)), command);
    assert.deepEqual(mounted.parts.flatMap((p) => p.writes), [], command);
    assert.ok(kept.size.bytes! - mounted.size.bytes! >= 100 * MB, command);
    assert.ok(mounted.parts.flatMap((p) => p.notes).some((n) => n.includes(`held by the cache mount at ${cache}`)), command);
  }
});

test('apk: the index in a cache mount on /var/cache/apk is not in the layer', () => {
  const run = (text: string) => estimateRun(instr(analyzeDockerfile(`FROM alpine:3.20\n${text}\n`), 0, 'RUN'), {});
  const kept = run('RUN apk add curl');
  const mounted = run('RUN --mount=type=cache,target=/var/cache/apk apk add curl');
  assert.ok(kept.parts[0]!.writes.some((w) => w.path === '/var/cache/apk'));
  assert.deepEqual(mounted.parts[0]!.writes.filter((w) => !w.package).map((w) => w.path), [], 'only the package itself, no index cache');
  assert.ok(kept.size.bytes! - mounted.size.bytes! > 2 * MB);
  assert.ok(mounted.parts[0]!.notes.some((n) => n.includes('held by the cache mount at /var/cache/apk')), mounted.parts[0]!.notes.join('\n'));
  assert.ok(!mounted.parts[0]!.notes.some((n) => /--no-cache/.test(n)));
});
