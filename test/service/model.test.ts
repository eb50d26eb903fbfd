import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/service/model/analyze';
import type { DockerfileModel, InstructionInfo } from '../../server/src/service/types';
import { instr, rules } from '../modelQueries';

/** The nth instruction with this keyword in a stage; fails the test when there is none. */
const layerNumbers = (model: DockerfileModel, stage: number) => model.stages[stage]!.layers.map((l) => `${l.kind}:${l.number}`);

// ---------------------------------------------------------------------------------------------
// Layer-making instructions

test('RUN makes a filesystem layer numbered after the base group', () => {
  const m = analyzeDockerfile('FROM alpine\nRUN apk add curl\n');
  const run = instr(m, 0, 'RUN');
  assert.equal(run.effect, 'filesystem');
  assert.equal(run.reason, 'runs-command');
  assert.equal(run.layer, 1);
  assert.deepEqual(layerNumbers(m, 0), ['base:0', 'filesystem:1']);
  assert.deepEqual(m.problems, []);
});

test('COPY makes a filesystem layer', () => {
  const m = analyzeDockerfile('FROM alpine\nCOPY app.py /srv/\n');
  const copy = instr(m, 0, 'COPY');
  assert.equal(copy.effect, 'filesystem');
  assert.equal(copy.reason, 'copies-files');
  assert.equal(copy.layer, 1);
});

test('ADD makes a filesystem layer', () => {
  const m = analyzeDockerfile('FROM alpine\nADD https://example.com/a.tgz /opt/\n');
  const add = instr(m, 0, 'ADD');
  assert.equal(add.effect, 'filesystem');
  assert.equal(add.reason, 'adds-files');
  assert.equal(add.layer, 1);
});

test('layers count from 1 in instruction order, skipping metadata instructions', () => {
  const m = analyzeDockerfile('FROM alpine\nRUN a\nENV X=1\nCOPY b /b\nUSER nobody\nADD c /c\n');
  assert.equal(instr(m, 0, 'RUN').layer, 1);
  assert.equal(instr(m, 0, 'COPY').layer, 2);
  assert.equal(instr(m, 0, 'ADD').layer, 3);
  assert.deepEqual(layerNumbers(m, 0), ['base:0', 'filesystem:1', 'filesystem:2', 'filesystem:3']);
  assert.deepEqual(m.stages[0]!.layers.map((l) => l.instruction), [0, 1, 3, 5]);
});

// ---------------------------------------------------------------------------------------------
// Metadata-only instructions: one case per keyword

const METADATA: [keyword: string, line: string, reason: InstructionInfo['reason']][] = [
  ['ENV', 'ENV NODE_ENV=production', 'sets-metadata'],
  ['LABEL', 'LABEL org.opencontainers.image.title="demo"', 'sets-metadata'],
  ['CMD', 'CMD ["node", "server.js"]', 'sets-metadata'],
  ['ENTRYPOINT', 'ENTRYPOINT ["/entrypoint.sh"]', 'sets-metadata'],
  ['USER', 'USER 1000:1000', 'sets-metadata'],
  ['EXPOSE', 'EXPOSE 8080/tcp', 'sets-metadata'],
  ['VOLUME', 'VOLUME /data', 'sets-metadata'],
  ['SHELL', 'SHELL ["/bin/bash", "-c"]', 'sets-metadata'],
  ['STOPSIGNAL', 'STOPSIGNAL SIGTERM', 'sets-metadata'],
  ['HEALTHCHECK', 'HEALTHCHECK --interval=30s CMD wget -q -O- http://localhost/ || exit 1', 'sets-metadata'],
  ['MAINTAINER', 'MAINTAINER someone@example.com', 'sets-metadata'],
  ['ONBUILD', 'ONBUILD RUN make install', 'onbuild-trigger'],
  ['ARG', 'ARG VERSION=1.0', 'declares-arg'],
];

for (const [keyword, line, reason] of METADATA) {
  test(`${keyword} in a stage changes metadata only and takes no layer number`, () => {
    const m = analyzeDockerfile(`FROM alpine\n${line}\nRUN true\n`);
    const info = instr(m, 0, keyword);
    assert.equal(info.effect, 'metadata');
    assert.equal(info.reason, reason);
    assert.equal(info.layer, undefined);
    assert.equal(instr(m, 0, 'RUN').layer, 1);
    assert.deepEqual(layerNumbers(m, 0), ['base:0', 'filesystem:1']);
  });
}

