import { message } from '../messages';
import { isMap, readIndentTree, text, type TreeMap } from './indentTree';
import { isObject, unreadable } from './npm';
import { clip, type LockedPackage, type Lockfile } from './types';

/**
 * yarn.lock, classic (v1: `"a@^1", a@^2:` blocks with `version "1.2.3"`) and berry (YAML with
 * `__metadata`, keys like `"a@npm:^1"`). The file does not mark dev dependencies: with the
 * project's package.json, what `--production` installs is the closure of its `dependencies` and
 * `optionalDependencies`; without it every package counts and the result says so.
 */
export function parseYarnLock(file: string, source: string, packageJson?: string): Lockfile {
  const { root, skipped } = readIndentTree(source);
  const berry = isMap(root['__metadata']);
  const format = berry ? 'yarn.lock (berry)' : 'yarn.lock (classic)';
  if (!berry && !/^# yarn lockfile v1\b/m.test(source.slice(0, 500))) {
    if (Object.keys(root).length === 0) return unreadable(file, format, 'no entries', 'npm');
  }
  // every descriptor (`a@^1`) → the entry it resolves to
  const byDescriptor = new Map<string, { name: string; entry: TreeMap }>();
  const entries: { name: string; entry: TreeMap }[] = [];
  for (const [key, value] of Object.entries(root)) {
    if (key === '__metadata' || !isMap(value)) continue;
    const descriptors = key.split(',').map((d) => d.trim()).filter(Boolean);
    const name = nameOf(descriptors[0] ?? '');
    if (!name || !text(value['version'])) continue;
    // berry's own workspaces (`app@workspace:.`) are the project's files, not packages
    if (berry && descriptors.some((d) => d.includes('@workspace:'))) continue;
    const item = { name, entry: value };
    entries.push(item);
    for (const d of descriptors) byDescriptor.set(d, item);
  }
  const problem = skipped > 0 ? message('lockPartlyRead', { file, count: skipped }) : undefined;
  const manifest = readManifest(packageJson);
  const all = entries.map(({ name, entry }) => toPackage(name, entry));
  if (!manifest) return { ecosystem: 'npm', format, packages: all, devUnknown: true, ...(problem ? { problem } : {}) };
  const lookup = (name: string, range: string) => byDescriptor.get(`${name}@${range}`) ?? byDescriptor.get(`${name}@npm:${range}`);
  const production = new Set<TreeMap>();
  const queue: [string, string][] = [...manifest.production];
  while (queue.length > 0) {
    const [name, range] = queue.pop()!;
    const found = lookup(name, range);
    if (!found || production.has(found.entry)) continue;
    production.add(found.entry);
    for (const field of ['dependencies', 'optionalDependencies']) {
      const deps = found.entry[field];
      if (isMap(deps)) for (const [dep, r] of Object.entries(deps)) queue.push([dep, text(r)]);
    }
  }
  const packages = entries.map(({ entry }, i) => (production.has(entry) ? all[i]! : { ...all[i]!, dev: true }));
  return { ecosystem: 'npm', format, packages, ...(problem ? { problem } : {}) };
}

function toPackage(name: string, entry: TreeMap): LockedPackage {
  // berry writes the platform condition as `conditions: os=darwin & cpu=arm64`
  const conditions = text(entry['conditions']);
  const os = [...conditions.matchAll(/os=([\w-]+)/g)].map((m) => m[1]!);
  const cpu = [...conditions.matchAll(/cpu=([\w-]+)/g)].map((m) => m[1]!);
  return { name: clip(name), version: clip(text(entry['version'])), ...(os.length ? { os } : {}), ...(cpu.length ? { cpu } : {}) };
}

/** `@scope/a@^1` → `@scope/a`; `a@npm:^1` → `a` */
function nameOf(descriptor: string): string {
  const at = descriptor.indexOf('@', descriptor.startsWith('@') ? 1 : 0);
  return at > 0 ? descriptor.slice(0, at) : '';
}

/** package.json's runtime dependencies as [name, range]; undefined when it cannot be read. */
export function readManifest(packageJson: string | undefined): { production: [string, string][]; dev: [string, string][] } | undefined {
  if (packageJson === undefined) return undefined;
  try {
    const data: unknown = JSON.parse(packageJson);
    if (!isObject(data)) return undefined;
    const pairs = (field: string) => (isObject(data[field]) ? Object.entries(data[field]).filter((e): e is [string, string] => typeof e[1] === 'string') : []);
    return { production: [...pairs('dependencies'), ...pairs('optionalDependencies')], dev: pairs('devDependencies') };
  } catch {
    return undefined;
  }
}
