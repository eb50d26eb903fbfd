// Token tests for the TextMate grammar in syntaxes/dockerfile.tmLanguage.json, run with the same
// engine VS Code uses (vscode-textmate + vscode-oniguruma). `source.shell` is a small stand-in
// (shell-stub.tmLanguage.json) so the embedding is exercised offline.
//
// Snapshots: each case below is tokenized and rendered as text, one block per source line, and
// compared with test/grammar/snapshots/<case>.snap. After a deliberate grammar change, regenerate
// them with UPDATE_SNAPSHOTS=1 (e.g. `UPDATE_SNAPSHOTS=1 npm test`) and read the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { DockerfileParser } from 'dockerfile-ast';

const ROOT = path.resolve(__dirname, '../../..');
const GRAMMAR_FILE = path.join(ROOT, 'syntaxes', 'dockerfile.tmLanguage.json');
const SHELL_STUB = path.join(ROOT, 'test', 'grammar', 'shell-stub.tmLanguage.json');
const SNAPSHOTS = path.join(ROOT, 'test', 'grammar', 'snapshots');
const SCOPE = 'source.dockerfile.dockerlens';
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

interface Token {
  text: string;
  scopes: string[]; // without the grammar's root scope
}

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const onigLib: vsctm.IOnigLib = {
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    };
    const files: Record<string, string> = { [SCOPE]: GRAMMAR_FILE, 'source.shell': SHELL_STUB };
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve(onigLib),
      loadGrammar: async (scopeName) => {
        const file = files[scopeName];
        return file ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
      },
    });
    const grammar = await registry.loadGrammar(SCOPE);
    if (!grammar) throw new Error(`no grammar for ${SCOPE}`);
    return grammar;
  })();
  return grammarPromise;
}

async function tokenize(source: string): Promise<{ lines: string[]; tokens: Token[][] }> {
  const grammar = await loadGrammar();
  const lines = source.split('\n');
  let state = vsctm.INITIAL;
  const tokens = lines.map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({
      text: line.slice(t.startIndex, t.endIndex),
      scopes: t.scopes.filter((s) => s !== SCOPE),
    }));
  });
  return { lines, tokens };
}

/** One block per source line: the line, then each token with its scopes (`.dockerfile` dropped). */
function render(lines: string[], tokens: Token[][]): string {
  const out: string[] = [];
  lines.forEach((line, i) => {
    out.push(`${String(i + 1).padStart(2)}| ${line}`.trimEnd());
    for (const token of tokens[i]) {
      const scopes = token.scopes.map((s) => s.replace(/\.dockerfile$/, '')).join(' ');
      out.push(`    ${JSON.stringify(token.text).padEnd(22)} ${scopes}`.trimEnd());
    }
  });
  return out.join('\n') + '\n';
}

// --- snapshot cases ------------------------------------------------------------------------------

