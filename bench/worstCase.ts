/**
 * The slowest inputs, timed: what the fuzz and corpus tests once limited themselves (a busy
 * machine failed them; tests now assert behaviour only). Each row re-times the five slowest
 * inputs (best of four, so one GC pause does not count) and sets the slowest against
 * dockerfile-utils' validate() on the same text, the strongest simple baseline (a parse and lint).
 * - fuzz: the robustness test's 10,000 mutants (same seed), analyzeDockerfile alone; target < 100 ms;
 * - corpus: the 3,000 real-world Dockerfiles through the server's whole pipeline; target < 1 s.
 */
import { validate } from 'dockerfile-utils';
import { analyzeDockerfile } from '../server/src/service/index';
import type { Row } from './bench';
import { stats, time } from './measure';
import { FUZZ_SEED, loadFixtures, mutate } from '../test/mutate';
import { mulberry32 } from '../test/random';
import { loadCorpus, pipeline, sizeServices } from '../test/corpus/pipeline';

const SLOWEST = 5;
const RETRIES = 4;

/** The input that stays slowest when the slowest few are timed again: its best time and validate()'s. */
function slowest(inputs: { text: string; label: string }[], run: (i: number) => void): { label: string; best: number[]; baseline: number[] } {
  const first = inputs.map((_, i) => ({ i, ms: time(() => run(i)) })).sort((a, b) => b.ms - a.ms).slice(0, SLOWEST);
  const retimed = first.map(({ i }) => ({ i, samples: Array.from({ length: RETRIES }, () => time(() => run(i))) }))
    .sort((a, b) => Math.min(...b.samples) - Math.min(...a.samples));
  const worst = retimed[0]!;
  const text = inputs[worst.i]!.text;
  return { label: inputs[worst.i]!.label, best: worst.samples, baseline: Array.from({ length: RETRIES }, () => time(() => validate(text))) };
}

function row(name: string, found: ReturnType<typeof slowest>, limitMs: number): Row {
  const ours = stats(found.best);
  const baseline = stats(found.baseline);
  return {
    name, ours, baseline, ratio: ours.min / baseline.min,
    oursText: `${ours.min.toFixed(1)} ms (best of ${RETRIES})`,
    targetText: `< ${limitMs.toLocaleString('en-US')} ms`,
    met: ours.min < limitMs,
    note: `${name}: the slowest is ${found.label}`,
  };
}

export function fuzzWorstRow(cases = 10_000): Row {
  const fixtures = loadFixtures();
  const random = mulberry32(FUZZ_SEED);
  const inputs = Array.from({ length: cases }, (_, i) => {
    const mutant = mutate(random, fixtures);
    return { text: mutant.text, label: `case ${i} (${mutant.text.length.toLocaleString('en-US')} chars: ${mutant.steps.join('; ')})` };
  });
  return row(`fuzz: slowest of ${cases.toLocaleString('en-US')} mutants, analyzeDockerfile vs validate`, slowest(inputs, (i) => analyzeDockerfile(inputs[i]!.text)), 100);
}

export function corpusWorstRow(): Row {
  const corpus = loadCorpus();
  const services = sizeServices();
  const inputs = corpus.map((file) => ({ text: file.text, label: file.path }));
  return row(`corpus: slowest of ${corpus.length.toLocaleString('en-US')} files, the server's pipeline vs validate`, slowest(inputs, (i) => pipeline(corpus[i]!, i, services)), 1_000);
}
