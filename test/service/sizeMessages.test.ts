/**
 * The size engine speaks Korean too: every figure detail, layer note and wasted-space text the
 * hover, the code lenses, the layers panel and the images view show comes with a message of the
 * catalog, that message says exactly the English the CLI prints, and its Korean is Korean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, codeLenses, estimateSizes, hover } from '../../server/src/service';
import { predictRebuild, rebuildReason } from '../../server/src/service/cache/predict';
import { sharedLayers } from '../../server/src/service/cache/shared';
import { baselineText, EFFECT_TEXT, PHRASES, type Text } from '../../server/src/service/explain';
import {
  describe as describeText, describeFigure, describeNotes, describeWhat, english, message, sayMessage, SIZE_TEXT, withoutMessages,
  type Message, type MessageId,
} from '../../server/src/service/sizes/messages';
import type { DockerfileModel, SizeFigure } from '../../server/src/service/types';
import { buildLayersView } from '../../protocol/layersView';
import { buildImagesView } from '../../protocol/imagesView';
import { scenarios, sizeWithContext, TREE, type Scenario } from '../sizeScenarios';

const HANGUL = /[\uAC00-\uD7A3]/;
/** English plural endings: Korean counts with 개 and has no use for them. */
const ENGLISH_ONLY = new Set(['s']);
const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));

let cached: Promise<Scenario[]> | undefined;
const all = () => (cached ??= scenarios());

test('every catalog entry has English and Korean with the same placeholders, and Korean words where English has words', () => {
  const ids = Object.keys(SIZE_TEXT) as MessageId[];
  assert.ok(ids.length > 100, `${ids.length} entries`);
  const prefixed = (prefix: string, table: Record<string, Text>) => Object.fromEntries(Object.entries(table).map(([k, v]) => [`${prefix} ${k}`, v]));
  const tables: Record<string, Text> = { ...SIZE_TEXT, ...prefixed('phrase', PHRASES), ...prefixed('effect', EFFECT_TEXT) };
  for (const [id, { en, ko }] of Object.entries(tables)) {
    assert.ok(en.trim() && ko.trim(), `${id} is empty in a language`);
    const english = [...placeholders(en)].filter((p) => !ENGLISH_ONLY.has(p)).sort();
    assert.deepEqual([...placeholders(ko)].sort(), english, `${id}: placeholders differ`);
    const words = en.replace(/\{\w+\}/g, '');
    if (/[a-z]{2}/i.test(words)) assert.match(ko, HANGUL, `${id} has no Korean: ${ko}`);
  }
});

/** Every text of the size pass in a model, with what the display shows for it in Korean. */
function sizeTexts(model: DockerfileModel): { where: string; english: string; said: Message | null | undefined }[] {
  const out: { where: string; english: string; said: Message | null | undefined }[] = [];
  const figure = (where: string, size: SizeFigure | undefined) => {
    if (size?.detail) out.push({ where, english: size.detail, said: size.message });
    (size?.unknownParts ?? []).forEach((u, i) => out.push({ where: `${where} unknown part ${i}`, english: u.what, said: u.message }));
  };
  for (const stage of model.stages) {
    figure(`stage ${stage.index} base`, stage.sizes?.base);
    figure(`stage ${stage.index} own`, stage.sizes?.own);
    figure(`stage ${stage.index} total`, stage.sizes?.total);
    stage.sizes?.baseImage?.layers.forEach((l, i) => figure(`stage ${stage.index} base layer ${i}`, l.size));
    for (const layer of stage.layers) {
      figure(`stage ${stage.index} layer ${layer.number}`, layer.size);
      (layer.notes ?? []).forEach((note, i) => out.push({ where: `stage ${stage.index} layer ${layer.number} note`, english: note, said: layer.noteMessages?.[i] }));
    }
  }
  for (const item of model.image?.wasted.items ?? []) out.push({ where: `waste ${item.path}`, english: item.what, said: item.whatMessage });
  return out;
}