const CASES: Record<string, string[]> = {
  directives: [
    '# syntax=docker/dockerfile:1',
    '# escape=\\',
    '#check = skip=JSONArgsRecommended;error=true',
    '# a comment ends the directives',
    '# check=skip=all',
    'FROM alpine',
  ],
  'directive-after-comment': [
    '# just a comment',
    '',
    '# escape=`',
    'RUN echo C:\\ \\',
    '    && echo still the same RUN',
  ],
  from: [
    'ARG BASE=debian:bookworm-slim',
    'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION:-1.22}-alpine@sha256:0123abcd AS build',
    'FROM ${BASE}',
    'from build as final',
    'FROM scratch',
  ],
  'run-continuation': [
    'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
    '    --network=none \\',
    '    apt-get update && \\',
    '    # a Dockerfile comment inside the continuation',
    '    apt-get install -y "curl" \\',
    '',
    '    && echo "$HOME" # a shell comment',
    'COPY . /app',
  ],
  'exec-form': [
    'CMD ["node", "server.js"]',
    'ENTRYPOINT ["/bin/sh", "-c", "echo \\"$HOME\\"\\n"]',
    'SHELL ["powershell", "-Command"]',
    'RUN [ -f /etc/os-release ] && echo "shell form"',
    'CMD ["python", \\',
    '     "app.py"]',
    'CMD [\'single\', "quoted"]',
    'CMD npm start',
  ],
  variables: [
    'ENV A=$HOME B=${HOME} C=${VAR:-default} D=${VAR:+set} E=${VAR:?required}',
    'ENV F=${A:-${B}} G="quoted $A ${B}" H=\'single $A\' I=\\$NOT_A_VAR',
    'WORKDIR $HOME/app',
    'USER ${UID}:${GID}',
  ],
  'env-label-arg': [
    'ARG VERSION',
    'ARG USER=app GROUP="app group"',
    'ENV NODE_ENV=production \\',
    '    PATH=/app/bin:$PATH',
    'ENV LEGACY value with spaces',
    'LABEL org.opencontainers.image.title="Dockerlens" "com.example.quoted"="yes" version=1.0',
  ],
  'copy-add': [
    'COPY --from=build --chown=1000:1000 --chmod=755 --link /out/app /usr/local/bin/app',
    'ADD --checksum=sha256:24454f830cdb https://example.com/x.tar.gz /tmp/',
    'COPY ["my file.txt", "$DEST/"]',
    'COPY --parents --exclude=*.md ./src/ ./dst/',
  ],
  'heredoc-run': [
    'RUN <<EOF',
    'set -eux',
    'if [ -f /x ]; then echo "quoted',
    'RUN still inside the heredoc',
    'EOF',
    'RUN --mount=type=cache,target=/root/.cache <<-"INSTALL"',
    '\tpip install -r requirements.txt',
    '\tINSTALL',
    'RUN <<\'my_script\'',
    'echo $HOME',
    'my_script',
    'WORKDIR /app',
  ],
  'heredoc-copy': [
    'COPY <<EOF /etc/app.conf',
    'home=$HOME',
    '# not a Dockerfile comment',
    'FROM not-an-instruction \\',
    'EOF',
    'COPY --chmod=755 <<-\'SCRIPT\' /usr/local/bin/entry',
    '\t#!/bin/sh',
    '\techo $LITERAL',
    '\tSCRIPT',
    'USER app',
  ],
  'heredoc-in-shell': [
    'RUN apt-get update && cat <<EOF > /etc/apt/sources.list',
    'deb http://deb.debian.org/debian $CODENAME main',
    'EOF',
    'RUN python3 <<\'PY\'',
    'from os import environ',
    'PY',
    'RUN set -eux; \\',
    '    bash -e <<EOF',
    'echo "$PATH"',
    'EOF',
    'RUN echo "a << b" && cat <<<"here string"',
  ],
  'onbuild-healthcheck-misc': [
    'ONBUILD RUN npm ci',
    'onbuild copy . /app',
    'ONBUILD',
    'HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1',
    'HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]',
    'HEALTHCHECK NONE',
    'EXPOSE 80/tcp 443 8000-8010/udp $PORT',
    'STOPSIGNAL SIGTERM',
    'VOLUME ["/data", "/logs"]',
    'MAINTAINER someone@example.com',
  ],
  'escape-backtick': [
    '# syntax=docker/dockerfile:1',
    '# escape=`',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'RUN powershell -Command `',
    '    Write-Host "C:\\ is a path"',
    'COPY app C:\\app\\',
    'ENV GREETING="say `"hi`""',
  ],
  'shell-does-not-leak': [
    'RUN echo "unterminated && \\',
    '    echo still in the string',
    'COPY a b',
    'RUN echo "spans \\',
    '    two lines" && echo $((1 + 2))',
    'ENV AFTER=1',
  ],
};

