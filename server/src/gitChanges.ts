import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { git } from './gitTree';
import { openRegularFile } from './safeRead';

/**
 * Which paths differ between a commit and the working tree (or between two commits), without
 * `git diff` or `git status`: those refresh the index, may rewrite `.git/index`, and run the
 * repository's clean filters, fsmonitor hook and `post-index-change` hook. Here git only lists
 * (`ls-tree`, `ls-files`, `diff-tree`: read-only plumbing through the hardened `git()`); a file
 * whose stat data still matches its index entry takes the entry's id (readIndex), any other is
 * hashed in this process as git hashes a blob.
 *
 * No clean filter and no end-of-line conversion is applied: a file that a repository's filter or
 * `core.autocrlf` rewrites on `git add` may therefore show as changed although git would call it
 * clean. That is the honest direction: its steps are then estimated, never claimed cached.
 */

const HASHED_AT_ONCE = 8;
const CHUNK = 1024 * 1024;

interface TreeFile {
  mode: string;
  oid: string;
}

/**
 * Paths under `prefix` (relative to the repository top, '' for all) whose working-tree state
 * differs from `commit`: content, executable bit, symlink target, added (tracked or untracked,
 * not ignored) or deleted. Paths are relative to the top. Submodules are not looked into.
 */
export async function changedInWorkTree(top: string, commit: string, prefix: string): Promise<string[]> {
  const spec = prefix === '' ? '.' : prefix;
  const [tree, index] = await Promise.all([listTree(top, commit, spec), readIndex(top, spec)]);
  const candidates = new Set<string>(tree.keys());
  for (const file of index.listed) candidates.add(file);
  const changed: string[] = [];
  const paths = [...candidates].filter((file) => !index.skipped.has(file));
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const file = paths[next++]!;
      if (await differs(top, file, tree.get(file), index)) changed.push(file);
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

/**
 * Files and symlinks of `commit` under `spec` (submodules left out), by path from the top.
 * Without sizes (`-l` opens every object: 5× slower on 3,000 loose objects).
 */
async function listTree(top: string, commit: string, spec: string): Promise<Map<string, TreeFile>> {
  const out = await git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', spec], top);
  const files = new Map<string, TreeFile>();
  for (const record of out.split('\0')) {
    // <mode> SP <type> SP <object> TAB <path>
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    if (type !== 'blob' || !mode || !oid) continue;
    files.set(record.slice(tab + 1), { mode, oid });
  }
  return files;
}

async function differs(top: string, file: string, entry: TreeFile | undefined, index: IndexListing): Promise<boolean> {
  const absolute = path.join(top, ...file.split('/'));
  let stats: BigIntStats;
  try {
    stats = await fs.lstat(absolute, { bigint: true });
  } catch {
    return entry !== undefined; // gone: a change when the commit had it
  }
  // only in the working tree; a directory there is a submodule or an untracked folder git listed no file of
  if (entry === undefined) return !stats.isDirectory();
  if (entry.mode === '120000') {
    if (!stats.isSymbolicLink()) return true;
    try {
      return blobId(entry.oid, await fs.readlink(absolute, { encoding: 'buffer' })) !== entry.oid;
    } catch {
      return true;
    }
  }
  if (!stats.isFile()) return true;
  // the executable bit is part of what BuildKit checksums; Windows has none to compare
  if (process.platform !== 'win32' && ((stats.mode & 0o100n) !== 0n) !== (entry.mode === '100755')) return true;
  const cached = index.entries.get(file);
  if (cached && index.stamp !== undefined && statClean(cached.stat, stats, index.stamp)) return cached.oid !== entry.oid;
  try {
    return (await hashFile(absolute, entry.oid)) !== entry.oid;
  } catch {
    return true; // unreadable now: it may have changed; say so rather than guess it did not
  }
}

// ---------------------------------------------------------------------------------------------
// The index as a stat cache

interface IndexListing {
  /** tracked (H, M) and untracked-not-ignored (?) paths; skip-worktree ones (S) left out */
  listed: string[];
  /** paths a sparse checkout leaves out of the working tree: git calls them unchanged */
  skipped: Set<string>;
  /** stage-0 entries with the stat data git recorded for them */
  entries: Map<string, { oid: string; stat: bigint[] }>;
  /** the index file's mtime (ns): an entry not older than it is "racily clean" and is hashed */
  stamp: bigint | undefined;
}

/**
 * `ls-files --debug` prints, after each tracked path, the stat data git recorded when it last
 * hashed the file. When the file's lstat still matches all of it (times to the nanosecond, inode,
 * device, owner, size) and the entry is older than the index file (git's own racy-clean rule),
 * its bytes are those git hashed and the entry's id stands for them: as `git status` does, minus
 * the index refresh. Anything unparsed or different is hashed instead, so the cache can only save
 * time. A repository can forge its index; it then misleads only its own prediction, as it would git.
 */
async function readIndex(top: string, spec: string): Promise<IndexListing> {
  const [out, indexFile] = await Promise.all([
    git(['ls-files', '-z', '-t', '-s', '--debug', '--cached', '--others', '--exclude-standard', '--', spec], top),
    git(['rev-parse', '--git-path', 'index'], top).then((p) => path.resolve(top, p.trim()), () => undefined),
  ]);
  const listing: IndexListing = { listed: [], skipped: new Set(), entries: new Map(), stamp: undefined };
  const chunks = out.split('\0');
  for (let i = 0; i < chunks.length; i++) {
    // each chunk: the previous entry's debug lines ("  ctime: s:ns\n" …), then this entry's header
    const debug = /^(?: {2}[a-z]+: [^\n]*\n)*/.exec(chunks[i]!)![0];
    const header = chunks[i]!.slice(debug.length);
    if (header.length < 3) continue;
    const tag = header[0];
    // "? <path>" untracked; "<tag> <mode> <oid> <stage>\t<path>" tracked
    const tab = tag === '?' ? -1 : header.indexOf('\t');
    const file = tag === '?' ? header.slice(2) : header.slice(tab + 1);
    if (tag === 'S') {
      listing.skipped.add(file);
      continue;
    }
    listing.listed.push(file);
    if (tag !== 'H' || tab < 0) continue;
    const [, oid, stage] = header.slice(2, tab).split(' ');
    const stat = parseDebug(/^(?: {2}[a-z]+: [^\n]*\n)*/.exec(chunks[i + 1] ?? '')![0]);
    if (oid && stage === '0' && stat) listing.entries.set(file, { oid, stat });
  }
  try {
    if (indexFile !== undefined) listing.stamp = (await fs.stat(indexFile, { bigint: true })).mtimeNs;
  } catch {
    listing.stamp = undefined; // no stamp: nothing is trusted, everything is hashed
  }
  return listing;
}

const STAT_FIELDS = /^ {2}ctime: (\d+):(\d+)\n {2}mtime: (\d+):(\d+)\n {2}dev: (\d+)\tino: (\d+)\n {2}uid: (\d+)\tgid: (\d+)\n {2}size: (\d+)\tflags: [0-9a-f]+\n$/;

/** [ctime s, ns, mtime s, ns, dev, ino, uid, gid, size], or undefined when the format is not this one */
function parseDebug(lines: string): bigint[] | undefined {
  const m = STAT_FIELDS.exec(lines);
  return m ? m.slice(1).map((n) => BigInt(n)) : undefined;
}

const U32 = (n: bigint) => BigInt.asUintN(32, n);
const SECOND = 1_000_000_000n;

function statClean(recorded: bigint[], now: BigIntStats, stamp: bigint): boolean {
  const [cs, cns, ms, mns, dev, ino, uid, gid, size] = recorded as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  const same = cs === U32(now.ctimeNs / SECOND) && cns === now.ctimeNs % SECOND
    && ms === U32(now.mtimeNs / SECOND) && mns === now.mtimeNs % SECOND
    && dev === U32(now.dev) && ino === U32(now.ino) && uid === U32(now.uid) && gid === U32(now.gid) && size === U32(now.size);
  return same && ms * SECOND + mns < stamp;
}

/**
 * git's object id of a working-tree file, read in chunks: sha1 or sha256 (the algorithm the
 * repository's ids use, told by their length) of `blob <size>\0<bytes>`. Only a regular file is
 * read (a FIFO or device swapped in since the lstat is refused, never waited on), and one whose
 * size moved while it was read counts as different.
 */
async function hashFile(file: string, like: string): Promise<string> {
  const { handle, stats } = await openRegularFile(file, { noFollow: true });
  try {
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
