import type { InstructionInfo } from '../types';
import { findFile, isDirectory, lowerBound, normalizePath, rangeUnder, sizeUnder, type ContextSnapshot } from './context';
import { createIgnore, isBadPattern, type DockerIgnore } from './dockerignore';
import type { ContextFile, SizeFigure } from './types';
import { formatBytes } from '../features/sizeText';
import { archiveKind, archiveOf, archivePart, type ArchiveKind } from './archive';
import { counted, unknownPart, type Part } from './parts';
import { english, list, message, type Message } from './messages';
import type { BreakdownEntry } from './breakdown';
import { entry, note, unknown } from './breakdownEntries';
import type { CopySelection } from './fileTree';

/**
 * The size of what a COPY or ADD takes from the build context (or from its heredocs).
 *
 * The figure is content bytes: the sum of the copied files' sizes (a symlink counts as its link).
 * The layer a real build makes is a tar of those files, which adds a 512-byte header per entry
 * and pads each file to 512 bytes, so the layer's own size is a little larger. Hardlinked files
 * are counted once per path: a layer tar stores a link group's content once, but the context
 * snapshot does not know inodes, so we keep it simple and count every path.
 *
 * Sources are read as BuildKit reads them: relative to the context root (a leading `/` or `..`
 * cannot leave it), wildcards with Go's filepath.Match rules (`*`, `?`, `[...]`; no `**`), a
 * directory copies everything under it that .dockerignore lets through, a symlink named as a
 * source is followed. `COPY --exclude` patterns apply under directory sources, relative to each
 * (BuildKit does not apply them to a file named as a source, even one matched by a wildcard).
 * `--from` copies from a stage or an image: null here, the caller sizes those. ADD extracts local
 * tar archives (plain, gzip, bzip2, xz, zstd); gzip and plain tars are measured from their
 * headers through `readTar`, the others are estimated. Remote sources are unknown until fetched.
 */

/** Reads up to `length` bytes of a context file from `offset` (fewer at its end). */
export type RangeReader = (path: string, offset: number, length: number) => Promise<Uint8Array>;

export interface CopySizeOptions {
  /** ARG/ENV expansion of a word (sources, `--exclude` patterns, unquoted heredoc bodies) */
  expand?: (text: string) => string;
  /** ranged reads of context files, to measure the archives ADD extracts */
  readTar?: RangeReader;
  /** compressed bytes read from one gzip archive before extrapolating (default 256 MiB) */
  maxArchiveBytes?: number;
}

