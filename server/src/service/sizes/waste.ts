import * as posix from 'node:path/posix';
import type { SimpleCommand } from './shell';
import type { FileTree } from './fileTree';
import { message, plural, whatOf, type Message } from './messages';

/**
 * Wasted space, as dive counts it: bytes a layer writes that a later layer of the same image
 * deletes or overwrites. The image still ships them (layers are immutable; a deletion only adds a
 * whiteout on top), so they cost on every pull without being visible in the container.
 */
export interface LayerWrite {
  /** absolute path written (a file or a directory) */
  path: string;
  bytes: number;
  /** what the bytes are, for people: "apt lists", "files copied from the context" */
  what: string;
  /** `what` as a message of the size catalog, for other languages */
  whatMessage?: Message;
  /** bytes below a sub-path of `path`, when known (a COPY knows its files) */
  bytesUnder?: (subPath: string) => number | undefined;
  /** set when `bytes` is an estimate: its range */
  range?: { low: number; high: number | null };
  /** the files written, by folder, when known (a COPY from the build context) */
  tree?: FileTree;
  /** bytes of earlier writes this one rewrites unchanged: not stored again, not an overwrite (repeatedCopies.ts) */
  unchanged?: ReadonlyMap<LayerWrite, number>;
  /** a package the layer installed: `path` is then its packageKey, which only a package removal names */
  package?: { manager: PackageManager; name: string };
}

export type PackageManager = 'apt' | 'apk' | 'pip' | 'npm';

/**
 * A package's files as one write: a key no file path or glob can match (paths start with `/`), so
 * only the package manager's own removal (apt-get purge, apk del, pip uninstall) retires it.
 */
export function packageKey(manager: PackageManager, name: string): string {
  return `package:${manager}/${name}`;
}

export interface LayerEffects {
  /** layer number in the image */
  layer: number;
  writes: LayerWrite[];
  /** absolute paths or globs removed (rm -rf, cleanups) */
  removes: string[];
  /** folders an earlier layer wrote of which this one removes a share (npm prune of devDependencies) */
  shrinks?: Shrink[];
}

/** A removal of part of a folder whose files are not known one by one: a share, with its range. */
export interface Shrink {
  path: string;
  share: { best: number; low: number; high: number };
  what: Message;
}

export interface WasteItem {
  layer: number;
  path: string;
  what: string;
  whatMessage?: Message;
  bytes: number;
  removedBy: number;
  how: 'deleted' | 'overwritten';
  /** the part of `path` a removal deleted, when not all of it */
  under?: string;
  /** set when `bytes` is an estimate (a share of a folder): its range */
  range?: { low: number; high: number };
  /** packages a later layer removed (apt-get purge, apk del…): `path` then names the manager's packages */
  packages?: { manager: PackageManager; list: { name: string; bytes: number }[] };
}

export function findWaste(layers: LayerEffects[]): WasteItem[] {
  const items: WasteItem[] = [];
  // Writes of earlier layers still standing, by path; each is counted as waste at most once.
  const standing = new Map<string, { layer: number; write: LayerWrite }[]>();
  const retire = (path: string, entry: { layer: number; write: LayerWrite }, later: number, how: WasteItem['how'], bytes: number, under?: string) => {
    items.push({ layer: entry.layer, path, what: entry.write.what, ...(entry.write.whatMessage ? { whatMessage: entry.write.whatMessage } : {}), bytes, removedBy: later, how, ...(under ? { under } : {}) });
    const left = standing.get(path)!.filter((e) => e !== entry);
    if (left.length > 0) standing.set(path, left);
    else standing.delete(path);
  };
  for (const later of layers) {
    // Removals are few; each is compared with the writes still standing.
    for (const removed of later.removes) {
      for (const [path, entries] of [...standing]) {
        for (const entry of [...entries]) {
          const bytes = coverage(removed, entry.write);
          if (bytes !== undefined && entry.write.bytes > 0) retire(path, entry, later.layer, 'deleted', bytes, partOf(removed, entry.write));
        }
      }
    }
    for (const shrink of later.shrinks ?? []) {
      for (const entry of standing.get(shrink.path) ?? []) {
        const bytes = Math.round(entry.write.bytes * shrink.share.best);
        if (bytes <= 0) continue;
        const range = { low: Math.round(entry.write.bytes * shrink.share.low), high: Math.round(entry.write.bytes * shrink.share.high) };
        items.push({ layer: entry.layer, path: shrink.path, ...whatOf(shrink.what), bytes, removedBy: later.layer, how: 'deleted', range });
        // what is left of the folder can still be deleted or overwritten later
        entry.write = { ...entry.write, bytes: entry.write.bytes - bytes };
      }
    }
    for (const write of later.writes) {
      for (const entry of [...(standing.get(write.path) ?? [])]) {
        // files rewritten the same are not in the later layer: only the rest is overwritten
        const bytes = entry.write.bytes - (write.unchanged?.get(entry.write) ?? 0);
        if (bytes > 0) retire(write.path, entry, later.layer, 'overwritten', bytes);
      }
    }
    for (const write of later.writes) {
      const entries = standing.get(write.path) ?? [];
      entries.push({ layer: later.layer, write });
      standing.set(write.path, entries);
    }
  }
  return groupPackages(items).sort((a, b) => b.bytes - a.bytes);
}