test('FROM and ARGs before the first FROM have no effect on the image', () => {
  const m = analyzeDockerfile('ARG TAG=3.20\nFROM alpine:$TAG\n');
  const from = instr(m, 0, 'FROM');
  assert.equal(from.effect, 'none');
  assert.equal(from.reason, 'base-image');
  assert.equal(from.index, 0);
  assert.equal(m.preamble.length, 1);
  assert.equal(m.preamble[0]!.effect, 'none');
  assert.equal(m.preamble[0]!.reason, 'global-arg');
});

test('an unknown instruction has no effect and takes no layer', () => {
  const m = analyzeDockerfile('FROM alpine\nFROBNICATE now\nRUN true\n');
  const unknown = instr(m, 0, 'FROBNICATE');
  assert.equal(unknown.effect, 'none');
  assert.equal(unknown.reason, 'unknown-instruction');
  assert.equal(instr(m, 0, 'RUN').layer, 1);
});

// ---------------------------------------------------------------------------------------------
// WORKDIR

test('WORKDIR / writes nothing: root always exists', () => {
  const m = analyzeDockerfile('FROM alpine\nWORKDIR /\nRUN true\n');
  const workdir = instr(m, 0, 'WORKDIR');
  assert.equal(workdir.effect, 'metadata');
  assert.equal(workdir.reason, 'workdir-root');
  assert.equal(workdir.layer, undefined);
  assert.equal(instr(m, 0, 'RUN').layer, 1);
});

test('repeated WORKDIR: the first creates the directory, the second finds it', () => {
  const m = analyzeDockerfile('FROM alpine\nWORKDIR /app\nRUN true\nWORKDIR /app\n');
  const first = instr(m, 0, 'WORKDIR', 0);
  const second = instr(m, 0, 'WORKDIR', 1);
  assert.equal(first.effect, 'filesystem');
  assert.equal(first.reason, 'workdir-creates');
  assert.equal(first.layer, 1);
  assert.equal(second.effect, 'metadata');
  assert.equal(second.reason, 'workdir-exists');
  assert.equal(second.layer, undefined);
  assert.equal(instr(m, 0, 'RUN').layer, 2);
});

test('WORKDIR after COPY into that directory writes nothing', () => {
  const m = analyzeDockerfile('FROM node:22\nCOPY package.json package-lock.json /app/\nWORKDIR /app\n');
  assert.equal(instr(m, 0, 'WORKDIR').reason, 'workdir-exists');
  assert.equal(instr(m, 0, 'WORKDIR').effect, 'metadata');
});

test('WORKDIR after `COPY . /dir` writes nothing: a directory source makes the destination a directory', () => {
  const m = analyzeDockerfile('FROM node:22\nCOPY . /srv/app\nWORKDIR /srv/app\nCOPY --from=node:22 /usr/lib/node_modules/ /opt/mods\nWORKDIR /opt/mods\n');
  assert.equal(instr(m, 0, 'WORKDIR', 0).reason, 'workdir-exists');
  assert.equal(instr(m, 0, 'WORKDIR', 1).reason, 'workdir-exists');
});

test('WORKDIR after a COPY to a file path knows only the parent directory', () => {
  const m = analyzeDockerfile('FROM alpine\nCOPY app.jar /opt/app/app.jar\nWORKDIR /opt/app\nWORKDIR /opt/app/app.jar/x\n');
  assert.equal(instr(m, 0, 'WORKDIR', 0).reason, 'workdir-exists');
  assert.equal(instr(m, 0, 'WORKDIR', 1).reason, 'workdir-creates');
});

test('WORKDIR with a relative path resolves against the current working directory', () => {
  const m = analyzeDockerfile('FROM alpine\nWORKDIR /app\nWORKDIR src\nWORKDIR ../lib\nWORKDIR /app/src\nWORKDIR /app/lib/\n');
  assert.deepEqual(
    m.stages[0]!.instructions.filter((i) => i.keyword === 'WORKDIR').map((i) => [i.reason, i.layer]),
    [['workdir-creates', 1], ['workdir-creates', 2], ['workdir-creates', 3], ['workdir-exists', undefined], ['workdir-exists', undefined]],
  );
});

test('WORKDIR with an ENV variable uses its value', () => {
  const m = analyzeDockerfile('FROM alpine\nENV APP_HOME=/srv/app\nWORKDIR $APP_HOME\nWORKDIR ${APP_HOME}\nWORKDIR /srv/app\n');
  assert.equal(instr(m, 0, 'WORKDIR', 0).reason, 'workdir-creates');
  assert.equal(instr(m, 0, 'WORKDIR', 1).reason, 'workdir-exists');
  assert.equal(instr(m, 0, 'WORKDIR', 2).reason, 'workdir-exists');
});

