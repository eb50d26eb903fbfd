import APK from '../data/apk-packages.json';
import type { SimpleCommand } from './shell';
import { splitOptions } from './shell';
import { estimatedSize, type SizeFigure } from './types';
import { packageKey, packageNames, type LayerWrite } from './waste';
import { message, NoteList, plural, whatOf, type Message } from './messages';
import { entry, exact, ENTRY_LABELS, note, ranged, type PartBreakdown } from './breakdownEntries';
import { inMountNote, noMounts, type MountedPath } from './mounts';

/**
 * `apk add` estimates. No Alpine index is reachable to build a dependency resolver, so this is a
 * documented heuristic: the installed size of each requested package from the bundled table
 * (sizes seen in official Alpine-based images), plus an allowance for the libraries it pulls in.
 */
const TABLE = APK.packages as unknown as Record<string, [bytes: number, alpine: string]>;

/**
 * Alpine splits libraries into their own packages, so a requested package drags in more than its
 * own size (curl 0.3 MB needs libcurl 0.7 MB and a handful more). Best guess: dependencies add
 * 60% of the requested bytes; the range allows none (already present) up to 2.5×.
 */
const DEPENDENCY_FACTOR = { best: 0.6, low: 0, high: 2.5 };
/** A package missing from the table: the median of the table, and a range from tiny to large. */
const UNKNOWN_PACKAGE = { best: 512 * 1024, low: 16 * 1024, high: 40 * 1024 * 1024 };
/** APKINDEX files kept in /var/cache/apk when `apk update`/`apk add` run without --no-cache. */
const INDEX_CACHE = { best: 2.6e6, low: 1.2e6, high: 4e6 };
/** /lib/apk/db grows by a little per RUN that changes packages. */
const DB_OVERHEAD = { best: 60e3, low: 10e3, high: 200e3 };

export interface ApkPackage {
  name: string;
  bytes: number | null;
  reason: 'requested';
}

export interface ApkEstimate {
  size: SizeFigure;
  packages: ApkPackage[];
  notes: string[];
  noteMessages: Message[];
  /** what stays on disk that a later layer could delete (the index cache, each package) */
  writes: LayerWrite[];
  breakdown: PartBreakdown;
  /** packages earlier layers installed that this RUN deletes */
  removed: string[];
  /** `--virtual` groups this RUN made, with the packages it added to them */
  groups: Record<string, string[]>;
}

/**
 * @param installed what the stage has before this RUN (base image and earlier RUNs)
 * @param earlierGroups `--virtual` groups earlier RUNs of the stage made: `apk del .build-deps` in
 *   a later RUN deletes their packages (which stay, as waste, in the layer that added them)
 * @param mounted what the RUN's mounts hold: never in the layer
 */
