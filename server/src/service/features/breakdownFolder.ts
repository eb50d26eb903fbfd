import * as posix from 'node:path/posix';
import type { ContextSnapshot } from '../sizes/context';
import type { BreakdownEntry, LayerBreakdown } from '../sizes/breakdown';
import { copySelection } from '../sizes/copySize';
import { buildFileTree, listFolder } from '../sizes/fileTree';
import { findEntry, markWaste } from '../sizes/layerBreakdown';
import type { DockerfileModel, Layer, Stage } from '../types';

/**
 * One folder of a layer's breakdown on demand (`dockerlens/breakdown`): the model carries a
 * bounded tree, so folders it left unexpanded are listed here. A COPY/ADD from the build context
 * is listed from the snapshot the server already scanned (only the files below that folder are
 * visited); a COPY --from of such files, from the stage it copies; anything else from the model.
 */
export interface BreakdownListing {
  entries: BreakdownEntry[];
  more?: { entries: number; bytes: number };
}

export interface BreakdownQuery {
  stage: number;
  /** the layer's number in its stage */
  layer: number;
  /** relative to the layer's root, as entry names are; '' for the top */
  path: string;
  limit?: number;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 5000;

/** The entries under one folder, largest first; null when the stage, layer or folder is unknown. */
export function listBreakdown(model: DockerfileModel, snapshot: ContextSnapshot | undefined, query: BreakdownQuery): BreakdownListing | null {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(Number.isFinite(query.limit) ? query.limit! : DEFAULT_LIMIT)));
  const path = typeof query.path === 'string' ? query.path.split('/').filter((s) => s !== '' && s !== '.').join('/') : '';
  return listIn(model, snapshot, query.stage, query.layer, path, limit, 0);
}

function listIn(model: DockerfileModel, snapshot: ContextSnapshot | undefined, stageIndex: number, number: number, path: string, limit: number, hops: number): BreakdownListing | null {
  const stage = model.stages[stageIndex];
  const layer = stage?.layers.find((l) => l.number === number && l.kind !== 'stage');
  if (!stage || !layer?.breakdown || hops > model.stages.length) return null;
  const breakdown = layer.breakdown;
  const wasted = model.image?.wasted.items.filter((w) => w.stage === stage.index && w.layer === layer.number) ?? [];
  const instruction = stage.instructions[layer.instruction];
  const complete = path === '' && !breakdown.more && breakdown.entries.length <= limit;
  if (breakdown.kind === 'files' && instruction && !complete) {
    // the model's tree is bounded: list the folder from what the layer copies
    if (snapshot) {
      const selection = copySelection(instruction, snapshot);
      if (selection) {
        const listed = listFolder(buildFileTree(selection, snapshot.complete, path, breakdown.root).root, path, limit, snapshot.complete);
        if (listed) return withWaste(breakdown, listed, wasted);
      }
    }
    const fromStage = fromOtherStage(model, stage, layer, path, (s, n, p) => listIn(model, snapshot, s, n, p, limit, hops + 1));
    if (fromStage) return withWaste(breakdown, fromStage, wasted);
  }
  if (path === '') return page(breakdown.entries, breakdown.more, limit);
  const found = findEntry(breakdown.entries, path);
  if (!found || (found.kind !== 'folder' && !found.children)) return null;
  return page(found.children ?? [], found.more, limit);
}

/**
 * A COPY --from layer's folder, listed in the stage it copies from: the layer of that stage whose
 * files hold the source path, with names moved back under this layer's root.
 */
function fromOtherStage(
  model: DockerfileModel, stage: Stage, layer: Layer, path: string,
  list: (stage: number, layer: number, path: string) => BreakdownListing | null,
): BreakdownListing | null {
  const instruction = stage.instructions[layer.instruction];
  const source = stage.dependencies.find((d) => d.instruction === layer.instruction && d.kind === 'copy-from')?.stage;
  if (!instruction || source === undefined || !layer.breakdown?.root) return null;
  const words = instruction.args.split(/\s+/).filter(Boolean).slice(0, -1).map((w) => posix.resolve('/', w));
  for (const src of words) {
    const wanted = path === '' ? src : `${src}/${path}`;
    for (let s: Stage | undefined = model.stages[source], hops = 0; s && hops <= model.stages.length; hops++) {
      // later layers win: they were written last
      for (const candidate of [...s.layers].reverse()) {
        const root = candidate.breakdown?.kind === 'files' ? candidate.breakdown.root : undefined;
        if (!root || !(wanted === root || wanted.startsWith(`${root === '/' ? '' : root}/`))) continue;
        const inner = posix.relative(root, wanted);
        const listed = list(s.index, candidate.number, inner);
        if (!listed) continue;
        const rename = (name: string) => (inner === '' ? joinPath(path, name) : joinPath(path, name.slice(inner.length + 1)));
        return { entries: listed.entries.map((e) => ({ ...e, name: rename(e.name) })), ...(listed.more ? { more: listed.more } : {}) };
      }
      s = s.base.kind === 'stage' ? model.stages[s.base.stage] : undefined;
    }
  }
  return null;
}

function withWaste(breakdown: LayerBreakdown, listed: BreakdownListing, wasted: Parameters<typeof markWaste>[1]): BreakdownListing {
  const marked = markWaste({ kind: 'files', ...(breakdown.root ? { root: breakdown.root } : {}), entries: listed.entries }, wasted);
  return { entries: marked.entries, ...(listed.more ? { more: listed.more } : {}) };
}

/** At most `limit` entries (without their children: each folder is listed on its own), the rest in `more`. */
function page(entries: readonly BreakdownEntry[], more: BreakdownListing['more'], limit: number): BreakdownListing {
  const shown = entries.slice(0, limit).map(({ children: _children, more: _more, ...rest }) => rest);
  const rest = entries.slice(limit);
  const total = { entries: (more?.entries ?? 0) + rest.length, bytes: (more?.bytes ?? 0) + rest.reduce((sum, e) => sum + (e.bytes ?? 0), 0) };
  return { entries: shown, ...(total.entries > 0 ? { more: total } : {}) };
}

const joinPath = (a: string, b: string) => (a === '' ? b : b === '' ? a : `${a}/${b}`);
