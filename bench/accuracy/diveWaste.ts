/**
 * Wasted bytes as dive counts them, from an image's real layer tars: the regular files a layer
 * writes that a later layer deletes (a `.wh.<name>` whiteout, or `.wh..wh..opq` emptying a folder)
 * or writes again. Each earlier copy counts once, in the layer that wrote it. dive's own total
 * adds the surviving copy of a rewritten path too (its "cumulative size" of every path seen in two
 * layers or more, a deleted folder counted by what it hid): `diveTotal` is that figure.
 */
import * as posix from 'node:path/posix';
import { measureLayer } from './layerTar';

export interface LayerFiles {
  /** regular files by path (no leading `./` or `/`), with their bytes */
  files: Map<string, number>;
  /** paths this layer deletes (whiteouts) */
  deleted: string[];
  /** folders this layer empties of what earlier layers put there (opaque whiteouts) */
  emptied: string[];
  /** paths this layer writes of any kind (a later write of one replaces the earlier file) */
  written: Set<string>;
}

export async function layerFiles(blob: string, gzip: boolean): Promise<LayerFiles> {
  const layer: LayerFiles = { files: new Map(), deleted: [], emptied: [], written: new Set() };
  await measureLayer(blob, {
    gzip,
    onEntry: (name, type, size) => {
      const path = name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
      const base = posix.basename(path);
      const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
      if (base === '.wh..wh..opq') layer.emptied.push(dir);
      else if (base.startsWith('.wh.')) layer.deleted.push(dir ? `${dir}/${base.slice(4)}` : base.slice(4));
      else {
        layer.written.add(path);
        if (type === '0') layer.files.set(path, size);
      }
    },
  });
  return layer;
}

export interface DiveWaste {
  /** bytes of earlier copies deleted or rewritten by a later layer */
  bytes: number;
  /** the same, by the layer that wrote them (index in the image, bottom first) */
  byLayer: number[];
  /** dive's total: also the surviving copy of each rewritten path */
  diveTotal: number;
}

export function diveWaste(layers: readonly LayerFiles[]): DiveWaste {
  const byLayer = layers.map(() => 0);
  // files standing after each layer: path → the layer and bytes of the copy that is visible
  const standing = new Map<string, { layer: number; bytes: number }>();
  // dive's tally: every node of every layer's tree by path (folders implied by their files, a
  // whiteout of a folder sized by what it hid); a path met in two layers or more counts in full
  const tally = new Map<string, { count: number; bytes: number }>();
  const seen = (path: string, bytes: number) => {
    const t = tally.get(path) ?? { count: 0, bytes: 0 };
    t.count++;
    t.bytes += bytes;
    tally.set(path, t);
  };
  const retire = (path: string) => {
    const copy = standing.get(path)!;
    byLayer[copy.layer]! += copy.bytes;
    standing.delete(path);
  };
  layers.forEach((layer, index) => {
    const under = (folder: string) => [...standing.keys()].filter((p) => folder === '' || p === folder || p.startsWith(`${folder}/`));
    for (const gone of [...layer.emptied, ...layer.deleted]) {
      const hidden = under(gone);
      seen(gone, standing.has(gone) ? 0 : hidden.reduce((sum, p) => sum + standing.get(p)!.bytes, 0));
      for (const path of hidden) retire(path);
    }
    const nodes = new Set<string>();
    for (const path of layer.written) for (let p = path; p !== '.' && p !== ''; p = posix.dirname(p)) nodes.add(p);
    for (const path of nodes) seen(path, layer.files.get(path) ?? 0);
    for (const path of layer.written) if (standing.has(path)) retire(path);
    for (const [path, bytes] of layer.files) standing.set(path, { layer: index, bytes });
  });
  const diveTotal = [...tally.values()].filter((t) => t.count >= 2).reduce((sum, t) => sum + t.bytes, 0);
  return { bytes: byLayer.reduce((a, b) => a + b, 0), byLayer, diveTotal };
}
