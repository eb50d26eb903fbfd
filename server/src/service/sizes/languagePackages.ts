import type { SimpleCommand } from './shell';
import { splitOptions } from './shell';
import { estimatedSize, type SizeFigure } from './types';
import { packageKey, packageNames, removesPath, type LayerWrite, type Shrink } from './waste';
import type { RunPartEstimate } from './run';
import * as posix from 'node:path/posix';
import { english, message, whatOf, type Message } from './messages';
import { entry, note, ranged, type PartBreakdown } from './breakdownEntries';
import type { BreakdownEntry } from './breakdown';
import { inMountNote, type MountedPath, type RunMount } from './mounts';

/**
 * pip and npm/yarn/pnpm installs. No package index is bundled for them yet, so these are
 * heuristics with wide ranges, each saying so; caches left in the layer are counted apart because
 * they are pure waste in an image.
 */
export interface LanguageInstall {
  manager: 'pip' | 'npm' | 'yarn' | 'pnpm';
  size: SizeFigure;
  /** packages named on the command line (lock files are counted, not named) */
  requested: string[];
  notes: string[];
  noteMessages: Message[];
  /** caches left in the layer and the packages named, which a later layer could delete */
  writes: LayerWrite[];
  breakdown: PartBreakdown;
  /** what this RUN removes of earlier layers (package keys: pip uninstall) */
  removes?: string[];
}

/** A typical PyPI distribution installs ~3 MB with its dependencies; the range covers tiny to numpy-sized. */
const PIP_PACKAGE = { best: 3e6, low: 0.1e6, high: 150e6 };
/** `-r requirements.txt` without reading the file: somewhere between a few and many packages. */
const PIP_REQUIREMENTS = { best: 40e6, low: 2e6, high: 1.5e9 };
/** pip's wheel cache under /root/.cache/pip is roughly the downloaded wheels: ~40% of installed. */
const PIP_CACHE_SHARE = { best: 0.4, low: 0.2, high: 0.6 };
/** npm: installed ≈ 3.2× the tarball (DESIGN §4, express); a dependency tree of unknown size. */
const NPM_INSTALL = { best: 60e6, low: 1e6, high: 800e6 };
const NPM_PACKAGE = { best: 1.5e6, low: 0.05e6, high: 60e6 };
/** the npm cache (/root/.npm/_cacache) holds the tarballs: installed ÷ 3.2. */
const NPM_CACHE_SHARE = { best: 1 / 3.2, low: 0.2, high: 0.45 };

type Pick3 = { best: number; low: number; high: number };
const scale = (a: Pick3, k: number): Pick3 => ({ best: a.best * k, low: a.low * k, high: a.high * k });
const add = (a: Pick3, b: Pick3): Pick3 => ({ best: a.best + b.best, low: a.low + b.low, high: a.high + b.high });
const ZERO: Pick3 = { best: 0, low: 0, high: 0 };
/** each bound times the matching bound of a share */
const times = (a: Pick3, share: Pick3): Pick3 => ({ best: a.best * share.best, low: a.low * share.low, high: a.high * share.high });
const figure = (a: Pick3) => ranged(a.best, a.low, a.high);

const PIP_CACHE_DIR = '/root/.cache/pip';

