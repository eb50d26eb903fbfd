import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/service/model/analyze';
import { withCursor } from '../cursor';
import { instr, rules } from '../modelQueries';


// ---------------------------------------------------------------------------------------------
// Heredocs

test('RUN <<EOF: one filesystem layer, body kept out of args', () => {
  const { text, position } = withCursor('FROM debian:12\nRUN |<<EOF\nset -e\napt-get update\napt-get install -y curl\nEOF\nRUN echo done\n');
  const m = analyzeDockerfile(text);
  const run = instr(m, 0, 'RUN');
  assert.equal(run.effect, 'filesystem');
  assert.equal(run.layer, 1);
  assert.equal(run.args, '<<EOF');
  assert.deepEqual(run.heredocs.map((h) => [h.name, h.terminated]), [['EOF', true]]);
  assert.deepEqual(run.heredocs[0]!.range.start, position);
  assert.deepEqual(run.heredocs[0]!.range.end, { line: 5, character: 3 });
  assert.equal(run.range.end.line, 5);
  // the body's lines are not read as instructions
  assert.equal(m.stages[0]!.instructions.length, 3);
  assert.equal(instr(m, 0, 'RUN', 1).layer, 2);
  assert.deepEqual(m.problems, []);
});

test('COPY <<EOF /path writes a file: a layer, and the parent directory exists afterwards', () => {
  const m = analyzeDockerfile('FROM nginx:1.27\nCOPY <<EOF /etc/nginx/conf.d/app.conf\nserver { listen 80; }\nEOF\nWORKDIR /etc/nginx/conf.d\n');
  const copy = instr(m, 0, 'COPY');
  assert.equal(copy.effect, 'filesystem');
  assert.equal(copy.reason, 'copies-files');
  assert.equal(copy.args, '<<EOF /etc/nginx/conf.d/app.conf');
  assert.deepEqual(copy.heredocs.map((h) => [h.name, h.terminated]), [['EOF', true]]);
  assert.equal(instr(m, 0, 'WORKDIR').reason, 'workdir-exists');
});

test('two heredocs in one RUN make one layer', () => {
  const m = analyzeDockerfile('FROM alpine\nRUN <<FILE1 cat > /a && <<FILE2 cat > /b\nfirst\nFILE1\nsecond\nFILE2\nEXPOSE 80\n');
  const run = instr(m, 0, 'RUN');
  assert.deepEqual(run.heredocs.map((h) => [h.name, h.terminated]), [['FILE1', true], ['FILE2', true]]);
  assert.equal(run.args, '<<FILE1 cat > /a && <<FILE2 cat > /b');
  assert.equal(run.layer, 1);
  assert.deepEqual(m.stages[0]!.layers.map((l) => l.number), [0, 1]);
  assert.equal(instr(m, 0, 'EXPOSE').range.start.line, 6);
});

test('<<-EOF accepts a tab-indented closing delimiter', () => {
  const m = analyzeDockerfile('FROM alpine\nRUN <<-EOF\n\techo hi\n\tEOF\nUSER nobody\n');
  const run = instr(m, 0, 'RUN');
  assert.deepEqual(run.heredocs.map((h) => [h.name, h.terminated]), [['EOF', true]]);
  assert.equal(run.range.end.line, 3);
  assert.equal(instr(m, 0, 'USER').effect, 'metadata');
  assert.deepEqual(m.problems, []);
});

test('unterminated heredoc is reported, does not throw, and a later EXPOSE is still analysed', () => {
  const { text, position } = withCursor('FROM alpine\nRUN |<<EOF\necho hi\nEXPOSE 80\nUSER app\n');
  const m = analyzeDockerfile(text);
  const problems = m.problems.filter((p) => p.rule === 'unterminated-heredoc');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.severity, 'error');
  assert.deepEqual(problems[0]!.range.start, position);
  assert.equal(instr(m, 0, 'RUN').layer, 1);
  const expose = instr(m, 0, 'EXPOSE');
  assert.equal(expose.effect, 'metadata');
  assert.equal(expose.range.start.line, 3);
  assert.equal(expose.args, '80');
  assert.equal(instr(m, 0, 'USER').args, 'app');
});