test('ENV with a quoted value containing spaces, then used in WORKDIR', () => {
  const m = analyzeDockerfile('FROM alpine\nENV DATA_DIR="/opt/my data"\nWORKDIR $DATA_DIR\nWORKDIR "/opt/my data"\nWORKDIR /opt/my\\ data\nWORKDIR /opt/my\n');
  assert.equal(instr(m, 0, 'WORKDIR', 0).reason, 'workdir-creates');
  assert.equal(instr(m, 0, 'WORKDIR', 1).reason, 'workdir-exists');
  assert.equal(instr(m, 0, 'WORKDIR', 2).reason, 'workdir-exists');
  // the value was kept whole: no directory named after its first word was created
  assert.equal(instr(m, 0, 'WORKDIR', 3).reason, 'workdir-creates');
  assert.deepEqual(layerNumbers(m, 0), ['base:0', 'filesystem:1', 'filesystem:2']);
});

test('one ENV expands every value against the variables before it, as BuildKit does', () => {
  const m = analyzeDockerfile('FROM alpine\nENV DIR=/tmp\nENV DIR=/srv/new OLD=$DIR\nWORKDIR $OLD\nWORKDIR $DIR\n');
  assert.equal(instr(m, 0, 'WORKDIR', 0).reason, 'workdir-exists'); // /tmp
  assert.equal(instr(m, 0, 'WORKDIR', 1).reason, 'workdir-creates'); // /srv/new
});

test('WORKDIR /tmp exists in an image stage but is created in a scratch stage', () => {
  const m = analyzeDockerfile('FROM debian:12 AS image\nWORKDIR /tmp\nWORKDIR /usr/local/bin\nFROM scratch\nWORKDIR /tmp\n');
  assert.equal(instr(m, 0, 'WORKDIR', 0).reason, 'workdir-exists');
  assert.equal(instr(m, 0, 'WORKDIR', 1).reason, 'workdir-exists');
  const scratchWorkdir = instr(m, 1, 'WORKDIR');
  assert.equal(scratchWorkdir.effect, 'filesystem');
  assert.equal(scratchWorkdir.reason, 'workdir-creates');
  assert.equal(scratchWorkdir.layer, 1);
});

test('WORKDIR after RUN mkdir -p writes nothing', () => {
  const m = analyzeDockerfile('FROM alpine\nRUN mkdir -p /srv/www /var/cache/app && chown app /srv/www\nWORKDIR /srv/www\nWORKDIR /var/cache/app\nWORKDIR /srv/other\n');
  assert.equal(instr(m, 0, 'WORKDIR', 0).reason, 'workdir-exists');
  assert.equal(instr(m, 0, 'WORKDIR', 1).reason, 'workdir-exists');
  assert.equal(instr(m, 0, 'WORKDIR', 2).reason, 'workdir-creates');
});

test('a stage built FROM another stage knows the directories the parent created', () => {
  const m = analyzeDockerfile('FROM scratch AS base\nWORKDIR /app\nFROM base\nWORKDIR /app\nWORKDIR /tmp\n');
  assert.equal(instr(m, 0, 'WORKDIR').reason, 'workdir-creates');
  assert.equal(instr(m, 1, 'WORKDIR', 0).reason, 'workdir-exists');
  // the parent is scratch: /tmp does not exist there either
  assert.equal(instr(m, 1, 'WORKDIR', 1).reason, 'workdir-creates');
  assert.equal(instr(m, 1, 'WORKDIR', 1).layer, 2);
});

// ---------------------------------------------------------------------------------------------
// Stage bases and layer numbering across stages

test('FROM scratch: no base group, own layers still count from 1', () => {
  const m = analyzeDockerfile('FROM scratch\nCOPY hello /\nCMD ["/hello"]\n');
  const stage = m.stages[0]!;
  assert.deepEqual(stage.base, { kind: 'scratch' });
  assert.equal(instr(m, 0, 'FROM').reason, 'base-scratch');
  assert.deepEqual(layerNumbers(m, 0), ['filesystem:1']);
  assert.equal(instr(m, 0, 'COPY').layer, 1);
  assert.deepEqual(m.problems, []);
});

