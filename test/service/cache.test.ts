import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, codeLenses, hover } from '../../server/src/service';
import { estimateSizes, type SizeServices } from '../../server/src/service/sizes/estimate';
import { predictRebuild, type ChangeSet } from '../../server/src/service/cache/predict';
import { cacheInputsText } from '../../server/src/service/cache/inputs';
import { exactSize } from '../../server/src/service/sizes/types';
import type { DockerfileModel } from '../../server/src/service/types';

/** A fake context where each COPY reads exactly the source words it names. */
const context: SizeServices = {
  copyFromContext: (info) => {
    const words = info.args.split(/\s+/).filter((w) => !w.startsWith('--'));
    const sources = words.slice(0, -1);
    return { size: exactSize(1000 * sources.length, null, 'x'), content: 'source-text', writes: [], notes: [], inputs: sources };
  },
};

function model(text: string, options: { buildArgs?: Record<string, string>; target?: string } = {}): DockerfileModel {
  return estimateSizes(analyzeDockerfile(text, options), context);
}

/** `layer:reused|rebuilt` per layer-making step of a stage. */
function steps(m: DockerfileModel, changes: ChangeSet, stage = m.target) {
  return predictRebuild(m, changes).stages[stage]!.steps.filter((s) => s.layer !== undefined).map((s) => `${s.layer}:${s.reused ? 'reused' : 'rebuilt'}`);
}

const NODE = `FROM node:22
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
LABEL version=1
CMD ["node", "dist/server.js"]
`;

test('nothing changed: everything is reused', () => {
  assert.deepEqual(steps(model(NODE), {}), ['1:reused', '2:reused', '3:reused', '4:reused', '5:reused']);
});

test('a source file edit rebuilds from the COPY . . that reads it, not the dependency install', () => {
  const m = model(NODE);
  const prediction = predictRebuild(m, { files: ['src/index.ts'] });
  assert.deepEqual(steps(m, { files: ['src/index.ts'] }), ['1:reused', '2:reused', '3:reused', '4:rebuilt', '5:rebuilt']);
  const stage = prediction.stages[0]!;
  assert.equal(stage.firstMiss!.layer, 4);
  assert.equal(stage.firstMiss!.reason, 'src/index.ts changed');
  assert.equal(stage.steps.find((s) => s.layer === 5)!.reason, 'layer 4 below it rebuilds');
  assert.deepEqual(prediction.target!.rebuilt, [4, 5]);
});

test('a dependency manifest edit rebuilds the install and everything after it', () => {
  assert.deepEqual(steps(model(NODE), { files: ['package.json'] }), ['1:reused', '2:rebuilt', '3:rebuilt', '4:rebuilt', '5:rebuilt']);
});

test('LABEL, CMD and EXPOSE edits rebuild nothing; ENV and USER edits rebuild later RUNs only', () => {
  const text = 'FROM alpine:3.22\nLABEL a=1\nEXPOSE 80\nENV MODE=prod\nUSER app\nCOPY x /x\nRUN make\nCMD ["x"]\n';
  const m = model(text);
  for (const line of [1, 2, 7]) assert.deepEqual(steps(m, { editedLines: [line] }), ['1:reused', '2:reused'], `line ${line}`);
  assert.deepEqual(steps(m, { editedLines: [3] }), ['1:reused', '2:rebuilt']);
  assert.deepEqual(steps(m, { editedLines: [4] }), ['1:reused', '2:rebuilt']);
  const cause = predictRebuild(m, { editedLines: [3] }).stages[0]!.firstMiss!;
  assert.equal(cause.reason, 'ENV on line 4 changed what later RUN steps see');
});

test('editing an instruction rebuilds it and every later layer', () => {
  assert.deepEqual(steps(model(NODE), { editedLines: [3] }), ['1:reused', '2:reused', '3:rebuilt', '4:rebuilt', '5:rebuilt']);
});

test('the Dockerfile is in the context: with COPY . . any edit of it rebuilds that COPY', () => {
  const m = model(NODE);
  assert.deepEqual(steps(m, { editedLines: [6], dockerfile: 'Dockerfile' }), ['1:reused', '2:reused', '3:reused', '4:rebuilt', '5:rebuilt']);
  assert.deepEqual(steps(m, { editedLines: [6] }), ['1:reused', '2:reused', '3:reused', '4:reused', '5:reused'], 'excluded by .dockerignore');
});

test('a build arg rebuilds the RUN steps after its declaration, even ones that do not use it', () => {
  const text = 'FROM alpine:3.22\nRUN echo before\nARG VERSION=1\nCOPY x /x\nRUN echo unrelated\n';
  assert.deepEqual(steps(model(text), { buildArgs: ['VERSION'] }), ['1:reused', '2:reused', '3:rebuilt']);
  assert.deepEqual(steps(model(text), { buildArgs: ['UNDECLARED'] }), ['1:reused', '2:reused', '3:reused']);
});

test('a global ARG used in FROM changes the base: the whole stage rebuilds', () => {
  const m = model('ARG TAG=3.22\nFROM alpine:${TAG}\nRUN true\n');
  const prediction = predictRebuild(m, { buildArgs: ['TAG'] });
  assert.deepEqual(steps(m, { buildArgs: ['TAG'] }), ['1:rebuilt']);
  assert.match(prediction.stages[0]!.steps[1]!.reason!, /base image/);
});

