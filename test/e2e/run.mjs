// End-to-end tests: the packaged extension (.vsix) in real VS Code, served by code-server and
// driven through Chromium with playwright-core, as a user would use it. `npm run test:e2e`.
//
// Tools come from `bash scripts/e2e-setup.sh` (outside the extension's dependencies); without
// them every session is skipped with one line saying why. Each file in scenarios/ is a session
// (its own code-server, folders and page) whose scenarios run in order: add a scenario to a file,
// or a file for a new workspace or setting. A scenario's run(wb, { workspace }) also gets the path
// of its session's copy of the workspace. Screenshots (one per scenario, pass or fail) and
// code-server logs go to test-results/e2e/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startSession } from './lib/session.mjs';
import { CHROMIUM, findTools, repoRoot } from './lib/tools.mjs';
import { CHROMIUM_ARGS } from './lib/workbench.mjs';

const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
const scenariosDir = path.join(repoRoot, 'test', 'e2e', 'scenarios');
const keep = process.env.DOCKERLENS_E2E_KEEP === '1';

const tools = findTools();
// DOCKERLENS_E2E_ONLY=2-korean runs one session (a file name of scenarios/, with or without .mjs).
const only = process.env.DOCKERLENS_E2E_ONLY?.replace(/\.mjs$/, '');
const sessionFiles = readdirSync(scenariosDir).filter((f) => f.endsWith('.mjs') && (!only || f === `${only}.mjs`)).sort();

// Where DOCKERLENS_REQUIRE lists e2e (.ci/run, which installs the tools), missing tools fail the
// run instead of skipping it: the rule of test/requireTool.ts, read here without the build.
const required = (process.env.DOCKERLENS_REQUIRE ?? '').split(',').map((w) => w.trim()).includes('e2e');

if (!tools.ok && required) {
  test('e2e', () => {
    throw new Error(`e2e is required here (DOCKERLENS_REQUIRE=${process.env.DOCKERLENS_REQUIRE}) but unavailable: ${tools.reason}`);
  });
} else if (!tools.ok) {
  test('e2e', { skip: `SKIP e2e: ${tools.reason}` }, () => {});
} else if (sessionFiles.length === 0) {
  // No session to run: fail at once rather than start a browser nothing will close.
  test('e2e', () => {
    throw new Error(`no scenario file matches DOCKERLENS_E2E_ONLY=${only}`);
  });
} else {
  const specs = [];
  for (const file of sessionFiles) {
    specs.push({ id: path.basename(file, '.mjs'), spec: (await import(pathToFileURL(path.join(scenariosDir, file)).href)).default });
  }

  let workRoot;
  let browser;
  let vsix;

  before(async () => {
    rmSync(resultsDir, { recursive: true, force: true });
    mkdirSync(resultsDir, { recursive: true });
    workRoot = mkdtempSync(path.join(tmpdir(), 'dockerlens-e2e-'));
    vsix = buildVsix();
    browser = await tools.playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (workRoot && !keep) rmSync(workRoot, { recursive: true, force: true });
  });

  for (const { id, spec } of specs) {
    describe(spec.title, () => {
      let session;
      before(async () => {
        session = await startSession({
          spec, tools, browser, vsix, id,
          workDir: mkdtempSync(path.join(workRoot, `${id}-`)),
          logsDir: resultsDir,
          screenshotsDir: resultsDir,
        });
      }, { timeout: 240_000 });
      after(async () => {
        await session?.stop();
      });
      spec.scenarios.forEach((scenario, index) => {
        test(scenario.name, { timeout: 120_000 }, async () => {
          try {
            await session.wb.dismissHover();
            await scenario.run(session.wb, { workspace: session.workspace });
          } finally {
            await session?.wb.screenshot(`${id}-${String.fromCharCode(97 + index)}`).catch(() => {});
          }
        });
      });
    });
  }
}

/** `npm run package`: the production bundle and the .vsix a user installs. Returns its path. */
function buildVsix() {
  const result = spawnSync(process.execPath, ['esbuild.js', '--package'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`npm run package failed:\n${output}`);
  const line = output.split('\n').find((l) => /^\S+\.vsix: \d+ bytes/.test(l));
  if (!line) throw new Error(`npm run package printed no .vsix size:\n${output}`);
  console.log(`# e2e: packaged ${line}`);
  return path.join(repoRoot, line.split(':')[0]);
}
