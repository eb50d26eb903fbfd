import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PackageSize } from './service/sizes/lockedInstall';
import type { LockedPackage } from './service/sizes/lockfiles';
import { sizeKey } from './packageSizes';

/**
 * Installed sizes from an npm registry, asked only when the user allowed it (`--online`, the
 * `dockerlens.registryLookups` setting in a trusted workspace). A packument published by modern npm
 * carries `dist.unpackedSize`; otherwise the tarball's size (HEAD) times the measured ratio gives a
 * range. Answers are cached on disk outside the workspace, so a second run works offline; one
 * deadline bounds the whole look-up (not one per request).
 */
export interface RegistryOptions {
  /** the registry's base URL (https://registry.npmjs.org by default) */
  url: string;
  /** a folder outside the workspace for the cache file */
  cacheDir: string;
  /** the overall deadline for one look-up, in ms (default 10 s) */
  deadlineMs?: number;
  /** requests in flight at once (default 8) */
  concurrency?: number;
}

/** installed ÷ tarball: 3.2 for express alone, 3.9 for its 77-package production tree (2026-12) */
export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org';

/** installed ÷ tarball */
export const TARBALL_RATIO = { best: 3.5, low: 2, high: 5 };
/** a packument's bytes read at most: the biggest public ones are tens of MB */
const MAX_PACKUMENT_BYTES = 48 * 1024 * 1024;
const CACHE_FILE = 'npm-package-sizes.json';
/** a failed name is asked again after this long */
const RETRY_AFTER_MS = 10 * 60 * 1000;
const failedAt = new Map<string, number>();
/** the cache file as read once per process, then kept in step with what this process writes */
const loaded = new Map<string, Record<string, Cached>>();

type Cached = { bytes: number; tarball?: boolean } | { missing: true };

export async function registryPackageSizes(packages: readonly LockedPackage[], options: RegistryOptions): Promise<Map<string, PackageSize>> {
  const base = options.url.replace(/\/+$/, '');
  const cacheFile = path.join(options.cacheDir, CACHE_FILE);
  let cache = loaded.get(cacheFile);
  if (!cache) loaded.set(cacheFile, (cache = await readCache(cacheFile)));
  const found = new Map<string, PackageSize>();
  const byName = new Map<string, Set<string>>();
  for (const p of packages) {
    if (!p.version) continue;
    const cached = cache[`${base} ${p.name}@${p.version}`];
    if (cached) {
      if (!('missing' in cached)) found.set(sizeKey('npm', p.name, p.version), toSize(cached));
      continue;
    }
    // a name that just failed (offline, a timeout) is not asked again on every edit
    if ((failedAt.get(`${base} ${p.name}`) ?? -Infinity) > Date.now() - RETRY_AFTER_MS) continue;
    let versions = byName.get(p.name);
    if (!versions) byName.set(p.name, (versions = new Set()));
    versions.add(p.version);
  }
  if (byName.size === 0) return found;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.deadlineMs ?? 10_000);
  let changed = false;
  try {
    const names = [...byName.keys()];
    const worker = async () => {
      for (let name = names.pop(); name !== undefined && !controller.signal.aborted; name = names.pop()) {
        const answers = await lookUp(base, name, byName.get(name)!, controller.signal).catch(() => undefined);
        if (!answers) failedAt.set(`${base} ${name}`, Date.now());
        // a failed request is not cached: the next run asks again
        for (const [version, answer] of answers ?? []) {
          cache![`${base} ${name}@${version}`] = answer;
          changed = true;
          if (!('missing' in answer)) found.set(sizeKey('npm', name, version), toSize(answer));
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  } finally {
    clearTimeout(timer);
  }
  if (changed) await writeCache(cacheFile, cache);
  return found;
}

function toSize(cached: { bytes: number; tarball?: boolean }): PackageSize {
  if (!cached.tarball) return { bytes: cached.bytes, source: 'registry' };
  const t = cached.bytes;
  return { bytes: Math.round(t * TARBALL_RATIO.best), low: Math.round(t * TARBALL_RATIO.low), high: Math.round(t * TARBALL_RATIO.high), source: 'registry', ratio: TARBALL_RATIO.best };
}

async function lookUp(base: string, name: string, versions: Set<string>, signal: AbortSignal): Promise<Map<string, Cached>> {
  // scoped names keep their @ and escape the slash, as npm's clients do
  const response = await fetch(`${base}/${name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name)}`, {
    headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' },
    signal,
    redirect: 'error',
  });
  const answers = new Map<string, Cached>();
  if (response.status === 404) {
    for (const v of versions) answers.set(v, { missing: true });
    return answers;
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const text = await readCapped(response, MAX_PACKUMENT_BYTES);
  const packument = JSON.parse(text) as { versions?: Record<string, { dist?: { unpackedSize?: unknown; tarball?: unknown } }> };
  for (const version of versions) {
    const dist = packument.versions?.[version]?.dist;
    if (typeof dist?.unpackedSize === 'number' && dist.unpackedSize >= 0) answers.set(version, { bytes: dist.unpackedSize });
    else if (typeof dist?.tarball === 'string' && sameOrigin(dist.tarball, base)) {
      const head = await fetch(dist.tarball, { method: 'HEAD', signal, redirect: 'error' });
      const length = Number(head.headers.get('content-length'));
      if (head.ok && Number.isFinite(length) && length > 0) answers.set(version, { bytes: length, tarball: true });
    } else if (!dist) answers.set(version, { missing: true });
  }
  return answers;
}

/** Tarball URLs are followed only to the registry the user named. */
function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

async function readCapped(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new Error('packument too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readCache(file: string): Promise<Record<string, Cached>> {
  try {
    const data: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, Cached>) : {};
  } catch {
    return {};
  }
}

async function writeCache(file: string, cache: Record<string, Cached>): Promise<void> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(cache));
    await fs.rename(temporary, file);
  } catch {
    // a cache that cannot be written only means asking again next time
  }
}

/** The cache folder when the client gives none: the OS's per-user cache, never the workspace. */
export function defaultCacheDir(): string {
  const home = process.env['HOME'] ?? process.env['USERPROFILE'] ?? '.';
  if (process.platform === 'win32') return path.join(process.env['LOCALAPPDATA'] ?? path.join(home, 'AppData', 'Local'), 'dockerlens', 'cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'dockerlens');
  return path.join(process.env['XDG_CACHE_HOME'] || path.join(home, '.cache'), 'dockerlens');
}

/** Forgets what this process remembers (the loaded cache file, recent failures): a fresh process, for tests. */
export function forgetRegistryMemory(): void {
  loaded.clear();
  failedAt.clear();
}