test('files excluded from the COPY (not read) change nothing', () => {
  assert.deepEqual(steps(model(NODE), { files: ['README.md'] }), ['1:reused', '2:reused', '3:reused', '4:rebuilt', '5:rebuilt'], 'COPY . . reads everything');
  const narrow = model('FROM alpine:3.22\nCOPY src /src\nRUN build\n');
  assert.deepEqual(steps(narrow, { files: ['docs/x.md'] }), ['1:reused', '2:reused']);
  assert.deepEqual(steps(narrow, { files: ['src/a/b.c'] }), ['1:rebuilt', '2:rebuilt']);
});

test('stages the target does not need are not built, whatever changed', () => {
  const m = model('FROM alpine:3.22 AS tools\nCOPY tools /t\nFROM alpine:3.22\nCOPY app /app\n');
  const prediction = predictRebuild(m, { files: ['tools/x', 'app/y'] });
  assert.equal(prediction.stages[0]!.built, false);
  assert.ok(prediction.stages[0]!.steps.every((s) => s.reused));
  assert.deepEqual(steps(m, { files: ['tools/x'] }), ['1:reused']);
});

test('a builder stage that rebuilds makes COPY --from it rebuild (reused only if byte-identical)', () => {
  const m = model('FROM golang:1.27 AS build\nCOPY . /src\nRUN go build -o /out/app /src\nFROM alpine:3.22\nRUN apk add --no-cache ca-certificates\nCOPY --from=build /out/app /app\n');
  const prediction = predictRebuild(m, { files: ['main.go'] });
  assert.deepEqual(steps(m, { files: ['main.go'] }), ['1:reused', '2:rebuilt']);
  assert.match(prediction.stages[1]!.firstMiss!.reason!, /stage 'build' rebuilds \(reused only if its output is byte-identical\)/);
});

test('COPY --from chained through three stages: a change in the first rebuilds both copies; one in the second, only the last', () => {
  const m = model('FROM alpine:3.22 AS a\nCOPY src /src\nFROM alpine:3.22 AS b\nCOPY --from=a /src /mid\nCOPY extra.txt /mid/extra.txt\nFROM alpine:3.22\nCOPY --from=b /mid /all\n');
  const all = (files: string[]) => [0, 1, 2].map((stage) => steps(m, { files }, stage).join(' '));
  assert.deepEqual(all(['src/main.c']), ['1:rebuilt', '1:rebuilt 2:rebuilt', '1:rebuilt']);
  assert.deepEqual(all(['extra.txt']), ['1:reused', '1:reused 2:rebuilt', '1:rebuilt']);
  assert.deepEqual(all(['unrelated.txt']), ['1:reused', '1:reused 2:reused', '1:reused']);
  const reasons = predictRebuild(m, { files: ['src/main.c'] }).stages.map((s) => s.firstMiss?.reason);
  assert.match(reasons[1]!, /stage 'a' rebuilds/);
  assert.match(reasons[2]!, /stage 'b' rebuilds/);
});

test('a child stage FROM a rebuilt stage rebuilds entirely; bind-mounted files count like COPY', () => {
  const m = model('FROM alpine:3.22 AS base\nCOPY a /a\nFROM base\nRUN --mount=type=bind,source=go.mod,target=/go.mod true\nRUN true\n');
  assert.deepEqual(steps(m, { files: ['a'] }), ['2:rebuilt', '3:rebuilt']);
  assert.deepEqual(steps(m, { files: ['go.mod'] }), ['2:rebuilt', '3:rebuilt']);
  assert.deepEqual(steps(m, { files: ['other'] }), ['2:reused', '3:reused']);
});

test('rebuilt bytes and bytes to push add up the rebuilt layers of the target chain', () => {
  const m = model('FROM alpine:3.22\nCOPY a b /x/\nCOPY c /y\n');
  const target = predictRebuild(m, { files: ['a'] }).target!;
  assert.deepEqual(target.rebuilt, [1, 2]);
  assert.equal(target.bytes, 3000);
  assert.ok(target.pushBytes > 0 && target.pushBytes < 3000);
});

test('hover words for what a step\'s cache depends on', () => {
  const m = model('FROM node:22\nARG V=1\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nENV A=1\nLABEL x=1\n');
  const stage = m.stages[0]!;
  const text = (i: number, locale: 'en' | 'ko' = 'en') => cacheInputsText(stage.instructions[i]!, stage.layers.find((l) => l.instruction === i && l.kind === 'filesystem'), stage, locale);
  assert.equal(text(2), 'Cache: reused on the next build unless this instruction, a layer below or the files it copies (package.json) change');
  assert.match(text(3)!, /build args V or ENV\/USER\/WORKDIR above it change$/);
  assert.match(text(4)!, /any file of the build context \(this Dockerfile too/);
  assert.match(text(5)!, /changing it rebuilds the RUN steps after it/);
  assert.match(text(6)!, /changing it rebuilds nothing/);
  assert.match(text(2, 'ko')!, /^캐시:/);
});

test('lenses and hovers show the next build\'s cache state when a baseline is known', () => {
  const m = model(NODE);
  const withCache = { ...m, cache: { baseline: 'the last commit (git HEAD)', prediction: predictRebuild(m, { files: ['src/app.ts'] }) } };
  const titles = codeLenses(withCache).map((l) => l.title);
  assert.ok(titles.some((t) => /^Layer 3 · .* · cached$/.test(t)), titles.join(' | '));
  assert.ok(titles.some((t) => /^Layer 4 · .* · rebuilds: src\/app\.ts changed$/.test(t)), titles.join(' | '));
  const text = hover(withCache, { line: 4, character: 1 })!.markdown;
  assert.match(text, /\*\*Next build \(compared with the last commit \(git HEAD\)\): rebuilds, because src\/app\.ts changed\*\*/);
  assert.doesNotMatch(codeLenses(m).map((l) => l.title).join(' '), /cached|rebuilds/, 'no baseline, no cache words');
});
