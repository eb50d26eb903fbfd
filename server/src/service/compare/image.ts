/**
 * A built image as the compare feature sees it: its layers (diff id, content bytes, compressed
 * bytes when known) and its history (one entry per instruction, `empty_layer` for metadata). Pure:
 * the readers (a `docker save` tar, an OCI layout, the Engine API) hand over parsed JSON and
 * measured layer sizes; this file checks the JSON's shape and pairs history entries with layers.
 */

export type BuiltImageSource = 'engine' | 'docker-save' | 'oci-layout';

export interface BuiltLayer {
  /** `sha256:…` of the uncompressed layer tar; null when it cannot be told which layer this is */
  diffId: string | null;
  /** bytes of the files in the layer (regular files: what `docker history` shows); null when not measured */
  size: number | null;
  /** bytes of the compressed blob, when the image was read from a form that keeps it */
  compressed: number | null;
}

export interface BuiltHistoryEntry {
  createdBy: string;
  /** ISO time, when recorded */
  created: string | null;
  comment: string | null;
  emptyLayer: boolean;
  /** the engine reports no empty_layer flags: this entry's flag was inferred and may be wrong */
  emptyLayerInferred?: true;
  /** index into `layers`, for entries that made one */
  layer: number | null;
}

export interface BuiltImage {
  /** what the user named: a reference (`app:latest`) or a path */
  name: string;
  /** the image id (the config's digest), when known */
  id: string | null;
  /** when the image was built (ISO), when recorded */
  created: string | null;
  /** `linux/amd64` */
  platform: string | null;
  source: BuiltImageSource;
  layers: BuiltLayer[];
  history: BuiltHistoryEntry[];
  /** what limits the figures: unmeasured layers, history that does not match the layers */
  notes: string[];
}

