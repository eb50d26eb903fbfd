/**
 * Real-world robustness: every Dockerfile of the corpus (test/corpus/dockerfiles.jsonl.gz, 3,000
 * files from a public collection; SOURCE.md says which and how they were picked) goes through the
 * whole pipeline the language server runs: analyse, size (with the bundled apt table), rules,
 * code lenses, hovers at a few places, and a cache prediction for a small change. Nothing may
 * throw. How long the slowest file takes is a bench row (npm run bench), not a test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { loadCorpus, newSeen, pipeline, sizeServices } from './pipeline';

const MIN_FILES = 3_000;

test(`corpus: ${MIN_FILES.toLocaleString('en-US')}+ real-world Dockerfiles through the whole pipeline, none throws`, { timeout: 600_000 }, (t) => {
  const corpus = loadCorpus();
  assert.ok(corpus.length >= MIN_FILES, `expected at least ${MIN_FILES} files, found ${corpus.length}`);
  assert.equal(new Set(corpus.map((f) => f.path)).size, corpus.length, 'corpus paths are unique');
  const services = sizeServices();

  const seen = newSeen();
  const failures: string[] = [];
  const started = performance.now();
  corpus.forEach((file, index) => {
    try {
      pipeline(file, index, services, seen);
    } catch (error) {
      failures.push(`#${index} ${file.path}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  });
  const total = performance.now() - started;

  const fmt = (n: number) => n.toLocaleString('en-US');
  t.diagnostic(`${fmt(corpus.length)} files in ${(total / 1000).toFixed(2)} s (mean ${(total / corpus.length).toFixed(2)} ms/file)`);
  t.diagnostic(`seen: ${fmt(seen.stages)} stages (${fmt(seen.multiStage)} multi-stage files), ${fmt(seen.instructions)} instructions, ${fmt(seen.layers)} filesystem layers `
    + `(${fmt(seen.sizedLayers)} with a size, ${fmt(seen.unknownLayers)} unknown, ${fmt(seen.partialLayers)} partly known; ${fmt(seen.imagesWithUnknown)} images name an unknown part; ${fmt(seen.aptSized)} files with an apt-sized layer), ${fmt(seen.heredocs)} files with heredocs`);
  t.diagnostic(`sizes not known: ${fmt(seen.unknownLayers)} layers unknown, ${fmt(seen.partialLayers)} partly known; ${fmt(seen.imagesWithUnknown)} images with a part not known`);
  t.diagnostic(`seen: ${fmt(seen.hovers)} hovers answered, ${fmt(seen.lenses)} code lenses, ${fmt(seen.rebuilt)} layers predicted to rebuild`);
  t.diagnostic(`problems: ${fmt(seen.problems)} in ${fmt(seen.filesWithProblems)} of ${fmt(corpus.length)} files; by code (count, files):`);
  for (const [code, entry] of [...seen.codes].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))) {
    t.diagnostic(`  ${code} ${entry.rule}: ${fmt(entry.count)} in ${fmt(entry.files)} files`);
  }

  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} file(s) threw; the first five are shown`);
  assert.ok(seen.layers > corpus.length, 'the corpus exercised layers');
});
