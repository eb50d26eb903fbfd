import * as posix from 'node:path/posix';
import type { BaseLayerInfo, WastedBytes } from '../types';
import type { Text } from '../explain';
import type { BreakdownEntry, LayerBreakdown } from './breakdown';
import { entry, largestFirst, note } from './breakdownEntries';
import { emitTree, type FileTree } from './fileTree';

/**
 * Whole-layer breakdowns: copied files (emitted once the waste pass has said which folders a
 * later layer deletes, so those show whatever their size), base image history, and the marks
 * the waste pass puts on entries after the fact.
 */

/** A COPY/ADD layer's files before they are emitted as entries. */
export interface FileDraft {
  /** the absolute folder the names are relative to */
  root: string;
  tree?: FileTree;
  /** what is not a context file (heredoc files, archives, remote sources, another stage's output) */
  extras: BreakdownEntry[];
}

export function filesBreakdown(draft: FileDraft, wasted: readonly WastedBytes[]): LayerBreakdown {
  const pins = wasted.flatMap((w) => {
    const rel = w.under ? relativeTo(draft.root, w.under) : undefined;
    return rel ? [rel] : [];
  });
  const tree = draft.tree ? emitTree(draft.tree.root, draft.tree.complete, pins) : { entries: [] };
  return {
    kind: 'files',
    root: draft.root,
    entries: [...tree.entries, ...draft.extras].sort(largestFirst),
    ...(tree.more ? { more: tree.more } : {}),
  };
}

/** One entry per layer of the base image, named by the history line that made it. */
export function baseBreakdown(layers: readonly BaseLayerInfo[]): LayerBreakdown {
  const entries = layers.map((layer) => entry('history', layer.createdBy ?? `layer ${layer.digest}`, layer.size));
  return { kind: 'base', entries: entries.sort(largestFirst) };
}

/**
 * Flags what later layers delete or overwrite: the entry at the path deleted (a COPY's folder, a
 * RUN's cache), or every top-level entry when the whole write went.
 */
export function markWaste(breakdown: LayerBreakdown, wasted: readonly WastedBytes[]): LayerBreakdown {
  if (wasted.length === 0) return breakdown;
  const marked = structuredClone(breakdown);
  for (const item of wasted) {
    const why = note(item.how === 'deleted' ? 'deletedLater' : 'overwrittenLater', { layer: item.removedBy });
    if (item.packages) {
      // removed packages: their entries, by manager and name
      const names = new Set(item.packages.list.map((p) => p.name));
      const manager = item.packages.manager;
      for (const hit of marked.entries) if (hit.kind === 'package' && hit.manager === manager && names.has(hit.name)) flag(hit, why);
      continue;
    }
    const target = item.under ?? item.path;
    const rel = marked.root ? relativeTo(marked.root, target) : target;
    if (rel === undefined) continue;
    const hits = rel === '' ? marked.entries : matching(marked.entries, rel, marked.root === undefined);
    for (const hit of hits) flag(hit, why);
  }
  return marked;
}

/** The entry at a path of a breakdown's tree (names are whole paths, so a child's starts with its parent's). */
export function findEntry(entries: readonly BreakdownEntry[], path: string): BreakdownEntry | undefined {
  for (const e of entries) {
    if (e.name === path) return e;
    if (e.children && path.startsWith(`${e.name}/`)) return findEntry(e.children, path);
  }
  return undefined;
}

/** Entries at `path`; for a RUN's absolute paths also the ones below it (`rm -rf /root` takes /root/.npm). */
function matching(entries: BreakdownEntry[], path: string, below: boolean): BreakdownEntry[] {
  const found = findEntry(entries, path);
  if (found) return [found];
  return below ? entries.filter((e) => e.name.startsWith(`${path}/`)) : [];
}

function flag(target: BreakdownEntry, why: Text): void {
  if (target.flags?.includes('wasted')) return;
  target.flags = [...(target.flags ?? []), 'wasted'];
  target.note = target.note ? { en: `${target.note.en}; ${why.en}`, ko: `${target.note.ko}; ${why.ko}` } : why;
}

/** `path` relative to `root`: '' for the root itself or a folder above it, undefined outside it. */
function relativeTo(root: string, path: string): string | undefined {
  if (path === root || root.startsWith(`${path === '/' ? '' : path}/`)) return '';
  if (path.startsWith(`${root === '/' ? '' : root}/`)) return posix.relative(root, path);
  return undefined;
}
