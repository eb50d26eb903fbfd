import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { createNodeContextReader, type NodeContextReader } from './nodeContextReader';
import type { DockerfileModel } from './service';
import type { IncrementalAnalysis } from './service/incremental';
import { parseAptTable, type AptTable } from './service/sizes/aptTable';
import { aptService } from './service/sizes/aptService';
import { scanContext, type ContextSnapshot, type ScanOptions } from './service/sizes/context';
import type { ContextReader } from './service/sizes/types';
import { copyFromContext, precomputeCopySizes } from './service/sizes/contextSizes';
import { createIgnore, dockerignoreFor, type DockerIgnore } from './service/sizes/dockerignore';
import { estimateSizes, type SizeServices } from './service/sizes/estimate';
import { message, type Message } from './service/sizes/messages';
import { lockfilesOf, precomputeLockfiles, type ParsedLockfiles } from './service/sizes/contextLockfiles';
import type { PackageSizes, PlacedLockfile } from './service/sizes/lockedInstall';
import { measureLocalInstalls, packageSizesFrom, sizeKey, type LocalInstall } from './packageSizes';
import { registryPackageSizes, type RegistryOptions } from './registrySizes';

/**
 * The host side of the size engine, shared by the CLI and the language server: it reads what the
 * pure core needs from disk (the build context, the apt table) and hands it over.
 */
export interface BuildContext {
  root: string;
  reader: NodeContextReader;
  ignore: DockerIgnore;
  snapshot: ContextSnapshot;
  /** the .dockerignore file used, relative to the root, when there is one */
  ignoreFile?: string;
}

/** Reads the build context at `root` for the Dockerfile at `dockerfile` (honouring its .dockerignore). */
export async function readBuildContext(root: string, dockerfile: string, options: Omit<ScanOptions, 'ignore'> = {}): Promise<BuildContext> {
  const reader = createNodeContextReader(root);
  const relative = path.relative(root, dockerfile).split(path.sep).join('/');
  const { ignore, ignoreFile } = await readDockerignore(reader, relative.startsWith('..') ? path.basename(dockerfile) : relative);
  const snapshot = await scanContext(reader, { ...options, ignore });
  // The root itself unreadable is no context at all, not an empty one.
  const rootError = snapshot.errors.find((e) => e.path === '.' || e.path === '');
  if (rootError) throw Object.assign(new Error(`${root}: ${rootError.message}`), { code: rootError.code });
  return { root, reader, ignore, snapshot, ...(ignoreFile ? { ignoreFile } : {}) };
}

/**
 * The .dockerignore BuildKit uses for the Dockerfile at `dockerfile` (relative to the context),
 * none when no candidate exists. One that exists but cannot be read (a named pipe, a symlink, no
 * permission, git failing) throws: the context is then unknown, not silently unfiltered.
 */
export async function readDockerignore(reader: ContextReader, dockerfile: string): Promise<{ ignore: DockerIgnore; ignoreFile?: string }> {
  for (const candidate of dockerignoreFor(dockerfile)) {
    let bytes: Uint8Array;
    try {
      bytes = await reader.readFile(candidate);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') continue;
      throw error;
    }
    return { ignore: createIgnore(new TextDecoder().decode(bytes)), ignoreFile: candidate };
  }
  return { ignore: createIgnore('') };
}

let aptTable: AptTable | null | undefined;
let aptTableError: string | undefined;

/**
 * The bundled Debian table, loaded once. It sits in `data/` beside the bundle (dist/) or in the
 * sources' data folder (tests run from out/, the CLI from dist/).
 */
