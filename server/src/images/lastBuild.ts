import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { applyLastBuild, type LastBuildResult, type SinceBuild } from '../service/compare/lastBuild';
import { targetChain } from '../service/compare/align';
import type { BuiltImage } from '../service/compare/image';
import type { DockerfileModel } from '../service/types';
import { findFile } from '../service/sizes/context';
import type { BuildContext } from '../sizing';
import { readImageArchive } from './archiveImage';
import { modifiedSince } from './changedSince';
import { createEngine, engineSocket, type Engine } from './engine';

/**
 * The host side of "compare with the last build", shared by the CLI and the language server: read
 * the image (an archive by path, or a local engine's image by reference), find what changed
 * since it was built (context files by time, the base image by its layers when an engine has it),
 * and hand both to the pure core.
 */
export type ImageSpec =
  | { kind: 'path'; path: string; reference?: string }
  | { kind: 'engine'; reference: string };

/** `--image` as given: an existing file or folder is an archive, anything else a reference. */
export function imageSpec(value: string, cwd = process.cwd()): ImageSpec {
  const full = path.resolve(cwd, value);
  return existsSync(full) ? { kind: 'path', path: full } : { kind: 'engine', reference: value };
}

/** The local engine, or why there is none. */
export function localEngine(env: NodeJS.ProcessEnv = process.env): Engine | { problem: string } {
  const found = engineSocket(env, existsSync);
  return 'socket' in found ? createEngine(found.socket) : found;
}

export async function readBuiltImage(spec: ImageSpec, engine?: Engine | { problem: string }): Promise<BuiltImage> {
  if (spec.kind === 'path') return readImageArchive(spec.path, spec.reference ? { reference: spec.reference } : {});
  const client = engine ?? localEngine();
  if ('problem' in client) throw new Error(client.problem);
  return client.image(spec.reference);
}

/** What changed since the image was built, as far as this host can tell. */
export async function sinceBuild(model: DockerfileModel, image: BuiltImage, context: BuildContext | undefined, dockerfile: string | undefined, engine?: Engine): Promise<SinceBuild & { notes: string[] }> {
  const notes: string[] = [];
  const since: SinceBuild & { notes: string[] } = { notes };
  if (context) {
    const built = image.created ? new Date(image.created) : undefined;
    if (built && Number.isFinite(built.getTime())) since.files = await modifiedSince(context.root, context.snapshot, built);
    else {
      since.files = [...context.snapshot.files.map((f) => f.path), ...context.snapshot.directories];
      notes.push('the image does not say when it was built: every build-context file counts as changed');
    }
    if (dockerfile) {
      const relative = path.relative(context.root, dockerfile).split(path.sep).join('/');
      if (!relative.startsWith('..') && findFile(context.snapshot, relative)) since.dockerfile = relative;
    }
  } else notes.push('the build context was not read: its files are taken as unchanged since the build');
  const root = rootBase(model);
  if (engine && root) {
    try {
      const ids = await engine.diffIds(root);
      if (ids) since.baseDiffIds = ids;
      else notes.push(`the engine has no image ${root}: the base is taken as unchanged`);
    } catch {
      // the base check is a refinement: without it the base counts as unchanged (and says so)
    }
  }
  return since;
}

/** The model with the last build's figures where they still hold (see service/compare/lastBuild). */
export async function withLastBuild(model: DockerfileModel, image: BuiltImage, context: BuildContext | undefined, dockerfile: string | undefined, engine?: Engine): Promise<LastBuildResult> {
  const since = await sinceBuild(model, image, context, dockerfile, engine);
  const result = applyLastBuild(model, image, since);
  const lastBuild = { ...result.lastBuild, notes: [...result.lastBuild.notes, ...since.notes] };
  return { ...result, lastBuild, model: { ...result.model, lastBuild } };
}

/** The image the target's stages start from, as the FROM names it (none for scratch). */
function rootBase(model: DockerfileModel): string | undefined {
  const root = targetChain(model)[0];
  return root?.base.kind === 'image' && root.base.unresolvedVariables.length === 0 ? root.base.resolved : undefined;
}
