import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PackageSize, PackageSizes } from './service/sizes/lockedInstall';
import type { LockedPackage, PackageEcosystem } from './service/sizes/lockfiles';
import { normalizePythonName } from './service/sizes/lockfiles/python';

/**
 * The host's package sizes for locked installs: (a) measured in the workspace's own install
 * (`node_modules`, a virtualenv's site-packages) when the version matches; (b) the npm registry's
 * published size, only when the user allowed look-ups (see ./registrySizes.ts). Read-only: the
 * workspace is never written, symlinks are not followed, and the walk is bounded.
 */
export interface LocalInstall {
  ecosystem: PackageEcosystem;
  /** the folder on disk the lockfile sits in */
  folder: string;
  packages: readonly LockedPackage[];
}

/** Entries listed per package walk and in all: a hostile node_modules cannot keep us walking. */
const MAX_ENTRIES = 400_000;

const localCache = new Map<string, { stamp: number; bytes: number | null }>();

export const sizeKey = (ecosystem: PackageEcosystem, name: string, version: string) => `${ecosystem}:${name}@${version}`;

/** Measures what the workspace already installed, for the packages the lockfiles name. */
export async function measureLocalInstalls(installs: readonly LocalInstall[]): Promise<Map<string, PackageSize>> {
  const sizes = new Map<string, PackageSize>();
  const budget = { left: MAX_ENTRIES };
  for (const install of installs) {
    if (install.ecosystem === 'npm') await measureNodeModules(install, sizes, budget);
    else await measureSitePackages(install, sizes, budget);
  }
  return sizes;
}

async function measureNodeModules(install: LocalInstall, sizes: Map<string, PackageSize>, budget: { left: number }): Promise<void> {
  const modules = path.join(install.folder, 'node_modules');
  if (!(await isDirectory(modules))) return;
  for (const p of install.packages) {
    const key = sizeKey('npm', p.name, p.version);
    if (!p.version || sizes.has(key) || budget.left <= 0) continue;
    // v2/v3 lockfiles say where each copy installs; v1 and others: the top-level copy
    const at = p.at ?? `node_modules/${p.name}`;
    if (at.split('/').some((s) => s === '..' || s === '.' || s === '') || at.includes('\\')) continue;
    const folder = path.join(install.folder, ...at.split('/'));
    const manifest = path.join(folder, 'package.json');
    const stat = await fs.lstat(manifest).catch(() => undefined);
    if (!stat?.isFile() || stat.size > 4 * 1024 * 1024) continue;
    const cacheKey = `${folder}\0${p.version}`;
    let cached = localCache.get(cacheKey);
    if (!cached || cached.stamp !== stat.mtimeMs) {
      const version = await fs.readFile(manifest, 'utf8').then((t) => (JSON.parse(t) as { version?: unknown }).version, () => undefined);
      // a nested node_modules holds other packages, which the lockfile lists on their own
      cached = { stamp: stat.mtimeMs, bytes: version === p.version ? await folderBytes(folder, budget, (name) => name !== 'node_modules') : null };
      localCache.set(cacheKey, cached);
    }
    if (cached.bytes !== null) sizes.set(key, { bytes: cached.bytes, source: 'exact' });
  }
}

/** A virtualenv's dist-info RECORD files list every installed file with its size (.pyc included). */
async function measureSitePackages(install: LocalInstall, sizes: Map<string, PackageSize>, budget: { left: number }): Promise<void> {
  const wanted = new Map(install.packages.map((p) => [normalizePythonName(p.name), p]));
  for (const site of await sitePackages(install.folder)) {
    const names = await fs.readdir(site).catch(() => [] as string[]);
    budget.left -= names.length;
    for (const entry of names) {
      const match = /^(.+)-([^-]+)\.dist-info$/.exec(entry);
      if (!match) continue;
      const p = wanted.get(normalizePythonName(match[1]!));
      if (!p || (p.version && p.version !== match[2])) continue;
      const record = path.join(site, entry, 'RECORD');
      const stat = await fs.lstat(record).catch(() => undefined);
      if (!stat?.isFile() || stat.size > 32 * 1024 * 1024) continue;
      const text = await fs.readFile(record, 'utf8').catch(() => '');
      let bytes = 0;
      for (const line of text.split('\n')) {
        const size = Number(line.slice(line.lastIndexOf(',') + 1));
        if (Number.isFinite(size)) bytes += size;
      }
      // an unpinned requirement takes the installed version's size: the same as the local install
      sizes.set(sizeKey('pypi', p.name, p.version), { bytes, source: 'exact' });
    }
  }
}

async function sitePackages(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const venv of ['.venv', 'venv', 'env']) {
    const lib = path.join(folder, venv, 'lib');
    for (const python of await fs.readdir(lib).catch(() => [] as string[])) {
      const site = path.join(lib, python, 'site-packages');
      if (python.startsWith('python') && (await isDirectory(site))) found.push(site);
    }
    const windows = path.join(folder, venv, 'Lib', 'site-packages');
    if (await isDirectory(windows)) found.push(windows);
  }
  return found;
}

/** Apparent bytes of the regular files and links under a folder (sequential, lstat only). */
async function folderBytes(folder: string, budget: { left: number }, enter: (name: string) => boolean): Promise<number | null> {
  let bytes = 0;
  const stack = [folder];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => null);
    if (!entries) return null;
    budget.left -= entries.length;
    if (budget.left < 0) return null;
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (dir !== folder || enter(e.name)) stack.push(full);
      } else if (e.isFile() || e.isSymbolicLink()) {
        const stat = await fs.lstat(full).catch(() => undefined);
        if (stat) bytes += stat.size;
      }
    }
  }
  return bytes;
}

async function isDirectory(p: string): Promise<boolean> {
  return (await fs.lstat(p).catch(() => undefined))?.isDirectory() ?? false;
}

/** One lookup over the sizes found, local ones first. */
export function packageSizesFrom(...tables: ReadonlyMap<string, PackageSize>[]): PackageSizes {
  return (ecosystem, name, version) => {
    const key = sizeKey(ecosystem, name, version);
    for (const table of tables) {
      const found = table.get(key);
      if (found) return found;
    }
    return undefined;
  };
}