export interface CopySize {
  size: SizeFigure;
  /** files copied (symlinks and heredoc files included; an archive counts its entries, 0 when only estimated) */
  files: number;
  /** the context paths the sources named or their wildcards matched */
  matched: string[];
  /** sources that name nothing in the context: BuildKit fails the build */
  missing: string[];
  /** wildcard sources that matched nothing: BuildKit copies nothing for them and goes on */
  unmatched: string[];
  /** the context files taken, named as they land (for the layer's breakdown); absent without a snapshot */
  selection?: CopySelection;
  /** what is not a context file: heredoc files, unpacked archives, remote sources */
  extras: BreakdownEntry[];
  /** a lone file copied to a file path: the destination names the file, not a folder */
  intoFile: boolean;
}

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;
const GIT = /^(git@|git:\/\/|ssh:\/\/)|^https?:\/\/[^#?]*\.git([#?].*)?$/i;


type Resolved = { kind: 'file'; file: ContextFile } | { kind: 'directory'; path: string };

export async function copySize(info: InstructionInfo, snapshot: ContextSnapshot | undefined, options: CopySizeOptions = {}): Promise<CopySize | null> {
  const keyword = info.keyword.toUpperCase();
  if (keyword !== 'COPY' && keyword !== 'ADD') return null;
  if (info.flags.some((f) => f.name === 'from')) return null;
  const expand = options.expand ?? ((t: string) => t);
  const parts: Part[] = [];
  const extras: BreakdownEntry[] = [];
  const matched: string[] = [];
  const missing: string[] = [];
  const unmatched: string[] = [];
  const { sources: words, destination } = copyWords(info);
  const lone = words.length + info.heredocs.length === 1 && !/\/\.?$/.test(destination) && destination !== '.';

  for (const [i, body] of heredocBodies(info, expand).entries()) {
    const bytes = Buffer.byteLength(body, 'utf8');
    parts.push({ bytes, low: bytes, high: bytes, files: 1, kind: 'exact', detail: message('heredocFile', { size: formatBytes(bytes) }) });
    extras.push(entry('file', lone ? baseName(destination) : info.heredocs[i]?.name ?? 'heredoc', { bytes, low: bytes, high: bytes, source: 'exact' }, { note: note('heredoc') }));
  }

  const sources = words.map((w) => w.expandable ? expand(w.text) : w.text);
  const local: string[] = [];
  for (const source of sources) {
    if (keyword === 'ADD' && (REMOTE.test(source) || GIT.test(source))) {
      parts.push(GIT.test(source)
        ? unknownPart(message('remoteGit', { source }))
        : unknownPart(message('remoteFile', { source })));
      extras.push(entry('other', source, unknown, { note: note('remote') }));
    } else if (REMOTE.test(source)) {
      missing.push(source); // COPY cannot fetch URLs: BuildKit rejects it
    } else {
      local.push(source);
    }
  }

  let selection: CopySelection | undefined;
  if (local.length > 0 && !snapshot) {
    parts.push(unknownPart(message('contextNotRead')));
  } else if (local.length > 0 && snapshot) {
    const unpack = unpacks(info);
    const excludes = excludesOf(info, expand);
    const { resolved, matched: found, missing: absent, unmatched: empty } = resolveSources(snapshot, local);
    matched.push(...found);
    missing.push(...absent);
    unmatched.push(...empty);
    // ADD extracts a local tar named as a source (not one inside a directory source): by its
    // content when it can be read, else by its name
    const archives: Array<{ file: ContextFile; kind: ArchiveKind }> = [];
    const plain: Resolved[] = [];
    for (const r of resolved) {
      const kind = unpack && r.kind === 'file' && r.file.kind === 'file' ? await archiveOf(r.file.path, options.readTar) : null;
      if (kind && r.kind === 'file') archives.push({ file: r.file, kind });
      else plain.push(r);
    }
    if (plain.length > 0 || archives.length === 0) parts.push(contextPart(snapshot, plain, excludes));
    for (const { file, kind } of archives) {
      const part = await archivePart(file, kind, options);
      parts.push(part);
      extras.push(entry('other', baseName(file.path), { bytes: part.bytes, low: part.low, high: part.high, source: part.kind }, { note: note('archive') }));
    }
    selection = selectionOf(snapshot, plain, excludes, lone ? destination : undefined);
  }

  const size = combine(parts, missing, snapshot?.complete ?? true);
  const files = parts.reduce((n, p) => n + p.files, 0);
  const complete = snapshot?.complete ?? true;
  const intoFile = lone && ((selection?.singles.length === 1 && selection.ranges.length === 0) || (extras.length === 1 && extras[0]!.kind === 'file'));
  return { size, files, matched, missing: complete ? missing : [], unmatched: complete ? unmatched : [], ...(selection ? { selection } : {}), extras, intoFile };
}

/**
 * The context files a COPY/ADD takes, without reading any (ADD's archives are told by their
 * names): what `dockerlens/breakdown` lists a folder of, on demand.
 */
export function copySelection(info: InstructionInfo, snapshot: ContextSnapshot): CopySelection | undefined {
  const keyword = info.keyword.toUpperCase();
  if ((keyword !== 'COPY' && keyword !== 'ADD') || info.flags.some((f) => f.name === 'from')) return undefined;
  const { sources, destination } = copyWords(info);
  const local = sources.map((w) => w.text).filter((s) => !REMOTE.test(s));
  const lone = sources.length + info.heredocs.length === 1 && !/\/\.?$/.test(destination) && destination !== '.';
  const unpack = unpacks(info);
  const plain = resolveSources(snapshot, local).resolved.filter((r) => !(unpack && r.kind === 'file' && archiveKind(r.file.path)));
  return selectionOf(snapshot, plain, excludesOf(info, (t) => t), lone ? destination : undefined);
}

const unpacks = (info: InstructionInfo) => info.keyword.toUpperCase() === 'ADD' && info.flags.find((f) => f.name === 'unpack')?.value !== 'false';
const excludesOf = (info: InstructionInfo, expand: (text: string) => string) => info.flags.filter((f) => f.name === 'exclude' && f.value).map((f) => expand(f.value!));

/** What local sources name in the snapshot, in BuildKit's terms. */
function resolveSources(snapshot: ContextSnapshot, local: string[]): { resolved: Resolved[]; matched: string[]; missing: string[]; unmatched: string[] } {
  const out = { resolved: [] as Resolved[], matched: [] as string[], missing: [] as string[], unmatched: [] as string[] };
  for (const source of local) {
    const found = resolveSource(snapshot, source);
    if (found === 'missing') out.missing.push(source);
    else if (found.length === 0) out.unmatched.push(source);
    for (const item of found === 'missing' ? [] : found) {
      out.matched.push(item.kind === 'file' ? item.file.path : item.path || '.');
      out.resolved.push(item);
    }
  }
  return out;
}

/**
 * Resolved sources as a selection: a directory's files land below the destination, a file by its
 * name, or by the destination's when it is the only one and `fileDestination` names a file.
 */
function selectionOf(snapshot: ContextSnapshot, resolved: Resolved[], excludes: string[], fileDestination: string | undefined): CopySelection {
  const exclude = excludes.length > 0 ? createIgnore(excludes.join('\n')) : null;
  const selection: CopySelection = { files: snapshot.files, ranges: [], singles: [] };
  for (const r of resolved) {
    if (r.kind === 'file') {
      const renamed = fileDestination !== undefined && resolved.length === 1 ? baseName(fileDestination) : '';
      selection.singles.push({ file: r.file, name: renamed || baseName(r.file.path) });
      continue;
    }
    const [from, to] = rangeUnder(snapshot, r.path);
    selection.ranges.push({ dir: r.path, from, to, ...(exclude ? { exclude: (name: string) => excludedBy(exclude, name) } : {}) });
  }
  return selection;
}

const baseName = (path: string) => path.slice(path.replace(/\/+$/, '').lastIndexOf('/') + 1).replace(/\/+$/, '');

// ---------------------------------------------------------------------------------------------
// Words

interface Word {
  text: string;
  /** false for single-quoted words, which BuildKit does not expand */
  expandable: boolean;
}

/** The source words and the destination: JSON or shell form, heredoc markers left out. */
function copyWords(info: InstructionInfo): { sources: Word[]; destination: string } {
  const text = info.args.trim();
  let words: Word[] | null = null;
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) words = (parsed as string[]).map((t) => ({ text: t, expandable: true }));
    } catch {
      // not JSON: BuildKit reads it as shell form
    }
  }
  words ??= text.split(/\s+/).filter((w) => w !== '' && !w.startsWith('<<')).map((w) => {
    const quote = w.length >= 2 && (w[0] === '"' || w[0] === "'") && w[w.length - 1] === w[0] ? w[0] : null;
    return { text: quote ? w.slice(1, -1) : w, expandable: quote !== "'" };
  });
  return { sources: words.slice(0, -1), destination: words[words.length - 1]?.text ?? '.' };
}

