/**
 * Dockerfiles that reach every estimator of the size engine, sized the way the server sizes them
 * (the bundled apt table, an in-memory build context), for tests that look at what the size pass
 * says rather than at its numbers: the examples/ folders with their files, and inline Dockerfiles
 * for apt, apk, pip, npm, builds, COPY/ADD with and without a context, base images and waste.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync, brotliDecompressSync } from 'node:zlib';
import { analyzeDockerfile } from '../server/src/service';
import { scanContext } from '../server/src/service/sizes/context';
import { copyFromContext, precomputeCopySizes } from '../server/src/service/sizes/contextSizes';
import { createIgnore } from '../server/src/service/sizes/dockerignore';
import { estimateSizes, type SizeServices } from '../server/src/service/sizes/estimate';
import { aptService } from '../server/src/service/sizes/aptService';
import { parseAptTable, type AptTable } from '../server/src/service/sizes/aptTable';
import type { DockerfileModel } from '../server/src/service/types';
import { memoryContext, type MemoryEntry } from './memoryContext';
import { lockfilesOf, precomputeLockfiles } from '../server/src/service/sizes/contextLockfiles';
import type { PackageSizes } from '../server/src/service/sizes/lockedInstall';

export interface Scenario {
  name: string;
  text: string;
  model: DockerfileModel;
}

const ROOT = [path.resolve(__dirname, '..', '..'), path.resolve(__dirname, '..')].find((dir) => {
  try {
    return statSync(path.join(dir, 'examples')).isDirectory();
  } catch {
    return false;
  }
})!;

let table: AptTable | undefined;
export function aptTable(): AptTable {
  table ??= parseAptTable(brotliDecompressSync(readFileSync(path.join(ROOT, 'server/src/service/data/apt-bookworm.txt.br'))).toString('utf8'));
  return table;
}

/** A ustar archive of empty-content entries (headers and zero blocks), enough for ADD to count. */
function tarOf(entries: Array<{ name: string; size: number }>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const { name, size } of entries) {
    const h = new Uint8Array(512);
    const put = (at: number, text: string) => h.set(new TextEncoder().encode(text), at);
    put(0, name);
    put(100, '0000644\0');
    put(108, '0000000\0');
    put(116, '0000000\0');
    put(124, `${size.toString(8).padStart(11, '0')}\0`);
    put(136, '00000000000\0');
    put(156, '0');
    put(257, 'ustar\x0000');
    put(148, '        ');
    put(148, `${h.reduce((a, b) => a + b, 0).toString(8).padStart(6, '0')}\0 `);
    blocks.push(h, new Uint8Array(Math.ceil(size / 512) * 512));
  }
  blocks.push(new Uint8Array(1024));
  return Buffer.concat(blocks);
}

const ROOTFS = tarOf([{ name: 'bin/sh', size: 1000 }, { name: 'lib/libc.so', size: 60_000 }]);

/** The build context of the inline Dockerfiles. */
export const TREE: Record<string, MemoryEntry> = {
  '.dockerignore': 'node_modules\n*.log\n',
  'package.json': '{"name":"app"}',
  'package-lock.json': 'x'.repeat(2000),
  'requirements.txt': 'flask\n',
  'src/index.ts': 'x'.repeat(3000),
  'src/lib/util.ts': 'x'.repeat(700),
  'src/big.bin': { size: 2_000_000 },
  'go.mod': 'module app\n',
  'main.go': 'package main\n',
  'app.sh': '#!/bin/sh\n',
  'rootfs.tar': ROOTFS,
  'rootfs.tar.gz': gzipSync(ROOTFS),
  'rootfs.tar.xz': { size: 40_000 },
  'notes.gz': gzipSync('just text'),
  '.git/HEAD': 'ref: refs/heads/main\n',
  'debug.log': 'x',
  'node_modules/x/index.js': { size: 999 },
};