for (const [name, lines] of Object.entries(CASES)) {
  test(`snapshot: ${name}`, async () => {
    const { lines: source, tokens } = await tokenize(lines.join('\n'));
    const actual = render(source, tokens);
    const file = path.join(SNAPSHOTS, `${name}.snap`);
    if (UPDATE) {
      fs.mkdirSync(SNAPSHOTS, { recursive: true });
      fs.writeFileSync(file, actual);
      return;
    }
    assert.ok(fs.existsSync(file), `missing snapshot ${path.relative(ROOT, file)}: run with UPDATE_SNAPSHOTS=1`);
    assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name}: tokens differ from the snapshot (UPDATE_SNAPSHOTS=1 regenerates it)`);
  });
}

test('every snapshot file belongs to a case', () => {
  if (UPDATE) return;
  const extra = fs.readdirSync(SNAPSHOTS).filter((f) => f.endsWith('.snap') && !(f.slice(0, -5) in CASES));
  assert.deepEqual(extra, []);
});

// --- direct assertions ---------------------------------------------------------------------------

/** Tokens of one line (1-based). */
async function lineTokens(source: string[], line: number): Promise<Token[]> {
  return (await tokenize(source.join('\n'))).tokens[line - 1];
}

/** Scopes of the token that starts with `text` on a line (1-based). */
async function scopesOf(source: string[], line: number, text: string): Promise<string[]> {
  const tokens = await lineTokens(source, line);
  const token = tokens.find((t) => t.text.startsWith(text)) ?? tokens.find((t) => t.text.includes(text));
  assert.ok(token, `no token ${JSON.stringify(text)} on line ${line}: ${JSON.stringify(tokens)}`);
  return token.scopes;
}

const has = (scopes: string[], prefix: string) => scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));

test('the body of RUN <<EOF is embedded shell; the body of COPY <<EOF is a plain string', async () => {
  const run = await scopesOf(['RUN <<EOF', 'echo hi', 'EOF'], 2, 'echo');
  assert.ok(has(run, 'meta.embedded.block.shell'), run.join(' '));
  assert.ok(!has(run, 'string.unquoted.heredoc'), run.join(' '));

  const copy = await scopesOf(['COPY <<EOF /etc/motd', 'echo hi', 'EOF'], 2, 'echo');
  assert.ok(has(copy, 'string.unquoted.heredoc'), copy.join(' '));
  assert.ok(!has(copy, 'meta.embedded.block.shell'), copy.join(' '));
});

test('the heredoc terminator is marked and closes the body', async () => {
  const source = ['COPY <<END /x', 'body', 'END', 'RUN true'];
  assert.ok(has(await scopesOf(source, 3, 'END'), 'keyword.control.heredoc-token'));
  assert.ok(has(await scopesOf(source, 4, 'RUN'), 'keyword.other.instruction'));
});

test('a tab-indented terminator closes <<-EOF but not <<EOF', async () => {
  const dash = ['RUN <<-EOF', '\techo hi', '\tEOF', 'USER app'];
  assert.ok(has(await scopesOf(dash, 3, 'EOF'), 'keyword.control.heredoc-token'));
  assert.ok(has(await scopesOf(dash, 4, 'USER'), 'keyword.other.instruction'));

  const plain = ['RUN <<EOF', '\techo hi', '\tEOF', 'USER app', 'EOF'];
  const stillBody = await scopesOf(plain, 3, '\tEOF');
  assert.ok(has(stillBody, 'meta.heredoc.body'), stillBody.join(' '));
  assert.ok(!has(await scopesOf(plain, 4, 'USER'), 'keyword.other.instruction'));
  assert.ok(has(await scopesOf(plain, 5, 'EOF'), 'keyword.control.heredoc-token'));
});

test('${VAR:-x} is one variable expression', async () => {
  const line = 'ENV A=${VAR:-x}/bin';
  const tokens = await lineTokens([line], 1);
  let offset = 0;
  const spans: Array<[number, number]> = [];
  for (const token of tokens) {
    if (has(token.scopes, 'variable.other.braced')) spans.push([offset, offset + token.text.length]);
    offset += token.text.length;
  }
  assert.ok(spans.length > 0);
  for (let i = 1; i < spans.length; i++) assert.equal(spans[i][0], spans[i - 1][1], 'the variable tokens are contiguous');
  assert.equal(line.slice(spans[0][0], spans[spans.length - 1][1]), '${VAR:-x}');
  assert.ok(has(await scopesOf([line], 1, ':-'), 'keyword.operator.expansion'));
  assert.ok(has(await scopesOf([line], 1, 'VAR'), 'variable.other'));
});

// TextMate sees one line at a time: the grammar can only anchor the directive block at the
// document's first line (\A) and end it at the first line that is not a directive. That is also
// BuildKit's rule, as long as the file is tokenized from its first line (VS Code always does).
test('# escape= is a directive on line 1 but a comment on line 3', async () => {
  const first = await scopesOf(['# escape=`', 'FROM x'], 1, 'escape');
  assert.ok(has(first, 'keyword.control.directive'), first.join(' '));
  assert.ok(!has(first, 'comment'), first.join(' '));

  const third = await scopesOf(['FROM x', '# hello', '# escape=`'], 3, ' escape');
  assert.ok(has(third, 'comment.line.number-sign'), third.join(' '));
  assert.ok(!has(third, 'keyword.control.directive'), third.join(' '));

  const afterComment = await scopesOf(['# hello', '# syntax=docker/dockerfile:1'], 2, ' syntax');
  assert.ok(has(afterComment, 'comment.line.number-sign'), afterComment.join(' '));
});

test('# escape=` makes the backtick, not the backslash, continue a line', async () => {
  const source = ['# escape=`', 'RUN dir C:\\', 'COPY a b', 'RUN echo a `', '    b'];
  assert.ok(has(await scopesOf(source, 3, 'COPY'), 'keyword.other.instruction'));
  assert.ok(has(await scopesOf(source, 5, '    b'), 'meta.embedded.block.shell'));
});

test('RUN shell spans continuation lines, keeps comment lines as comments, and stops at the instruction end', async () => {
  const source = ['RUN apt-get update \\', '  # comment', '  && apt-get install -y curl', 'COPY x y'];
  assert.ok(has(await scopesOf(source, 1, 'apt-get'), 'meta.embedded.block.shell'));
  const comment = await scopesOf(source, 2, '#');
  assert.ok(has(comment, 'comment.line.number-sign'), comment.join(' '));
  assert.ok(has(await scopesOf(source, 3, '&&'), 'meta.embedded.block.shell'));
  const copy = await scopesOf(source, 4, 'COPY');
  assert.ok(has(copy, 'keyword.other.instruction'), copy.join(' '));
  assert.ok(!has(copy, 'meta.embedded.block.shell'), copy.join(' '));
});