/**
 * Heredoc bodies as the files BuildKit writes: each line with its newline, leading tabs removed
 * for `<<-`, variables expanded unless the delimiter was quoted.
 */
function heredocBodies(info: InstructionInfo, expand: (text: string) => string): string[] {
  if (info.heredocs.length === 0) return [];
  const lines = info.text.split('\n');
  const first = info.range.start.line;
  const markers = [...info.args.matchAll(/<<(-?)(["']?)([^\s"'<>]+)\2/g)];
  let start = Math.max(...info.heredocs.map((h) => h.range.start.line)) + 1;
  return info.heredocs.map((heredoc, i) => {
    const end = heredoc.terminated ? heredoc.range.end.line : first + lines.length;
    const marker = markers[i];
    let body = lines.slice(start - first, end - first);
    start = end + 1;
    if (marker?.[1] === '-') body = body.map((l) => l.replace(/^\t+/, ''));
    const text = body.map((l) => `${l}\n`).join('');
    return marker?.[2] ? text : expand(text);
  });
}

// ---------------------------------------------------------------------------------------------
// Sources in the context

/** What a source names in the snapshot; 'missing' when BuildKit would fail on it. */
function resolveSource(snapshot: ContextSnapshot, source: string): Resolved[] | 'missing' {
  const wantsDirectory = /\/\.?$/.test(source);
  const clean = normalizePath(source);
  if (!hasWildcard(source)) {
    if (isDirectory(snapshot, clean)) return [{ kind: 'directory', path: clean }];
    const file = findFile(snapshot, clean);
    if (!file || wantsDirectory) return 'missing';
    const followed = follow(snapshot, file);
    return followed ? [followed] : 'missing';
  }
  const parts = clean.split('/');
  const wild = parts.findIndex(hasWildcard);
  const base = parts.slice(0, wild).join('/');
  if (!isDirectory(snapshot, base)) return 'missing';
  const pattern = globToRegExp(clean);
  if (!pattern) return 'missing';
  const depth = parts.length;
  const out: Resolved[] = [];
  for (const dir of directoriesUnder(snapshot, base)) {
    if (components(dir) === depth && pattern.test(dir)) out.push({ kind: 'directory', path: dir });
  }
  const [from, to] = rangeUnder(snapshot, base);
  for (let i = from; i < to; i++) {
    const file = snapshot.files[i]!;
    if (components(file.path) !== depth || !pattern.test(file.path)) continue;
    const followed = follow(snapshot, file);
    if (!followed) return 'missing';
    out.push(followed);
  }
  return out.sort((a, b) => (pathOf(a) < pathOf(b) ? -1 : 1));
}

/** A symlink source is followed inside the context; null when it leads nowhere. */
function follow(snapshot: ContextSnapshot, file: ContextFile): Resolved | null {
  let current = file;
  for (let hops = 0; current.kind === 'symlink'; hops++) {
    if (hops > 40 || current.target === undefined) return null;
    const dir = current.path.includes('/') ? current.path.slice(0, current.path.lastIndexOf('/')) : '';
    const target = normalizePath(current.target.startsWith('/') ? current.target : `${dir}/${current.target}`);
    if (isDirectory(snapshot, target)) return { kind: 'directory', path: target };
    const next = findFile(snapshot, target);
    if (!next) return null;
    current = next;
  }
  return { kind: 'file', file: current };
}

/** Files of the resolved sources, each once, with `--exclude` applied under directory sources. */
function contextPart(snapshot: ContextSnapshot, resolved: Resolved[], excludes: string[]): Part {
  const exclude = excludes.length > 0 ? createIgnore(excludes.join('\n')) : null;
  let bytes = 0;
  let files = 0;
  if (resolved.length === 1 && resolved[0]!.kind === 'directory' && !exclude) {
    ({ bytes, files } = sizeUnder(snapshot, resolved[0]!.path));
  } else {
    const marks = new Uint8Array(snapshot.files.length);
    const take = (i: number) => {
      if (marks[i] === 0) {
        marks[i] = 1;
        bytes += snapshot.files[i]!.size;
        files++;
      }
    };
    for (const r of resolved) {
      if (r.kind === 'file') {
        const at = lowerBound(snapshot.files, (f) => f.path, r.file.path);
        if (snapshot.files[at]?.path === r.file.path) take(at);
        continue;
      }
      const [from, to] = rangeUnder(snapshot, r.path);
      const cut = r.path === '' ? 0 : r.path.length + 1;
      for (let i = from; i < to; i++) if (!exclude || !excludedBy(exclude, snapshot.files[i]!.path.slice(cut))) take(i);
    }
  }
  const detail = message('contextFiles', { ...counted(files), size: formatBytes(bytes), exclude: exclude ? message('contextExcludeToo') : '' });
  if (!snapshot.complete) {
    return { bytes, low: bytes, high: null, files, kind: 'estimate', detail: message('contextPartial', { detail }) };
  }
  return { bytes, low: bytes, high: bytes, files, kind: 'exact', detail };
}

function excludedBy(exclude: DockerIgnore, path: string): boolean {
  const slash = path.lastIndexOf('/');
  const parent = slash < 0 ? undefined : exclude.stateOf(path.slice(0, slash));
  return exclude.match(path, components(path), parent).ignored;
}

function directoriesUnder(snapshot: ContextSnapshot, base: string): string[] {
  const dirs = snapshot.directories;
  if (base === '') return dirs;
  const same = (d: string) => d;
  return dirs.slice(lowerBound(dirs, same, `${base}/`), lowerBound(dirs, same, `${base}0`));
}

const pathOf = (r: Resolved) => (r.kind === 'file' ? r.file.path : r.path);

function components(path: string): number {
  let n = 1;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
}

/** BuildKit's test: `*`, `?` or `[` not escaped by a backslash. */
function hasWildcard(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '*' || ch === '?' || ch === '[') return true;
  }
  return false;
}

/** Go's filepath.Match as a regular expression over whole posix paths; null for a bad pattern. */
export function globToRegExp(pattern: string): RegExp | null {
  if (isBadPattern(pattern)) return null;
  const chars = Array.from(pattern);
  const outside = (ch: string) => (/[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch);
  const inside = (ch: string) => (/[\\\]^[-]/.test(ch) ? `\\${ch}` : ch);
  let re = '^';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\') re += outside(chars[++i]!);
    else if (ch !== '[') re += outside(ch);
    else {
      let cls = '[';
      i++;
      if (chars[i] === '^') {
        cls += '^';
        i++;
      }
      for (let first = true; first || chars[i] !== ']'; first = false) {
        const lo = chars[i] === '\\' ? chars[++i]! : chars[i]!;
        cls += inside(lo);
        i++;
        if (chars[i] === '-') {
          const hi = chars[i + 1] === '\\' ? chars[i += 2]! : chars[++i]!;
          cls += `-${inside(hi)}`;
          i++;
        }
      }
      re += `${cls}]`;
    }
  }
  try {
    return new RegExp(`${re}$`, 'u');
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Figures


function combine(parts: Part[], missing: string[], complete: boolean): SizeFigure {
  const failing = missing.length > 0 && complete ? message('copyFails', { paths: missing.join(', ') }) : '';
  const details = parts.length > 0 ? list(parts.map((p) => p.detail), '; ') : message('copyNothing');
  const said = (id: 'copyExact' | 'copyEstimate' | 'copyUnknown'): { detail: string; message: Message } => {
    const m = message(id, { parts: details, failing });
    return { detail: english(m), message: m };
  };
  if (parts.some((p) => p.kind === 'unknown')) {
    return { bytes: null, low: null, high: null, compressed: null, source: 'unknown', ...said('copyUnknown') };
  }
  const sum = (f: (p: Part) => number | null) => parts.reduce<number | null>((n, p) => (n === null || f(p) === null ? null : n + f(p)!), 0);
  const bytes = sum((p) => p.bytes) ?? 0;
  if (parts.some((p) => p.kind === 'estimate')) {
    const low = sum((p) => p.low) ?? 0;
    const high = sum((p) => p.high);
    return { bytes, low: Math.min(low, bytes), high: high === null ? null : Math.max(high, bytes), compressed: null, source: 'estimate', ...said('copyEstimate') };
  }
  return { bytes, low: bytes, high: bytes, compressed: null, source: 'exact', ...said('copyExact') };
}

