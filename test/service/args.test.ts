import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/service/model/analyze';
import type { BaseRef, DockerfileModel } from '../../server/src/service/types';
import { withCursor } from '../cursor';
import { instr, rules } from '../modelQueries';


/** The base image of a stage; fails the test when the stage is not built FROM an image. */
function image(model: DockerfileModel, stage = 0): Extract<BaseRef, { kind: 'image' }> {
  const base = model.stages[stage]!.base;
  assert.equal(base.kind, 'image');
  return base as Extract<BaseRef, { kind: 'image' }>;
}

test('ARG before FROM with a default resolves the base image', () => {
  const m = analyzeDockerfile('ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}-alpine\n');
  assert.equal(image(m).resolved, 'node:22-alpine');
  assert.equal(image(m).raw, 'node:${NODE_VERSION}-alpine');
  assert.deepEqual(image(m).unresolvedVariables, []);
  assert.deepEqual(m.globalArgs.map((a) => [a.name, a.value, a.origin]), [['NODE_VERSION', '22', 'default']]);
  assert.equal(m.preamble[0]!.effect, 'none');
  assert.deepEqual(m.problems, []);
});

test('--build-arg overrides the default of a global ARG', () => {
  const m = analyzeDockerfile('ARG NODE_VERSION=22\nFROM node:$NODE_VERSION\n', { buildArgs: { NODE_VERSION: '20' } });
  assert.equal(image(m).resolved, 'node:20');
  assert.equal(image(m).tag, '20');
  assert.deepEqual(m.globalArgs.map((a) => [a.name, a.value, a.origin]), [['NODE_VERSION', '20', 'build-arg']]);
});

test('--build-arg for an ARG nobody declared does not reach FROM', () => {
  const m = analyzeDockerfile('FROM node:${VERSION:-22}\n', { buildArgs: { VERSION: '18' } });
  assert.equal(image(m).resolved, 'node:22');
});

test('${VAR:-default} in FROM uses the default when the ARG has no value', () => {
  const m = analyzeDockerfile('ARG VARIANT\nFROM python:${VARIANT:-3.12-slim}\n');
  assert.equal(image(m).resolved, 'python:3.12-slim');
  assert.deepEqual(rules(m), []);
  const set = analyzeDockerfile('ARG VARIANT\nFROM python:${VARIANT:-3.12-slim}\n', { buildArgs: { VARIANT: '3.13' } });
  assert.equal(image(set).resolved, 'python:3.13');
});

test('${VAR:+x} in FROM gives x only when VAR is set and not empty', () => {
  const text = 'ARG DEBUG\nFROM app${DEBUG:+-debug}:1\n';
  assert.equal(image(analyzeDockerfile(text)).resolved, 'app:1');
  assert.equal(image(analyzeDockerfile(text, { buildArgs: { DEBUG: '' } })).resolved, 'app:1');
  assert.equal(image(analyzeDockerfile(text, { buildArgs: { DEBUG: 'yes' } })).resolved, 'app-debug:1');
  assert.deepEqual(rules(analyzeDockerfile(text)), []);
});

test('a global ARG default may use an earlier global ARG', () => {
  const m = analyzeDockerfile('ARG REGISTRY=ghcr.io\nARG IMAGE=${REGISTRY}/acme/api\nFROM $IMAGE:1.0\n');
  assert.equal(image(m).resolved, 'ghcr.io/acme/api:1.0');
  assert.equal(image(m).registry, 'ghcr.io');
});

test('in-stage `ARG X` without a value inherits the global value', () => {
  const m = analyzeDockerfile('ARG APP_DIR=/srv/app\nFROM alpine\nARG APP_DIR\nWORKDIR $APP_DIR\nWORKDIR /srv/app\n');
  const arg = instr(m, 0, 'ARG');
  assert.equal(arg.effect, 'metadata');
  assert.equal(arg.reason, 'declares-arg');
  assert.deepEqual(m.stages[0]!.args.map((a) => [a.name, a.value, a.origin]), [['APP_DIR', '/srv/app', 'global']]);
  assert.equal(instr(m, 0, 'WORKDIR', 0).reason, 'workdir-creates');
  assert.equal(instr(m, 0, 'WORKDIR', 1).reason, 'workdir-exists');
});

test('a global ARG is not visible in a stage that does not declare it', () => {
  const m = analyzeDockerfile('ARG APP_DIR=/srv/app\nFROM alpine\nWORKDIR /data$APP_DIR\n');
  // $APP_DIR is empty here: the WORKDIR is /data
  const m2 = analyzeDockerfile('ARG APP_DIR=/srv/app\nFROM alpine\nWORKDIR /data$APP_DIR\nWORKDIR /data\n');
  assert.equal(instr(m, 0, 'WORKDIR').reason, 'workdir-creates');
  assert.equal(instr(m2, 0, 'WORKDIR', 1).reason, 'workdir-exists');
  assert.deepEqual(m.stages[0]!.args, []);
});

