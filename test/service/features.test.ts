import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, codeLenses, diagnose, documentSymbols, estimateSizes, foldingRanges, formatLayerTable, hover, diagnostics } from '../../server/src/service';
import { withCursor } from '../cursor';

function hoverAt(marked: string, locale: 'en' | 'ko' = 'en') {
  const { text, position } = withCursor(marked);
  return hover(analyzeDockerfile(text), position, locale);
}

const MULTI = `FROM node:22 AS deps
WORKDIR /app
COPY package.json ./
RUN npm ci
FROM deps AS build
COPY . .
RUN npm run build
FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html
`;

test('hover on RUN names its layer and stage', () => {
  const result = hoverAt(MULTI.replace('RUN npm ci', 'RUN n|pm ci'));
  assert.ok(result);
  assert.match(result.markdown, /^\*\*Layer 3 of stage `deps`\*\* — filesystem layer/);
  assert.match(result.markdown, /not known yet/);
});

test('hover on a stage built FROM another stage continues its layer numbers', () => {
  const result = hoverAt(MULTI.replace('RUN npm run build', '|RUN npm run build'));
  assert.match(result!.markdown, /Layer 5 of stage `build`/);
});

test('hover on ENV says no layer, metadata only', () => {
  const result = hoverAt('FROM alpine\nEN|V A=1\n');
  assert.match(result!.markdown, /^\*\*No layer\*\* — sets image metadata only/);
});

test('hover on WORKDIR of an existing directory explains why no layer is written', () => {
  const result = hoverAt('FROM alpine\nWORKDIR /app\nWORKDIR /tmp\nWORK|DIR /app\n');
  assert.match(result!.markdown, /No layer.*`\/app` already exists/);
});

test('hover on a FROM of a stage the target needs tells who reads it', () => {
  const result = hoverAt(MULTI.replace('FROM deps AS build', 'FR|OM deps AS build'));
  assert.match(result!.markdown, /Stage `build`.*inherits all/);
  assert.match(result!.markdown, /only what `#2` copies or inherits/);
});

test('hover on an unused stage says BuildKit skips it', () => {
  const result = hoverAt('FR|OM alpine AS tools\nRUN apk add git\nFROM busybox\nRUN true\n');
  assert.match(result!.markdown, /BuildKit skips this stage/);
});

test('hover on the target stage says its layers are the image', () => {
  const result = hoverAt(MULTI.replace('FROM nginx:1.27', 'FROM ngi|nx:1.27'));
  assert.match(result!.markdown, /image `nginx:1.27`/);
  assert.match(result!.markdown, /its layers are the image/);
});

test('hover in Korean', () => {
  const result = hoverAt('FROM alpine\nR|UN true\n', 'ko');
  assert.match(result!.markdown, /스테이지 `#0`의 레이어 1/);
});

test('hover between instructions or on a comment returns nothing', () => {
  assert.equal(hoverAt('FROM alpine\n# a com|ment\nRUN true\n'), null);
  assert.equal(hoverAt('|\n'), null);
});

test('hover on a global ARG explains it is usable in FROM only', () => {
  const result = hoverAt('AR|G V=1\nFROM alpine:$V\n');
  assert.match(result!.markdown, /global build argument/);
});

test('document symbols: stages with instructions and layer numbers', () => {
  const symbols = documentSymbols(analyzeDockerfile(MULTI));
  assert.deepEqual(symbols.map((s) => s.name), ["stage 'deps'", "stage 'build'", 'stage #2']);
  assert.match(symbols[1]!.detail!, /FROM stage 'deps' · 2 layers/);
  assert.match(symbols[2]!.detail!, /target/);
  const deps = symbols[0]!.children!;
  assert.deepEqual(deps.map((c) => c.detail), ['layer 1', 'layer 2', 'layer 3']);
  assert.equal(deps[1]!.name, 'COPY package.json ./');
});

test('folding: one region per stage and per multi-line instruction', () => {
  const text = 'FROM alpine\nRUN a \\\n  b\n\nFROM busybox\nCMD x\n';
  const ranges = foldingRanges(analyzeDockerfile(text));
  assert.deepEqual(ranges.map((r) => [r.startLine, r.endLine]), [[0, 2], [1, 2], [4, 5]]);
});

