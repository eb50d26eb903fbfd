/**
 * The analysis's bounds on hostile input (server/src/service/model/caps.ts): what is left out is
 * said by a DL-P002 diagnostic, everything before the bound is analysed as before, the rest of the
 * file still parses (a cut heredoc gets its delimiter back), and the incremental analysis stays
 * equal to a fresh one across the bound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, diagnose, instructionAt } from '../../server/src/service';
import { capText, MAX_INSTRUCTION_CHARS, MAX_INSTRUCTIONS } from '../../server/src/service/model/caps';
import { IncrementalAnalysis } from '../../server/src/service/incremental';
import { runScript } from '../../server/src/service/sizes/shell';
import { runCli } from '../../server/src/cli';
import { createIgnore } from '../../server/src/service/sizes/dockerignore';
import { hostileInputs } from '../../bench/hostileInputs';
import type { DockerfileModel } from '../../server/src/service/types';

const capped = (model: DockerfileModel) => model.problems.filter((p) => p.rule === 'analysis-capped');
const instructions = (model: DockerfileModel) => model.preamble.length + model.stages.reduce((n, s) => n + s.instructions.length, 0);

test('an ordinary Dockerfile is not touched', () => {
  const text = 'FROM node:20\nRUN <<A <<B\necho a\nA\necho b\nB\nCOPY . .\n';
  assert.equal(capText(text).text, text);
  assert.deepEqual(capText(text).caps, []);
  const long = `FROM alpine\n${'RUN echo hello && true\n'.repeat(4_000)}`; // over 64 kB, under both bounds
  assert.ok(long.length > MAX_INSTRUCTION_CHARS);
  assert.equal(capText(long).text, long);
});

test(`more than ${MAX_INSTRUCTIONS} instructions: the rest is left out, said once where it starts`, () => {
  const text = `FROM alpine\n${Array.from({ length: MAX_INSTRUCTIONS + 500 }, (_, i) => `ENV A${i}=${i}`).join('\n')}\n`;
  const model = analyzeDockerfile(text);
  assert.equal(instructions(model), MAX_INSTRUCTIONS);
  const [problem] = capped(model);
  assert.equal(capped(model).length, 1);
  assert.equal(problem!.code, 'DL-P002');
  assert.equal(problem!.range.start.line, MAX_INSTRUCTIONS, 'the first instruction left out');
  assert.ok(instructionAt(model, { line: MAX_INSTRUCTIONS - 1, character: 1 }), 'the last one analysed');
  assert.equal(instructionAt(model, { line: MAX_INSTRUCTIONS + 1, character: 1 }), undefined);
  assert.match(problem!.localizedMessage!.ko, /분석을 여기서 멈춥니다/);
});

test('a 10 MB line is cut to the bound; the next instruction is analysed as written', () => {
  const text = `FROM alpine\nRUN ${'echo x && '.repeat(1_000_000)}true\nWORKDIR /after\n`;
  const model = analyzeDockerfile(text);
  const run = model.stages[0]!.instructions[1]!;
  assert.equal(run.keyword, 'RUN');
  assert.ok(run.text.length <= MAX_INSTRUCTION_CHARS);
  assert.deepEqual(capped(model).map((p) => p.range.start.line), [1]);
  assert.equal(model.stages[0]!.instructions[2]!.args, '/after');
});

test('a RUN continued over thousands of lines: cut, the lines after it blank, the next instruction kept', () => {
  const words = Array.from({ length: 20_000 }, (_, i) => `word${i} \\`).join('\n');
  const text = `FROM alpine\nRUN echo \\\n${words}\n  last\nUSER nobody\n`;
  const model = analyzeDockerfile(text);
  assert.deepEqual(model.stages[0]!.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'USER']);
  assert.equal(model.stages[0]!.instructions[2]!.range.start.line, 20_003, 'positions after the cut are unchanged');
  assert.equal(capped(model).length, 1);
});

test('a RUN with 2,000 heredocs cut inside a body: its open heredocs are closed, the file after it still parses', () => {
  const heads = Array.from({ length: 2_000 }, (_, i) => `<<E${i}`).join(' ');
  const bodies = Array.from({ length: 2_000 }, (_, i) => `${'x'.repeat(60)}\nE${i}`).join('\n');
  const text = `FROM alpine\nRUN ${heads}\n${bodies}\nCOPY . /app\n`;
  const model = analyzeDockerfile(text);
  assert.deepEqual(model.problems.map((p) => p.rule), ['analysis-capped'], 'no unterminated heredoc');
  assert.deepEqual(model.stages[0]!.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'COPY']);
});

test('several heredocs on one line: each body is read once, in order', () => {
  const model = analyzeDockerfile('FROM alpine\nRUN <<A <<B\necho a\nA\necho b\nB\n');
  assert.equal(runScript(model.stages[0]!.instructions[1]!), 'echo a\necho b');
});

test('the incremental analysis equals a fresh one across the bounds', () => {
  const base = `FROM alpine\nRUN ${'echo y && '.repeat(10_000)}true\n${Array.from({ length: MAX_INSTRUCTIONS }, (_, i) => `ENV B${i}=${i}`).join('\n')}\n`;
  const incremental = new IncrementalAnalysis();
  const edits = [base, base.replace('ENV B5=5', 'ENV B5=five'), base.replace('RUN echo', 'RUN  echo'), base.slice(0, base.length / 2), base];
  for (const text of edits) assert.deepStrictEqual(incremental.analyze(text), analyzeDockerfile(text));
});

test('check and explain on each hostile input: an answer with the cap diagnostic, no failure', async () => {
  for (const input of hostileInputs()) {
    if (input.dockerignore !== undefined) continue; // a .dockerignore is a context's, below
    for (const command of input.key === 'explain' ? ['explain'] : ['check']) {
      const result = await runCli([command, 'Dockerfile'], { readFile: () => input.dockerfile, readContext: async () => undefined });
      assert.ok(result.code === 0 || result.code === 1, `${input.label}, ${command}: exit ${result.code} ${result.stderr}`);
      assert.match(result.stdout, /DL-P002/, `${input.label}, ${command}`);
    }
    assert.equal(capped(analyzeDockerfile(input.dockerfile)).length, 1, input.label);
    assert.ok(diagnose(analyzeDockerfile(input.dockerfile), input.dockerfile).some((d) => d.code === 'DL-P002'));
  }
});

test('a 10,001-line .dockerignore over 3,000 paths answers as Docker does', () => {
  const input = hostileInputs().find((i) => i.key === 'ignore')!;
  const ignore = createIgnore(`${input.dockerignore!}src/d7/*\n!src/d7/file-7.ts\n**/*.tmp\nlit+(x)|y\n`);
  const excluded = input.contextFiles!.filter((p) => ignore.ignores(p));
  assert.deepEqual(excluded, input.contextFiles!.filter((p) => p.startsWith('src/d7/') && p !== 'src/d7/file-7.ts'));
  assert.equal(ignore.ignores('a/cache-3/deep/file'), true, '**/cache-3/** at any depth');
  assert.equal(ignore.ignores('build/x-2.log'), true, 'build/*-2.log');
  assert.equal(ignore.ignores('build/sub/x-2.log'), false, '* stays within one folder');
  assert.equal(ignore.ignores('deep/er/y.tmp'), true);
  assert.equal(ignore.ignores('lit+(x)|y'), true, 'regex operators are literal');
  assert.equal(ignore.ignores('litx'), false);
});
