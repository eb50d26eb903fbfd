/**
 * Incremental analysis must be invisible: after every edit of a random sequence, the model
 * IncrementalAnalysis gives (with sizes through its memo, with and without a build context) is
 * deep-equal to a fresh analyzeDockerfile + sizeModel of the same text — figures, messages, layer
 * breakdowns with their waste flags, wasted space — and so are its diagnostics (en and ko) and
 * the last build's figures put on it; IncrementalParser's records equal parseDockerfile's. Then
 * what it reuses: stages an edit did not touch keep their very objects, which is how the reuse
 * shows without timing anything (the time is in the bench).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, diagnose, type AnalyzeOptions, type DockerfileModel } from '../../server/src/service/index';
import { IncrementalAnalysis } from '../../server/src/service/incremental';
import { IncrementalParser } from '../../server/src/service/model/chunks';
import { parseDockerfile } from '../../server/src/service/model/parse';
import { scanContext } from '../../server/src/service/sizes/context';
import { createIgnore } from '../../server/src/service/sizes/dockerignore';
import type { BreakdownEntry } from '../../server/src/service/sizes/breakdown';
import { targetChain } from '../../server/src/service/compare/align';
import { imageFromConfig, parseImageConfig, type BuiltImage } from '../../server/src/service/compare/image';
import { applyLastBuild } from '../../server/src/service/compare/lastBuild';
import { sizeModel, type BuildContext } from '../../server/src/sizing';
import { generateDockerfile } from '../../bench/generate';
import { loadFixtures, mutateOnce, type Fixture } from '../mutate';
import { memoryContext } from '../memoryContext';
import { mulberry32 } from '../random';
import { assertSamePlainData } from '../plainEqual';
import { fuzzScale } from '../fuzzScale';

const SEED = 0x1dc_7e57;
/** `npm test`: every fixture starts a sequence, as many start from cross-stage files; `npm run fuzz`: 120. */
const SEQUENCES = fuzzScale({ quick: 32, full: 120 });
const EDITS = 25;

/** Small edits as typing makes them, and a few that change how the rest of the file reads. */
const TYPED: readonly string[] = [
  'a', ' ', '\n', '\\', '\\\n', '`', '#', '# escape=`\n', '<<EOF\n', 'EOF\n', '\r', '\r\n', '\ufeff', '"', '$', '${A}', '\t',
  'RUN ', 'FROM x\n', 'FROM build AS final\n', 'COPY --from=build /a /b\n', 'COPY . /app\n', 'RUN apt-get install -y curl\n', 'ARG X=1\n', ' AS build',
  // what the layer breakdown reads across layers and stages: copies of copies, and deletes after them
  'RUN --mount=type=cache,target=/var/lib/apt/lists --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl\n',
  'RUN rm -f /etc/apt/apt.conf.d/docker-clean\n', 'RUN --mount=type=bind,target=/root/.cache pip install flask\n', 'COPY . /ctx\n',
  'COPY --from=build /src /copied\n', 'COPY app /src/app\n', 'RUN rm -rf /src/app/lib\n', 'RUN rm -rf /ctx/node_modules\n', 'FROM build AS child\n',
  // packages removed by a later layer: apt's marks, apk's groups and pip's packages carried between RUNs and stages
  'RUN apt-get purge -y --auto-remove curl\n', 'RUN apt-get autoremove -y\n', 'RUN apk del .deps\n', 'RUN pip uninstall -y flask\n',
];
const OPTIONS: readonly AnalyzeOptions[] = [{}, { buildArgs: { X: '2' } }, { target: 'build' }, { target: '0', buildArgs: {} }];

/**
 * Lines of multi-stage Dockerfiles whose breakdowns read across stages: COPY --from of a stage that
 * copied from the context, later layers and child stages deleting or overwriting what an earlier
 * layer copied (the waste pass flags the earlier layer's entries), unintended files in the context.
 */