test('unterminated heredoc: a later FROM still starts a stage', () => {
  const m = analyzeDockerfile('FROM alpine AS build\nRUN <<EOF\nmake\nFROM alpine\nCOPY --from=build /out /out\n');
  assert.deepEqual(rules(m), ['unterminated-heredoc']);
  assert.equal(m.stages.length, 2);
  assert.equal(m.stages[1]!.instructions[0]!.range.start.line, 3);
  assert.deepEqual(m.stages[1]!.dependencies.map((d) => [d.kind, d.stage]), [['copy-from', 0]]);
  assert.equal(m.stages[0]!.used, true);
});

test('unterminated heredoc at the end of the file swallows the rest without throwing', () => {
  const m = analyzeDockerfile('FROM alpine\nCOPY <<EOF /x\nno end\nin sight');
  assert.deepEqual(rules(m), ['unterminated-heredoc']);
  assert.equal(m.stages[0]!.instructions.length, 2);
  assert.equal(instr(m, 0, 'COPY').layer, 1);
});

// ---------------------------------------------------------------------------------------------
// Directives, continuations, comments

test('# escape=` makes the backtick the escape and continuation character', () => {
  const m = analyzeDockerfile('# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo one `\n    && echo two\nWORKDIR C:\\app\n');
  assert.equal(m.escapeChar, '`');
  assert.deepEqual(m.directives.map((d) => [d.name, d.value]), [['escape', '`']]);
  const run = instr(m, 0, 'RUN');
  assert.equal(run.range.start.line, 2);
  assert.equal(run.range.end.line, 3);
  assert.equal(run.args.replace(/\s+/g, ' '), 'echo one && echo two');
  assert.equal(m.stages[0]!.instructions.length, 3);
  const base = m.stages[0]!.base;
  assert.equal(base.kind === 'image' && base.registry, 'mcr.microsoft.com');
});

test('backtick continuation with a comment line inside drops the comment from args', () => {
  const m = analyzeDockerfile('# escape=`\nFROM alpine\nRUN echo a `\n# explain b\n    && echo b\n');
  const run = instr(m, 0, 'RUN');
  assert.ok(!run.args.includes('explain'), run.args);
  assert.equal(run.args.replace(/\s+/g, ' '), 'echo a && echo b');
});

test('# syntax= and # check= directives are read from the top of the file', () => {
  const m = analyzeDockerfile('# syntax=docker/dockerfile:1.7\n# check=skip=JSONArgsRecommended;error=true\nFROM alpine\n# syntax=ignored\nRUN true\n');
  assert.deepEqual(m.directives.map((d) => [d.name, d.value, d.range.start.line]), [
    ['syntax', 'docker/dockerfile:1.7', 0],
    ['check', 'skip=JSONArgsRecommended;error=true', 1],
  ]);
  assert.equal(m.escapeChar, '\\');
  assert.equal(instr(m, 0, 'RUN').layer, 1);
});

test('directives stop at the first line that is not one', () => {
  const m = analyzeDockerfile('# a plain comment\n# syntax=docker/dockerfile:1\nFROM alpine\n');
  assert.deepEqual(m.directives, []);
});

test('line continuation with comment lines inside: args leave the comments out', () => {
  const m = analyzeDockerfile(
    'FROM debian:12\nRUN apt-get update \\\n# install the tools\n    && apt-get install -y curl \\\n    # and clean up\n    && rm -rf /var/lib/apt/lists/*\nENV A=1\n',
  );
  const run = instr(m, 0, 'RUN');
  assert.ok(!run.args.includes('#'), run.args);
  assert.ok(!run.args.includes('install the tools'), run.args);
  assert.equal(run.args.replace(/\s+/g, ' '), 'apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*');
  assert.equal(run.range.end.line, 5);
  // the source text keeps them
  assert.ok(run.text.includes('# install the tools'));
  assert.equal(instr(m, 0, 'ENV').range.start.line, 6);
  assert.equal(m.stages[0]!.layers.length, 2);
});

