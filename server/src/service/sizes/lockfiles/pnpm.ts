import { message } from '../messages';
import { isMap, readIndentTree, text, type TreeMap, type TreeValue } from './indentTree';
import { unreadable } from './npm';
import { clip, type LockedPackage, type Lockfile } from './types';

/**
 * pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x. 5 and 6 mark each package `dev: true|false`;
 * 9 does not: what a production install takes is the closure of the importers' `dependencies` and
 * `optionalDependencies` through `snapshots`.
 */
export function parsePnpmLock(file: string, source: string): Lockfile {
  const { root, skipped } = readIndentTree(source);
  const version = text(root['lockfileVersion']);
  const major = Number.parseInt(version, 10);
  const format = `pnpm-lock v${clip(version, 20) || '?'}`;
  if (!version) return unreadable(file, format, 'no lockfileVersion');
  if (major !== 5 && major !== 6 && major !== 9) return { ecosystem: 'npm', format, packages: [], problem: message('lockUnknownVersion', { file, version: clip(version, 20) }) };
  const problem = skipped > 0 ? message('lockPartlyRead', { file, count: skipped }) : undefined;
  const listed = isMap(root['packages']) ? root['packages'] : {};
  const packages: LockedPackage[] = [];
  if (major < 9) {
    for (const [key, value] of Object.entries(listed)) {
      if (!isMap(value)) continue;
      const id = parseKey(key.replace(/^\//, ''), major === 5);
      if (!id) continue;
      const dev = text(value['dev']);
      packages.push({ ...platform(id, value), ...(dev === 'true' ? { dev: true } : {}), ...(text(value['optional']) === 'true' ? { optional: true } : {}) });
    }
    return { ecosystem: 'npm', format, packages, ...(problem ? { problem } : {}) };
  }
  const snapshots = isMap(root['snapshots']) ? root['snapshots'] : {};
  const production = new Set<string>();
  const queue: string[] = [];
  const importers = isMap(root['importers']) ? root['importers'] : {};
  for (const importer of Object.values(importers)) {
    if (!isMap(importer)) continue;
    for (const field of ['dependencies', 'optionalDependencies']) {
      const deps = importer[field];
      if (!isMap(deps)) continue;
      for (const [name, spec] of Object.entries(deps)) {
        const resolved = isMap(spec) ? text(spec['version']) : text(spec);
        if (resolved && !resolved.startsWith('link:')) queue.push(`${name}@${resolved}`);
      }
    }
  }
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (production.has(key)) continue;
    production.add(key);
    const snapshot = snapshots[key];
    if (!isMap(snapshot)) continue;
    for (const field of ['dependencies', 'optionalDependencies']) {
      const deps = snapshot[field];
      if (isMap(deps)) for (const [name, v] of Object.entries(deps)) if (!text(v).startsWith('link:')) queue.push(`${name}@${text(v)}`);
    }
  }
  const productionIds = new Set([...production].map((key) => key.replace(/\(.*$/, '')));
  // a package installed once per distinct peer set: count its snapshots, or once when none
  for (const [key, value] of Object.entries(listed)) {
    if (!isMap(value)) continue;
    const id = parseKey(key, false);
    if (!id) continue;
    packages.push({ ...platform(id, value), ...(productionIds.has(key) ? {} : { dev: true }) });
  }
  return { ecosystem: 'npm', format, packages, ...(problem ? { problem } : {}) };
}

/** `@scope/a@1.2.3(peer@1)` (6, 9) or `@scope/a/1.2.3_peer@1` (5) → name and version. */
function parseKey(key: string, slashVersion: boolean): { name: string; version: string } | undefined {
  const bare = key.replace(/\(.*$/, '');
  if (slashVersion) {
    const at = bare.lastIndexOf('/');
    return at > 0 ? { name: clip(bare.slice(0, at)), version: clip(bare.slice(at + 1).replace(/_.*$/, '')) } : undefined;
  }
  const at = bare.indexOf('@', bare.startsWith('@') ? 1 : 0);
  return at > 0 ? { name: clip(bare.slice(0, at)), version: clip(bare.slice(at + 1)) } : undefined;
}

function platform(id: { name: string; version: string }, value: TreeMap): LockedPackage {
  const list = (v: TreeValue | undefined) => (Array.isArray(v) ? v.map((s) => clip(s, 40)) : typeof v === 'string' && v ? [clip(v, 40)] : undefined);
  const os = list(value['os']);
  const cpu = list(value['cpu']);
  return { ...id, ...(os ? { os } : {}), ...(cpu ? { cpu } : {}) };
}
