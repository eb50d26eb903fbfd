// Runs inside VS Code's extension host (loaded by @vscode/test-electron as extensionTestsPath).
// A small sequential runner: each scenario is an async function that throws on failure. The
// outcome of each is printed, and run() rejects when any failed, which makes VS Code exit
// non-zero.
import { expectedLocale, SCENARIOS, type Scenario } from './scenarios';

export async function run(): Promise<void> {
  const failures: string[] = [];
  let passed = 0;
  let skipped = 0;
  for (const scenario of SCENARIOS.filter((s) => (s.locales ?? ['en']).includes(expectedLocale))) {
    const outcome = await runOne(scenario);
    if (outcome.kind === 'pass') passed++;
    else if (outcome.kind === 'skip') skipped++;
    else failures.push(`${scenario.name}: ${outcome.message}`);
    console.log(`${outcome.kind === 'pass' ? 'ok' : outcome.kind === 'skip' ? 'skip' : 'not ok'} - ${scenario.name}${outcome.kind === 'pass' ? '' : ` # ${outcome.message}`}`);
  }
  console.log(`${passed} passed, ${failures.length} failed, ${skipped} skipped`);
  if (failures.length) throw new Error(`${failures.length} scenario(s) failed:\n${failures.join('\n')}`);
}

type Outcome = { kind: 'pass' } | { kind: 'skip'; message: string } | { kind: 'fail'; message: string };

async function runOne(scenario: Scenario): Promise<Outcome> {
  try {
    const skip = await scenario.run();
    return typeof skip === 'string' ? { kind: 'skip', message: skip } : { kind: 'pass' };
  } catch (error) {
    return { kind: 'fail', message: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
}