test('JSON-form CMD keeps the spaces inside its strings in args', () => {
  const m = analyzeDockerfile('FROM node:22\nCMD ["node", "server.js", "--title", "a  b   c"]\n');
  const cmd = instr(m, 0, 'CMD');
  assert.equal(cmd.args, '["node", "server.js", "--title", "a  b   c"]');
  assert.deepEqual(JSON.parse(cmd.args), ['node', 'server.js', '--title', 'a  b   c']);
});

test('JSON-form COPY with a spaced destination directory', () => {
  const m = analyzeDockerfile('FROM alpine\nCOPY ["my file.txt", "other.txt", "/srv/my dir/"]\nWORKDIR "/srv/my dir"\n');
  assert.equal(instr(m, 0, 'COPY').layer, 1);
  assert.equal(instr(m, 0, 'WORKDIR').reason, 'workdir-exists');
});

test('keywords are case-insensitive', () => {
  const m = analyzeDockerfile('from alpine as Build\nrun make\ncopy . /src\nworkdir /src\n');
  assert.equal(m.stages[0]!.name, 'build');
  assert.equal(instr(m, 0, 'RUN').layer, 1);
  assert.equal(instr(m, 0, 'COPY').layer, 2);
  assert.equal(instr(m, 0, 'WORKDIR').reason, 'workdir-exists');
});

// ---------------------------------------------------------------------------------------------
// Degenerate files and encodings

test('empty file: no stages, no target, no problems', () => {
  const m = analyzeDockerfile('');
  assert.deepEqual(m.stages, []);
  assert.deepEqual(m.preamble, []);
  assert.equal(m.target, -1);
  assert.deepEqual(m.problems, []);
  assert.deepEqual(m.directives, []);
});

test('comments only: nothing to build, nothing reported', () => {
  const m = analyzeDockerfile('# Build with: docker build .\n\n# TODO: write this Dockerfile\n   # indented\n');
  assert.deepEqual(m.stages, []);
  assert.deepEqual(m.preamble, []);
  assert.equal(m.target, -1);
  assert.deepEqual(m.problems, []);
});

const SAMPLE = [
  '# syntax=docker/dockerfile:1',
  'ARG NODE=22',
  'FROM node:${NODE} AS deps',
  'WORKDIR /app',
  'COPY package.json ./',
  'RUN npm ci \\',
  '  # no dev deps',
  '  --omit=dev',
  'RUN <<EOF',
  'echo hi',
  'EOF',
  'FROM deps',
  'COPY --from=deps /app /srv',
  'CMD ["node", "a  b"]',
  'RUN <<EOF',
  'never closed',
  'EXPOSE 80',
  '',
].join('\n');

test('CRLF line endings give the same model as LF', () => {
  const lf = analyzeDockerfile(SAMPLE);
  const crlf = analyzeDockerfile(SAMPLE.replace(/\n/g, '\r\n'));
  assert.deepEqual(crlf, lf);
  // and the sample is not trivial
  assert.equal(lf.stages.length, 2);
  assert.deepEqual(rules(lf), ['unterminated-heredoc']);
  assert.equal(instr(lf, 0, 'RUN').args.replace(/\s+/g, ' '), 'npm ci --omit=dev');
});

test('a BOM at the start is ignored: FROM starts at character 0, same model as without', () => {
  const plain = analyzeDockerfile('FROM alpine\nRUN true\n');
  const bom = analyzeDockerfile('\ufeffFROM alpine\nRUN true\n');
  assert.deepEqual(instr(bom, 0, 'FROM').range.start, { line: 0, character: 0 });
  assert.deepEqual(instr(bom, 0, 'FROM').keywordRange.start, { line: 0, character: 0 });
  assert.deepEqual(bom, plain);
  assert.deepEqual(analyzeDockerfile('\ufeff' + SAMPLE), analyzeDockerfile(SAMPLE));
});

test('a BOM before a directive still reads the directive', () => {
  const m = analyzeDockerfile('\ufeff# escape=`\nFROM alpine\n');
  assert.equal(m.escapeChar, '`');
  assert.deepEqual(m.directives.map((d) => d.name), ['escape']);
});
