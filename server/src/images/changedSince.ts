import { lstat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ContextSnapshot } from '../service/sizes/context';

/**
 * Build-context paths that may differ from what a build at `since` read: files and folders
 * modified after it (a folder's time moves when an entry is added or deleted). A file last
 * modified before the build held the same bytes then, so its COPY steps are still that build's.
 * A touch without a change counts as a change here (BuildKit would reuse the step): the product
 * then shows an estimate where the exact figure was right, never the other way round.
 */
const PARALLEL = 16;

export async function modifiedSince(root: string, snapshot: ContextSnapshot, since: Date): Promise<string[]> {
  const limit = since.getTime();
  if (!Number.isFinite(limit)) return [];
  // '.': the root itself, whose time moves when an entry at the top comes or goes
  const paths = ['.', ...snapshot.files.map((f) => f.path), ...snapshot.directories];
  const changed: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const rel = paths[next++]!;
      try {
        const info = await lstat(rel === '.' ? root : path.join(root, ...rel.split('/')));
        if (info.mtimeMs > limit || info.ctimeMs > limit) changed.push(rel);
      } catch {
        changed.push(rel); // gone or unreadable since the scan: it may have changed
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, paths.length) }, worker));
  return changed.sort();
}
