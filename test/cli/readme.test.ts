/**
 * README's headline examples are what the CLI prints: each block marked
 * `<!-- readme-example: ARGS -->` equals `node dist/cli.js ARGS` run from the repository's top,
 * trailing spaces aside (../readmeExamples.ts). After a change of the output, `npm run
 * readme:examples` rewrites the blocks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliOutput, findExamples, normalise, readReadme, rewrite } from '../readmeExamples';

test('README: the explain and check examples are the real CLI output', () => {
  const examples = findExamples(readReadme());
  assert.deepEqual(examples.map((e) => e.args[0]).sort(), ['check', 'explain'], 'README marks its explain and check examples');
  for (const example of examples) {
    const out = cliOutput(example.args);
    assert.equal(out.stderr, '', `dockerlens ${example.args.join(' ')} wrote to stderr`);
    assert.equal(normalise(example.shown), normalise(out.text), `README's block for \`dockerlens ${example.args.join(' ')}\` differs from the CLI's output: run npm run readme:examples`);
  }
});

test('README: npm run readme:examples rewrites a stale block from the CLI and nothing else', () => {
  const readme = readReadme();
  const stale = readme.replace(/(<!-- readme-example: explain [^\n]+\n```\n)[^\n]+/, '$1a line the CLI never prints');
  assert.notEqual(stale, readme);
  // the first test shows the blocks equal the CLI's output: rewritten, the stale README is README again
  assert.equal(normalise(rewrite(stale)), normalise(readme));
});