export function estimatePip(commands: SimpleCommand[], mounted: MountedPath, workdir = '/'): LanguageInstall | undefined {
  let total = ZERO;
  let cache = ZERO;
  // the cache a mount holds: said, not counted
  const mount = mounted(PIP_CACHE_DIR);
  let inMount = ZERO;
  const requested: string[] = [];
  const notes: string[] = [];
  const entries: BreakdownEntry[] = [];
  let found = false;
  // the cache is root's, as everywhere in the estimators: ~ and $HOME name /root here
  const cleaned = removesPath(commands, workdir, PIP_CACHE_DIR, '/root');
  const uninstalled = new Set<string>();
  for (const { argv } of commands) {
    const removing = pipVerbIndex(argv, 'uninstall');
    if (removing >= 0) {
      found = true;
      for (const name of splitOptions(argv.slice(removing + 1)).operands) uninstalled.add(pipName(name));
      continue;
    }
    const at = pipVerbIndex(argv, 'install');
    if (at < 0) continue;
    found = true;
    const args = argv.slice(at + 1);
    const { options, operands } = splitOptions(args);
    const requirementFiles = args.filter((a, i) => args[i - 1] === '-r' || args[i - 1] === '--requirement' || a.startsWith('--requirement='));
    const packages = operands.filter((p) => !requirementFiles.includes(p) && !/^(-|\.|\/)/.test(p) && args[args.indexOf(p) - 1] !== '-c');
    requested.push(...packages);
    let own = scale(PIP_PACKAGE, packages.length);
    if (requirementFiles.length > 0) own = add(own, PIP_REQUIREMENTS);
    entries.push(...packages.map((name) => entry('package', name, figure(PIP_PACKAGE), { manager: 'pip', role: 'requested', note: note('pipPackage') })));
    if (requirementFiles.length > 0) {
      const file = requirementFiles.map((f) => f.replace(/^--requirement=/, '')).join(', ');
      entries.push(entry('other', file, figure(PIP_REQUIREMENTS), { manager: 'pip', note: note('pipRequirements', { file }) }));
    }
    total = add(total, own);
    if (options.includes('--no-cache-dir')) continue;
    if (mount) inMount = add(inMount, times(own, PIP_CACHE_SHARE));
    else cache = add(cache, times(own, PIP_CACHE_SHARE));
  }
  if (!found) return undefined;
  // installed and uninstalled by the same RUN: nothing stays; uninstalled only: an earlier layer's, whose bytes stay there
  const kept = requested.filter((name) => !uninstalled.has(pipName(name)));
  total = add(total, scale(PIP_PACKAGE, kept.length - requested.length));
  const removes = [...uninstalled].filter((name) => !requested.some((r) => pipName(r) === name));
  if (kept.length === 0 && removes.length > 0 && total.best <= 0) {
    const said = message('pipUninstall', { names: packageNames(removes) });
    return {
      manager: 'pip',
      size: estimatedSize(PIP_UNINSTALL.best, PIP_UNINSTALL.low, PIP_UNINSTALL.high, null, said),
      requested: [],
      notes: [],
      noteMessages: [],
      writes: [],
      breakdown: { entries: [] },
      removes: removes.map((name) => packageKey('pip', name)),
    };
  }
  // `rm -rf /root/.cache/pip` or `pip cache purge` in the same RUN: the cache never reaches the layer
  const removed = cleaned && cache.best > 0 ? cache : ZERO;
  if (cleaned) cache = ZERO;
  const noteMessages = [
    ...(cache.best > 0 ? [message('pipCacheStays')] : []),
    ...(mount && inMount.best > 0 ? [inMountNote(message('pipCache'), mount, inMount.best)] : []),
  ];
  notes.push(...noteMessages.map(english));
  const sum = add(total, cache);
  return {
    manager: 'pip',
    size: estimatedSize(Math.round(sum.best), Math.round(sum.low), Math.round(sum.high), null,
      message('pipDetail', { what: requested.length > 0 ? requested.slice(0, 5).join(', ') : message('pipFromRequirements'), cache: cache.best > 0 ? message('pipCachePart') : '' })),
    requested,
    notes,
    noteMessages,
    writes: [
      ...(cache.best > 0 ? [{ path: PIP_CACHE_DIR, bytes: Math.round(cache.best), ...whatOf(message('pipCache')) }] : []),
      ...kept.map((name) => ({ path: packageKey('pip', pipName(name)), bytes: PIP_PACKAGE.best, ...whatOf(message('pipPackageFiles', { name })), package: { manager: 'pip' as const, name: pipName(name) } })),
    ],
    ...(removes.length > 0 ? { removes: removes.map((name) => packageKey('pip', name)) } : {}),
    breakdown: {
      entries: [...entries, ...(cache.best > 0 ? [entry('cache', PIP_CACHE_DIR, figure(cache), { note: note('pipCache') })] : [])],
      ...(removed.best > 0 ? { removed: [entry('cache', PIP_CACHE_DIR, figure(removed), { flags: ['removed-here'], note: note('pipCacheRemoved') })] } : {}),
    },
  };
}

/** Where `verb` stands in `pip verb …` or `python -m pip verb …`; -1 when it is not that command. */
function pipVerbIndex(argv: string[], verb: 'install' | 'uninstall'): number {
  const [cmd] = argv;
  if (cmd === undefined) return -1;
  if (/^pip[0-9.]*$/.test(cmd)) return argv[1] === verb ? 1 : -1;
  if (/^python[0-9.]*$/.test(cmd) && argv[1] === '-m' && /^pip[0-9.]*$/.test(argv[2] ?? '')) return argv[3] === verb ? 3 : -1;
  return -1;
}