/** Inline Dockerfiles, each aimed at a few texts of the size engine. */
export const INLINE: Record<string, string> = {
  'apt: recommends, lists, no -y, tzdata, python': [
    'FROM debian:bookworm',
    'RUN apt-get update',
    'RUN apt-get install curl python3 tzdata',
    'RUN rm -rf /var/lib/apt/lists/* && apt-get clean',
    'RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*',
    'RUN rm -rf /var/lib/apt/lists/*',
    'FROM ubuntu:24.04 AS ubuntu',
    'RUN apt-get update && apt-get install -y tzdata',
  ].join('\n'),
  'apt: odd operands': [
    'FROM debian:bookworm',
    'RUN apt-get update && apt-get install -y awk mail-transport-agent no-such-pkg ./local.deb "$PKG" nginx/bookworm-backports libc6:armhf libc6 -t bookworm-backports && apt-get install -y --reinstall bash',
    'RUN apt-get update && apt-get install -y --download-only vim && apt-get clean && apt-get -s install htop && apt-get build-dep -y git && echo "jq" | xargs apt-get install -y',
    'RUN dpkg -i /tmp/x.deb && dpkg --unpack && dpkg --add-architecture i386 && apt-get remove -y perl && apt-get purge -y "lib*" && apt-get autoremove -y',
    'RUN apt-get update && apt-get install -y git libz-dev && apt-get purge -y git && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*',
    'RUN apt-get update && apt-get upgrade -y',
  ].join('\n'),
  'apt: unknown base, upgrade, update twice, no lists': [
    'FROM ghcr.io/acme/debianish:1',
    'RUN apt-get install -y curl',
    'RUN apt-get update && apt-get install -y python3-pip && apt-get remove -y python3-pip && apt-get dist-upgrade -y',
    'RUN apt-get update && apt-get install -y make && apt-get autoremove -y',
    'RUN apt-get update && apt-get install -y curl tzdata && apt-get remove -y libcurl4',
    'RUN apt-get update && apt-get install -y git',
  ].join('\n'),
  'apk': [
    'FROM alpine:3.22',
    'RUN apk add curl no-such-apk && apk upgrade',
    'RUN apk add --no-cache --virtual .build gcc musl-dev && apk del .build',
    'RUN apk update && apk add git && rm -rf /var/cache/apk/*',
  ].join('\n'),
  'pip and npm': [
    'FROM python:3.12-slim',
    'WORKDIR /srv',
    'RUN pip install flask gunicorn',
    'RUN pip install --no-cache-dir -r requirements.txt',
    'RUN python -m pip install -r requirements.txt && pip cache purge',
    'FROM node:22 AS web',
    'WORKDIR /app',
    'COPY package.json package-lock.json ./',
    'RUN npm ci',
    'RUN npm install express left-pad && npm cache clean --force',
    'RUN yarn install',
    'RUN --mount=type=cache,target=/root/.local/share/pnpm/store pnpm install',
  ].join('\n'),
  'apt packages purged by a later layer': [
    'FROM debian:bookworm',
    'RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make && rm -rf /var/lib/apt/lists/*',
    'RUN apt-get purge -y gcc && apt-get autoremove -y',
  ].join('\n'),
  'apk del of an earlier --virtual group': ['FROM alpine:3.22', 'RUN apk add --no-cache --virtual .build-deps gcc musl-dev', 'RUN apk del .build-deps'].join('\n'),
  'pip uninstall of an earlier install': ['FROM python:3.12-slim', 'RUN pip install --no-cache-dir flask', 'RUN pip uninstall -y flask'].join('\n'),
  'npm prune of earlier devDependencies': ['FROM node:22', 'WORKDIR /app', 'RUN npm ci', 'RUN npm prune --omit=dev'].join('\n'),
  'builds and downloads': [
    'FROM golang:1.24 AS build',
    'WORKDIR /src',
    'COPY go.mod main.go ./',
    'RUN go mod download',
    'RUN go build -o /out/app . && go test ./...',
    'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app2 .',
    'RUN gcc -o /out/hello hello.c && make all && cargo build',
    'RUN curl -fsSLo /tmp/a https://example.com/a.tgz && wget https://example.com/b https://example.com/c',
    'RUN useradd app && ln -s /a /b',
    'RUN rm -rf /go/pkg/mod /out/app2',
    'FROM scratch',
    'COPY --from=build /out/app /app',
    'COPY --from=build /src/main.go /src/',
    'COPY --from=build /src /src',
    'COPY --from=build /nowhere /x',
    'COPY --from=later /x /y',
    'COPY --from=nginx:1 /etc/nginx /etc/nginx',
    'FROM alpine:3.22 AS later',
    'RUN true',
  ].join('\n'),
  'copy and add from the context': [
    'FROM debian:bookworm-slim',
    'WORKDIR /srv/app',
    'COPY . .',
    'COPY src/ ./src/',
    'COPY --exclude=*.bin src ./src2',
    'COPY missing.txt *.nothing ./',
    'COPY <<EOF /etc/motd',
    'hello',
    'EOF',
    'ADD rootfs.tar /',
    'ADD rootfs.tar.gz /',
    'ADD rootfs.tar.xz /',
    'ADD notes.gz /notes/',
    'ADD https://example.com/file.txt /x',
    'ADD https://github.com/moby/buildkit.git /buildkit',
    'RUN rm -rf /srv/app/src && chown -R app /srv/app && chmod -R 755 /srv/app/src2',
    'COPY app.sh /srv/app/app.sh',
    'WORKDIR /',
    'WORKDIR /var/lib',
  ].join('\n'),
  'wasted space': [
    'FROM alpine:3.22 AS tools',
    'COPY app.sh /app.sh',
    'FROM golang:1.24',
    'WORKDIR /src',
    'COPY . .',
    'RUN go build -o /out/app . && pip install flask',
    'RUN rm -rf /out/app /root/.cache/pip',
    'RUN chown -R nobody /src',
    'RUN rm -rf /src',
    'COPY --from=tools /app.sh /bin/app.sh',
    'COPY --from=tools /app.sh /bin/app.sh',
    'COPY onlyone/',
  ].join('\n'),
  'mounts and caches': [
    'FROM debian:bookworm AS debian',
    'RUN rm -f /etc/apt/apt.conf.d/docker-clean',
    'RUN --mount=type=cache,target=/var/lib/apt/lists --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl',
    'RUN apt-get update && apt-get install -y --no-install-recommends git',
    'RUN --mount=type=cache,target=/root/.cache/pip pip install flask',
    'RUN --mount=type=cache,target=/root/.npm npm ci',
    'RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build -o /out/app .',
    'RUN --mount=type=cache,target=/root/.m2 mvn package',
    'RUN gradle build',
    'FROM alpine:3.22',
    'RUN --mount=type=cache,target=/var/cache/apk apk add curl',
    'WORKDIR /app',
    'COPY app.sh ./',
    'COPY . .',
  ].join('\n'),
  'parts not known': [
    'ARG BASE',
    'FROM registry.example.com/team/base:1 AS private',
    'RUN curl -fsSL https://download.docker.com/linux/debian/gpg | apt-key add -',
    'RUN curl -fsSL "$URL" -o /x.tgz && tar -xzf /x.tgz -C /opt',
    'RUN ./configure && make && make install',
    'RUN go build -o /app . && cargo build --release',
    'FROM $BASE AS unresolved',
    'RUN useradd app',
  ].join('\n'),
  'base images': [
    'FROM node:22-bookworm AS variant',
    'RUN true',
    'FROM --platform=linux/s390x debian:bookworm AS platform',
    'RUN true',
    'FROM python:3.12-slim AS listonly',
    'RUN true',
    'FROM --platform=linux/arm64 python:3.12-slim AS listonly-arm',
    'RUN true',
    'FROM acme/tool:1 AS notofficial',
    'RUN true',
    'FROM node:0.0.1-nope AS unknowntag',
    'RUN true',
    'FROM debian@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS digest',
    'RUN true',
    'FROM alpine@sha256:3e9b4b680bfc9fb5269227cffbd6d42be39fbf7c0b908123913864aa4447e764 AS platformdigest',
    'RUN true',
    'FROM debian:bookworm@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS pinned',
    'RUN true',
    'FROM node:22.23.2-slim AS version',
    'RUN true',
    'FROM --platform=linux/arm64 debian:bookworm AS arm',
    'RUN true',
    'FROM busybox:latest AS other',
    'RUN true',
    'FROM golang:alpine AS alpinefamily',
    'RUN true',
    'FROM scratch AS unknownown',
    'COPY --from=nginx:1 /etc/nginx /etc/nginx',
    'FROM scratch AS empty',
    'FROM variant',
    'RUN true',
  ].join('\n'),
};

