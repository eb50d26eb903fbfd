/**
 * Real builds for the accuracy benchmark and test: buildah with the vfs driver and chroot
 * isolation (no daemon, works as root in a container), over the image store that
 * scripts/accuracy-setup.sh fills with locally made `debian:bookworm` and `busybox:latest`.
 * Nothing is pulled: every build passes `--pull=never`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { measureLayer, type LayerStats } from './layerTar';

/** The repository root, from out/bench/accuracy/ or out/test/accuracy/ (three levels down). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** Where the setup script keeps trees, tars and buildah's image store. */
export function accuracyHome(): string {
  return process.env.DOCKERLENS_ACCURACY_HOME || path.join(REPO_ROOT, '.accuracy');
}

/** Global options for every buildah call: our own store, apart from the machine's. */
export function buildahGlobalArgs(home = accuracyHome()): string[] {
  return ['--root', path.join(home, 'storage'), '--runroot', path.join(home, 'run'), '--storage-driver', 'vfs'];
}

export const BASE_IMAGES = ['docker.io/library/debian:bookworm', 'docker.io/library/busybox:latest'] as const;

/**
 * Why real builds cannot run here, in one line, or undefined when they can. `needs` lists the base
 * images the caller builds on.
 */
export function unavailableReason(needs: readonly string[] = BASE_IMAGES): string | undefined {
  const home = accuracyHome();
  const marker = path.join(home, 'unavailable');
  if (existsSync(marker)) return `accuracy setup could not run: ${readFileSync(marker, 'utf8').trim()}`;
  const version = spawnSync('buildah', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'buildah is not installed (run scripts/accuracy-setup.sh)';
  if (!existsSync(path.join(home, 'storage'))) return `no image store at ${home}/storage (run scripts/accuracy-setup.sh)`;
  for (const image of needs) {
    const inspect = spawnSync('buildah', [...buildahGlobalArgs(home), 'inspect', '--type', 'image', image], { encoding: 'utf8' });
    if (inspect.status !== 0) return `base image ${image} is not in ${home}/storage (run scripts/accuracy-setup.sh)`;
  }
  return undefined;
}

/** `debian:bookworm` → `docker.io/library/debian:bookworm`, as buildah names what setup imported. */
export function fullImageName(reference: string): string {
  let name = reference;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash < 0) name = `docker.io/library/${name}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = `docker.io/${name}`;
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.includes(':') || last.includes('@') ? name : `${name}:latest`;
}

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs buildah with the global options; output also goes to `log` when given. */
export function buildah(args: string[], options: { log?: string } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('buildah', [...buildahGlobalArgs(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = options.log ? createWriteStream(options.log, { flags: 'a' }) : undefined;
    log?.write(`$ buildah ${args.join(' ')}\n`);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => (out.push(b), log?.write(b)));
    child.stderr.on('data', (b: Buffer) => (err.push(b), log?.write(b)));
    child.on('error', reject);
    child.on('close', (code) => {
      log?.end();
      resolve({ status: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

export interface BuildRequest {
  context: string;
  dockerfile: string;
  tag: string;
  target?: string;
  log?: string;
}

/** `buildah bud --layers`: one layer per filesystem-changing instruction, reused on the next run. */
export async function build(request: BuildRequest): Promise<CommandResult> {
  const args = ['bud', '--layers', '--pull=never', '--isolation', 'chroot', '--network', 'host', '-f', request.dockerfile, '-t', request.tag];
  if (request.target) args.push('--target', request.target);
  args.push(request.context);
  return buildah(args, request.log ? { log: request.log } : {});
}

export interface HistoryEntry {
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageInfo {
  id: string;
  history: HistoryEntry[];
  diffIds: string[];
}

export async function inspectImage(image: string): Promise<ImageInfo> {
  const result = await buildah(['inspect', '--type', 'image', image]);
  if (result.status !== 0) throw new Error(`buildah inspect ${image}: ${result.stderr.trim()}`);
  const json = JSON.parse(result.stdout) as { FromImageID?: string; OCIv1: { history?: HistoryEntry[]; rootfs: { diff_ids: string[] } } };
  return { id: json.FromImageID ?? '', history: json.OCIv1.history ?? [], diffIds: json.OCIv1.rootfs.diff_ids };
}

export interface RealLayer extends LayerStats {
  /** the gzip blob `buildah push` writes: what a registry stores and a pull downloads */
  compressedBytes: number;
  digest: string;
}

const measured = new Map<string, RealLayer>();

/**
 * Pushes `image` into an OCI layout folder (gzip-compressed layers, as a registry push would) and
 * measures each layer, bottom first. Blobs shared between images are measured once.
 */
export async function exportLayers(image: string, ociDir: string, ref: string, log?: string): Promise<RealLayer[]> {
  mkdirSync(path.dirname(ociDir), { recursive: true });
  const push = await buildah(['push', image, `oci:${ociDir}:${ref}`], log ? { log } : {});
  if (push.status !== 0) throw new Error(`buildah push ${image}: ${push.stderr.trim()}`);
  const blob = (digest: string) => path.join(ociDir, 'blobs', ...digest.split(':'));
  const index = JSON.parse(readFileSync(path.join(ociDir, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations?: Record<string, string> }[];
  };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === ref);
  if (!entry) throw new Error(`no manifest named ${ref} in ${ociDir}/index.json`);
  const manifest = JSON.parse(readFileSync(blob(entry.digest), 'utf8')) as { layers: { digest: string; size: number; mediaType: string }[] };
  const layers: RealLayer[] = [];
  for (const layer of manifest.layers) {
    let stats = measured.get(layer.digest);
    if (!stats) {
      const gzip = layer.mediaType.endsWith('gzip');
      stats = { ...(await measureLayer(blob(layer.digest), { gzip })), compressedBytes: layer.size, digest: layer.digest };
      measured.set(layer.digest, stats);
    }
    layers.push(stats);
  }
  return layers;
}

export async function removeImage(image: string): Promise<void> {
  await buildah(['rmi', '-f', image]);
}

/** Removes images no tag points at any more (the --layers cache of removed builds). */
export async function pruneImages(): Promise<void> {
  await buildah(['rmi', '--prune']);
}