test('every figure detail, note and wasted-bytes text of the scenarios has a message that says its English, in Korean', async () => {
  const seen = new Set<MessageId>();
  let texts = 0;
  for (const { name, model } of await all()) {
    for (const { where, english: text, said } of sizeTexts(model)) {
      texts++;
      assert.ok(said, `${name}, ${where}: no message for "${text}"`);
      assert.equal(english(said), text, `${name}, ${where}: the message says other words than the detail`);
      const korean = sayMessage(said, 'ko');
      assert.ok(korean !== undefined && HANGUL.test(korean), `${name}, ${where}: not Korean: ${korean}`);
      const walk = (m: Message) => {
        seen.add(m.id);
        for (const v of Object.values(m.values ?? {})) {
          if (typeof v === 'object' && 'items' in v) v.items.forEach((i) => typeof i === 'object' && 'id' in i && walk(i));
          else if (typeof v === 'object') walk(v);
        }
      };
      walk(said);
    }
  }
  assert.ok(texts > 300, `${texts} texts`);
  // the scenarios reach most of the catalog (the rest: digests, platform fallbacks, the server's states)
  assert.ok(seen.size >= 0.8 * Object.keys(SIZE_TEXT).length, `${seen.size} of ${Object.keys(SIZE_TEXT).length} ids used`);
});

test('the Korean hover, code lenses, layers panel and images view have no sentence without Korean', async () => {
  const scenariosList = await all();
  for (const { name, model } of scenariosList) {
    for (const stage of model.stages) {
      for (const instruction of stage.instructions) {
        const markdown = hover(model, { line: instruction.range.start.line, character: 1 }, 'ko', 'file:///w/Dockerfile')?.markdown ?? '';
        for (const line of markdown.split('\n').filter((l) => l.trim())) assert.match(line, HANGUL, `${name}, hover on line ${instruction.range.start.line + 1}: ${line}`);
      }
    }
    for (const lens of codeLenses(model, 'ko')) assert.match(lens.title, HANGUL, `${name}: lens ${lens.title}`);
    const view = buildLayersView(model, 'ko');
    for (const stage of view.stages) {
      for (const row of stage.layers) {
        if (row.detail) assert.match(row.detail, HANGUL, `${name}: layer ${row.id} detail ${row.detail}`);
        for (const note of row.notes) assert.match(note, HANGUL, `${name}: layer ${row.id} note ${note}`);
        for (const wasted of row.wasted) assert.match(wasted.text, HANGUL, `${name}: layer ${row.id} waste ${wasted.text}`);
        assert.match(row.cacheText, HANGUL);
      }
    }
  }
  const shared = sharedLayers(scenariosList.map(({ name, model }) => ({ name, model, contextId: 'ctx' })));
  const images = buildImagesView({ ...shared, images: shared.images.map((i) => ({ ...i, uri: `file:///w/${i.name}` })), notes: [] }, 'ko');
  const bases = images.images.flatMap((i) => i.layers.filter((l) => l.id.endsWith(':0')));
  assert.ok(bases.length > 5);
  for (const layer of bases) assert.match(layer.label, /^베이스 이미지 /, layer.label);
  assert.match(buildImagesView({ ...shared, images: shared.images.map((i) => ({ ...i, uri: '' })), notes: [] }, 'en').images[0]!.layers[0]!.label, /^base image /);
});

test('English displays say exactly the English details, notes and waste texts', async () => {
  const { model } = (await all()).find((s) => s.name === 'apt: recommends, lists, no -y, tzdata, python')!;
  const layer = model.stages[0]!.layers.find((l) => l.number === 2)!;
  assert.ok(layer.notes!.some((n) => /^8 recommended packages \(10\.7 MB\) come along/.test(n)), layer.notes!.join('\n'));
  assert.deepEqual(describeNotes(layer, 'en'), layer.notes);
  assert.equal(describeFigure(layer.size!, 'en'), layer.size!.detail);
  const ko = describeNotes(layer, 'ko');
  assert.ok(ko.includes('권장 패키지 8개(10.7 MB)가 함께 설치됩니다: --no-install-recommends를 쓰면 빠집니다'), ko.join('\n'));
  const example = (await all()).find((s) => s.name === 'examples/apt-waste')!.model;
  const item = example.image!.wasted.items[0]!;
  assert.equal(describeWhat(item, 'en'), 'apt lists (apt-get update)');
  assert.equal(describeWhat(item, 'ko'), 'apt 목록 (apt-get update)');
});