export function estimateApkRun(commands: SimpleCommand[], installed?: ReadonlySet<string>, earlierGroups?: ReadonlyMap<string, readonly string[]>, mounted: MountedPath = noMounts): ApkEstimate | undefined {
  const requested = new Map<string, ApkPackage>();
  const virtualGroups = new Map<string, string[]>();
  const removed: string[] = [];
  const notes = new NoteList(true);
  let usesApk = false;
  let indexCached = false;
  let cacheRemoved = false;

  for (const { argv } of commands) {
    if (argv[0] === 'rm' && argv.some((a) => a.startsWith('/var/cache/apk'))) cacheRemoved = true;
    if (argv[0] !== 'apk') continue;
    usesApk = true;
    const { options, operands } = splitOptions(argv.slice(1));
    const [verb, ...names] = operands;
    const noCache = options.includes('--no-cache');
    if (verb === 'update') indexCached = true;
    if (verb === 'add') {
      if (!noCache) indexCached = true;
      const virtualIndex = argv.findIndex((a) => a === '--virtual' || a === '-t');
      const virtualName = virtualIndex >= 0 ? argv[virtualIndex + 1] : undefined;
      const group: string[] = [];
      for (const raw of names) {
        if (raw === virtualName || raw.startsWith('.') || raw.includes('/') || raw.endsWith('.apk')) continue;
        const name = raw.replace(/[<>=~].*$/, '');
        if (installed?.has(name) || requested.has(name)) continue;
        const entry = TABLE[name];
        requested.set(name, { name, bytes: entry ? entry[0] : null, reason: 'requested' });
        group.push(name);
      }
      if (virtualName) virtualGroups.set(virtualName, group);
    }
    if (verb === 'del') {
      for (const name of names) {
        for (const member of virtualGroups.get(name) ?? earlierGroups?.get(name) ?? [name]) {
          if (requested.delete(member)) notes.add(message('apkDelSameRun'));
          else if (installed?.has(member) && !removed.includes(member)) removed.push(member);
        }
      }
    }
    if (verb === 'upgrade') notes.add(message('apkUpgrade'));
  }
  if (!usesApk) return undefined;

  let known = 0;
  let unknownCount = 0;
  for (const p of requested.values()) {
    if (p.bytes === null) unknownCount++;
    else known += p.bytes;
  }
  const missing = [...requested.values()].filter((p) => p.bytes === null).map((p) => p.name);
  if (missing.length > 0) notes.add(message('apkNotInTable', { names: missing.join(', ') }));
  // an index written into a mount (`--mount=type=cache,target=/var/cache/apk`) is not in the layer
  const mount = mounted('/var/cache/apk');
  const keepIndex = indexCached && !cacheRemoved && !mount;
  if (keepIndex) notes.add(message('apkIndexStays'));
  if (indexCached && mount) notes.add(inMountNote(message('apkIndexCache'), mount, INDEX_CACHE.best));
  const own = { best: known + unknownCount * UNKNOWN_PACKAGE.best, low: known + unknownCount * UNKNOWN_PACKAGE.low, high: known + unknownCount * UNKNOWN_PACKAGE.high };
  if (removed.length > 0) notes.add(message('apkDelEarlier', { count: removed.length, s: plural(removed.length), names: packageNames(removed) }));
  const changes = requested.size > 0 || removed.length > 0;
  const sum = (pick: 'best' | 'low' | 'high') =>
    own[pick] * (1 + DEPENDENCY_FACTOR[pick]) + (keepIndex ? INDEX_CACHE[pick] : 0) + (changes ? DB_OVERHEAD[pick] : 0);
  const names = [...requested.keys()];
  const detail = requested.size === 0 && removed.length > 0 ? message('apkDeletesOnly', { count: removed.length, s: plural(removed.length), names: packageNames(removed) }) : message('apkDetail', {
    count: names.length,
    s: plural(names.length),
    names: names.length > 0 ? ` (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''})` : '',
    index: keepIndex ? message('apkIndexPart') : '',
  });
  const packages = [...requested.values()].sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0));
  // each part of the figure as an entry: the requested packages, the allowance for what they pull in, the index and database
  const entries = [
    ...packages.map((p) => entry('package', p.name, p.bytes === null ? ranged(UNKNOWN_PACKAGE.best, UNKNOWN_PACKAGE.low, UNKNOWN_PACKAGE.high) : exact(p.bytes, 'bundled'), {
      manager: 'apk', role: 'requested', note: note(p.bytes === null ? 'apkUnknown' : 'apkPackage'),
    })),
    ...(own.best > 0 ? [entry('other', ENTRY_LABELS.dependencies.en, ranged(own.best * DEPENDENCY_FACTOR.best, own.low * DEPENDENCY_FACTOR.low, own.high * DEPENDENCY_FACTOR.high), { label: ENTRY_LABELS.dependencies, note: note('apkDependencies') })] : []),
    ...(keepIndex ? [entry('cache', '/var/cache/apk', ranged(INDEX_CACHE.best, INDEX_CACHE.low, INDEX_CACHE.high), { note: note('apkIndex') })] : []),
    ...(changes ? [entry('other', '/lib/apk/db', ranged(DB_OVERHEAD.best, DB_OVERHEAD.low, DB_OVERHEAD.high), { note: note('apkDatabase') })] : []),
  ];
  const removedHere = indexCached && cacheRemoved && !mount ? [entry('cache', '/var/cache/apk', ranged(INDEX_CACHE.best, INDEX_CACHE.low, INDEX_CACHE.high), { flags: ['removed-here'], note: note('apkIndexRemoved') })] : [];
  return {
    size: estimatedSize(Math.round(sum('best')), Math.round(sum('low')), Math.round(sum('high')), null, detail),
    packages,
    notes: notes.notes,
    noteMessages: notes.messages,
    writes: [
      ...(keepIndex ? [{ path: '/var/cache/apk', bytes: INDEX_CACHE.best, ...whatOf(message('apkIndexCache')) }] : []),
      // each package with its share of the allowance: apk del takes the dependencies nothing else needs along
      ...packages.map((p) => ({
        path: packageKey('apk', p.name),
        bytes: Math.round((p.bytes ?? UNKNOWN_PACKAGE.best) * (1 + DEPENDENCY_FACTOR.best)),
        ...whatOf(message('apkPackageFiles', { name: p.name })),
        package: { manager: 'apk' as const, name: p.name },
      })),
    ],
    breakdown: { entries, ...(removedHere.length > 0 ? { removed: removedHere } : {}) },
    removed,
    groups: Object.fromEntries(virtualGroups),
  };
}

/** Packages in every recorded official Alpine image: what a bare `alpine` base already has. */
export const ALPINE_BASE_PACKAGES: ReadonlySet<string> = new Set(APK.inEveryImage);
