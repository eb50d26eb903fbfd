import type { SimpleCommand } from './shell';
import { splitOptions } from './shell';
import { estimatedSize, type SizeFigure } from './types';
import { packageKey, packageNames, removesPath, type LayerWrite, type Shrink } from './waste';
import type { RunPartEstimate } from './run';
import * as posix from 'node:path/posix';
import { english, message, plural, whatOf, type Message } from './messages';
import { entry, note, ranged, type PartBreakdown } from './breakdownEntries';
import type { BreakdownEntry } from './breakdown';
import { npmPlatform, type InstallSelection, type Lockfile } from './lockfiles';
import { lockedTotal, type LockedTotal, type PackageSizes } from './lockedInstall';
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

export function estimatePip(commands: SimpleCommand[], mounted: MountedPath, workdir = '/', inputs: InstallInputs = {}): LanguageInstall | undefined {
  let total = ZERO;
  // the cache a mount holds: said, not counted
  const mount = mounted(PIP_CACHE_DIR);
  let inMount = ZERO;
  const uninstalled = new Set<string>();
  let cache = ZERO;
  const requested: string[] = [];
  const notes: string[] = [];
  const entries: BreakdownEntry[] = [];
  let found = false;
  const lockNotes: Message[] = [];
  const lockUses: LockedTotal[] = [];
  let unreadRequirements = false;
  let counts = 0;
  // the cache is root's, as everywhere in the estimators: ~ and $HOME name /root here
  const cleaned = removesPath(commands, workdir, PIP_CACHE_DIR, '/root');
  for (const { argv } of commands) {
    // poetry, uv and pipenv install what their lockfile lists, when the stage copied it in
    const locked = pythonLockInstall(argv);
    if (locked) {
      const path = posix.resolve(workdir, locked.file);
      const lock = inputs.lockfileAt?.(path);
      if (!lock || (lock.packages.length === 0 && lock.problem)) continue;
      found = true;
      const counted = lockedTotal({ path, lock }, { omitDev: locked.omitDev, omitOptional: false, ...npmPlatform(inputs.platform ?? 'linux/amd64') }, inputs.sizes, locked.tool, '');
      total = add(total, counted.total);
      entries.push(...counted.entries);
      lockNotes.push(...counted.notes);
      counts += counted.count;
      lockUses.push(counted);
      continue;
    }
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
    entries.push(...packages.map((name) => entry('package', name, figure(PIP_PACKAGE), { manager: 'pip', role: 'requested', note: note('pipPackage') })));
    const unread: string[] = [];
    for (const file of requirementFiles.map((f) => f.replace(/^--requirement=/, ''))) {
      const path = posix.resolve(workdir, file);
      const lock = inputs.lockfileAt?.(path);
      if (lock && (lock.packages.length > 0 || !lock.problem)) {
        const counted = lockedTotal({ path, lock }, { omitDev: false, omitOptional: false, ...npmPlatform(inputs.platform ?? 'linux/amd64') }, inputs.sizes, 'pip', '');
        own = add(own, counted.total);
        entries.push(...counted.entries);
        notes.push(...counted.notes.map(english));
        lockNotes.push(...counted.notes);
        counts += counted.count;
        lockUses.push(counted);
      } else {
        if (lock?.problem) lockNotes.push(lock.problem);
        unread.push(file);
      }
    }
    if (unread.length > 0) {
      unreadRequirements = true;
      own = add(own, PIP_REQUIREMENTS);
      const file = unread.join(', ');
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
    ...lockNotes,
    ...(cache.best > 0 ? [message('pipCacheStays')] : []),
    ...(mount && inMount.best > 0 ? [inMountNote(message('pipCache'), mount, inMount.best)] : []),
  ];
  notes.length = 0;
  notes.push(...noteMessages.map(english));
  const sum = add(total, cache);
  return {
    manager: 'pip',
    size: estimatedSize(Math.round(sum.best), Math.round(sum.low), Math.round(sum.high), null,
      lockUses.length === 1 && requested.length === 0 && !unreadRequirements
        ? { ...lockUses[0]!.detail, values: { ...lockUses[0]!.detail.values, cache: cache.best > 0 ? message('pipCachePart') : '' } }
        : counts > 0 && requested.length === 0
        ? message('pipLockDetail', { count: counts, s: plural(counts), cache: cache.best > 0 ? message('pipCachePart') : '' })
        : message('pipDetail', { what: requested.length > 0 ? requested.slice(0, 5).join(', ') : message('pipFromRequirements'), cache: cache.best > 0 ? message('pipCachePart') : '' })),
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

/** `poetry install`, `uv sync`, `pipenv install|sync`: the lockfile each reads and whether dev packages stay out. */
function pythonLockInstall(argv: string[]): { tool: string; file: string; omitDev: boolean } | undefined {
  const [cmd, verb, ...rest] = argv;
  const has = (...flags: string[]) => rest.some((a, i) => flags.includes(a) || flags.includes(`${rest[i - 1]} ${a}`));
  if (cmd === 'poetry' && verb === 'install') return { tool: 'poetry', file: 'poetry.lock', omitDev: has('--no-dev', '--only main', '--only=main', '--without dev', '--without=dev') };
  if (cmd === 'uv' && verb === 'sync') return { tool: 'uv', file: 'uv.lock', omitDev: has('--no-dev', '--only main') };
  // pipenv installs the develop section only when asked
  if (cmd === 'pipenv' && (verb === 'install' || verb === 'sync')) return { tool: 'pipenv', file: 'Pipfile.lock', omitDev: !has('--dev', '-d') };
  return undefined;
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
/** the lockfile each manager installs from, in the order it prefers them */
const NODE_LOCKFILES = { npm: ['npm-shrinkwrap.json', 'package-lock.json'], yarn: ['yarn.lock'], pnpm: ['pnpm-lock.yaml'] } as const;
/**
 * Beside the tarballs, the npm cache keeps an index entry per package (~0.6 kB) and npm a debug log
 * (~35 kB): measured in a real `npm ci --omit=dev` layer (77 packages, 2026-12).
 */
const NPM_CACHE_INDEX = { best: 0.6e3, low: 0.3e3, high: 2e3 };
const NPM_LOG = { best: 35e3, low: 5e3, high: 200e3 };
/** a packument (+ its index entry) npm ci fetches for a package its lockfile gives no `resolved` URL (measured ~55 kB) */
const NPM_PACKUMENT = { best: 55e3, low: 2e3, high: 500e3 };

/** What the host found for the RUN's installs: lockfiles in the image, package sizes, the environment. */
export interface InstallInputs {
  lockfileAt?: (path: string) => Lockfile | undefined;
  sizes?: PackageSizes;
  /** ENV set in the stage before the RUN */
  env?: Readonly<Record<string, string>>;
  /** the build's platform (`linux/amd64`): platform-specific packages install only where they match */
  platform?: string;
}

/** Which packages an install command leaves out, from its flags and environment (npm, yarn, pnpm). */
function nodeSelection(options: string[], env: Readonly<Record<string, string>>, platform: string): InstallSelection {
  const has = (...flags: string[]) => options.some((o) => flags.includes(o));
  const production = has('--omit=dev', '--production', '--prod', '-P', '--only=prod', '--only=production') || env['NODE_ENV'] === 'production';
  const includeDev = has('--include=dev', '--production=false', '--dev', '-D');
  return {
    omitDev: production && !includeDev,
    omitOptional: has('--omit=optional', '--no-optional', '--ignore-optional'),
    ...npmPlatform(platform),
  };
}

export function estimateNodeInstall(commands: SimpleCommand[], mounted: MountedPath, workdir = '/', inputs: InstallInputs = {}): LanguageInstall | undefined {
  let manager: LanguageInstall['manager'] | undefined;
  let total = ZERO;
  let cacheShare = ZERO;
  let source: SizeFigure['source'] = 'estimate';
  const requested: string[] = [];
  const extraNotes: Message[] = [];
  let lockDetail: ((cache: Message | '') => Message) | undefined;
  let cacheCleaned = false;
  const entries: BreakdownEntry[] = [];
  for (const { argv, env } of commands) {
    const [cmd, verb = '', ...rest] = argv;
    if (cmd === 'npm' && verb === 'cache' && rest.includes('clean')) cacheCleaned = true;
    if (cmd === 'rm' && argv.some((a) => a.includes('.npm') || a.includes('.cache/yarn') || a.includes('yarn/cache'))) cacheCleaned = true;
    if (cmd !== 'npm' && cmd !== 'yarn' && cmd !== 'pnpm') continue;
    if (!(NODE_MANAGERS[cmd] as readonly string[]).includes(verb.startsWith('-') ? '' : verb)) continue;
    manager = cmd;
    const { options, operands } = splitOptions(verb.startsWith('-') ? [verb, ...rest] : rest);
    const named = verb === 'ci' ? [] : operands;
    requested.push(...named);
    const lockPath = named.length > 0 ? undefined : NODE_LOCKFILES[cmd].map((n) => posix.resolve(workdir, n)).find((p) => inputs.lockfileAt?.(p));
    const lock = lockPath ? inputs.lockfileAt!(lockPath) : undefined;
    if (lock && lockPath && (lock.packages.length > 0 || !lock.problem)) {
      const selection = nodeSelection(options, { ...inputs.env, ...env }, inputs.platform ?? 'linux/amd64');
      const counted = lockedTotal({ path: lockPath, lock }, selection, inputs.sizes, cmd, '');
      // npm keeps a copy of the lockfile's entries it installed as node_modules/.package-lock.json
      const hidden = cmd === 'npm' && lock.bytes && lock.packages.length > 0 ? (lock.bytes * counted.count) / lock.packages.length : 0;
      total = add(total, add(counted.total, { best: hidden, low: hidden * 0.5, high: hidden * 1.2 }));
      cacheShare = add(cacheShare, add(add(times(counted.total, NPM_CACHE_SHARE), NPM_LOG), add(scale(NPM_CACHE_INDEX, counted.count), scale(NPM_PACKUMENT, Math.min(lock.unresolved ?? 0, counted.count)))));
      source = lockDetail || hidden > 0 ? 'estimate' : counted.source;
      entries.push(...counted.entries);
      extraNotes.push(...counted.notes);
      lockDetail = (cache) => ({ ...counted.detail, values: { ...counted.detail.values, cache } });
      continue;
    }
    if (lock?.problem) extraNotes.push(lock.problem);
    const own = named.length > 0 ? scale(NPM_PACKAGE, named.length) : NPM_INSTALL;
    if (named.length > 0) entries.push(...named.map((name) => entry('package', name, figure(NPM_PACKAGE), { manager: 'npm', role: 'requested', note: note('nodePackage') })));
    else entries.push(entry('folder', posix.resolve(workdir, 'node_modules'), figure(NPM_INSTALL), { manager: 'npm', note: note('nodeDependencies') }));
    total = add(total, own);
    cacheShare = add(cacheShare, times(own, NPM_CACHE_SHARE));
    source = 'estimate';
    lockDetail = undefined;
  }
  if (!manager) return undefined;
  const cacheDir = manager === 'npm' ? '/root/.npm' : manager === 'yarn' ? '/usr/local/share/.cache/yarn' : '/root/.local/share/pnpm/store';
  const mount: RunMount | undefined = mounted(cacheDir);
  const keepsCache = !cacheCleaned && !mount;
  const noteMessages: Message[] = [...extraNotes];
  if (mount) noteMessages.push(inMountNote(message('nodeCache', { manager }), mount, cacheShare.best));
  const writes: LayerWrite[] = [];
  const removed: BreakdownEntry[] = [];
  const cache = figure(cacheShare);
  if (keepsCache) {
    writes.push({ path: cacheDir, bytes: Math.round(cacheShare.best), ...whatOf(message('nodeCache', { manager })) });
    noteMessages.push(message('nodeCacheStays', { manager, path: cacheDir }));
    entries.push(entry('cache', cacheDir, cache, { note: note('nodeCache', { manager }) }));
  }
  if (cacheCleaned && !mount) removed.push(entry('cache', cacheDir, cache, { flags: ['removed-here'], note: note('nodeCacheRemoved', { manager }) }));
  const sum = keepsCache ? add(total, cacheShare) : total;
  const cachePart = keepsCache ? message('nodeCachePart', { manager }) : '';
  const what = requested.length > 0 ? requested.slice(0, 5).join(', ') : message('nodePackageJson');
  const detail = lockDetail ? lockDetail(cachePart) : message('nodeDetail', { manager, what, cache: cachePart });
  const size = estimatedSize(Math.round(sum.best), Math.round(sum.low), Math.round(sum.high), null, detail);
  return {
    manager,
    // measured or published sizes stay what they are unless the estimated cache joins them
    size: keepsCache ? size : { ...size, source },
    requested,
    notes: noteMessages.map(english),
    noteMessages,
    writes,
    breakdown: { entries, ...(removed.length > 0 ? { removed } : {}) },
  };
}