test('diagnostics carry source, code and rule, and unused stages are tagged unnecessary', () => {
  const text = 'FROM alpine:3.22 AS a\nFROM busybox:1.37\n';
  const list = diagnostics(diagnose(analyzeDockerfile(text), text));
  assert.equal(list.length, 1);
  assert.equal(list[0]!.source, 'dockerlens');
  assert.equal(list[0]!.code, 'DL-G007');
  assert.deepEqual(list[0]!.data, { rule: 'unused-stage' });
  assert.deepEqual(list[0]!.tags, [1]);
});

test('layer table lists every stage, layer numbers and problems', () => {
  const table = formatLayerTable(analyzeDockerfile(MULTI + 'FROM alpine AS extra\nRUN true\n', { target: '2' }), 'Dockerfile');
  assert.match(table, /target: stage #2/);
  assert.match(table, /Stage 'build' {2}FROM stage 'deps' {2}· 2 own layers · needed by the target/);
  assert.match(table, /\n {2}4 {5}6 {5}layer {5}COPY \. \./);
  assert.match(table, /Stage 'extra'.*unused: not built/);
  assert.match(table, /DL-G007/);
});

test('code lenses: a stage header with its total and role, and one per layer with its size', () => {
  const model = estimateSizes(analyzeDockerfile('FROM alpine:3.22 AS tools\nRUN apk add --no-cache git\nFROM alpine:3.22\nENV A=1\nRUN apk add --no-cache curl\n'));
  const lenses = codeLenses(model);
  assert.deepEqual(lenses.map((l) => [l.range.start.line, l.stage, l.layer]), [[0, 0, undefined], [1, 0, 1], [2, 1, undefined], [4, 1, 1]]);
  assert.match(lenses[0]!.title, /^Stage 'tools' · ≈ [\d.]+ MB (±\d+%|−\d+%\/\+\d+%) in all · not built for the target$/);
  assert.match(lenses[1]!.title, /^Layer 1 · ≈ [\d.]+ MB (±\d+%|−\d+%\/\+\d+%|\(≤ [\d.]+ MB\))$/);
  assert.match(lenses[2]!.title, /· target image$/);
  assert.match(codeLenses(model, 'ko')[1]!.title, /^레이어 1/);
  assert.equal(codeLenses(analyzeDockerfile('FROM scratch\nCOPY a /a\n'))[1]!.title, 'Layer 1');
});

test('hover: one Build, Ship or Run line where the instruction differs from every layer, and a link that opens the layer tree at the layer', () => {
  const { text, position } = withCursor('FROM alpine:3.22\nRUN apk add --no-cache git\nC|MD ["git"]\nLABEL a=b\n');
  const model = estimateSizes(analyzeDockerfile(text));
  const cmd = hover(model, position, 'en', 'file:///w/Dockerfile')!.markdown;
  assert.match(cmd, /\*\*Run\*\* the default command; the exec form/);
  assert.doesNotMatch(cmd, /\*\*(Build|Ship)\*\*/);
  const label = hover(model, { line: 3, character: 1 }, 'en')!.markdown;
  assert.match(label, /\*\*Ship\*\* part of the small image config/);
  const run = hover(model, { line: 1, character: 1 }, 'en', 'file:///w/Dockerfile')!.markdown;
  assert.match(run, /\*\*Build\*\* runs the command in a temporary container/);
  assert.doesNotMatch(run, /\*\*(Ship|Run)\*\*/, 'what every layer does is left to the layer tree');
  assert.equal(run.match(/^Cache: /gm)?.length, 1, 'the cache is said once');
  const link = /\[Show in the layer tree\]\(command:dockerlens\.showLayers\?([^)]+)\)/.exec(run);
  assert.ok(link, run);
  assert.deepEqual(JSON.parse(decodeURIComponent(link[1]!)), [{ uri: 'file:///w/Dockerfile', stage: 0, layer: 1 }]);
  const from = hover(model, { line: 0, character: 1 }, 'ko', 'file:///w/Dockerfile')!.markdown;
  assert.match(from, /\*\*실행\*\* 이 이미지의 컨테이너는 호스트 커널을 공유/);
  assert.doesNotMatch(hover(model, position)!.markdown, /command:/, 'no link without a document uri');
});