export function loadAptTable(): AptTable | undefined {
  if (aptTable !== undefined) return aptTable ?? undefined;
  const candidates = [path.join(__dirname, 'data', 'apt-bookworm.txt.br'), path.join(__dirname, 'service', 'data', 'apt-bookworm.txt.br')];
  for (const file of candidates) {
    try {
      aptTable = parseAptTable(brotliDecompressSync(readFileSync(file)));
      return aptTable;
    } catch (error) {
      aptTableError = `${file}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  aptTable = null;
  return undefined;
}

export function aptTableProblem(): string | undefined {
  return aptTable === null ? aptTableError : undefined;
}

let aptSizes: { table: AptTable; service: NonNullable<SizeServices['apt']> } | undefined;

/**
 * Adds sizes to a model: base images, RUN estimates, and COPY/ADD from the context when given.
 * With `incremental` (the document's analysis across edits), what did not change is not sized again.
 */
export async function sizeModel(
  model: DockerfileModel,
  /** the build context's files and a reader for them (the worker thread has no more) */
  context: Pick<BuildContext, 'root' | 'snapshot' | 'reader'> | undefined,
  options: {
    platform?: string;
    contextUnavailable?: string | Message;
    incremental?: IncrementalAnalysis;
    /** npm registry look-ups for locked packages: only when the user allowed the network */
    registry?: RegistryOptions;
  } = {},
): Promise<DockerfileModel> {
  const services: SizeServices = { ...(options.platform ? { platform: options.platform } : {}) };
  let lockfiles: PlacedLockfile[] = [];
  const table = loadAptTable();
  if (table) {
    // one service per table: the size memo recognises the same services by identity
    if (aptSizes?.table !== table) aptSizes = { table, service: aptService(table) };
    services.apt = aptSizes.service;
  }
  if (context) {
    const sizes = await precomputeCopySizes(model, context.snapshot, context.reader.readRange.bind(context.reader), options.incremental?.copySizes(context.snapshot));
    services.copyFromContext = copyFromContext(sizes, context.snapshot, model);
    const found = await precomputeLockfiles(model, context.snapshot, sizes, async (p) => new TextDecoder().decode(await context.reader.readFile(p)), parsedLockfiles(context.root));
    if (found.size > 0) {
      services.lockfilesOf = lockfilesOf(found, model);
      lockfiles = [...found.values()].flat();
      services.packageSizes = await packageSizesFor(context.root, lockfiles, options.registry);
    }
  } else {
    services.contextUnavailable = options.contextUnavailable ?? message('contextWasNotRead');
  }
  // the reason the context is missing is a fresh message each time: compared by what it says
  const unavailable = services.contextUnavailable === undefined ? undefined : JSON.stringify(services.contextUnavailable);
  const reuse = options.incremental && { memo: options.incremental.sizes, services: [services.platform, services.apt, context?.snapshot, unavailable, services.packageSizes, ...lockfiles.map((l) => l.lock), ...lockfiles.map((l) => l.path)] };
  return estimateSizes(model, services, reuse);
}

/** Lockfiles read before, per context root, so an unchanged one is not parsed again. */
const lockfileParses = new Map<string, ParsedLockfiles>();
function parsedLockfiles(root: string): ParsedLockfiles {
  let parsed = lockfileParses.get(root);
  if (!parsed) lockfileParses.set(root, (parsed = new Map()));
  return parsed;
}

/** The last sizes handed out, by what they say: the size memo recognises the same service. */
let lastSizes: { signature: string; sizes: PackageSizes } | undefined;

/**
 * Sizes of the locked packages: measured in the workspace's own install where the version
 * matches, then the registry's (only with `registry`, i.e. when the user allowed look-ups).
 */
async function packageSizesFor(root: string, placed: PlacedLockfile[], registry: RegistryOptions | undefined): Promise<PackageSizes> {
  const installs: LocalInstall[] = placed
    .filter((p) => p.from !== undefined)
    .map((p) => ({ ecosystem: p.lock.ecosystem, folder: path.join(root, ...path.posix.dirname(p.from!).split('/')), packages: p.lock.packages }));
  const local = await measureLocalInstalls(installs);
  const wanted = placed.flatMap((p) => (p.lock.ecosystem === 'npm' ? p.lock.packages : [])).filter((p) => !local.has(sizeKey('npm', p.name, p.version)));
  const remote = registry && wanted.length > 0 ? await registryPackageSizes(wanted, registry) : new Map();
  const signature = JSON.stringify([...local, ...remote].sort());
  if (lastSizes?.signature !== signature) lastSizes = { signature, sizes: packageSizesFrom(local, remote) };
  return lastSizes.sizes;
}
