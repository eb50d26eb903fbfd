// Starting and stopping code-server (VS Code in the browser) with its own throw-away folders.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { until } from './poll.mjs';

/** Process groups still running; killed when this process exits, however it exits. */
const live = new Set();
function killAll() {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[signal]);
  });
}

/** User settings for a clean, quiet workbench: no welcome page, no gallery look-ups, no tips. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 200,
  // Lines pinned at the top of an editor are drawn outside its line list: keep every line in it.
  'editor.stickyScroll.enabled': false,
};

/**
 * One code-server installation's folders: a user-data dir and an extensions dir of its own, and
 * the config file (so nothing is written under ~/.config).
 */
export class CodeServerProfile {
  constructor(bin, dir) {
    this.bin = bin;
    this.dir = dir;
    this.userDataDir = path.join(dir, 'user-data');
    this.extensionsDir = path.join(dir, 'extensions');
    this.configFile = path.join(dir, 'config.yaml');
    mkdirSync(path.join(this.userDataDir, 'User'), { recursive: true });
    mkdirSync(this.extensionsDir, { recursive: true });
    writeFileSync(path.join(this.userDataDir, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
    writeFileSync(this.configFile, 'auth: none\ncert: false\n');
  }

  commonArgs() {
    return ['--config', this.configFile, '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir];
  }

  /** `code-server --install-extension`, as a user would from a terminal. */
  installExtension(vsix) {
    const result = spawnSync(this.bin, [...this.commonArgs(), '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
    const output = `${result.stdout}${result.stderr}`;
    if (result.status !== 0 || !/successfully installed/.test(output)) {
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.status}):\n${output}`);
    }
  }

  /**
   * Starts code-server on 127.0.0.1 on a port the OS picks, opening `folder`. Resolves once it
   * listens, with `{ url, stop }`. Its output goes to `logFile`.
   */
  async start({ folder, logFile, locale }) {
    const args = [
      ...this.commonArgs(),
      '--bind-addr', '127.0.0.1:0',
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...(locale ? ['--locale', locale] : []),
      folder,
    ];
    // Its own process group, so that stopping it also stops the extension host and the
    // language server it starts.
    const child = spawn(this.bin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child.pid);
    const log = createWriteStream(logFile);
    let output = '';
    const collect = (chunk) => {
      log.write(chunk);
      if (output.length < 20_000) output += chunk;
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let exited = null;
    const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }));
    let url;
    try {
      url = await until(() => {
        if (exited) throw new Error(`code-server exited (${JSON.stringify(exited)}):\n${output}`);
        return output.match(/HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//)?.[1];
      }, { timeout: 60_000, what: 'code-server to listen' });
    } catch (error) {
      await stop();
      throw error;
    }

    async function stop() {
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 5_000);
        await exitPromise;
        clearTimeout(timer);
      }
      // Children of the group (extension host, language server) may outlive the main process.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // group empty
      }
      live.delete(child.pid);
      log.end();
    }
    return { url, stop };
  }
}
