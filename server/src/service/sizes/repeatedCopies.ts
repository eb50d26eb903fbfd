import * as posix from 'node:path/posix';
import type { InstructionInfo } from '../types';
import { lowerBound } from './context';
import type { CopySelection } from './fileTree';
import type { ContextFile } from './types';
import { coverage, type LayerWrite } from './waste';

/**
 * The manifest-first pattern (`COPY package*.json ./`, install, `COPY . .`): the later COPY writes
 * files an earlier COPY of the stage already wrote. BuildKit's layer diff leaves a file out of a
 * layer when it is the same as in the layer below, so those files are stored once: they are
 * neither size of the later layer nor waste of the earlier one (DESIGN §2, measured 2026-12).
 *
 * Provably the same, and only then: the same context file (same content in one build) landing at
 * the same absolute path, from COPY instructions with the same --chown and --chmod (metadata), with
 * no layer in between that writes or deletes anything covering that path.
 */
export interface ContextCopy {
  layer: number;
  /** --chown/--chmod as written: different metadata means the file is stored again */
  metadata: string;
  /** the absolute folder the selection's names land in */
  root: string;
  selection: CopySelection;
  /** the layer's write (what the waste pass compares later layers with) */
  write: LayerWrite | undefined;
}

export interface RepeatedFiles {
  bytes: number;
  count: number;
  /** bytes of each earlier write that the later COPY rewrites unchanged */
  byWrite: Map<LayerWrite, number>;
  /** context paths (as the later selection names them) that are not stored again */
  sources: Set<string>;
}

export function copyMetadata(info: InstructionInfo): string {
  const value = (name: string) => info.flags.find((f) => f.name === name)?.value ?? '';
  return `${value('chown')}|${value('chmod')}`;
}

/** Every file a selection writes, as its absolute destination and its context file. */
export function* landings(selection: CopySelection, root: string): Generator<{ dest: string; file: ContextFile }> {
  for (const range of selection.ranges) {
    const cut = range.dir === '' ? 0 : range.dir.length + 1;
    for (let i = range.from; i < range.to; i++) {
      const file = selection.files[i]!;
      const name = file.path.slice(cut);
      if (range.exclude?.(name)) continue;
      yield { dest: posix.join(root, name), file };
    }
  }
  for (const { file, name } of selection.singles) yield { dest: posix.join(root, name), file };
}

/** The context file a selection writes at `dest`, if any. */
export function landsAt(selection: CopySelection, root: string, dest: string): ContextFile | undefined {
  const prefix = root === '/' ? '/' : `${root}/`;
  if (!dest.startsWith(prefix)) return undefined;
  const name = dest.slice(prefix.length);
  for (const single of selection.singles) if (single.name === name) return single.file;
  for (const range of selection.ranges) {
    const path = range.dir === '' ? name : `${range.dir}/${name}`;
    const at = lowerBound(selection.files, (f) => f.path, path);
    if (at < range.from || at >= range.to || selection.files[at]!.path !== path) continue;
    if (range.exclude?.(name)) continue;
    return selection.files[at];
  }
  return undefined;
}

/**
 * Files of `later` that an earlier COPY of the stage wrote the same. `between(layer, dest)` says
 * whether a layer after `layer` (and before the later one) writes or deletes something covering
 * `dest`: then the file below may differ and it is stored again.
 */
export function repeatedFiles(later: Omit<ContextCopy, 'write' | 'layer'>, earlier: readonly ContextCopy[], between: (layer: number, dest: string) => boolean): RepeatedFiles {
  const out: RepeatedFiles = { bytes: 0, count: 0, byWrite: new Map(), sources: new Set() };
  const seen = new Set<string>();
  // the latest earlier copy of a path is the one the later COPY is compared with
  for (const copy of [...earlier].reverse()) {
    for (const { dest, file } of landings(copy.selection, copy.root)) {
      if (seen.has(dest)) continue;
      seen.add(dest);
      if (copy.metadata !== later.metadata || file.kind !== 'file') continue;
      const again = landsAt(later.selection, later.root, dest);
      if (again !== file || between(copy.layer, dest)) continue;
      out.bytes += file.size;
      out.count++;
      out.sources.add(file.path);
      if (copy.write) out.byWrite.set(copy.write, (out.byWrite.get(copy.write) ?? 0) + file.size);
    }
  }
  return out;
}

/** A layer's writes or removals cover `dest` (the path itself, or a folder holding it). */
export function covers(effect: { writes: readonly LayerWrite[]; removes: readonly string[] }, dest: string): boolean {
  return effect.removes.some((r) => coverage(r, { path: dest, bytes: 1, what: dest }) !== undefined)
    || effect.writes.some((w) => w.path === dest || dest.startsWith(w.path === '/' ? '/' : `${w.path}/`));
}

/** The selection without the files a layer does not store again. */
export function withoutSources(selection: CopySelection, sources: ReadonlySet<string>): CopySelection {
  if (sources.size === 0) return selection;
  return {
    files: selection.files,
    ranges: selection.ranges.map((range) => ({
      ...range,
      exclude: (name: string) => (range.exclude?.(name) ?? false) || sources.has(range.dir === '' ? name : `${range.dir}/${name}`),
    })),
    singles: selection.singles.filter((s) => !sources.has(s.file.path)),
  };
}
