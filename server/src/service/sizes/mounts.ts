import * as posix from 'node:path/posix';
import type { InstructionInfo } from '../types';
import { formatBytes } from '../features/sizeText';
import { message, type Message, type MessageValue } from './messages';

/**
 * `RUN --mount=…`: what a mount holds is not in the layer. BuildKit puts the mount over its target
 * while the command runs and takes it away before it snapshots the layer, so files written there
 * (apt lists and archives, npm/pip/go caches, build outputs in a bind mount) are never stored.
 * Measured 2026-12 on a real BuildKit: apt update + install with `/var/lib/apt/lists` and
 * `/var/cache/apt` as cache mounts wrote 1.6 MB instead of ~21 MB (DESIGN §2).
 */
export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';

export interface RunMount {
  type: MountType;
  /** absolute path inside the container */
  target: string;
}

const TYPES: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];

/**
 * The mounts of a RUN with their targets. Defaults follow BuildKit's: the type is `bind`; a secret
 * without a target goes to /run/secrets/<id> (none when it only sets an environment variable); the
 * n-th ssh mount without one to /run/buildkit/ssh_agent.<n>. A relative target is taken from the
 * working directory. A target with a variable left in it cannot be placed: it is skipped.
 */
export function runMounts(info: InstructionInfo, workdir = '/'): RunMount[] {
  const mounts: RunMount[] = [];
  let sshCount = 0;
  for (const flag of info.flags) {
    if (flag.name !== 'mount') continue;
    const o = flag.options;
    const type = (o['type'] ?? 'bind') as MountType;
    if (!TYPES.includes(type)) continue;
    let target = o['target'] ?? o['dst'] ?? o['destination'] ?? undefined;
    if (!target && type === 'secret' && o['id'] && !o['env']) target = `/run/secrets/${o['id']}`;
    if (!target && type === 'ssh') target = `/run/buildkit/ssh_agent.${sshCount}`;
    if (type === 'ssh') sshCount++;
    if (!target || target.includes('$')) continue;
    mounts.push({ type, target: posix.resolve(workdir, target) });
  }
  return mounts;
}

/** The mount that holds `path` (the target itself or anything below it), if any. */
export function mountHolding(mounts: readonly RunMount[], path: string): RunMount | undefined {
  return mounts.find((m) => m.target === '/' || path === m.target || path.startsWith(`${m.target.replace(/\/+$/, '')}/`));
}

/** Answers "is this path held by a mount of the RUN?" for the estimators. */
export type MountedPath = (path: string) => RunMount | undefined;

export const noMounts: MountedPath = () => undefined;

export function mountedPath(mounts: readonly RunMount[]): MountedPath {
  return (path) => mountHolding(mounts, path);
}

/**
 * The note an estimator leaves when something it would have counted lives in a mount: where, and
 * what it would have cost had it been written into the layer.
 */
export function inMountNote(what: MessageValue, mount: RunMount, bytes: number): Message {
  return message('inMount', { what, type: mount.type, target: mount.target, size: formatBytes(bytes) });
}
