/**
 * The cache prediction against a real BuildKit, scenario by scenario (test/fixtures/diff/
 * scenarios.json). `npm run test:cache-real` transpiles this and runs it; it runs
 * scripts/engine-setup.sh itself (a private dockerd, local busybox-based bases).
 *
 * For each scenario: a clean build cache, `before` built and tagged, the changes applied in the
 * same folder, built again with --progress=plain; the steps printed CACHED give the real pattern.
 * `node dist/cli.js diff --before … --after … --json` on the same pair gives the predicted one.
 * Prints a table (predicted, real, expected, match) and, for mismatches, BuildKit's step lines.
 *
 * A failing check (CI runs it): exits 1 when a scenario's prediction differs from real BuildKit,
 * when its steps cannot be mapped, when real BuildKit differs from the fixture's expected pattern,
 * or when a build fails. Without an engine it prints one line and exits 0, or 1 where
 * DOCKERLENS_REQUIRE lists engine (test/requireTool.ts). Ends with "N passed, N failed" (passed:
 * predicted equals real and the fixture). Options:
 *   --only <text>    only scenarios whose name contains the text
 *   --keep-engine    leave dockerd running (by default the run stops a dockerd it started)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DiffReport } from '../../server/src/cli/diff';
import { REPO_ROOT, SETUP_SCRIPT, compareScenario, engineUnavailable, loadScenarios, type Comparison } from './engine';
import { requiredTools } from '../../test/requireTool';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function predict(args: string[]): Promise<DiffReport> {
  const run = spawnSync(process.execPath, [CLI, 'diff', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`dockerlens diff exited ${run.status}: ${run.stderr.trim()}`);
  return JSON.parse(run.stdout) as DiffReport;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...r[c]!].length)));
  return rows.map((r) => r.map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length)).join('  ').trimEnd()).join('\n');
}

/** A scenario passes when real BuildKit reuses exactly what was predicted and what the fixture expects. */
function passed(r: Comparison): boolean {
  return !r.error && r.problems.length === 0 && r.predicted === r.real && r.real === r.scenario.expect.pattern;
}

/** The exit code: 0 when every scenario passed, 1 otherwise. */
async function main(): Promise<number> {
  const wasRunning = engineUnavailable() === null;
  const started = Date.now();
  const setup = spawnSync('bash', [SETUP_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(setup.stdout ?? '');
  const setupSeconds = ((Date.now() - started) / 1000).toFixed(1);
  const reason = engineUnavailable();
  if (reason) {
    if (requiredTools().has('engine')) {
      console.log(`cache-real: FAILED, the engine is required here (DOCKERLENS_REQUIRE) but unavailable: ${reason}`);
      return 1;
    }
    console.log(`cache-real: skipped, no Docker engine here: ${reason}`);
    return 0;
  }
  console.log(`cache-real: engine ready (setup ${setupSeconds} s${wasRunning ? ', already running' : ''})`);

  const only = option('--only');
  const scenarios = loadScenarios().filter((s) => !only || s.name.includes(only));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-cache-real-'));
  const results: Comparison[] = [];
  try {
    for (const [i, scenario] of scenarios.entries()) {
      const t0 = Date.now();
      const result = await compareScenario(scenario, path.join(tmp, `s${i}`), `dockerlens-cache-real-s${i}`, predict);
      results.push(result);
      const verdict = result.error ? 'ERROR' : passed(result) ? 'match' : 'MISMATCH';
      console.log(`  ${String(i + 1).padStart(2)}/${scenarios.length} ${verdict.padEnd(8)} ${((Date.now() - t0) / 1000).toFixed(1)} s  ${scenario.name}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    if (!wasRunning && !process.argv.includes('--keep-engine')) {
      const stop = spawnSync('bash', [SETUP_SCRIPT, 'stop'], { encoding: 'utf8' });
      process.stdout.write(stop.stdout ?? '');
    }
  }

  const rows = [['#', 'scenario', 'predicted', 'real BuildKit', 'expected', 'match']];
  results.forEach((r, i) => {
    rows.push([String(i + 1), r.scenario.name, r.predicted || '-', r.error ? 'error' : r.real, r.scenario.expect.pattern, passed(r) ? 'yes' : 'no']);
  });
  console.log(`\n${table(rows)}\n`);

  for (const [i, r] of results.entries()) {
    if (passed(r)) continue;
    console.log(`#${i + 1} ${r.scenario.name}: predicted ${r.predicted || '-'}, real ${r.real || '-'}, expected ${r.scenario.expect.pattern}`);
    if (r.error) console.log(`  error: ${r.error.replace(/\n/g, '\n    ')}`);
    for (const line of r.lines) console.log(`  ${line}`);
    for (const problem of r.problems) console.log(`  mapping: ${problem}`);
  }
  const ok = results.filter(passed).length;
  const expectedMismatch = results.filter((r) => !r.error && r.real !== r.scenario.expect.pattern).length;
  if (expectedMismatch) console.log(`note: ${expectedMismatch} scenario(s) where real BuildKit differs from the fixture's expected pattern`);
  console.log(`${ok} passed, ${results.length - ok} failed (passed: predicted equals real BuildKit and the fixture; ${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
  return ok === results.length && results.length > 0 ? 0 : 1;
}

main().then((code) => {
  process.exitCode = code;
}, (error) => {
  console.log(`cache-real: aborted: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
});
