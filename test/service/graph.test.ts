import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/service/model/analyze';
import type { DockerfileModel, Problem } from '../../server/src/service/types';
import { withCursor } from '../cursor';
import { instr, rules } from '../modelQueries';


function only(model: DockerfileModel, rule: string): Problem {
  const found = model.problems.filter((p) => p.rule === rule);
  assert.equal(found.length, 1, `expected one ${rule}, got ${JSON.stringify(rules(model))}`);
  return found[0]!;
}

const deps = (model: DockerfileModel, stage: number) =>
  model.stages[stage]!.dependencies.map((d) => ({ kind: d.kind, stage: d.stage, image: d.image, instruction: d.instruction }));

test('COPY --from by stage name (any case) depends on that stage', () => {
  const m = analyzeDockerfile('FROM golang:1.23 AS Builder\nRUN go build -o /out/app\nFROM alpine\nCOPY --from=BUILDER /out/app /usr/local/bin/app\n');
  assert.equal(m.stages[0]!.name, 'builder');
  assert.deepEqual(deps(m, 1), [{ kind: 'copy-from', stage: 0, image: undefined, instruction: 1 }]);
  assert.equal(m.stages[0]!.used, true);
  assert.deepEqual(m.problems, []);
});

test('COPY --from by stage index depends on that stage', () => {
  const m = analyzeDockerfile('FROM golang:1.23\nRUN go build\nFROM alpine\nCOPY --from=0 /go/bin/app /app\n');
  assert.deepEqual(deps(m, 1), [{ kind: 'copy-from', stage: 0, image: undefined, instruction: 1 }]);
  assert.equal(m.stages[0]!.used, true);
  assert.deepEqual(m.problems, []);
});

test('COPY --from an external image is an image dependency, not a problem', () => {
  const m = analyzeDockerfile('FROM alpine\nCOPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/\n');
  assert.deepEqual(deps(m, 0), [{ kind: 'copy-from', stage: undefined, image: 'nginx:1.27', instruction: 1 }]);
  assert.deepEqual(m.problems, []);
});

test('COPY --from a name that is no stage warns that an image will be pulled', () => {
  const { text, position } = withCursor('FROM golang:1.23 AS build\nFROM alpine\nCOPY |--from=biuld /app /app\n');
  const m = analyzeDockerfile(text);
  const p = only(m, 'stage-or-image');
  assert.equal(p.severity, 'warning');
  assert.equal(p.code, 'DL-G002');
  assert.deepEqual(p.range.start, position);
  assert.deepEqual(deps(m, 1), [{ kind: 'copy-from', stage: undefined, image: 'biuld', instruction: 1 }]);
  // the misspelt reference does not make stage 0 needed
  assert.equal(m.stages[0]!.used, false);
});

test('COPY --from an index past the last stage is an unknown stage', () => {
  const { text, position } = withCursor('FROM alpine AS a\nFROM alpine\nCOPY |--from=2 /x /x\n');
  const m = analyzeDockerfile(text);
  const p = only(m, 'unknown-stage');
  assert.equal(p.severity, 'error');
  assert.deepEqual(p.range.start, position);
  assert.deepEqual(m.stages[1]!.dependencies, []);
});

test('a stage copying from itself is a self reference', () => {
  const { text, position } = withCursor('FROM alpine AS app\nRUN touch /a\nCOPY |--from=app /a /b\n');
  const m = analyzeDockerfile(text);
  const p = only(m, 'self-reference');
  assert.deepEqual(p.range.start, position);
  assert.ok(!rules(m).includes('stage-cycle'));
});

test('copying from a stage defined later is reported, and the later stage is needed', () => {
  const { text, position } = withCursor('FROM alpine AS final\nCOPY |--from=assets /dist /srv\nFROM node:22 AS assets\nRUN npm run build\n');
  const m = analyzeDockerfile(text, { target: 'final' });
  const p = only(m, 'later-stage-reference');
  assert.deepEqual(p.range.start, position);
  assert.deepEqual(deps(m, 0), [{ kind: 'copy-from', stage: 1, image: undefined, instruction: 1 }]);
  assert.equal(m.stages[1]!.used, true);
});

test('two stages copying from each other form a cycle', () => {
  const { text, position } = withCursor('FROM alpine AS a\nCOPY --from=b /b /b\nFROM alpine AS b\nCOPY |--from=a /a /a\n');
  const m = analyzeDockerfile(text);
  const cycle = only(m, 'stage-cycle');
  assert.equal(cycle.severity, 'error');
  assert.deepEqual(cycle.range.start, position);
  assert.ok(rules(m).includes('later-stage-reference'));
});