test('in-stage ARG with a default ignores the global value; --build-arg wins over both', () => {
  const text = 'ARG MODE=global\nFROM alpine\nARG MODE=local\n';
  assert.deepEqual(analyzeDockerfile(text).stages[0]!.args.map((a) => [a.value, a.origin]), [['local', 'default']]);
  assert.deepEqual(
    analyzeDockerfile(text, { buildArgs: { MODE: 'cli' } }).stages[0]!.args.map((a) => [a.value, a.origin]),
    [['cli', 'build-arg']],
  );
});

test('ARGs declared in a parent stage are visible in a stage built FROM it', () => {
  const m = analyzeDockerfile('FROM alpine AS base\nARG DATA_DIR=/srv/data\nFROM base\nWORKDIR $DATA_DIR\nWORKDIR /srv/data\n');
  const first = instr(m, 1, 'WORKDIR', 0);
  assert.equal(first.reason, 'workdir-creates');
  assert.equal(first.layer, 1);
  assert.equal(instr(m, 1, 'WORKDIR', 1).reason, 'workdir-exists');
});

test('an undeclared variable in FROM is reported and resolves to empty', () => {
  const { text, position } = withCursor('FROM |node:${NODE_VERSION}-alpine\n');
  const m = analyzeDockerfile(text);
  assert.deepEqual(image(m).unresolvedVariables, ['NODE_VERSION']);
  assert.equal(image(m).resolved, 'node:-alpine');
  const problems = m.problems.filter((p) => p.rule === 'unresolved-from-arg');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.severity, 'warning');
  assert.deepEqual(problems[0]!.range.start, position);
});

test('a global ARG declared without a value is unresolved in FROM', () => {
  const m = analyzeDockerfile('ARG TAG\nFROM alpine:$TAG\n');
  assert.deepEqual(image(m).unresolvedVariables, ['TAG']);
  assert.deepEqual(rules(m), ['unresolved-from-arg']);
  assert.deepEqual(m.globalArgs.map((a) => [a.name, a.value, a.origin]), [['TAG', undefined, 'unset']]);
});

test('a base image that expands to nothing is an error', () => {
  const { text, position } = withCursor('ARG BASE_IMAGE=\nFROM |${BASE_IMAGE}\nRUN true\n');
  const m = analyzeDockerfile(text);
  const problems = m.problems.filter((p) => p.rule === 'empty-base-image');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.severity, 'error');
  assert.deepEqual(problems[0]!.range.start, position);
  assert.equal(image(m).resolved, '');
  // the stage is still analysed
  assert.equal(instr(m, 0, 'RUN').layer, 1);
});

test('TARGETARCH is defined automatically for FROM (linux/amd64 by default)', () => {
  const text = 'FROM ghcr.io/acme/tool:1.0-${TARGETARCH}\n';
  assert.equal(image(analyzeDockerfile(text)).resolved, 'ghcr.io/acme/tool:1.0-amd64');
  assert.equal(image(analyzeDockerfile(text, { targetPlatform: 'linux/arm64' })).resolved, 'ghcr.io/acme/tool:1.0-arm64');
  assert.deepEqual(rules(analyzeDockerfile(text)), []);
});

test('a global `ARG TARGETARCH` without a value keeps the automatic value', () => {
  const m = analyzeDockerfile('ARG TARGETARCH\nFROM alpine:3.20-$TARGETARCH\n', { targetPlatform: 'linux/arm64' });
  assert.equal(image(m).resolved, 'alpine:3.20-arm64');
  assert.deepEqual(rules(m), []);
  assert.deepEqual(m.globalArgs.map((a) => [a.name, a.value, a.origin]), [['TARGETARCH', 'arm64', 'predefined']]);
});

test('a bare global ARG repeated keeps its earlier default', () => {
  const m = analyzeDockerfile('ARG V=1.2\nARG V\nFROM alpine:$V\n');
  assert.equal(image(m).resolved, 'alpine:1.2');
  assert.deepEqual(rules(m), []);
});

test('FROM --platform=$BUILDPLATFORM sets the stage platform', () => {
  const m = analyzeDockerfile(
    'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build\nFROM alpine\nCOPY --from=build /out /out\n',
    { targetPlatform: 'linux/arm64', buildPlatform: 'linux/amd64' },
  );
  assert.equal(m.stages[0]!.platform, 'linux/amd64');
  assert.equal(m.stages[1]!.platform, undefined);
  assert.equal(image(m).resolved, 'golang:1.23');
  assert.equal(m.stages[0]!.name, 'build');
  // in-stage declarations of automatic args get the target platform's values
  assert.deepEqual(m.stages[0]!.args.map((a) => [a.name, a.value, a.origin]), [['TARGETOS', 'linux', 'predefined'], ['TARGETARCH', 'arm64', 'predefined']]);
  assert.deepEqual(m.problems, []);
});

test('a base chosen by ARG can name an earlier stage', () => {
  const m = analyzeDockerfile('ARG FLAVOUR=dev\nFROM alpine AS dev\nRUN x\nFROM alpine AS prod\nFROM ${FLAVOUR}\nRUN y\n');
  assert.deepEqual(m.stages[2]!.base, { kind: 'stage', stage: 0, name: 'dev' });
  assert.equal(instr(m, 2, 'RUN').layer, 2);
  assert.deepEqual(m.stages.map((s) => s.used), [true, false, true]);
});