/** The example projects, each with its own folder as the build context. */
function exampleFiles(): Record<string, Record<string, MemoryEntry>> {
  const out: Record<string, Record<string, MemoryEntry>> = {};
  const examples = path.join(ROOT, 'examples');
  for (const name of readdirSync(examples)) {
    const tree: Record<string, MemoryEntry> = {};
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(examples, name, dir), { withFileTypes: true })) {
        const rel = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(rel);
        else tree[rel] = readFileSync(path.join(examples, name, rel));
      }
    };
    walk('');
    out[name] = tree;
  }
  return out;
}

/** Lockfiles the stages copy in: read, unreadable, of an unknown version, partly read; and the RUNs that install from them. */
const LOCKED_TREE: Record<string, MemoryEntry> = {
  'locked/package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/express': { version: '4.21.0' }, 'node_modules/debug': { version: '2.6.9' }, 'node_modules/ms': { version: '2.1.3' } } }),
  'locked/yarn.lock': '# yarn lockfile v1\n\nms@^2:\n  version "2.1.3"\n\n  \t stray line\n',
  'locked/pnpm-lock.yaml': "lockfileVersion: '11.0'\n",
  'locked/requirements.txt': 'flask==3.0.3\n-r base.txt\n',
};
const LOCKED = [
    'FROM node:22 AS npm',
    'WORKDIR /app',
    'COPY locked/package-lock.json ./',
    'RUN npm ci --omit=dev',
    'FROM node:22 AS yarn',
    'WORKDIR /app',
    'COPY locked/yarn.lock ./',
    'RUN yarn install --production',
    'FROM node:22 AS pnpm',
    'WORKDIR /app',
    'COPY locked/pnpm-lock.yaml ./',
    'RUN pnpm install --prod',
    'FROM python:3.12-slim',
    'WORKDIR /srv',
    'COPY locked/requirements.txt .',
    'RUN pip install --no-cache-dir -r requirements.txt',
  ].join('\n');