/** A distribution's name as pip compares it (PEP 503): no version or extras, lower case, runs of -_. as one -. */
function pipName(requirement: string): string {
  return requirement.replace(/[\[<>=!~;@ ].*$/, '').toLowerCase().replace(/[-_.]+/g, '-');
}

/** An uninstall-only RUN: whiteouts, and pip's RECORD bookkeeping gone with them. */
const PIP_UNINSTALL = { best: 2e3, low: 0, high: 100e3 };

/**
 * The share of node_modules that devDependencies take (typescript, eslint, test runners, bundlers):
 * a heuristic with a wide range, since the lockfile is not read here; npm prune --omit=dev removes it.
 */
const DEV_SHARE = { best: 0.5, low: 0.1, high: 0.9 };
/** A prune-only RUN: whiteouts, and npm's node_modules/.package-lock.json written again. */
const NPM_PRUNE = { best: 50e3, low: 0, high: 2e6 };

/**
 * `npm prune --omit=dev` (or `--production`, `NODE_ENV=production npm prune`): removes the
 * devDependencies from node_modules. When an earlier layer installed them they stay there as
 * waste; this layer holds only whiteouts and npm's lock file.
 */
export function estimateNodePrune(commands: SimpleCommand[], workdir = '/'): RunPartEstimate | undefined {
  const prune = commands.find(({ argv, env }) => argv[0] === 'npm' && argv[1] === 'prune'
    && (argv.some((a) => a === '--production' || a === '--omit=dev' || /^--only=prod/.test(a)) || env['NODE_ENV'] === 'production' || argv.includes('NODE_ENV=production')));
  if (!prune) return undefined;
  const path = posix.resolve(workdir, 'node_modules');
  const shrink: Shrink = { path, share: DEV_SHARE, what: message('npmPruneDev', { best: Math.round(DEV_SHARE.best * 100), low: Math.round(DEV_SHARE.low * 100), high: Math.round(DEV_SHARE.high * 100) }) };
  return {
    size: estimatedSize(NPM_PRUNE.best, NPM_PRUNE.low, NPM_PRUNE.high, null, message('npmPrune', { path })),
    notes: [],
    shrinks: [shrink],
  };
}

const NODE_MANAGERS = { npm: ['ci', 'install', 'i', 'add'], yarn: ['install', 'add', ''], pnpm: ['install', 'i', 'add'] } as const;

export function estimateNodeInstall(commands: SimpleCommand[], mounted: MountedPath, workdir = '/'): LanguageInstall | undefined {
  let result: LanguageInstall | undefined;
  let cacheCleaned = false;
  const entries: BreakdownEntry[] = [];
  for (const { argv } of commands) {
    const [cmd, verb = '', ...rest] = argv;
    if (cmd === 'npm' && verb === 'cache' && rest.includes('clean')) cacheCleaned = true;
    if (cmd === 'rm' && argv.some((a) => a.includes('.npm') || a.includes('.cache/yarn') || a.includes('yarn/cache'))) cacheCleaned = true;
    if (cmd !== 'npm' && cmd !== 'yarn' && cmd !== 'pnpm') continue;
    if (!(NODE_MANAGERS[cmd] as readonly string[]).includes(verb.startsWith('-') ? '' : verb)) continue;
    const { operands } = splitOptions(rest);
    const named = verb === 'ci' ? [] : operands;
    const own = named.length > 0 ? scale(NPM_PACKAGE, named.length) : NPM_INSTALL;
    if (named.length > 0) entries.push(...named.map((name) => entry('package', name, figure(NPM_PACKAGE), { manager: 'npm', role: 'requested', note: note('nodePackage') })));
    else entries.push(entry('folder', posix.resolve(workdir, 'node_modules'), figure(NPM_INSTALL), { manager: 'npm', note: note('nodeDependencies') }));
    const previous = result?.size;
    const base = previous ? { best: previous.bytes ?? 0, low: previous.low ?? 0, high: previous.high ?? 0 } : ZERO;
    const sum = add(base, own);
    result = {
      manager: cmd,
      size: estimatedSize(Math.round(sum.best), Math.round(sum.low), Math.round(sum.high), null, ''),
      requested: [...(result?.requested ?? []), ...named],
      notes: [],
      noteMessages: [],
      writes: [],
      breakdown: { entries },
    };
  }
  if (!result) return undefined;
  const cacheDir = result.manager === 'npm' ? '/root/.npm' : result.manager === 'yarn' ? '/usr/local/share/.cache/yarn' : '/root/.local/share/pnpm/store';
  const mount: RunMount | undefined = mounted(cacheDir);
  const keepsCache = !cacheCleaned && !mount;
  const own = { best: result.size.bytes ?? 0, low: result.size.low ?? 0, high: result.size.high ?? 0 };
  const sum = keepsCache ? add(own, times(own, NPM_CACHE_SHARE)) : own;
  if (keepsCache) result.writes.push({ path: cacheDir, bytes: Math.round(own.best * NPM_CACHE_SHARE.best), ...whatOf(message('nodeCache', { manager: result.manager })) });
  if (keepsCache) result.noteMessages.push(message('nodeCacheStays', { manager: result.manager, path: cacheDir }));
  if (mount) result.noteMessages.push(inMountNote(message('nodeCache', { manager: result.manager }), mount, own.best * NPM_CACHE_SHARE.best));
  result.notes.push(...result.noteMessages.map(english));
  const cache = figure(times(own, NPM_CACHE_SHARE));
  if (keepsCache) entries.push(entry('cache', cacheDir, cache, { note: note('nodeCache', { manager: result.manager }) }));
  if (cacheCleaned && !mount) result.breakdown.removed = [entry('cache', cacheDir, cache, { flags: ['removed-here'], note: note('nodeCacheRemoved', { manager: result.manager }) })];
  const what = result.requested.length > 0 ? result.requested.slice(0, 5).join(', ') : message('nodePackageJson');
  result.size = estimatedSize(Math.round(sum.best), Math.round(sum.low), Math.round(sum.high), null,
    message('nodeDetail', { manager: result.manager, what, cache: keepsCache ? message('nodeCachePart', { manager: result.manager }) : '' }));
  return result;
}
