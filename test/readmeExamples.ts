/**
 * README's example outputs come from the real CLI. A block of CLI output in README.md is marked
 * with the command that prints it, on the line before its fence:
 *
 *   <!-- readme-example: explain examples/apt-waste/Dockerfile -->
 *
 * (an HTML comment: invisible where the README is rendered). test/cli/readme.test.ts runs each
 * command with dist/cli.js and compares its output with the block, trailing spaces aside. When the
 * product's output changes, `npm run readme:examples` rewrites the blocks from the CLI.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** out/test/ after the build: two levels below the repository. */
export const REPO_ROOT = path.resolve(__dirname, '../..');
const README = path.join(REPO_ROOT, 'README.md');
const MARKER = /^<!-- readme-example: (.+?) -->$/;

export interface Example {
  /** the CLI arguments, as written in the marker */
  args: string[];
  /** line index of the block's opening fence and of its closing fence */
  open: number;
  close: number;
  /** the block as README has it */
  shown: string;
}

/** The marked blocks of a README's text. Throws when a marker is not followed by a fenced block. */
export function findExamples(text: string): Example[] {
  const lines = text.split('\n');
  const examples: Example[] = [];
  lines.forEach((line, i) => {
    const marker = MARKER.exec(line);
    if (!marker) return;
    const open = i + 1;
    if (!/^```\w*$/.test(lines[open] ?? '')) throw new Error(`README line ${i + 1}: a readme-example marker must be followed by a fenced block`);
    const close = lines.findIndex((l, j) => j > open && l === '```');
    if (close < 0) throw new Error(`README line ${open + 1}: the block is not closed`);
    examples.push({ args: marker[1]!.split(/\s+/), open, close, shown: lines.slice(open + 1, close).join('\n') });
  });
  return examples;
}

/** What the built CLI prints for `args`, run from the repository's top as README shows it. */
export function cliOutput(args: string[]): { text: string; code: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { text: run.stdout.replace(/\n+$/, ''), code: run.status, stderr: run.stderr };
}

/** Trailing spaces are the one difference that does not count. */
export function normalise(text: string): string {
  return text.split('\n').map((l) => l.trimEnd()).join('\n');
}

export function readReadme(): string {
  return fs.readFileSync(README, 'utf8');
}

/** README's text with every marked block replaced by the CLI's output. */
export function rewrite(text: string): string {
  const lines = text.split('\n');
  // from the last block up, so earlier line numbers stay valid
  for (const example of findExamples(text).reverse()) {
    const out = cliOutput(example.args);
    if (out.stderr.trim()) throw new Error(`dockerlens ${example.args.join(' ')}: ${out.stderr.trim()}`);
    lines.splice(example.open + 1, example.close - example.open - 1, ...normalise(out.text).split('\n'));
  }
  return lines.join('\n');
}

// `npm run readme:examples`: rewrite README.md's marked blocks.
if (require.main === module) {
  const before = readReadme();
  const after = rewrite(before);
  fs.writeFileSync(README, after);
  const count = findExamples(after).length;
  console.log(`README.md: ${count} example block(s) ${after === before ? 'already matched the CLI' : 'rewritten from the CLI'}`);
}
