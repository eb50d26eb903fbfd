// `npm run test:electron`: the extension's scenarios through the VS Code API, in a real VS Code
// (Electron) that @vscode/test-electron downloads. Where VS Code cannot be downloaded (no network
// to its update server) the run is reported as skipped, with the reason, and exits 0: it never
// claims a pass it did not run. The same scenarios run in the browser through code-server in
// test/e2e/ (npm run test:e2e), which works offline.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

/** The VS Code that code-server 4.100.3 is built on, and the oldest that package.json accepts. */
const VSCODE_VERSION = process.env.DOCKERLENS_VSCODE_VERSION || '1.100.3';
const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** One VS Code launch per display language; the suite skips what a language cannot show. */
const RUNS: { name: string; locale?: string }[] = [{ name: 'English' }, { name: 'Korean display language', locale: 'ko' }];

async function main(): Promise<void> {
  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version: VSCODE_VERSION, timeout: 60_000 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    test('electron', { skip: `SKIP electron: cannot download VS Code ${VSCODE_VERSION} (${reason})` }, () => {});
    return;
  }
  for (const run of RUNS) {
    test(`VS Code ${VSCODE_VERSION} (@vscode/test-electron), ${run.name}`, { timeout: 300_000 }, async () => {
      const work = mkdtempSync(path.join(tmpdir(), 'dockerlens-electron-'));
      try {
        const workspace = path.join(work, 'multi-stage');
        cpSync(path.join(repoRoot, 'examples', 'multi-stage'), workspace, { recursive: true });
        // The feature scenarios' own Dockerfile (the one test/e2e/scenarios/3-features.mjs opens).
        const features = path.join(work, 'features');
        cpSync(path.join(repoRoot, 'test', 'e2e', 'fixtures', 'features'), features, { recursive: true });
        const exitCode = await runTests({
          vscodeExecutablePath,
          extensionDevelopmentPath: repoRoot,
          extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
          extensionTestsEnv: { DOCKERLENS_EXPECTED_LOCALE: run.locale ?? 'en', DOCKERLENS_FEATURES_DIR: features },
          launchArgs: [
            workspace,
            '--disable-extensions',
            '--disable-workspace-trust',
            '--skip-welcome',
            '--skip-release-notes',
            '--user-data-dir', path.join(work, 'user-data'),
            '--extensions-dir', path.join(work, 'extensions'),
            ...(run.locale ? ['--locale', run.locale] : []),
          ],
        });
        assert.equal(exitCode, 0, 'the suite inside VS Code reported failures (see above)');
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
}

void main();