test('an unclosed shell quote ends with its instruction', async () => {
  const source = ['RUN echo "oops', 'COPY x y'];
  assert.ok(has(await scopesOf(source, 1, '"'), 'string.quoted.double.shell'));
  const copy = await scopesOf(source, 2, 'COPY');
  assert.deepEqual(copy, ['meta.instruction.copy.dockerfile', 'keyword.other.instruction.dockerfile']);
});

test('flags have the name and the value apart', async () => {
  const source = ['COPY --from=build /a /b'];
  assert.ok(has(await scopesOf(source, 1, 'from'), 'entity.other.attribute-name.flag'));
  const value = await scopesOf(source, 1, 'build');
  assert.ok(has(value, 'string.unquoted.flag-value'), value.join(' '));
  assert.ok(!has(value, 'entity.other.attribute-name.flag'), value.join(' '));
});

test('every instruction keyword is recognised, in any case', async () => {
  const { INSTRUCTIONS } = require(path.join(ROOT, 'syntaxes', 'src', 'dockerfile.grammar.js')) as { INSTRUCTIONS: string[] };
  for (const keyword of INSTRUCTIONS) {
    for (const spelling of [keyword, keyword.toLowerCase()]) {
      const [first] = await lineTokens([`${spelling} x`], 1);
      assert.equal(first.text, spelling);
      assert.ok(first.scopes.some((s) => s.startsWith('keyword.other.instruction')), `${spelling}: ${first.scopes.join(' ')}`);
    }
  }
});

// A cross-check with the parser the extension uses: on the fixture Dockerfiles (heredocs,
// continuations with comments, the backtick escape, CRLF...), the lines where the grammar starts an
// instruction are exactly the lines where dockerfile-ast starts one with a known keyword.
test('instruction starts agree with dockerfile-ast on the fixture Dockerfiles', async () => {
  const { INSTRUCTIONS } = require(path.join(ROOT, 'syntaxes', 'src', 'dockerfile.grammar.js')) as { INSTRUCTIONS: string[] };
  const dir = path.join(ROOT, 'test', 'fixtures', 'dockerfiles');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.Dockerfile'));
  assert.ok(files.length > 0);
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const expected = DockerfileParser.parse(text)
      .getInstructions()
      .filter((i) => INSTRUCTIONS.includes(i.getKeyword().toUpperCase()))
      .map((i) => i.getInstructionRange().start.line + 1);
    const { tokens } = await tokenize(text.replace(/\r\n/g, '\n'));
    const actual = tokens.flatMap((line, i) =>
      line.some((t) => t.scopes.includes('keyword.other.instruction.dockerfile') && !has(t.scopes, 'meta.healthcheck-command'))
        ? [i + 1]
        : [],
    );
    assert.deepEqual(actual, [...new Set(expected)], file);
  }
});

test('the committed grammar JSON is built from syntaxes/src', () => {
  const { render: build } = require(path.join(ROOT, 'scripts', 'build-grammar.js')) as { render(): string };
  assert.equal(fs.readFileSync(GRAMMAR_FILE, 'utf8'), build(), 'run node scripts/build-grammar.js');
});

test('package.json contributes the grammar for the dockerfile language', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.grammars, [
    {
      language: 'dockerfile',
      scopeName: SCOPE,
      path: './syntaxes/dockerfile.tmLanguage.json',
      embeddedLanguages: { 'meta.embedded.block.shell': 'shellscript' },
    },
  ]);
  assert.equal(JSON.parse(fs.readFileSync(GRAMMAR_FILE, 'utf8')).scopeName, SCOPE);
});

// VS Code's shell grammar scopes every command `entity.name.function.call.shell
// entity.name.command.shell`, and the default themes colour entity.name.function: the first
// command of a RUN must carry the same scopes, or it stays plain beside the commands after `&&`.
test('the first command of a shell-form RUN, CMD or continuation is scoped like a shell command', async () => {
  for (const source of [['RUN apt-get update && apt-get install -y curl'], ['CMD nginx -g "daemon off;"'], ['RUN --mount=type=cache,target=/x \\', '    make all']]) {
    const command = source.length === 1 ? source[0]!.split(' ')[1]! : 'make';
    const scopes = await scopesOf(source, source.length, command);
    assert.ok(has(scopes, 'entity.name.function.call.shell'), `${command}: ${scopes.join(' ')}`);
    assert.ok(has(scopes, 'entity.name.command.shell'), `${command}: ${scopes.join(' ')}`);
  }
});