test('a detail rewritten without its message, or a message from elsewhere, is shown in English', () => {
  const said = message('workdirEntry');
  assert.equal(describeText(english(said), said, 'ko'), '새 디렉터리 항목 (BuildKit이 약 32바이트를 씀)');
  assert.equal(describeText('something else', said, 'ko'), 'something else');
  assert.equal(describeText('from a newer server', { id: 'no-such-id' } as unknown as Message, 'ko'), 'from a newer server');
  assert.equal(describeText('x', { id: 'ownLayers', values: { count: { id: '__proto__' } } } as unknown as Message, 'ko'), 'x');
  assert.equal(describeText('plain', null, 'ko'), 'plain');
});

test('why the build context is missing is said in Korean too (the server passes messages)', () => {
  const model = estimateSizes(analyzeDockerfile('FROM scratch\nCOPY a /a\n'), { contextUnavailable: message('contextFailed', { reason: 'EACCES: permission denied' }) });
  const size = model.stages[0]!.layers.find((l) => l.kind === 'filesystem')!.size!;
  assert.equal(size.detail, 'the build context could not be read: EACCES: permission denied');
  assert.equal(describeFigure(size, 'ko'), '빌드 컨텍스트를 읽을 수 없습니다: EACCES: permission denied');
  const plain = estimateSizes(analyzeDockerfile('FROM scratch\nCOPY a /a\n'), { contextUnavailable: 'not read (--no-context)' });
  assert.equal(describeFigure(plain.stages[0]!.layers.find((l) => l.kind === 'filesystem')!.size!, 'ko'), 'not read (--no-context)', 'a plain string stays as it is');
});

test('the CLI JSON leaves the messages out: its English fields are the same as before', async () => {
  const { model } = (await all()).find((s) => s.name === 'copy and add from the context')!;
  const json = JSON.stringify(model, withoutMessages);
  assert.doesNotMatch(json, /"(noteMessages|whatMessage|labelMessage)"/);
  assert.doesNotMatch(json, /"message":\{/);
  assert.match(json, /"detail":"exact: 15 files, 2\.1 MB from the build context \(after \.dockerignore\)"/);
  const withProblem = JSON.stringify(analyzeDockerfile('FROM a AS x\nFROM b AS x\n'), withoutMessages);
  assert.match(withProblem, /"message":"Stage name 'x' is already used/, "a problem's message (a string) stays");
});

test('why a step rebuilds and what it is compared with are said in Korean', async () => {
  const text = [
    'ARG BASE=debian:bookworm',
    'FROM $BASE AS build',
    'ARG MODE',
    'ENV LEVEL=1',
    'RUN echo $MODE',
    'COPY src ./src',
    'FROM build AS final',
    'RUN make',
    'COPY --from=build /src /out',
  ].join('\n');
  const model = await sizeWithContext(text, TREE);
  const changes = [{ files: ['src/index.ts'] }, { editedLines: [3] }, { buildArgs: ['MODE'] }, { buildArgs: ['BASE'] }, { editedLines: [4] }];
  const kinds = new Set<string>();
  for (const change of changes) {
    const prediction = predictRebuild(model, change);
    const withCache = { ...model, cache: { baseline: 'the last commit (git HEAD)', prediction } };
    for (const stage of prediction.stages) {
      for (const step of stage.steps.filter((s) => !s.reused && s.cause)) {
        kinds.add(step.cause!.kind);
        assert.equal(rebuildReason(step, withCache, 'en'), step.reason);
        assert.match(rebuildReason(step, withCache, 'ko'), HANGUL, `${step.cause!.kind}: ${rebuildReason(step, withCache, 'ko')}`);
      }
    }
    for (const lens of codeLenses(withCache, 'ko')) assert.match(lens.title, HANGUL);
    const view = buildLayersView(withCache, 'ko');
    assert.match(view.cacheNote, /마지막 커밋 \(git HEAD\) 기준/);
    for (const row of view.stages.flatMap((s) => s.layers)) assert.doesNotMatch(row.cacheText, /changed|rebuilds/, row.cacheText);
  }
  assert.deepEqual([...kinds].sort(), ['base', 'below', 'build-arg', 'environment', 'file', 'instruction', 'stage-output']);
  assert.equal(baselineText({ baseline: 'revision abc123', revision: 'abc123' }, 'ko'), '리비전 abc123');
  assert.equal(baselineText({ baseline: 'revision abc123', revision: 'abc123' }, 'en'), 'revision abc123');
});
