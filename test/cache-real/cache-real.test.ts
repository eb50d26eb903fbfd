/**
 * The cache prediction against a real BuildKit, in small: four quick busybox-based scenarios of
 * test/fixtures/diff/scenarios.json (edit a copied file; touch only; LABEL edit; a declared build
 * arg), each built before and after on the private engine of scripts/engine-setup.sh, asserting
 * that `dockerlens diff` predicts exactly the steps BuildKit prints CACHED. Skips with one line
 * when that engine's socket does not answer (the test does not start it: run the setup script or
 * `npm run test:cache-real -- --keep-engine` first), and fails instead where DOCKERLENS_REQUIRE
 * lists engine. All 23 scenarios take minutes (about 5 s each on an idle 2-core machine, 12 s on
 * a busy one), too long for `npm test`: `npm run test:cache-real` runs them, a failing step of CI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../server/src/cli';
import type { DiffReport } from '../../server/src/cli/diff';
import { compareScenario, engineUnavailable, loadScenarios, parseSteps } from '../../bench/cache-real/engine';
import { skipOrFail } from '../requireTool';

const QUICK = ['edit a copied file', 'touch only: mtime changes, content does not', 'edit LABEL', 'build arg declared in the stage changes'];

async function predict(args: string[]): Promise<DiffReport> {
  const result = await runCli(['diff', ...args]);
  assert.equal(result.code, 0, result.stderr || result.stdout);
  return JSON.parse(result.stdout) as DiffReport;
}

describe('real BuildKit cache', () => {
  it('plain progress: step lines with their stage, CACHED marks', () => {
    const log = ['#4 [build 1/2] FROM docker.io/library/alpine:3.22', '#5 [build 2/2] RUN echo build > /out.txt', '#5 CACHED', '', '#7 [3/6] COPY package.json ./', '#7 DONE 0.0s'].join('\n');
    assert.deepEqual(
      parseSteps(log).map((s) => [s.id, s.stage, s.index, s.count, s.text, s.cached]),
      [
        [4, 'build', 1, 2, 'FROM docker.io/library/alpine:3.22', false],
        [5, 'build', 2, 2, 'RUN echo build > /out.txt', true],
        [7, '', 3, 6, 'COPY package.json ./', false],
      ],
    );
  });

  it('reuses exactly what dockerlens diff predicts (4 scenarios)', async (t) => {
    const reason = engineUnavailable();
    if (reason) {
      skipOrFail(t, 'engine', `no Docker engine here: ${reason}`);
      return;
    }
    const scenarios = loadScenarios().filter((s) => QUICK.includes(s.name));
    assert.equal(scenarios.length, QUICK.length);
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-cache-real-test-'));
    try {
      for (const [i, scenario] of scenarios.entries()) {
        await t.test(scenario.name, async () => {
          const result = await compareScenario(scenario, path.join(tmp, `s${i}`), `dockerlens-cache-real-test-${i}`, predict);
          assert.equal(result.error, undefined, result.error);
          assert.deepEqual(result.problems, []);
          assert.equal(result.predicted, result.real, `predicted ${result.predicted}, BuildKit:\n${result.lines.join('\n')}`);
          assert.equal(result.real, scenario.expect.pattern);
        });
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
