import { createHash } from 'node:crypto';
import type { DockerfileModel, Stage } from '../types';
import { layerOfInstruction } from '../model/layerIndex';
import { english, message, type Message } from '../sizes/messages';
import { hasUnknown } from '../sizes/types';

/**
 * Layers several images share. A registry and a host store each layer once, by content; two
 * images built the same way from the same base share the layers up to the first step that
 * differs (image 1 = a,b,c and image 2 = a,b,d share a and b). Here a layer's identity is its
 * cache chain: the base image, then each step's text, the environment it runs in (ARG, ENV, USER,
 * WORKDIR, SHELL lines before it) and, for COPY/ADD, the build context it reads (same folder, same
 * paths: the same files today).
 */
export interface ImageInput {
  name: string;
  model: DockerfileModel;
  /** identifies the build context (its folder); COPY layers match only within the same context */
  contextId: string;
}

export interface ChainLayer {
  key: string;
  /** 0 for the base group */
  number: number;
  label: string;
  /** the label as a message of the size catalog (the base image's); instruction text needs none */
  labelMessage?: Message;
  bytes: number | null;
  compressed: number | null;
  /** its size is not known, wholly or in part: `bytes` is then a floor (or null) */
  unknown: boolean;
}

/** Sums count the known bytes only; the `…Unknown` counts say how many layers they leave out (wholly or in part). */
export interface SharingReport {
  images: { name: string; layers: ChainLayer[]; bytes: number; compressed: number; unknownLayers: number }[];
  /** every distinct layer with the images using it */
  layers: { key: string; label: string; bytes: number | null; compressed: number | null; unknown: boolean; usedBy: string[] }[];
  /** bytes if every image stored its own copy, and stored once (by content) */
  countedPerImage: number;
  storedOnce: number;
  /** distinct layers whose size is not known, wholly or in part */
  unknownLayers: number;
  /** per ordered pair: what pulling `second` on a host that has `first` downloads */
  pulls: { first: string; second: string; shared: number; downloadCompressed: number; downloadLayers: number; downloadUnknown: number }[];
}

const ENVIRONMENT = new Set(['ARG', 'ENV', 'USER', 'WORKDIR', 'SHELL']);

export function chainOf(model: DockerfileModel, contextId: string): ChainLayer[] {
  const target = model.stages[model.target];
  if (!target) return [];
  const chain: Stage[] = [];
  for (let s: Stage | undefined = target; s && !chain.includes(s); s = s.base.kind === 'stage' ? model.stages[s.base.stage] : undefined) chain.unshift(s);
  const root = chain[0]!;
  const baseId = root.base.kind === 'image' ? `image:${root.base.digest ?? root.base.resolved}` : root.base.kind === 'scratch' ? 'scratch' : 'stage';
  let parent = hash(`${baseId}|${root.platform ?? ''}`);
  const layers: ChainLayer[] = [];
  if (root.base.kind === 'image') {
    const size = root.sizes?.base;
    const label = message('baseImageLayer', { image: root.base.display });
    layers.push({ key: parent, number: 0, label: english(label), labelMessage: label, bytes: size?.bytes ?? null, compressed: size?.compressed ?? null, unknown: !size || hasUnknown(size) });
  }
  for (const stage of chain) {
    const environment: string[] = [];
    for (const info of stage.instructions.slice(1)) {
      if (ENVIRONMENT.has(info.keyword)) environment.push(info.text);
      const layer = layerOfInstruction(stage, info.index);
      if (!layer) continue;
      const reads = info.keyword === 'COPY' || info.keyword === 'ADD' ? `${contextId}|${(layer.inputs ?? []).join(',')}` : '';
      const env = info.keyword === 'RUN' ? environment.join('\n') : info.workdir ?? '';
      parent = hash(`${parent}|${info.keyword}|${info.flags.map((f) => `${f.name}=${f.value}`).join(' ')}|${info.args}|${env}|${reads}`);
      layers.push({ key: parent, number: layer.number, label: layer.label, bytes: layer.size?.bytes ?? null, compressed: layer.size?.compressed ?? null, unknown: !layer.size || hasUnknown(layer.size) });
    }
  }
  return layers;
}

export function sharedLayers(inputs: ImageInput[]): SharingReport {
  const images = inputs.map(({ name, model, contextId }) => {
    const layers = chainOf(model, contextId);
    return { name, layers, bytes: sum(layers.map((l) => l.bytes)), compressed: sum(layers.map((l) => l.compressed)), unknownLayers: layers.filter((l) => l.unknown).length };
  });
  const byKey = new Map<string, SharingReport['layers'][number]>();
  for (const image of images) {
    for (const layer of image.layers) {
      const entry = byKey.get(layer.key) ?? { key: layer.key, label: layer.label, bytes: layer.bytes, compressed: layer.compressed, unknown: layer.unknown, usedBy: [] };
      if (!entry.usedBy.includes(image.name)) entry.usedBy.push(image.name);
      byKey.set(layer.key, entry);
    }
  }
  const layers = [...byKey.values()];
  const pulls: SharingReport['pulls'] = [];
  for (const first of images) {
    const have = new Set(first.layers.map((l) => l.key));
    for (const second of images) {
      if (first === second) continue;
      const missing = second.layers.filter((l) => !have.has(l.key));
      pulls.push({
        first: first.name,
        second: second.name,
        shared: second.layers.length - missing.length,
        downloadCompressed: sum(missing.map((l) => l.compressed)),
        downloadLayers: missing.length,
        downloadUnknown: missing.filter((l) => l.unknown).length,
      });
    }
  }
  return {
    images,
    layers,
    countedPerImage: sum(images.map((i) => i.bytes)),
    storedOnce: sum(layers.map((l) => l.bytes)),
    unknownLayers: layers.filter((l) => l.unknown).length,
    pulls,
  };
}

function sum(values: (number | null)[]): number {
  return values.reduce<number>((total, v) => total + (v ?? 0), 0);
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