/** What an image config (`application/vnd.oci.image.config.v1+json`) says that matters here. */
export interface ImageConfig {
  created: string | null;
  platform: string | null;
  diffIds: string[];
  history: { createdBy: string; created: string | null; comment: string | null; emptyLayer: boolean }[];
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Reads an image config; throws with a plain reason when it is not one. */
export function parseImageConfig(json: unknown): ImageConfig {
  const config = record(json);
  const rootfs = record(config['rootfs']);
  if (!Array.isArray(rootfs['diff_ids'])) throw new Error('not an image config: no rootfs.diff_ids');
  const diffIds = list(rootfs['diff_ids']).map((d) => str(d) ?? '');
  const os = str(config['os']);
  const arch = str(config['architecture']);
  const history = list(config['history']).map((raw) => {
    const entry = record(raw);
    return {
      createdBy: str(entry['created_by']) ?? '',
      created: str(entry['created']),
      comment: str(entry['comment']),
      emptyLayer: entry['empty_layer'] === true,
    };
  });
  return { created: str(config['created']), platform: os && arch ? `${os}/${arch}` : null, diffIds, history };
}

/**
 * An image from its config and the measured layers (in diff-id order): history entries that are
 * not empty take the layers in order. An image without history (some imports) gets one entry per
 * layer, and a count that does not add up is noted rather than guessed around.
 */
export function imageFromConfig(
  config: ImageConfig,
  layers: BuiltLayer[],
  meta: { name: string; id: string | null; source: BuiltImageSource; notes?: string[] },
): BuiltImage {
  const notes = [...(meta.notes ?? [])];
  let history: BuiltHistoryEntry[];
  if (config.history.length === 0) {
    history = layers.map((_, i) => ({ createdBy: '', created: null, comment: null, emptyLayer: false, layer: i }));
  } else {
    let next = 0;
    history = config.history.map((h) => {
      const layer = h.emptyLayer || next >= layers.length ? null : next++;
      return { ...h, layer };
    });
    const withLayer = config.history.filter((h) => !h.emptyLayer).length;
    if (withLayer !== layers.length) notes.push(`the history lists ${withLayer} entries with a layer, the image has ${layers.length} layers: sizes after the first mismatch may sit on the wrong entry`);
  }
  return { name: meta.name, id: meta.id, created: config.created, platform: config.platform, source: meta.source, layers, history, notes };
}

/** One entry of `GET /images/{name}/history` (newest first, as the engine sends it). */
export interface EngineHistoryEntry {
  createdBy: string;
  /** unix seconds */
  created: number | null;
  comment: string | null;
  size: number;
}

/** What `GET /images/{name}/json` says that matters here. */
export interface EngineInspect {
  id: string | null;
  created: string | null;
  platform: string | null;
  diffIds: string[];
}

export function parseEngineInspect(json: unknown): EngineInspect {
  const value = record(json);
  const os = str(value['Os']);
  const arch = str(value['Architecture']);
  return {
    id: str(value['Id']),
    created: str(value['Created']),
    platform: os && arch ? `${os}/${arch}` : null,
    diffIds: list(record(value['RootFS'])['Layers']).map((d) => str(d) ?? ''),
  };
}

export function parseEngineHistory(json: unknown): EngineHistoryEntry[] {
  if (!Array.isArray(json)) throw new Error('the engine sent no history list');
  return json.map((raw) => {
    const entry = record(raw);
    const created = entry['Created'];
    const size = entry['Size'];
    return {
      createdBy: str(entry['CreatedBy']) ?? '',
      created: typeof created === 'number' ? created : null,
      comment: str(entry['Comment']),
      size: typeof size === 'number' && size >= 0 ? size : 0,
    };
  });
}

/** Instructions that never write a layer (the engine's history lacks the empty_layer flag). */
const METADATA = /^(ENV|LABEL|CMD|ENTRYPOINT|EXPOSE|USER|ARG|VOLUME|STOPSIGNAL|HEALTHCHECK|SHELL|ONBUILD|MAINTAINER)\b/;

/**
 * An image from the Engine API: the history gives each entry's layer size but no empty_layer
 * flag. Entries with bytes made a layer, metadata entries did not; entries of zero bytes that
 * could have made an (empty) layer are counted as layers when the count of layers says so.
 * When it cannot say which of them did, they are marked as inferred.
 */
export function imageFromEngine(name: string, inspect: EngineInspect, newestFirst: EngineHistoryEntry[]): BuiltImage {
  const entries = [...newestFirst].reverse();
  const notes: string[] = [];
  const metadata = (e: EngineHistoryEntry) => METADATA.test(e.createdBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, ''));
  const certain = entries.filter((e) => e.size > 0).length;
  const maybe = entries.filter((e) => e.size === 0 && !metadata(e)).length;
  const zeroLayers = inspect.diffIds.length - certain;
  const decided = zeroLayers === maybe || zeroLayers === 0;
  if (!decided) notes.push(`the engine does not say which of ${maybe} zero-byte history entries made ${zeroLayers} empty layers: their layer ids are not shown`);
  let next = 0;
  const history: BuiltHistoryEntry[] = entries.map((e) => {
    const makesLayer = e.size > 0 || (!metadata(e) && zeroLayers > 0);
    const layer = makesLayer && next < inspect.diffIds.length ? next++ : null;
    return {
      createdBy: e.createdBy,
      created: e.created === null ? null : new Date(e.created * 1000).toISOString(),
      comment: e.comment,
      emptyLayer: layer === null,
      ...(decided || e.size > 0 || metadata(e) ? {} : { emptyLayerInferred: true as const }),
      layer,
    };
  });
  const layers: BuiltLayer[] = [];
  for (const h of history) {
    if (h.layer === null) continue;
    const entry = entries[history.indexOf(h)]!;
    layers.push({ diffId: decided ? inspect.diffIds[h.layer] ?? null : null, size: entry.size, compressed: null });
  }
  if (decided && layers.length !== inspect.diffIds.length) notes.push(`the history has ${layers.length} entries with a layer, the image ${inspect.diffIds.length} layers`);
  return { name, id: inspect.id, created: inspect.created, platform: inspect.platform, source: 'engine', layers, history, notes };
}

/** Bytes of every layer, and whether each was measured. */
export function imageBytes(image: BuiltImage): { bytes: number; compressed: number | null; unmeasured: number } {
  let bytes = 0;
  let compressed: number | null = 0;
  let unmeasured = 0;
  for (const layer of image.layers) {
    if (layer.size === null) unmeasured++;
    else bytes += layer.size;
    compressed = compressed === null || layer.compressed === null ? null : compressed + layer.compressed;
  }
  return { bytes, compressed, unmeasured };
}
