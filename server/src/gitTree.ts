import { execFile, spawn } from 'node:child_process';
import type { NodeContextReader } from './nodeContextReader';
import type { ContextEntry } from './service/sizes/context';
import { scanContext } from './service/sizes/context';
import { readDockerignore, type BuildContext } from './sizing';

/**
 * A build context read from a git revision without checking it out: `git ls-tree` lists the
 * files (paths, sizes, symlinks as symlinks), `git cat-file` reads their bytes.
 *
 * Every git call here is read-only plumbing that neither refreshes nor writes the index, and runs
 * nothing a repository configures (a cloned repository is hostile): see SAFE_CONFIG and gitEnv.
 */

const TIMEOUT_MS = 15_000;
/** a single blob larger than this is refused (EFBIG), as the folder reader refuses big files */
const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
/** blobs kept in memory for repeated range reads (ADD of an archive reads its headers) */
const BLOB_CACHE = 4;

export interface GitOptions {
  /** binary output (blobs) instead of text */
  binary?: boolean;
  maxBuffer?: number;
}

export class GitError extends Error {
  constructor(message: string, readonly code: string = 'EGIT') {
    super(message);
  }
}

/** Runs git in `cwd` with the project's safe settings; rejects with git's own message. */
export function git(args: string[], cwd: string, options: GitOptions & { binary: true }): Promise<Buffer>;
export function git(args: string[], cwd: string, options?: GitOptions): Promise<string>;
export function git(args: string[], cwd: string, options: GitOptions = {}): Promise<string | Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...SAFE_CONFIG, ...args],
      { cwd, timeout: TIMEOUT_MS, maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024, env: gitEnv(), encoding: options.binary ? 'buffer' : 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const text = Buffer.isBuffer(stderr) ? stderr.toString('utf8') : stderr;
          const code = (error as NodeJS.ErrnoException).code;
          reject(new GitError(code === 'ENOENT' ? 'git is not installed (or not on PATH)' : text.trim() || error.message, typeof code === 'string' ? code : 'EGIT'));
        } else resolve(stdout);
      },
    );
    // nothing is ever written to git's stdin: a config naming /dev/stdin reads an empty file
    child.stdin?.end();
  });
}

/**
 * Command-line settings win over every config file, the repository's own and what it includes.
 * Each one switches off a way a repository's config makes git run a program: the fsmonitor hook
 * (run even by `ls-files` and `diff-tree`), hooks (`post-index-change`), a pager, the signature
 * check of `log` (gpg.program), any transport (a partial clone's lazy fetch, core.sshCommand,
 * ext::). Clean/smudge filters, textconv and diff.external run only in commands this module never
 * uses (diff against the work tree, status, add, checkout, `cat-file --filters`).
 */
const SAFE_CONFIG = [
  '--no-pager',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.untrackedCache=false',
  '-c', 'log.showSignature=false',
  '-c', 'protocol.allow=never',
];

/**
 * The user's environment without git's own variables (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE,
 * GIT_EXTERNAL_DIFF, GIT_PAGER, GIT_CONFIG_*: each would point git elsewhere or run something)
 * except GIT_CEILING_DIRECTORIES (it only stops the search for a repository), then ours: no
 * optional locks, no prompt, literal pathspecs, no lazy fetch.
 */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^GIT_/i.test(key) || key === 'GIT_CEILING_DIRECTORIES') env[key] = value;
  return { ...env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_LITERAL_PATHSPECS: '1', GIT_NO_LAZY_FETCH: '1' };
}

/** The full commit id a revision names, or undefined when it names none. */
export async function resolveCommit(top: string, revision: string): Promise<string | undefined> {
  if (revision === '' || revision.startsWith('-')) return undefined;
  try {
    return (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], top)).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A file's bytes at a commit (`path` relative to the repository top), or undefined when absent. */
export async function showFile(top: string, commit: string, path: string): Promise<Buffer | undefined> {
  try {
    return await git(['cat-file', 'blob', `${commit}:${path}`], top, { binary: true });
  } catch {
    return undefined;
  }
}

interface TreeEntry {
  path: string;
  kind: 'file' | 'symlink' | 'directory';
  size: number;
  oid: string;
  target?: string;
}

export interface GitTreeReader extends NodeContextReader {
  readonly commit: string;
}

/**
 * A ContextReader over `prefix` (a folder relative to the repository top, '' for the top) at
 * `commit`. The listing is read once, on first use. Submodules appear as empty directories.
 */