/** One item per layer, remover and manager for removed packages, with the packages listed largest first. */
function groupPackages(items: WasteItem[]): WasteItem[] {
  const out: WasteItem[] = [];
  const groups = new Map<string, WasteItem>();
  for (const item of items) {
    const match = /^package:([a-z]+)\/(.+)$/.exec(item.path);
    if (!match) {
      out.push(item);
      continue;
    }
    const manager = match[1] as PackageManager;
    const key = `${item.layer}:${item.removedBy}:${manager}`;
    let group = groups.get(key);
    if (!group) {
      group = { layer: item.layer, path: `${manager} packages`, what: '', bytes: 0, removedBy: item.removedBy, how: 'deleted', packages: { manager, list: [] } };
      groups.set(key, group);
      out.push(group);
    }
    group.bytes += item.bytes;
    group.packages!.list.push({ name: match[2]!, bytes: item.bytes });
  }
  for (const group of groups.values()) {
    const list = group.packages!.list.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
    Object.assign(group, whatOf(message('removedPackages', { count: list.length, s: plural(list.length), manager: group.packages!.manager, names: packageNames(list.map((p) => p.name)) })));
  }
  return out;
}

/** The first few names of a list, then how many more. */
export function packageNames(names: readonly string[], shown = 4): string {
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} +${names.length - shown}`;
}

/** Bytes of a write that a removal covers: all of it, the part below a sub-path, or none. */
export function coverage(removed: string, write: LayerWrite): number | undefined {
  const pattern = removed.replace(/\/\*$/, '').replace(/\/+$/, '') || '/';
  if (isGlob(pattern)) return globMatches(pattern, write.path) ? write.bytes : undefined;
  if (write.path === pattern || write.path.startsWith(pattern === '/' ? '/' : `${pattern}/`)) return write.bytes;
  if (pattern.startsWith(`${write.path}/`)) return write.bytesUnder?.(pattern.slice(write.path.length + 1));
  return undefined;
}

/** The sub-path of a write a removal covers, when it covers only part of it. */
function partOf(removed: string, write: LayerWrite): string | undefined {
  const pattern = removed.replace(/\/\*$/, '').replace(/\/+$/, '') || '/';
  return !isGlob(pattern) && pattern.startsWith(`${write.path}/`) ? pattern : undefined;
}

const isGlob = (p: string) => /[*?[]/.test(p);

function globMatches(pattern: string, path: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+^${}()|[\]\\?]/g, '\\$&')).join('[^/]*')}(/.*)?$`);
  return re.test(path);
}

/** Well-known cleanups that remove a known place. */
const CLEANUPS: { matches: (argv: string[]) => boolean; removes: string }[] = [
  { matches: (a) => a[0] === 'apt-get' && a[1] === 'clean', removes: '/var/cache/apt/archives' },
  { matches: (a) => a[0] === 'npm' && a[1] === 'cache' && a.includes('clean'), removes: '/root/.npm' },
  { matches: (a) => /^pip[0-9.]*$/.test(a[0] ?? '') && a[1] === 'cache' && a[2] === 'purge', removes: '/root/.cache/pip' },
  { matches: (a) => a[0] === 'yarn' && a[1] === 'cache' && a[2] === 'clean', removes: '/usr/local/share/.cache/yarn' },
];

/** `~`, `$HOME` and `${HOME}` at the start of a path */
const HOME_PREFIX = /^(~|\$HOME|\$\{HOME\})(?=\/|$)/;

/**
 * Paths a RUN removes: `rm` operands (made absolute against the working directory) and known
 * cleanups. Operands under the home folder count only when the caller knows whose home it is.
 */
export function removedPaths(commands: SimpleCommand[], workdir: string, home?: string): string[] {
  const removed: string[] = [];
  for (const { argv } of commands) {
    if (argv[0] === 'rm') {
      for (const written of argv.slice(1)) {
        const operand = home === undefined ? written : written.replace(HOME_PREFIX, home);
        if (operand.startsWith('-') || operand.includes('$')) continue;
        removed.push(posix.resolve(workdir, operand));
      }
    }
    for (const cleanup of CLEANUPS) if (cleanup.matches(argv)) removed.push(cleanup.removes);
  }
  return removed;
}

/** Whether the commands remove `path` itself or a folder holding it (`home`: see removedPaths). */
export function removesPath(commands: SimpleCommand[], workdir: string, path: string, home?: string): boolean {
  return removedPaths(commands, workdir, home).some((removed) => coverage(removed, { path, bytes: 1, what: path }) !== undefined);
}

/** Dive's image efficiency: the share of the image's bytes that are not wasted. */
export function efficiency(imageBytes: number, wastedBytes: number): number {
  return imageBytes <= 0 ? 1 : Math.max(0, Math.min(1, (imageBytes - wastedBytes) / imageBytes));
}

/**
 * Paths a RUN rewrites in place: `chown`/`chmod`/`chgrp` (and `touch`) of files from earlier layers.
 * A layer stores whole files, so changing only their owner or mode copies them up into the new
 * layer: the bytes are then shipped twice.
 */
export function rewrittenPaths(commands: SimpleCommand[], workdir: string): string[] {
  const out: string[] = [];
  for (const { argv } of commands) {
    if (!['chown', 'chmod', 'chgrp'].includes(argv[0] ?? '')) continue;
    const operands = argv.slice(1).filter((a) => !a.startsWith('-'));
    // the first operand is the owner or mode
    for (const operand of operands.slice(1)) if (!operand.includes('$')) out.push(posix.resolve(workdir, operand));
  }
  return out;
}