/** What the host would find: express installed in the workspace, debug from the registry, the rest unknown. */
const SCENARIO_PACKAGE_SIZES: PackageSizes = (_ecosystem, name, version) =>
  name === 'express' && version === '4.21.0' ? { bytes: 215_000, source: 'exact' } : name === 'debug' ? { bytes: 40_000, low: 23_000, high: 57_000, source: 'registry', ratio: 3.5 } : undefined;

export async function sizeWithContext(text: string, tree: Record<string, MemoryEntry> | undefined, extra: SizeServices = {}): Promise<DockerfileModel> {
  const model = analyzeDockerfile(text);
  const services: SizeServices = { apt: aptService(aptTable()), ...extra };
  if (tree) {
    const reader = memoryContext(tree);
    const snapshot = await scanContext(reader, { ignore: createIgnore(String(tree['.dockerignore'] ?? '')) });
    const sizes = await precomputeCopySizes(model, snapshot, reader.readRange);
    services.copyFromContext = copyFromContext(sizes, snapshot, model);
    const locks = await precomputeLockfiles(model, snapshot, sizes, async (p) => new TextDecoder().decode(await reader.readFile(p)));
    services.lockfilesOf = lockfilesOf(locks, model);
    services.packageSizes ??= SCENARIO_PACKAGE_SIZES;
  }
  return estimateSizes(model, services);
}

/** Every scenario, sized: examples with their folders, inline Dockerfiles with TREE, and a few without a context. */
export async function scenarios(): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const [name, tree] of Object.entries(exampleFiles())) {
    const text = String(tree['Dockerfile']);
    out.push({ name: `examples/${name}`, text, model: await sizeWithContext(text, tree) });
  }
  for (const [name, text] of Object.entries(INLINE)) out.push({ name, text, model: await sizeWithContext(text, TREE) });
  out.push({ name: 'language packages from lockfiles', text: LOCKED, model: await sizeWithContext(LOCKED, LOCKED_TREE) });
  const copy = INLINE['copy and add from the context']!;
  out.push({ name: 'no context', text: copy, model: await sizeWithContext(copy, undefined) });
  for (const [name, maxFiles, ranged] of [['incomplete context', 3, true], ['archives not read', undefined, false]] as const) {
    const reader = memoryContext(TREE);
    const snapshot = await scanContext(reader, { ignore: createIgnore(String(TREE['.dockerignore'])), ...(maxFiles ? { maxFiles } : {}) });
    const model = analyzeDockerfile(copy);
    const sizes = await precomputeCopySizes(model, snapshot, ranged ? reader.readRange : undefined);
    out.push({ name, text: copy, model: estimateSizes(model, { apt: aptService(aptTable()), copyFromContext: copyFromContext(sizes, snapshot, model) }) });
  }
  return out;
}
