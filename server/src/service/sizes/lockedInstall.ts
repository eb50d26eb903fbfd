import type { BreakdownEntry } from './breakdown';
import { entry, exact, note, ranged } from './breakdownEntries';
import { list, message, plural, type Message } from './messages';
import { formatBytes } from '../features/sizeText';
import { selectPackages, type InstallSelection, type Lockfile, type PackageEcosystem } from './lockfiles';
import type { SizeSource } from './types';

/**
 * An install whose packages a lockfile names: the sum of each package's size from the best source
 * there is (measured in the workspace's own install, the registry's published size when the user
 * allowed look-ups, else a per-package range). The host finds the sizes; this adds them up.
 */
export interface PackageSize {
  bytes: number;
  /** exact: measured in the workspace's installed copy; registry: published by the registry */
  source: 'exact' | 'registry';
  /** a registry size derived from the tarball: the installed size is a range around it */
  low?: number;
  high?: number;
  /** the tarball ratio applied, when the registry gave only a tarball size */
  ratio?: number;
}

/** Sizes the host found, by ecosystem, name and exact version. */
export type PackageSizes = (ecosystem: PackageEcosystem, name: string, version: string) => PackageSize | undefined;

/** A lockfile as it lands in the image. */
export interface PlacedLockfile {
  /** absolute path in the image */
  path: string;
  lock: Lockfile;
  /** where it is in the build context, when it comes from there */
  from?: string;
}

type Range3 = { best: number; low: number; high: number };

/**
 * A package of unknown size. npm: the 77 packages `npm ci --omit=dev` installs for express 4.21
 * measured 12.5 kB median, 33 kB mean, 423 kB largest (2026-12); the high end allows for the
 * big ones (typescript, platform binaries). PyPI wheels run larger; their .pyc files (12–20% of
 * the .py bytes, as measured for apt's Python) are inside the range.
 */
export const PACKAGE_GUESS: Record<PackageEcosystem, Range3> = {
  npm: { best: 35e3, low: 3e3, high: 4e6 },
  pypi: { best: 1.5e6, low: 20e3, high: 100e6 },
};
/** A requirement without a pinned version may pull dependencies the file does not list: ~3 MB with them. */
const LOOSE_GUESS: Range3 = { best: 3e6, low: 0.1e6, high: 150e6 };

export interface LockedTotal {
  total: Range3;
  source: SizeSource;
  count: number;
  entries: BreakdownEntry[];
  detail: Message;
  notes: Message[];
}

export function lockedTotal(
  placed: PlacedLockfile,
  selection: InstallSelection,
  sizes: PackageSizes | undefined,
  manager: string,
  cache: Message | '',
): LockedTotal {
  const { lock } = placed;
  const packages = selectPackages(lock.packages, selection);
  const guess = PACKAGE_GUESS[lock.ecosystem];
  const total = { best: 0, low: 0, high: 0 };
  const counts = { exact: 0, registry: 0, guess: 0 };
  const entries: BreakdownEntry[] = [];
  for (const p of packages) {
    const found = p.version ? sizes?.(lock.ecosystem, p.name, p.version) : undefined;
    const label = p.version ? `${p.name}@${p.version}` : p.name;
    if (found) {
      const low = found.low ?? found.bytes;
      const high = found.high ?? found.bytes;
      total.best += found.bytes;
      total.low += low;
      total.high += high;
      counts[found.source === 'exact' ? 'exact' : 'registry']++;
      const figure = found.low === undefined ? exact(found.bytes, found.source) : { ...ranged(found.bytes, low, high), source: found.source };
      const why = found.source === 'exact' ? note('lockLocal') : found.ratio ? note('lockTarball', { ratio: found.ratio }) : note('lockRegistry');
      entries.push(entry('package', label, figure, { manager: lock.ecosystem === 'npm' ? 'npm' : 'pip', note: why }));
    } else {
      const g = p.version ? guess : LOOSE_GUESS;
      total.best += g.best;
      total.low += g.low;
      total.high += g.high;
      counts.guess++;
      entries.push(entry('package', label, ranged(g.best, g.low, g.high), { manager: lock.ecosystem === 'npm' ? 'npm' : 'pip', note: note('lockGuess') }));
    }
  }
  const sources: Message[] = [
    ...(counts.exact ? [message('lockSourceLocal', { count: counts.exact })] : []),
    ...(counts.registry ? [message('lockSourceRegistry', { count: counts.registry })] : []),
    ...(counts.guess ? [message('lockSourceGuess', { count: counts.guess, size: formatBytes(guess.best) })] : []),
  ];
  const source: SizeSource = counts.guess > 0 ? 'estimate' : counts.registry > 0 ? 'registry' : 'exact';
  const notes: Message[] = [];
  if (lock.problem) notes.push(lock.problem);
  if (lock.devUnknown && selection.omitDev) notes.push(message('lockDevUnknown', { file: placed.path }));
  return {
    total,
    source,
    count: packages.length,
    entries,
    detail: message('lockDetail', { manager, count: packages.length, s: plural(packages.length), file: placed.path, sources: list(sources, ', '), cache }),
    notes,
  };
}
