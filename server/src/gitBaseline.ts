import { execFile } from 'node:child_process';
import * as path from 'node:path';

/**
 * What changed since the last commit, as the cache prediction's baseline ("if you last built at
 * HEAD"). Runs the local `git` binary: only for trusted workspaces (a repository's config can name
 * programs git runs), never touching the network, with fsmonitor and optional locks off.
 */
export type GitBaseline =
  | { available: true; top: string; files: string[]; headDockerfile: string | undefined }
  | { available: false; reason: string };

const TIMEOUT_MS = 5000;

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', ...args],
      { cwd, timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' } },
      (error, stdout, stderr) => (error ? reject(new Error(stderr.trim() || error.message)) : resolve(stdout)),
    );
  });
}

/** Files of the build context at `contextRoot` that differ from HEAD, and the Dockerfile's HEAD text. */
export async function gitBaseline(contextRoot: string, dockerfile: string): Promise<GitBaseline> {
  let top: string;
  try {
    top = (await git(['rev-parse', '--show-toplevel'], contextRoot)).trim();
  } catch {
    return { available: false, reason: 'not in a git repository' };
  }
  try {
    const status = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'], top);
    const files: string[] = [];
    const root = path.relative(top, contextRoot).split(path.sep).join('/');
    for (const entry of status.split('\0')) {
      if (entry.length < 4) continue;
      const file = entry.slice(3);
      if (root === '' || root === '.') files.push(file);
      else if (file.startsWith(`${root}/`)) files.push(file.slice(root.length + 1));
    }
    const relDockerfile = path.relative(top, dockerfile).split(path.sep).join('/');
    let headDockerfile: string | undefined;
    try {
      headDockerfile = await git(['show', `HEAD:${relDockerfile}`], top);
    } catch {
      headDockerfile = undefined; // not committed yet
    }
    return { available: true, top, files, headDockerfile };
  } catch (error) {
    return { available: false, reason: `git could not list changes: ${error instanceof Error ? error.message : String(error)}` };
  }
}
