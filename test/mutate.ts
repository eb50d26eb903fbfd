/**
 * Random edits for the fuzz tests: the fixture Dockerfiles (test/fixtures/dockerfiles) and
 * mutations of them with the fragments that stress dockerfile-ast's lexer. Deterministic for a
 * given PRNG (./random.ts), so a failure is reproducible by its seed and case number.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The seed of the robustness fuzz (test/service/robustness.test.ts), shared with its bench row. */
export const FUZZ_SEED = 0x5eed_d0c;

export interface Fixture {
  name: string;
  text: string;
}

function fixtureDir(): string {
  // out/test/ after the build, test/ when run from source
  for (const dir of [path.resolve(__dirname, '../../test/fixtures/dockerfiles'), path.resolve(__dirname, 'fixtures/dockerfiles'), path.resolve('test/fixtures/dockerfiles')]) {
    if (fs.existsSync(dir)) return dir;
  }
  throw new Error('test/fixtures/dockerfiles not found');
}

export function loadFixtures(): Fixture[] {
  const dir = fixtureDir();
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.Dockerfile'))
    .sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

/** Fragments that stress the lexer: escapes, heredoc markers, quotes, variables, flags, odd characters. */
export const TOKENS: readonly string[] = [
  '\\', '\\\n', '`', '`\n', '<<EOF', '<<EOF\n', '<<-X', '<<-X\n', "<<'Q'", '<<"Q"', 'EOF', 'X',
  '"', "'", '$', '${', '{', '}', '${A:-', '${A:+${B}}', '$$', '--mount=', '--mount=type=cache,from=',
  '--from=', '--from=0', '--from=99', '--platform=$X', ' AS ', ' as stage', '#', '# escape=`\n',
  '# escape=\\\n', '# syntax=x\n', '\r', '\n', '\r\n', '\t', ' ', '\u0000', '\ufeff', '[', ']', '["',
  '",', '=', ',', 'FROM ', 'RUN ', 'COPY ', 'ONBUILD ', 'ARG ', 'WORKDIR ', 'é', '😀', '\u2028',
];

/** Very long tokens: built once. */
export const LONG_TOKENS: readonly string[] = [
  'a'.repeat(20_000),
  '$'.repeat(5_000),
  '${A:-'.repeat(2_000) + '}'.repeat(2_000),
  '{'.repeat(5_000),
  '\\\n'.repeat(2_000),
  '`\n'.repeat(2_000),
  ' --mount=type=cache,target=/x'.repeat(500),
  '<<EOF\n'.repeat(200),
  'RUN <<A\n'.repeat(200),
  'FROM a AS b\n'.repeat(300),
  'COPY --from=b / /\n'.repeat(300),
  '"'.repeat(5_000),
  '# comment\n'.repeat(2_000),
];

export interface Mutant {
  text: string;
  /** how it was made, to reproduce or shrink a failure */
  steps: string[];
}

export function mutate(random: () => number, fixtures: Fixture[]): Mutant {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const source = pick(fixtures);
  let text = source.text;
  const steps = [`fixture ${source.name}`];
  const count = 1 + int(5);
  for (let s = 0; s < count; s++) {
    const step = mutateOnce(random, text, fixtures);
    text = step.text;
    steps.push(step.step);
  }
  return { text, steps };
}

/** One random edit of `text`: lines deleted, duplicated or pasted from a fixture, characters deleted, fragments inserted, truncation, CRLF. */
export function mutateOnce(random: () => number, text: string, fixtures: Fixture[]): { text: string; step: string } {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const edit = (result: string, step: string) => ({ text: result, step });
  const lines = text.split('\n');
  const op = int(100);
  if (op < 12) {
    const at = int(lines.length);
    lines.splice(at, 1);
    return edit(lines.join('\n'), `delete line ${at}`);
  } else if (op < 22) {
    const at = int(lines.length);
    lines.splice(at, 0, lines[at]!);
    return edit(lines.join('\n'), `duplicate line ${at}`);
  } else if (op < 36) {
    const other = pick(fixtures);
    const otherLines = other.text.split('\n');
    const from = int(otherLines.length);
    const n = 1 + int(3);
    const at = int(lines.length + 1);
    lines.splice(at, 0, ...otherLines.slice(from, from + n));
    return edit(lines.join('\n'), `insert ${n} line(s) from ${other.name}:${from} at line ${at}`);
  } else if (op < 50) {
    const at = int(text.length + 1);
    const n = 1 + int(random() < 0.8 ? 4 : 60);
    return edit(text.slice(0, at) + text.slice(at + n), `delete ${n} char(s) at ${at}`);
  } else if (op < 82) {
    const at = int(text.length + 1);
    const token = pick(TOKENS);
    return edit(text.slice(0, at) + token + text.slice(at), `insert ${JSON.stringify(token)} at ${at}`);
  } else if (op < 87) {
    const at = int(text.length + 1);
    const which = int(LONG_TOKENS.length);
    return edit(text.slice(0, at) + LONG_TOKENS[which]! + text.slice(at), `insert long token #${which} at ${at}`);
  } else if (op < 95) {
    const at = int(text.length + 1);
    return edit(text.slice(0, at), `truncate at ${at}`);
  } else if (op < 98) {
    return edit(text.replace(/\r?\n/g, '\r\n'), 'convert to CRLF');
  } else {
    const at = int(text.length + 1);
    return edit(text.slice(0, at) + ' \\' + text.slice(at), `insert " \\\\" at ${at}`);
  }
}