test('a stage FROM an earlier stage continues its layer numbering', () => {
  const m = analyzeDockerfile('FROM node:22 AS deps\nWORKDIR /app\nRUN npm ci\nFROM deps AS build\nCOPY . .\nRUN npm run build\n');
  const build = m.stages[1]!;
  assert.deepEqual(build.base, { kind: 'stage', stage: 0, name: 'deps' });
  assert.equal(instr(m, 1, 'FROM').reason, 'base-stage');
  assert.deepEqual(layerNumbers(m, 0), ['base:0', 'filesystem:1', 'filesystem:2']);
  assert.deepEqual(layerNumbers(m, 1), ['stage:0', 'filesystem:3', 'filesystem:4']);
  assert.equal(instr(m, 1, 'RUN').layer, 4);
  assert.deepEqual(build.dependencies.map((d) => [d.kind, d.stage]), [['from', 0]]);
});

test('a stage FROM an image starts its own numbering at 1 again', () => {
  const m = analyzeDockerfile('FROM golang:1.23 AS build\nRUN go build\nRUN strip app\nFROM alpine\nCOPY --from=build /app /app\n');
  assert.equal(instr(m, 1, 'COPY').layer, 1);
  assert.deepEqual(layerNumbers(m, 1), ['base:0', 'filesystem:1']);
});

test('image reference on another registry with a tag', () => {
  const m = analyzeDockerfile('FROM ghcr.io/a/b:1\n');
  const base = m.stages[0]!.base;
  assert.equal(base.kind, 'image');
  if (base.kind !== 'image') return;
  assert.equal(base.registry, 'ghcr.io');
  assert.equal(base.repository, 'a/b');
  assert.equal(base.tag, '1');
  assert.equal(base.display, 'ghcr.io/a/b:1');
});

test('image reference on a localhost registry with a port', () => {
  const m = analyzeDockerfile('FROM localhost:5000/x\n');
  const base = m.stages[0]!.base;
  assert.equal(base.kind, 'image');
  if (base.kind !== 'image') return;
  assert.equal(base.registry, 'localhost:5000');
  assert.equal(base.repository, 'x');
  assert.equal(base.tag, undefined);
  assert.equal(base.display, 'localhost:5000/x');
});

test('image reference pinned by digest', () => {
  const digest = 'sha256:' + '0123456789abcdef'.repeat(4);
  const m = analyzeDockerfile(`FROM alpine:3.20@${digest}\n`);
  const base = m.stages[0]!.base;
  assert.equal(base.kind, 'image');
  if (base.kind !== 'image') return;
  assert.equal(base.registry, undefined);
  assert.equal(base.repository, 'library/alpine');
  assert.equal(base.tag, '3.20');
  assert.equal(base.digest, digest);
});

test('explicit docker.io/library reference is shown as the short Docker Hub name', () => {
  const m = analyzeDockerfile('FROM docker.io/library/node:22\n');
  const base = m.stages[0]!.base;
  assert.equal(base.kind, 'image');
  if (base.kind !== 'image') return;
  assert.equal(base.registry, undefined);
  assert.equal(base.repository, 'library/node');
  assert.equal(base.tag, '22');
  assert.equal(base.display, 'node:22');
  assert.equal(base.raw, 'docker.io/library/node:22');
});

// ---------------------------------------------------------------------------------------------
// Scale

test('a generated Dockerfile with 2,000 instructions analyses without throwing', () => {
  const lines = ['ARG BASE=alpine:3.20'];
  const stages = 40;
  for (let s = 0; s < stages; s++) {
    lines.push(s === 0 ? 'FROM ${BASE} AS s0' : `FROM s${s - 1} AS s${s}`);
    for (let i = 0; lines.length < (s + 1) * 50; i++) {
      const kind = i % 5;
      if (kind === 0) lines.push(`RUN echo ${s}-${i}`);
      else if (kind === 1) lines.push(`ENV K${i}=v${s}`);
      else if (kind === 2) lines.push(`COPY --from=s${Math.max(0, s - 1)} /a${i} /b${i}/`);
      else if (kind === 3) lines.push(`WORKDIR /w${s}/d${i}`);
      else lines.push(`LABEL l${i}=${s}`);
    }
  }
  lines.length = 2000;
  const m = analyzeDockerfile(lines.join('\n') + '\n');
  assert.equal(m.stages.length, stages);
  assert.equal(m.preamble.length + m.stages.reduce((n, s) => n + s.instructions.length, 0), 2000);
  // every own layer of every stage, numbered without gaps across the FROM chain
  const own = m.stages.flatMap((s) => s.layers.filter((l) => l.kind === 'filesystem').map((l) => l.number));
  assert.deepEqual(own, own.map((_, i) => i + 1));
  assert.equal(m.target, stages - 1);
  assert.ok(m.stages.every((s) => s.used));
  // stage 0 copies from itself (s0) by construction: the only problems
  assert.ok(rules(m).every((r) => r === 'self-reference'));
});
