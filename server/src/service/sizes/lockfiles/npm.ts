import { message } from '../messages';
import { clip, type LockedPackage, type Lockfile } from './types';

/**
 * package-lock.json / npm-shrinkwrap.json, versions 1–3. v2 and v3 list every installed path under
 * `packages` (`node_modules/a/node_modules/b`) with `dev`/`optional`/`devOptional`/`os`/`cpu`; v1
 * nests `dependencies` by install path. Workspace folders and links are the project's own files
 * (COPY counts them), and bundled packages ship inside their parent's tarball: neither is listed.
 */
export function parsePackageLock(file: string, text: string): Lockfile {
  const format = (v: unknown) => `${file.slice(file.lastIndexOf('/') + 1)} v${clip(String(v), 20)}`;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return unreadable(file, format('?'), error instanceof Error ? error.message : String(error));
  }
  if (!isObject(data)) return unreadable(file, format('?'), 'not a JSON object');
  const version = data['lockfileVersion'];
  if (version !== 1 && version !== 2 && version !== 3) {
    return { ecosystem: 'npm', format: format(version ?? '?'), packages: [], problem: message('lockUnknownVersion', { file, version: clip(String(version ?? 'none'), 20) }) };
  }
  const packages: LockedPackage[] = [];
  let unresolved = 0;
  if (version >= 2 && isObject(data['packages'])) {
    const listed = data['packages'];
    // for…in, not Object.entries: a 50,000-entry lockfile should not allocate 50,000 pairs
    for (const path in listed) {
      const value = listed[path];
      const at = path.lastIndexOf('node_modules/');
      if (at < 0 || !isObject(value) || value['link'] === true || value['inBundle'] === true) continue;
      if (typeof value['resolved'] !== 'string') unresolved++;
      // an alias (`"b": "npm:a@1"`) installs a at node_modules/b: its `name` says which package
      const name = typeof value['name'] === 'string' ? clip(value['name']) : clip(path.slice(at + 'node_modules/'.length));
      const item = locked(name, value);
      item.at = clip(path, 1000);
      packages.push(item);
    }
  } else if (isObject(data['dependencies'])) {
    // v1: a tree; walk it with an explicit stack (a hostile file may nest deeply)
    const stack: Record<string, unknown>[] = [data['dependencies']];
    while (stack.length > 0) {
      const level = stack.pop()!;
      for (const name in level) {
        const value = level[name];
        if (!isObject(value) || value['bundled'] === true) continue;
        if (typeof value['version'] === 'string' && !value['version'].startsWith('file:')) {
          packages.push(locked(clip(name), value));
          if (typeof value['resolved'] !== 'string') unresolved++;
        }
        if (isObject(value['dependencies'])) stack.push(value['dependencies']);
      }
    }
  } else {
    return unreadable(file, format(version), 'no packages listed');
  }
  return { ecosystem: 'npm', format: format(version), packages, ...(unresolved > 0 ? { unresolved } : {}) };
}

function locked(name: string, value: Record<string, unknown>): LockedPackage {
  const item: LockedPackage = { name, version: clip(value['version']) };
  if (value['dev'] === true) item.dev = true;
  if (value['optional'] === true) item.optional = true;
  if (value['devOptional'] === true) item.devOptional = true;
  if (Array.isArray(value['os'])) item.os = strings(value['os']);
  if (Array.isArray(value['cpu'])) item.cpu = strings(value['cpu']);
  return item;
}

const strings = (v: unknown[]) => v.filter((s): s is string => typeof s === 'string').map((s) => clip(s, 40));

export function unreadable(file: string, format: string, reason: string, ecosystem: Lockfile['ecosystem'] = 'npm'): Lockfile {
  return { ecosystem, format, packages: [], problem: message('lockUnreadable', { file, reason: clip(reason.split('\n')[0], 120) }) };
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