export function createGitTreeReader(top: string, commit: string, prefix: string, options: { maxFileBytes?: number } = {}): GitTreeReader {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const base = prefix.replace(/^\.?\/+|\/+$/g, '');
  let listing: Promise<Map<string, TreeEntry[]>> | undefined;
  const entries = new Map<string, TreeEntry>();
  const blobs = new Map<string, Buffer>();

  async function load(): Promise<Map<string, TreeEntry[]>> {
    const out = await git(['ls-tree', '-r', '-l', '-z', '--full-tree', commit, '--', base === '' ? '.' : base], top);
    const directories = new Map<string, TreeEntry[]>([['', []]]);
    const links: TreeEntry[] = [];
    const addDirectory = (dir: string): TreeEntry[] => {
      let list = directories.get(dir);
      if (list) return list;
      list = [];
      directories.set(dir, list);
      const parent = parentOf(dir);
      const entry: TreeEntry = { path: dir, kind: 'directory', size: 0, oid: '' };
      entries.set(dir, entry);
      addDirectory(parent).push(entry);
      return list;
    };
    for (const record of out.split('\0')) {
      // <mode> SP <type> SP <object> SP+ <size> TAB <path>
      const tab = record.indexOf('\t');
      if (tab < 0) continue;
      const [mode, type, oid, size] = record.slice(0, tab).split(/\s+/);
      const full = record.slice(tab + 1);
      const path = base === '' ? full : full.startsWith(`${base}/`) ? full.slice(base.length + 1) : undefined;
      if (path === undefined || path === '' || !oid) continue;
      const parent = addDirectory(parentOf(path));
      let entry: TreeEntry;
      if (type === 'commit') {
        // a submodule: its folder is there, its files are not part of this tree
        addDirectory(path);
        continue;
      } else if (mode === '120000') entry = { path, kind: 'symlink', size: Number(size) || 0, oid };
      else entry = { path, kind: 'file', size: Number(size) || 0, oid };
      if (entry.kind === 'symlink') links.push(entry);
      entries.set(path, entry);
      parent.push(entry);
    }
    if (links.length > 0) {
      const targets = await catFileBatch(top, links.map((l) => l.oid));
      for (const link of links) {
        const bytes = targets.get(link.oid);
        if (bytes) link.target = bytes.toString('utf8');
      }
    }
    return directories;
  }

  const listed = () => (listing ??= load());

  async function blob(path: string, maxBytes: number): Promise<Buffer> {
    const rel = clean(path);
    await listed();
    const entry = entries.get(rel);
    if (!entry) throw coded('ENOENT', `no such file or directory: ${rel || '.'}`);
    if (entry.kind === 'directory') throw coded('EISDIR', `a directory: ${rel}`);
    if (entry.size > maxBytes) throw coded('EFBIG', `larger than ${maxBytes} bytes: not read: ${rel}`);
    const cached = blobs.get(entry.oid);
    if (cached) return cached;
    const bytes = await git(['cat-file', 'blob', entry.oid], top, { binary: true, maxBuffer: entry.size + 1024 });
    blobs.set(entry.oid, bytes);
    if (blobs.size > BLOB_CACHE) blobs.delete(blobs.keys().next().value!);
    return bytes;
  }

  return {
    root: `${commit}:${base}`,
    commit,

    async readDirectory(path) {
      const rel = clean(path);
      const directories = await listed();
      const list = directories.get(rel);
      if (!list) throw coded(entries.has(rel) ? 'ENOTDIR' : 'ENOENT', `${entries.has(rel) ? 'not a directory' : 'no such file or directory'}: ${rel || '.'}`);
      return list.map(toContextEntry);
    },

    async stat(path) {
      const rel = clean(path);
      const directories = await listed();
      if (rel === '') return { path: '', size: 0, kind: 'directory' };
      const entry = entries.get(rel);
      if (!entry) throw coded('ENOENT', `no such file or directory: ${rel}`);
      return directories.has(rel) ? { path: rel, size: 0, kind: 'directory' } : toContextEntry(entry);
    },

    async readFile(path, maxBytes = maxFileBytes) {
      return new Uint8Array(await blob(path, maxBytes));
    },

    async readRange(path, offset, length) {
      const bytes = await blob(path, Infinity);
      const start = Math.min(bytes.length, Math.max(0, offset));
      return new Uint8Array(bytes.buffer, bytes.byteOffset + start, Math.max(0, Math.min(length, bytes.length - start)));
    },
  };
}

/**
 * The build context at a revision: `prefix` read through a git tree reader, with the
 * .dockerignore BuildKit would use for the Dockerfile at `dockerfile` (relative to the context).
 */
export async function readGitBuildContext(top: string, commit: string, prefix: string, dockerfile: string): Promise<BuildContext> {
  const reader = createGitTreeReader(top, commit, prefix);
  const { ignore, ignoreFile } = await readDockerignore(reader, dockerfile);
  const snapshot = await scanContext(reader, { ignore });
  const rootError = snapshot.errors.find((e) => e.path === '.' || e.path === '');
  if (rootError) throw Object.assign(new Error(`${reader.root}: ${rootError.message}`), { code: rootError.code });
  return { root: reader.root, reader, ignore, snapshot, ...(ignoreFile ? { ignoreFile } : {}) };
}

/** Blobs by object id through one `git cat-file --batch` process. */
function catFileBatch(top: string, oids: string[]): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SAFE_CONFIG, 'cat-file', '--batch'], { cwd: top, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill(), TIMEOUT_MS);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new GitError(stderr.trim() || `git cat-file exited with ${code}`));
      // <oid> SP <type> SP <size> LF <contents> LF, or <oid> SP missing LF
      const out = Buffer.concat(chunks);
      const found = new Map<string, Buffer>();
      let at = 0;
      while (at < out.length) {
        const lf = out.indexOf(10, at);
        if (lf < 0) break;
        const [oid, type, size] = out.subarray(at, lf).toString('utf8').split(' ');
        at = lf + 1;
        if (type === 'missing' || size === undefined) continue;
        const n = Number(size);
        found.set(oid!, out.subarray(at, at + n));
        at += n + 1;
      }
      resolve(found);
    });
    child.stdin.end(`${[...new Set(oids)].join('\n')}\n`);
  });
}

function toContextEntry(entry: TreeEntry): ContextEntry {
  return { path: entry.path, size: entry.size, kind: entry.kind, ...(entry.target !== undefined ? { target: entry.target } : {}) };
}

function clean(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw coded('EPERM', `outside the context root: refused: ${path}`);
    parts.push(part);
  }
  return parts.join('/');
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function coded(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}
