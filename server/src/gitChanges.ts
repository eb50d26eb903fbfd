import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { git } from './gitTree';

/**
 * Which paths differ between a commit and the working tree (or between two commits), without
 * `git diff` or `git status`: those refresh the index, may rewrite `.git/index`, and run the
 * repository's clean filters, fsmonitor hook and `post-index-change` hook. Here git only lists
 * (`ls-tree`, `ls-files`, `diff-tree`: read-only plumbing through the hardened `git()`), and the
 * working tree's bytes are hashed in this process as git hashes a blob.
 *
 * No clean filter and no end-of-line conversion is applied: a file that a repository's filter or
 * `core.autocrlf` rewrites on `git add` may therefore show as changed although git would call it
 * clean. That is the honest direction: its steps are then estimated, never claimed cached.
 */

const HASHED_AT_ONCE = 8;
const CHUNK = 1024 * 1024;
/** a regular file is opened without following a symlink and without blocking on a FIFO */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

interface TreeFile {
  mode: string;
  oid: string;
  size: number;
}

/**
 * Paths under `prefix` (relative to the repository top, '' for all) whose working-tree state
 * differs from `commit`: content, executable bit, symlink target, added (tracked or untracked,
 * not ignored) or deleted. Paths are relative to the top. Submodules are not looked into.
 */
export async function changedInWorkTree(top: string, commit: string, prefix: string): Promise<string[]> {
  const spec = prefix === '' ? '.' : prefix;
  const tree = await listTree(top, commit, spec);
  // H: tracked, S: skip-worktree (a sparse checkout leaves it out: git calls it unchanged),
  // M: unmerged (one line per stage), ?: untracked and not ignored
  const listed = await git(['ls-files', '-z', '-t', '--cached', '--others', '--exclude-standard', '--', spec], top);
  const skipped = new Set<string>();
  const candidates = new Set<string>(tree.keys());
  for (const record of listed.split('\0')) {
    if (record.length < 3) continue;
    const file = record.slice(2);
    if (record[0] === 'S') skipped.add(file);
    else candidates.add(file);
  }
  const changed: string[] = [];
  const paths = [...candidates].filter((file) => !skipped.has(file));
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const file = paths[next++]!;
      if (await differs(top, file, tree.get(file))) changed.push(file);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASHED_AT_ONCE, paths.length) }, worker));
  return changed.sort();
}

/** Paths under `prefix` that differ between two commits (tree to tree: no working tree, no index). */
export async function changedBetweenCommits(top: string, from: string, to: string, prefix: string): Promise<string[]> {
  const out = await git(['diff-tree', '-r', '-z', '--name-only', '--no-renames', '--no-ext-diff', '--no-textconv', from, to, '--', prefix === '' ? '.' : prefix], top);
  return [...new Set(out.split('\0').filter(Boolean))].sort();
}

/** Files and symlinks of `commit` under `spec` (submodules left out), by path from the top. */
async function listTree(top: string, commit: string, spec: string): Promise<Map<string, TreeFile>> {
  const out = await git(['ls-tree', '-r', '-l', '-z', '--full-tree', commit, '--', spec], top);
  const files = new Map<string, TreeFile>();
  for (const record of out.split('\0')) {
    // <mode> SP <type> SP <object> SP+ <size> TAB <path>
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid, size] = record.slice(0, tab).split(/\s+/);
    if (type !== 'blob' || !mode || !oid) continue;
    files.set(record.slice(tab + 1), { mode, oid, size: Number(size) || 0 });
  }
  return files;
}

async function differs(top: string, file: string, entry: TreeFile | undefined): Promise<boolean> {
  let stats: Stats;
  try {
    stats = await fs.lstat(path.join(top, ...file.split('/')));
  } catch {
    return entry !== undefined; // gone: a change when the commit had it
  }
  // only in the working tree; a directory there is a submodule or an untracked folder git listed no file of
  if (entry === undefined) return !stats.isDirectory();
  if (entry.mode === '120000') {
    if (!stats.isSymbolicLink()) return true;
    try {
      const target = await fs.readlink(path.join(top, ...file.split('/')), { encoding: 'buffer' });
      return blobId(entry.oid, target) !== entry.oid;
    } catch {
      return true;
    }
  }
  if (!stats.isFile() || stats.size !== entry.size) return true;
  // the executable bit is part of what BuildKit checksums; Windows has none to compare
  if (process.platform !== 'win32' && ((stats.mode & 0o100) !== 0) !== (entry.mode === '100755')) return true;
  try {
    return (await hashFile(path.join(top, ...file.split('/')), entry.oid)) !== entry.oid;
  } catch {
    return true; // unreadable now: it may have changed; say so rather than guess it did not
  }
}

/**
 * git's object id of a working-tree file, read in chunks: sha1 or sha256 (the algorithm the
 * repository's ids use, told by their length) of `blob <size>\0<bytes>`. Only a regular file is
 * read (a FIFO or device swapped in since the lstat is refused, never waited on), and one whose
 * size moved while it was read counts as different.
 */
async function hashFile(file: string, like: string): Promise<string> {
  const handle = await fs.open(file, OPEN_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw Object.assign(new Error(`not a regular file: ${file}`), { code: 'EINVAL' });
    const hash = createHash(like.length === 64 ? 'sha256' : 'sha1').update(`blob ${stats.size}\0`);
    const buffer = Buffer.alloc(Math.min(CHUNK, Math.max(1, stats.size)));
    let read = 0;
    while (read < stats.size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, stats.size - read), read);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      read += bytesRead;
    }
    return read === stats.size ? hash.digest('hex') : '';
  } finally {
    await handle.close();
  }
}

/** git's object id of a blob held in memory (a symlink's target). */
function blobId(like: string, bytes: Buffer): string {
  return createHash(like.length === 64 ? 'sha256' : 'sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