test('a cycle through three stages is reported once', () => {
  const m = analyzeDockerfile('FROM alpine AS a\nCOPY --from=c / /\nFROM alpine AS b\nCOPY --from=a / /\nFROM alpine AS c\nCOPY --from=b / /\n');
  assert.equal(m.problems.filter((p) => p.rule === 'stage-cycle').length, 1);
});

test('RUN --mount=type=cache,from=stage depends on that stage', () => {
  const m = analyzeDockerfile(
    'FROM alpine AS cache-seed\nRUN mkdir /seed\nFROM golang:1.23\nRUN --mount=type=cache,from=cache-seed,source=/seed,target=/root/.cache go build\n',
  );
  assert.deepEqual(deps(m, 1), [{ kind: 'mount-from', stage: 0, image: undefined, instruction: 1 }]);
  assert.equal(m.stages[0]!.used, true);
  assert.deepEqual(m.problems, []);
  const run = instr(m, 1, 'RUN');
  assert.equal(run.flags[0]!.options['type'], 'cache');
  assert.equal(run.args, 'go build');
});

test('RUN --mount without from= adds no dependency', () => {
  const m = analyzeDockerfile('FROM alpine AS a\nFROM alpine\nRUN --mount=type=secret,id=token cat /run/secrets/token\n');
  assert.deepEqual(m.stages[1]!.dependencies, []);
  assert.equal(m.stages[0]!.used, false);
});

test('a stage the target does not need is unused', () => {
  const { text, position } = withCursor('|FROM alpine AS lint\nRUN make lint\nFROM alpine AS app\nRUN make\n');
  const m = analyzeDockerfile(text);
  assert.equal(m.target, 1);
  assert.equal(m.stages[0]!.used, false);
  assert.equal(m.stages[1]!.used, true);
  const p = only(m, 'unused-stage');
  assert.equal(p.unnecessary, true);
  assert.equal(p.severity, 'hint');
  assert.deepEqual(p.range.start, position);
});

test('stages reached only through an unused stage are unused too', () => {
  const m = analyzeDockerfile('FROM alpine AS base\nFROM base AS test\nRUN make test\nFROM alpine AS app\n');
  assert.deepEqual(m.stages.map((s) => s.used), [false, false, true]);
  assert.equal(m.problems.filter((p) => p.rule === 'unused-stage').length, 2);
});

test('a FROM-stage chain keeps every ancestor used', () => {
  const m = analyzeDockerfile('FROM alpine AS a\nFROM a AS b\nFROM b AS c\n');
  assert.deepEqual(m.stages.map((s) => s.used), [true, true, true]);
  assert.deepEqual(deps(m, 2), [{ kind: 'from', stage: 1, image: undefined, instruction: 0 }]);
  assert.deepEqual(m.problems, []);
});

test('target option picks a stage by name, case-insensitively', () => {
  const m = analyzeDockerfile('FROM alpine AS base\nRUN x\nFROM base AS Dev\nRUN y\nFROM alpine AS prod\nRUN z\n', { target: 'DEV' });
  assert.equal(m.target, 1);
  assert.deepEqual(m.stages.map((s) => s.isTarget), [false, true, false]);
  assert.deepEqual(m.stages.map((s) => s.used), [true, true, false]);
  assert.deepEqual(rules(m), ['unused-stage']);
});

test('target option may be a stage index', () => {
  const m = analyzeDockerfile('FROM alpine\nFROM alpine\n', { target: '0' });
  assert.equal(m.target, 0);
  assert.deepEqual(m.stages.map((s) => s.used), [true, false]);
});

test('an unknown target is reported and the last stage is analysed instead', () => {
  const { text, position } = withCursor('FROM alpine AS a\n|FROM alpine AS b\n');
  const m = analyzeDockerfile(text, { target: 'release' });
  const p = only(m, 'unknown-target');
  assert.equal(p.severity, 'error');
  assert.deepEqual(p.range.start, position);
  assert.equal(m.target, 1);
  assert.equal(m.stages[1]!.isTarget, true);
});

test('duplicate stage names (compared without case) are an error at the second name', () => {
  const { text, position } = withCursor('FROM alpine AS build\nRUN a\nFROM alpine AS |Build\nRUN b\nFROM alpine\nCOPY --from=build /x /x\n');
  const m = analyzeDockerfile(text);
  const p = only(m, 'duplicate-stage-name');
  assert.equal(p.code, 'DL-G006');
  assert.deepEqual(p.range.start, position);
  // references resolve to the first stage of that name
  assert.deepEqual(deps(m, 2), [{ kind: 'copy-from', stage: 0, image: undefined, instruction: 1 }]);
});

test('no stages: target is -1 and there are no graph problems', () => {
  const m = analyzeDockerfile('ARG X=1\n', { target: 'anything' });
  assert.equal(m.target, -1);
  assert.deepEqual(m.stages, []);
  assert.deepEqual(m.problems, []);
});
