import * as path from 'node:path';
import { changedInWorkTree } from './gitChanges';
import { git, resolveCommit, showFile } from './gitTree';

/**
 * What changed since the last commit, as the cache prediction's baseline ("if you last built at
 * HEAD"). Runs the local `git` binary, only for trusted workspaces, and even then only read-only
 * plumbing that runs nothing the repository configures and never writes `.git/` (see gitTree's
 * `git()` and gitChanges).
 */
export type GitBaseline =
  | { available: true; top: string; files: string[]; headDockerfile: string | undefined }
  | { available: false; reason: string };

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
    const commit = await resolveCommit(top, revision);
    if (!commit) throw new Error(`unknown revision '${revision}'`);
    const root = path.relative(top, contextRoot).split(path.sep).join('/');
    const prefix = root === '' || root === '.' ? '' : root;
    const relDockerfile = path.relative(top, dockerfile).split(path.sep).join('/');
    // headDockerfile undefined: not committed yet
    const [listed, headDockerfile] = await Promise.all([changedInWorkTree(top, commit, prefix), showFile(top, commit, relDockerfile).then((b) => b?.toString('utf8'))]);
    const changed = new Set<string>();
    for (const file of listed) {
      if (prefix === '') changed.add(file);
      else if (file.startsWith(`${prefix}/`)) changed.add(file.slice(prefix.length + 1));
    }
    const files = [...changed].sort();
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
