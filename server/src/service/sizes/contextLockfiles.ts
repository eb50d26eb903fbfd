import * as posix from 'node:path/posix';
import type { DockerfileModel, InstructionInfo } from '../types';
import { findFile, type ContextSnapshot } from './context';
import { destinationOf, type CopySizes } from './contextSizes';
import type { PlacedLockfile } from './lockedInstall';
import { isLockfileName, parseLockfile, type Lockfile } from './lockfiles';
import { unreadable } from './lockfiles/npm';

/**
 * The lockfiles and requirements files each COPY/ADD from the context puts in the image, read
 * through the injected reader ahead of the (synchronous) size pass, like the COPY sizes. `parsed`
 * keeps what was read before, by context path and text, so an unchanged file is not parsed again
 * and the size memo sees the same object.
 */
export type ContextLockfiles = Map<string, PlacedLockfile[]>;

/** Bigger than any real lockfile (a 50,000-package package-lock is ~20 MB): not read. */
export const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;

export type ReadText = (path: string) => Promise<string>;
export type ParsedLockfiles = Map<string, { text: string; packageJson: string | undefined; lock: Lockfile }>;

const key = (stage: number, instruction: number) => `${stage}:${instruction}`;

export async function precomputeLockfiles(model: DockerfileModel, snapshot: ContextSnapshot, sizes: CopySizes, read: ReadText, parsed: ParsedLockfiles = new Map()): Promise<ContextLockfiles> {
  const found: ContextLockfiles = new Map();
  for (const stage of model.stages) {
    for (const info of stage.instructions) {
      const size = sizes.get(key(stage.index, info.index));
      const selection = size?.selection;
      if (!size || !selection) continue;
      const destination = destinationOf(info, info.workdir ?? '/');
      const landings: { path: string; lands: string }[] = [];
      for (const single of selection.singles) {
        if (isLockfileName(single.name)) landings.push({ path: single.file.path, lands: size.intoFile ? destination : posix.join(destination, single.name) });
      }
      for (const range of selection.ranges) {
        const prefix = range.dir === '' || range.dir === '.' ? '' : `${range.dir}/`;
        for (let i = range.from; i < range.to; i++) {
          const relative = selection.files[i]!.path.slice(prefix.length);
          if (!relative.includes('/') && isLockfileName(relative) && !range.exclude?.(relative)) landings.push({ path: selection.files[i]!.path, lands: posix.join(destination, relative) });
        }
      }
      const placed: PlacedLockfile[] = [];
      for (const { path, lands } of landings) placed.push({ path: lands, lock: await readLockfile(snapshot, path, read, parsed), from: path });
      if (placed.length > 0) found.set(key(stage.index, info.index), placed);
    }
  }
  return found;
}

async function readLockfile(snapshot: ContextSnapshot, path: string, read: ReadText, parsed: ParsedLockfiles): Promise<Lockfile> {
  const file = findFile(snapshot, path);
  if (file && file.size > MAX_LOCKFILE_BYTES) return unreadable(path, path, `larger than ${MAX_LOCKFILE_BYTES / 1024 / 1024} MiB`);
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    return unreadable(path, path, error instanceof Error ? error.message : String(error));
  }
  // yarn.lock does not mark dev packages: the package.json beside it says what is for production
  const manifestPath = posix.join(posix.dirname(path), 'package.json');
  let packageJson: string | undefined;
  if (path.endsWith('yarn.lock') && findFile(snapshot, manifestPath)) packageJson = await read(manifestPath).catch(() => undefined);
  const before = parsed.get(path);
  if (before && before.text === text && before.packageJson === packageJson) return before.lock;
  const lock = parseLockfile(path, text, packageJson) ?? unreadable(path, path, 'not a lockfile');
  parsed.set(path, { text, packageJson, lock });
  return lock;
}

/** The size pass's `lockfilesOf` service over what was read ahead. */
export function lockfilesOf(found: ContextLockfiles, model: DockerfileModel) {
  const stageOf = new Map<InstructionInfo, number>();
  for (const stage of model.stages) for (const info of stage.instructions) stageOf.set(info, stage.index);
  return (info: InstructionInfo): readonly PlacedLockfile[] | undefined => {
    const stage = stageOf.get(info);
    return stage === undefined ? undefined : found.get(key(stage, info.index));
  };
}