const STAGE_LINES: readonly (readonly string[])[] = [
  // manifest-first (a later COPY writing the same files again), RUN mounts (what they hold is not in
  // the layer), and packages installed in one RUN and removed in a later one (apk del, apt purge)
  ['FROM alpine:3.19 AS build', 'WORKDIR /src', 'COPY app/main.js app/README.md /src/app/', 'COPY app /src/app', 'COPY --chmod=600 app/main.js /src/app/', 'COPY . /ctx', 'RUN rm -rf /src/app/lib',
    'RUN --mount=type=cache,target=/root/.npm --mount=type=tmpfs,target=/src/app/lib npm ci && rm -rf /src/app/lib/*', 'RUN apk add --no-cache curl', 'RUN apk add --no-cache --virtual .deps gcc musl-dev', 'COPY app/main.js /src/app/main.js', 'RUN chmod -R 755 /ctx'],
  ['FROM build AS child', 'RUN rm -rf /ctx/node_modules', 'RUN apk del .deps curl', 'COPY --from=build /src/app /out', 'RUN rm /out/main.js', 'COPY app /ctx/app', 'RUN rm -rf /src'],
  ['FROM debian:bookworm-slim AS final', 'COPY --from=child /ctx /copied', 'COPY --from=build /src /src2', 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*', 'RUN apt-get update && apt-get install -y --no-install-recommends make gcc && rm -rf /var/lib/apt/lists/*', 'RUN apt-get purge -y --auto-remove curl gcc', 'RUN rm -rf /copied/app', 'COPY --from=child /out /out'],
  ['FROM child', 'RUN rm -rf /ctx', 'COPY --from=final /copied/.git /git', 'RUN rm -rf /out'],
];

function breakdownDockerfile(random: () => number): string {
  const lines: string[] = [];
  const stages = 2 + Math.floor(random() * (STAGE_LINES.length - 1));
  for (const stage of STAGE_LINES.slice(0, stages)) {
    lines.push(stage[0]!);
    for (const line of stage.slice(1)) if (random() < 0.7) lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

/** One edit: a typed fragment or deletion most of the time, sometimes a robustness-fuzz mutation. */
function edit(random: () => number, text: string, fixtures: Fixture[]): { text: string; step: string } {
  const int = (n: number) => Math.floor(random() * n);
  const roll = random();
  if (roll < 0.25) return mutateOnce(random, text, fixtures);
  const at = int(text.length + 1);
  if (roll < 0.65) {
    const typed = TYPED[int(TYPED.length)]!;
    return { text: text.slice(0, at) + typed + text.slice(at), step: `type ${JSON.stringify(typed)} at ${at}` };
  }
  const n = 1 + int(3);
  return { text: text.slice(0, at) + text.slice(at + n), step: `delete ${n} at ${at}` };
}

async function context(): Promise<BuildContext> {
  const reader = memoryContext({
    'app/main.js': 'x'.repeat(300), 'app/lib/a.js': 'y'.repeat(40), 'app/lib/b.js': 'y'.repeat(900), 'README.md': 'z', src: { directory: true },
    'node_modules/left-pad/index.js': 'n'.repeat(2_000), '.env': 'TOKEN=1', '.git/HEAD': 'ref: main', 'logs/build.log': 'l'.repeat(50),
  });
  const snapshot = await scanContext(reader, {});
  return { root: '/ctx', reader: reader as unknown as BuildContext['reader'], ignore: createIgnore(''), snapshot };
}

/** A built image whose history is the target chain of `model` as BuildKit writes it: the last build the edits are compared with. */
function imageOf(model: DockerfileModel): BuiltImage {
  const steps = targetChain(model).flatMap((stage) => stage.instructions.slice(1));
  const entries = steps.map((info, i) => ({
    createdBy: info.keyword === 'RUN' ? `RUN /bin/sh -c ${info.args} # buildkit` : `${info.keyword} ${info.args} # buildkit`,
    bytes: info.effect === 'filesystem' ? 1_000 * (i + 1) : null,
  }));
  const withLayer = entries.filter((e) => e.bytes !== null);
  const config = parseImageConfig({
    created: '2026-11-26T09:00:00Z',
    os: 'linux',
    architecture: 'amd64',
    rootfs: { type: 'layers', diff_ids: withLayer.map((_, i) => `sha256:${String(i).padStart(64, '0')}`) },
    history: entries.map((e) => ({ created_by: e.createdBy, comment: 'buildkit.dockerfile.v0', ...(e.bytes === null ? { empty_layer: true } : {}) })),
  });
  return imageFromConfig(config, withLayer.map((e, i) => ({ diffId: config.diffIds[i]!, size: e.bytes, compressed: null })), { name: 'app:last', id: 'sha256:abc', source: 'docker-save' });
}

function everyEntry(entries: readonly BreakdownEntry[]): BreakdownEntry[] {
  return entries.flatMap((e) => [e, ...everyEntry(e.children ?? [])]);
}

/** What the sequences exercised, so the equality cannot hold for want of breakdowns. */
interface Seen {
  copyFromStage: number;
  wastedEntries: number;
  wastedInParentStage: number;
  contextTrees: number;
  lastBuildExact: number;
}

/** The random sequences, each model compared with a fresh analysis; what they exercised. */
async function compareSequences(sequences = SEQUENCES, edits = EDITS, seed = SEED): Promise<Seen> {
  const fixtures = loadFixtures();
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const ready = await context();
  const seen: Seen = { copyFromStage: 0, wastedEntries: 0, wastedInParentStage: 0, contextTrees: 0, lastBuildExact: 0 };
  for (let sequence = 0; sequence < sequences; sequence++) {
    // half the sequences start from multi-stage files whose breakdowns read across stages
    const crossStage = sequence % 2 === 1;
    // the fixtures in turn, so that a short run still starts from each of them
    let text = crossStage ? breakdownDockerfile(random) : fixtures[Math.floor(sequence / 2) % fixtures.length]!.text;
    if (!crossStage && random() < 0.3) text += fixtures[int(fixtures.length)]!.text;
    const withContext = crossStage ? sequence % 6 !== 1 : sequence % 3 === 0;
    const incremental = new IncrementalAnalysis();
    // a small part size cuts the fixtures into several parts, as 10 MB files are
    const parser = new IncrementalParser(1 + int(400));
    let options = OPTIONS[0]!;
    const sizes = withContext ? { context: ready, options: {} } : { context: undefined, options: { contextUnavailable: 'not on disk' } };
    const lastBuild = imageOf(await sizeModel(analyzeDockerfile(text), sizes.context, sizes.options));
    const steps: string[] = [];
    for (let n = 0; n < edits; n++) {
      if (random() < 0.05) {
        options = OPTIONS[int(OPTIONS.length)]!;
        steps.push(`options ${JSON.stringify(options)}`);
      } else {
        const next = edit(random, text, fixtures);
        text = next.text;
        steps.push(next.step);
      }
      const where = `sequence ${sequence}, edit ${n}: ${steps.slice(-3).join('; ')}`;
      const got = await sizeModel(incremental.analyze(text, options), sizes.context, { ...sizes.options, incremental });
      const want = await sizeModel(analyzeDockerfile(text, options), sizes.context, sizes.options);
      assertSamePlainData(got, want, where);
      for (const locale of ['en', 'ko'] as const) {
        assertSamePlainData(diagnose(got, text, {}, sizes.context?.snapshot, locale), diagnose(want, text, {}, sizes.context?.snapshot, locale), `diagnostics (${locale}), ${where}`);
      }
      const built = applyLastBuild(got, lastBuild).model;
      assertSamePlainData(built, applyLastBuild(want, lastBuild).model, `last build, ${where}`);
      const { unplaced, ...parsed } = parser.parse(text);
      assertSamePlainData(parsed, parseDockerfile(text), `parser, ${where}`);
      assert.ok(unplaced === undefined || unplaced.length === parsed.instructions.length);

      seen.lastBuildExact += built.lastBuild && 'exact' in built.lastBuild ? built.lastBuild.exact : 0;
      for (const stage of got.stages) {
        for (const layer of stage.layers) {
          const entries = everyEntry(layer.breakdown?.entries ?? []);
          if (stage.dependencies.some((d) => d.kind === 'copy-from' && d.instruction === layer.instruction && d.stage !== undefined) && entries.length > 0) seen.copyFromStage++;
          if (layer.breakdown?.kind === 'files' && entries.some((e) => e.kind === 'folder')) seen.contextTrees++;
          const wasted = entries.filter((e) => e.flags?.includes('wasted')).length;
          seen.wastedEntries += wasted;
          if (wasted > 0 && got.image?.wasted.items.some((w) => w.stage === stage.index && w.layer === layer.number && got.stages[w.stage]!.layers.every((l) => l.number !== w.removedBy))) seen.wastedInParentStage++;
        }
      }
    }
  }
  return seen;
}

test(`random edit sequences: the incremental model equals a fresh analysis after every edit (${SEQUENCES} × ${EDITS})`, async () => {
  const seen = await compareSequences();
  // the sequences went where a stale memo would show
  assert.ok(seen.copyFromStage > 100, `COPY --from breakdowns: ${seen.copyFromStage}`);
  assert.ok(seen.contextTrees > 100, `context COPY trees: ${seen.contextTrees}`);
  assert.ok(seen.wastedEntries > 100, `entries flagged wasted: ${seen.wastedEntries}`);
  assert.ok(seen.wastedInParentStage > 20, `entries flagged by a later stage: ${seen.wastedInParentStage}`);
  assert.ok(seen.lastBuildExact > 100, `layers with the last build's figure: ${seen.lastBuildExact}`);
});

/** Where each instruction of a model starts, in order. */
function instructionLines(model: DockerfileModel): number[] {
  return [...model.preamble, ...model.stages.flatMap((s) => s.instructions)].map((i) => i.range.start.line);
}

test('typing into a RUN of one stage re-walks and re-sizes that stage only', async () => {
  const text = generateDockerfile(1_000);
  const incremental = new IncrementalAnalysis();
  const before = await sizeModel(incremental.analyze(text), undefined, { incremental });
  const edited = before.stages.findIndex((s, i) => i > 3 && s.instructions.some((x) => x.keyword === 'RUN' && x.range.start.line === x.range.end.line));
  const run = before.stages[edited]!.instructions.find((x) => x.keyword === 'RUN' && x.range.start.line === x.range.end.line)!;
  const lines = text.split('\n');
  lines[run.range.start.line] += ' --verbose';
  const after = await sizeModel(incremental.analyze(lines.join('\n')), undefined, { incremental });

  assert.deepStrictEqual(after, await sizeModel(analyzeDockerfile(lines.join('\n')), undefined, {}));
  after.stages.forEach((stage, i) => {
    if (i === edited) {
      assert.notEqual(stage.layers, before.stages[i]!.layers, 'the edited stage is sized again');
      assert.notEqual(stage.instructions, before.stages[i]!.instructions, 'the edited stage is walked again');
    } else {
      assert.equal(stage.instructions, before.stages[i]!.instructions, `stage ${i}: the previous walk`);
      assert.equal(stage.layers, before.stages[i]!.layers, `stage ${i}: the previous sizes`);
    }
  });
});

test('a line inserted above moves later stages without sizing them again', async () => {
  const text = generateDockerfile(1_000);
  const incremental = new IncrementalAnalysis();
  const before = await sizeModel(incremental.analyze(text), undefined, { incremental });
  const at = before.stages[5]!.range.start.line;
  const lines = text.split('\n');
  lines.splice(at, 0, '# a new comment above stage 5');
  const after = await sizeModel(incremental.analyze(lines.join('\n')), undefined, { incremental });

  assert.deepStrictEqual(after, await sizeModel(analyzeDockerfile(lines.join('\n')), undefined, {}));
  assert.deepStrictEqual(instructionLines(after).slice(-3), instructionLines(before).slice(-3).map((l) => l + 1), 'later instructions moved down one line');
  after.stages.forEach((stage, i) => {
    assert.equal(stage.layers, before.stages[i]!.layers, `stage ${i}: positions aside nothing changed, the previous sizes are kept`);
    if (i < 4) assert.equal(stage.instructions, before.stages[i]!.instructions, `stage ${i} above the line: the previous walk`);
  });
});

test('the escape directive changed at the top: every later line is read again', () => {
  const text = 'FROM alpine\nRUN echo a `\n    b\nRUN echo c \\\n    d\n';
  const parser = new IncrementalParser();
  parser.parse(text);
  for (const edited of [`# escape=\`\n${text}`, text, `# escape=\\\n${text}`]) {
    const { unplaced: _, ...parsed } = parser.parse(edited);
    assert.deepStrictEqual(parsed, parseDockerfile(edited));
  }
});

test('an unterminated heredoc, then closed: the recovery while open, the chunks again once closed', () => {
  const closed = 'FROM alpine\nRUN <<EOF\necho hi\nEOF\nRUN echo after\nCOPY . /app\n';
  const open = closed.replace('EOF\nRUN echo after', 'RUN echo after');
  const parser = new IncrementalParser();
  for (const text of [closed, open, closed]) {
    const { unplaced, ...parsed } = parser.parse(text);
    assert.deepStrictEqual(parsed, parseDockerfile(text));
    assert.equal(unplaced === undefined, text === open, 'an open heredoc is left to parseDockerfile');
  }
});
