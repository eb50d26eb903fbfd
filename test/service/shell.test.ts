import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCommands, runScript } from '../../server/src/service/sizes/shell';
import { analyzeDockerfile } from '../../server/src/service';
import { instr } from '../modelQueries';

const argvs = (script: string) => splitCommands(script).map((c) => c.argv.join(' '));

test('splits on && || ; | and newlines, honouring quotes', () => {
  assert.deepEqual(argvs(`set -eux; apt-get update && apt-get install -y "curl" 'git lfs' || true | cat\nrm -rf /x`), [
    'set -eux', 'apt-get update', 'apt-get install -y curl git lfs', 'true', 'cat', 'rm -rf /x',
  ]);
});

test('leading assignments are kept apart from argv', () => {
  const [command] = splitCommands('DEBIAN_FRONTEND=noninteractive A="x y" apt-get install -y tzdata');
  assert.deepEqual(command, { argv: ['apt-get', 'install', '-y', 'tzdata'], env: { DEBIAN_FRONTEND: 'noninteractive', A: 'x y' } });
});

test('comments, escaped newlines, subshells and $(...) words', () => {
  assert.deepEqual(argvs('a \\\n b # c && d\n(cd /x && make) ; echo $(uname -m)'), ['a b', 'cd /x', 'make', 'echo $(uname -m)']);
});

test('${VAR} stays inside its word while { } groups separate commands', () => {
  assert.deepEqual(argvs('pip install pkg==${VERSION} && { echo a; }'), ['pip install pkg==${VERSION}', 'echo a']);
});

test('never throws on unbalanced quotes', () => {
  assert.deepEqual(argvs('echo "unterminated && rm x'), ['echo unterminated && rm x']);
});

test('runScript reads heredoc bodies, exec form and shell form', () => {
  const model = analyzeDockerfile('FROM alpine\nRUN <<EOF\napk add curl\nrm -rf /var/cache/apk/*\nEOF\nRUN ["apk", "add", "git"]\nRUN apk add jq\n');
  assert.equal(runScript(instr(model, 0, 'RUN', 0)), 'apk add curl\nrm -rf /var/cache/apk/*');
  assert.equal(runScript(instr(model, 0, 'RUN', 1)), 'apk add git');
  assert.equal(runScript(instr(model, 0, 'RUN', 2)), 'apk add jq');
});
