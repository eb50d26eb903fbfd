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

/**
 * Files of the build context at `contextRoot` that differ from a revision (HEAD by default) in the
 * working tree, untracked files included, and the Dockerfile's text at that revision.
 */
export async function gitBaseline(contextRoot: string, dockerfile: string, revision = 'HEAD'): Promise<GitBaseline> {
  let top: string;
  try {
    top = (await git(['rev-parse', '--show-toplevel'], contextRoot)).trim();
  } catch {
    return { available: false, reason: 'not in a git repository' };
  }
  try {
    await git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], top).catch(() => {
      throw new Error(`unknown revision '${revision}'`);
    });
    const root = path.relative(top, contextRoot).split(path.sep).join('/');
    const changed = new Set<string>();
    const tracked = await git(['diff', '--name-only', '-z', '--no-renames', revision, '--'], top);
    const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z'], top);
    for (const file of [...tracked.split('\0'), ...untracked.split('\0')]) {
      if (!file) continue;
      if (root === '' || root === '.') changed.add(file);
      else if (file.startsWith(`${root}/`)) changed.add(file.slice(root.length + 1));
    }
    const files = [...changed].sort();
    const relDockerfile = path.relative(top, dockerfile).split(path.sep).join('/');
    let headDockerfile: string | undefined;
    try {
      headDockerfile = await git(['cat-file', 'blob', `${revision}:${relDockerfile}`], top);
    } catch {
      headDockerfile = undefined; // not committed yet
    }
    return { available: true, top, files, headDockerfile };
  } catch (error) {
    return { available: false, reason: `git could not list changes: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Recent commits, for picking a baseline: `[hash, subject]`. */
export async function recentCommits(folder: string, count = 20): Promise<{ hash: string; subject: string }[]> {
  try {
    const log = await git(['log', `-n${count}`, '--format=%h%x00%s%x00'], folder);
    const parts = log.split('\0').map((p) => p.replace(/^\n/, ''));
    const out: { hash: string; subject: string }[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) out.push({ hash: parts[i]!, subject: parts[i + 1]! });
    return out;
  } catch {
    return [];
  }
}
