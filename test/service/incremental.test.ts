/**
 * Incremental analysis must be invisible: after every edit of a random sequence, the model
 * IncrementalAnalysis gives (with sizes through its memo, with and without a build context) is
 * deep-equal to a fresh analyzeDockerfile + sizeModel of the same text, and IncrementalParser's
 * records equal parseDockerfile's. Then what it reuses: stages an edit did not touch keep their
 * very objects, which is how the reuse shows without timing anything (the time is in the bench).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, type AnalyzeOptions, type DockerfileModel } from '../../server/src/service/index';
import { IncrementalAnalysis } from '../../server/src/service/incremental';
import { IncrementalParser } from '../../server/src/service/model/chunks';
import { parseDockerfile } from '../../server/src/service/model/parse';
import { scanContext } from '../../server/src/service/sizes/context';
import { createIgnore } from '../../server/src/service/sizes/dockerignore';
import { sizeModel, type BuildContext } from '../../server/src/sizing';
import { generateDockerfile } from '../../bench/generate';
import { loadFixtures, mutateOnce, type Fixture } from '../mutate';
import { memoryContext } from '../memoryContext';
import { mulberry32 } from '../random';

const SEED = 0x1dc_7e57;
const SEQUENCES = 120;
const EDITS = 25;

/** Small edits as typing makes them, and a few that change how the rest of the file reads. */
const TYPED: readonly string[] = [
  'a', ' ', '\n', '\\', '\\\n', '`', '#', '# escape=`\n', '<<EOF\n', 'EOF\n', '\r', '\r\n', '\ufeff', '"', '$', '${A}', '\t',
  'RUN ', 'FROM x\n', 'FROM build AS final\n', 'COPY --from=build /a /b\n', 'COPY . /app\n', 'RUN apt-get install -y curl\n', 'ARG X=1\n', ' AS build',
];
const OPTIONS: readonly AnalyzeOptions[] = [{}, { buildArgs: { X: '2' } }, { target: 'build' }, { target: '0', buildArgs: {} }];

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
  const reader = memoryContext({ 'app/main.js': 'x'.repeat(300), 'app/lib/a.js': 'y'.repeat(40), 'README.md': 'z', src: { directory: true } });
  const snapshot = await scanContext(reader, {});
  return { root: '/ctx', reader: reader as unknown as BuildContext['reader'], ignore: createIgnore(''), snapshot };
}

test(`random edit sequences: the incremental model equals a fresh analysis after every edit (${SEQUENCES} × ${EDITS})`, async () => {
  const fixtures = loadFixtures();
  const random = mulberry32(SEED);
  const int = (n: number) => Math.floor(random() * n);
  const ready = await context();
  for (let sequence = 0; sequence < SEQUENCES; sequence++) {
    let text = fixtures[int(fixtures.length)]!.text;
    if (random() < 0.3) text += fixtures[int(fixtures.length)]!.text;
    const withContext = sequence % 3 === 0;
    const incremental = new IncrementalAnalysis();
    // a small part size cuts the fixtures into several parts, as 10 MB files are
    const parser = new IncrementalParser(1 + int(400));
    let options = OPTIONS[0]!;
    const steps: string[] = [];
    for (let n = 0; n < EDITS; n++) {
      if (random() < 0.05) {
        options = OPTIONS[int(OPTIONS.length)]!;
        steps.push(`options ${JSON.stringify(options)}`);
      } else {
        const next = edit(random, text, fixtures);
        text = next.text;
        steps.push(next.step);
      }
      const where = `sequence ${sequence}, edit ${n}: ${steps.slice(-3).join('; ')}`;
      const sizes = withContext ? { context: ready, options: {} } : { context: undefined, options: { contextUnavailable: 'not on disk' } };
      const got = await sizeModel(incremental.analyze(text, options), sizes.context, { ...sizes.options, incremental });
      const want = await sizeModel(analyzeDockerfile(text, options), sizes.context, sizes.options);
      assert.deepStrictEqual(got, want, where);
      const { unplaced, ...parsed } = parser.parse(text);
      assert.deepStrictEqual(parsed, parseDockerfile(text), `parser, ${where}`);
      assert.ok(unplaced === undefined || unplaced.length === parsed.instructions.length);
    }
  }
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
