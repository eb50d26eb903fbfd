import * as path from 'node:path';
import { imageFromConfig, parseImageConfig, type BuiltImage, type BuiltLayer } from '../service/compare/image';
import { parseImageReference } from '../service/model/imageRef';
import { tarContentBytes } from '../service/sizes/archive';
import { openImageFiles, type ImageFiles } from './imageFiles';

/**
 * A built image from a file or folder, offline: a `docker save` tar (Docker's `manifest.json`,
 * with layer tars or, since Docker 25, OCI blobs), an OCI image layout folder (`index.json`,
 * `blobs/`) or the same packed in a tar. Each layer's content bytes are counted from its tar
 * headers (gzip layers decompressed on the fly); compressed bytes are the blob's own size when the
 * layer is stored compressed. Nothing is unpacked to disk.
 */
export interface ArchiveOptions {
  /** which image of an archive holding several (`app:1.0`); the only or first one otherwise */
  reference?: string;
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export async function readImageArchive(where: string, options: ArchiveOptions = {}): Promise<BuiltImage> {
  const files = await openImageFiles(where);
  try {
    if ((await files.size('manifest.json')) !== undefined) return await fromDockerSave(files, options);
    if ((await files.size('index.json')) !== undefined) return await fromOciLayout(files, options);
    throw new Error(`${path.basename(where)} is neither a docker save archive (no manifest.json) nor an OCI image layout (no index.json)`);
  } finally {
    await files.close();
  }
}

async function json(files: ImageFiles, name: string): Promise<unknown> {
  const body = await files.text(name);
  try {
    return JSON.parse(body);
  } catch {
    throw new Error(`${name} in ${path.basename(files.where)} is not valid JSON`);
  }
}

async function fromDockerSave(files: ImageFiles, options: ArchiveOptions): Promise<BuiltImage> {
  const manifest = list(await json(files, 'manifest.json')).map(record);
  if (manifest.length === 0) throw new Error('manifest.json lists no image');
  const notes: string[] = [];
  const wanted = options.reference ? manifest.find((m) => list(m['RepoTags']).some((t) => sameReference(text(t), options.reference!))) : undefined;
  if (options.reference && !wanted) throw new Error(`${options.reference} is not in ${path.basename(files.where)} (it holds ${manifest.flatMap((m) => list(m['RepoTags']).map(String)).join(', ') || 'untagged images'})`);
  const entry = wanted ?? manifest[0]!;
  if (!wanted && manifest.length > 1) notes.push(`the archive holds ${manifest.length} images: the first one was read`);
  const configName = text(entry['Config']);
  if (!configName) throw new Error('manifest.json names no config');
  const config = parseImageConfig(await json(files, configName));
  const layerNames = list(entry['Layers']).map((l) => text(l) ?? '');
  if (layerNames.length !== config.diffIds.length) notes.push(`manifest.json lists ${layerNames.length} layers, the config ${config.diffIds.length}`);
  const layers: BuiltLayer[] = [];
  for (const [i, name] of layerNames.entries()) {
    const measured = await measure(files, name, undefined);
    if (measured.note) notes.push(measured.note);
    layers.push({ diffId: config.diffIds[i] ?? null, size: measured.bytes, compressed: measured.compressed });
  }
  const tags = list(entry['RepoTags']).map(String);
  return imageFromConfig(config, layers, {
    name: options.reference ?? tags[0] ?? path.basename(files.where),
    id: configId(configName),
    source: 'docker-save',
    notes,
  });
}

/** An OCI layout: index.json → (image index →) manifest → config and layer blobs. */
async function fromOciLayout(files: ImageFiles, options: ArchiveOptions): Promise<BuiltImage> {
  const notes: string[] = [];
  let descriptors = list(record(await json(files, 'index.json'))['manifests']).map(record);
  if (descriptors.length === 0) throw new Error('index.json lists no image');
  const refName = (d: Record<string, unknown>) => text(record(d['annotations'])['org.opencontainers.image.ref.name']);
  let chosen = options.reference ? descriptors.find((d) => refName(d) !== undefined && sameReference(refName(d), options.reference!)) : descriptors[0];
  if (!chosen) throw new Error(`${options.reference} is not in ${path.basename(files.where)} (it holds ${descriptors.map(refName).filter(Boolean).join(', ') || 'untagged images'})`);
  if (!options.reference && descriptors.length > 1) notes.push(`the layout holds ${descriptors.length} images: the first one was read`);
  // An image index: take linux/amd64, or the first platform.
  for (let depth = 0; depth < 4 && /index/.test(text(chosen['mediaType']) ?? ''); depth++) {
    descriptors = list(record(await json(files, blobName(chosen)))['manifests']).map(record);
    const platform = (d: Record<string, unknown>) => `${text(record(d['platform'])['os'])}/${text(record(d['platform'])['architecture'])}`;
    chosen = descriptors.find((d) => platform(d) === 'linux/amd64') ?? descriptors[0];
    if (!chosen) throw new Error('the image index lists no manifest');
  }
  const manifest = record(await json(files, blobName(chosen)));
  const configDescriptor = record(manifest['config']);
  const config = parseImageConfig(await json(files, blobName(configDescriptor)));
  const layers: BuiltLayer[] = [];
  for (const [i, raw] of list(manifest['layers']).entries()) {
    const descriptor = record(raw);
    const measured = await measure(files, blobName(descriptor), text(descriptor['mediaType']));
    if (measured.note) notes.push(measured.note);
    layers.push({ diffId: config.diffIds[i] ?? null, size: measured.bytes, compressed: measured.compressed });
  }
  return imageFromConfig(config, layers, {
    name: options.reference ?? refName(chosen) ?? path.basename(files.where),
    id: text(configDescriptor['digest']) ?? null,
    source: 'oci-layout',
    notes,
  });
}

/** A layer's content bytes, and its compressed size when it is stored compressed. */
async function measure(files: ImageFiles, name: string, mediaType: string | undefined): Promise<{ bytes: number | null; compressed: number | null; note?: string }> {
  let size;
  try {
    size = await files.size(name);
  } catch (error) {
    return { bytes: null, compressed: null, note: `layer ${shortName(name)} could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (size === undefined) return { bytes: null, compressed: null, note: `layer ${name} is missing from the archive` };
  if (mediaType?.includes('zstd')) return { bytes: null, compressed: size, note: `layer ${shortName(name)} is zstd-compressed: its content size is not read here` };
  const head = await files.read(name, 0, 2);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  try {
    const counted = await tarContentBytes(files.read, { path: name, size, kind: 'file' }, gzip ? 'gzip' : 'tar');
    return { bytes: counted.bytes, compressed: gzip ? size : null, ...(counted.complete ? {} : { note: `layer ${shortName(name)} ends early: its size counts what could be read` }) };
  } catch (error) {
    return { bytes: null, compressed: gzip ? size : null, note: `layer ${shortName(name)} could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function blobName(descriptor: Record<string, unknown>): string {
  const digest = text(descriptor['digest']) ?? '';
  const m = /^([a-z0-9]+):([a-f0-9]+)$/.exec(digest);
  if (!m) throw new Error(`not a digest: ${digest || '(none)'}`);
  return `blobs/${m[1]}/${m[2]}`;
}

/** `<hex>.json` (Docker ≤ 24) or `blobs/sha256/<hex>` (Docker 25+): the image id. */
function configId(name: string): string | null {
  const m = /([a-f0-9]{64})(?:\.json)?$/.exec(name);
  return m ? `sha256:${m[1]}` : null;
}

const shortName = (name: string) => name.replace(/([a-f0-9]{12})[a-f0-9]{52}/, '$1');

/** `app` = `app:latest` = `docker.io/library/app:latest`. */
export function sameReference(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const key = (ref: string) => {
    const r = parseImageReference(ref, ref);
    return `${r.registry ?? 'docker.io'}/${r.repository}:${r.tag ?? (r.digest ? '' : 'latest')}@${r.digest ?? ''}`;
  };
  return key(a) === key(b);
}
