// One e2e session: a code-server with fresh folders, the Dockerlens .vsix installed, a copy of an
// example workspace, and a Chromium page on its workbench.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CodeServerProfile } from './codeServer.mjs';
import { until } from './poll.mjs';
import { repoRoot } from './tools.mjs';
import { Workbench } from './workbench.mjs';

/** Packs an extension folder into a .vsix with the project's own @vscode/vsce. */
export function packVsix(folder, out) {
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const result = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], {
    cwd: folder, encoding: 'utf8', timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`vsce package in ${folder} failed:\n${result.stdout}${result.stderr}`);
  return out;
}

/**
 * Starts a session for `spec` (a scenarios file's default export) inside `workDir` and returns
 * `{ wb, workspace, stop }`. With `spec.displayLanguage`, first installs that language pack the
 * way a user does (Extensions: Install from VSIX… in the running workbench), then restarts
 * code-server with `--locale`, code-server's switch for the display language.
 */
export async function startSession({ spec, tools, browser, vsix, workDir, logsDir, screenshotsDir, id }) {
  const profile = new CodeServerProfile(tools.codeServer, path.join(workDir, 'code-server'));
  profile.installExtension(vsix);
  const workspace = path.join(workDir, path.basename(spec.workspace));
  cpSync(path.join(repoRoot, spec.workspace), workspace, { recursive: true });

  if (spec.displayLanguage) {
    const { locale, pack } = spec.displayLanguage;
    const packVsixFile = packVsix(path.join(repoRoot, pack), path.join(workDir, `${locale}-display-language.vsix`));
    const server = await profile.start({ folder: workspace, logFile: path.join(logsDir, `${id}-install-language.log`) });
    try {
      const wb = await Workbench.open(browser, server.url, { screenshotsDir });
      await wb.runCommand('Extensions: Install from VSIX...', { asksForInput: true });
      await wb.chooseInFileDialog(packVsixFile);
      const languagePacks = path.join(profile.userDataDir, 'languagepacks.json');
      await until(() => existsSync(languagePacks) && JSON.parse(readFileSync(languagePacks, 'utf8'))[locale], {
        timeout: 60_000, what: `VS Code to register the ${locale} language pack`,
      }).catch(async (error) => {
        await wb.screenshot(`${id}-install-language-failed`).catch(() => {});
        throw error;
      });
      await wb.close();
    } finally {
      await server.stop();
    }
  }

  const server = await profile.start({
    folder: workspace,
    logFile: path.join(logsDir, `${id}.log`),
    locale: spec.displayLanguage?.locale,
  });
  try {
    const wb = await Workbench.open(browser, server.url, { screenshotsDir });
    return {
      wb,
      workspace,
      async stop() {
        await wb.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
