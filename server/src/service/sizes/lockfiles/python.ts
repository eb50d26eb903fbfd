import { message } from '../messages';
import { isObject, unreadable } from './npm';
import { clip, type LockedPackage, type Lockfile } from './types';

/**
 * Python's declarations: requirements files (pinned `a==1.2` or not), poetry.lock, uv.lock and
 * Pipfile.lock. Names are normalised as PyPI does (PEP 503), so they match installed dist-info.
 */
export const normalizePythonName = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

export function parseRequirements(file: string, source: string): Lockfile {
  const packages: LockedPackage[] = [];
  const included: string[] = [];
  for (const raw of source.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    if (line.startsWith('-r ') || line.startsWith('--requirement') || line.startsWith('-c ') || line.startsWith('--constraint')) {
      included.push(line.replace(/^(-r|-c|--requirement|--constraint)[= ]?\s*/, ''));
      continue;
    }
    // options (-i, --hash, -e of a local path): not packages
    if (line.startsWith('-') || line.startsWith('.') || line.startsWith('/')) continue;
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?:(===?)\s*([A-Za-z0-9.*+!_-]+))?/.exec(line);
    if (!match) continue;
    const pinned = match[3] && !match[4]!.includes('*') ? match[4]! : '';
    packages.push({ name: clip(normalizePythonName(match[1]!)), version: clip(pinned) });
  }
  const problem = included.length > 0 ? message('requirementsIncluded', { file, files: clip(included.join(', '), 200) }) : undefined;
  return { ecosystem: 'pypi', format: 'requirements', packages, ...(problem ? { problem } : {}) };
}

export function parsePipfileLock(file: string, source: string): Lockfile {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (error) {
    return unreadable(file, 'Pipfile.lock', error instanceof Error ? error.message : String(error), 'pypi');
  }
  if (!isObject(data) || !isObject(data['default'])) return unreadable(file, 'Pipfile.lock', 'no "default" section', 'pypi');
  const packages: LockedPackage[] = [];
  for (const [section, dev] of [['default', false], ['develop', true]] as const) {
    const entries = data[section];
    if (!isObject(entries)) continue;
    for (const [name, value] of Object.entries(entries)) {
      const version = isObject(value) && typeof value['version'] === 'string' ? value['version'].replace(/^===?/, '') : '';
      packages.push({ name: clip(normalizePythonName(name)), version: clip(version), ...(dev ? { dev: true } : {}) });
    }
  }
  return { ecosystem: 'pypi', format: 'Pipfile.lock', packages };
}

/**
 * poetry.lock and uv.lock: `[[package]]` tables with `name`, `version`, and for poetry < 1.2
 * `category = "dev"`. uv lists the project itself with a `virtual`/`editable` source: not a
 * package to size. A small line reader for the TOML they write; nested tables are skipped.
 */
export function parseTomlLock(file: string, source: string, kind: 'poetry' | 'uv'): Lockfile {
  const format = kind === 'poetry' ? 'poetry.lock' : 'uv.lock';
  const packages: LockedPackage[] = [];
  let current: Record<string, string> | undefined;
  let sawPackage = false;
  let top: Record<string, string> = {};
  const flush = () => {
    if (!current?.['name']) return;
    if (/\b(virtual|editable)\s*=/.test(current['source'] ?? '')) return;
    packages.push({ name: clip(normalizePythonName(current['name'])), version: clip(current['version'] ?? ''), ...(current['category'] === 'dev' ? { dev: true } : {}), ...(current['optional'] === 'true' ? { optional: true } : {}) });
  };
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      flush();
      current = line === '[[package]]' ? {} : undefined;
      if (current) sawPackage = true;
      if (!current && !sawPackage) top = {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (current) current[key] = value;
    else if (!sawPackage) top[key] = value;
  }
  flush();
  if (kind === 'uv' && top['version'] !== undefined && top['version'] !== '1') {
    return { ecosystem: 'pypi', format, packages: [], problem: message('lockUnknownVersion', { file, version: clip(top['version'], 20) }) };
  }
  if (!sawPackage) return unreadable(file, format, 'no [[package]] tables', 'pypi');
  return { ecosystem: 'pypi', format, packages };
}
