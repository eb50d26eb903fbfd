import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkspaceImagesNote, WorkspaceImagesParams, WorkspaceImagesResult } from '../../protocol/protocol';
import { analyzeDockerfile } from './service';
import { sharedLayers, type ImageInput } from './service/cache/shared';
import { sizeModel, type BuildContext } from './sizing';
import { message } from './service/sizes/messages';
import { readRegularFile } from './safeRead';

/** A Dockerfile larger than this is not read (a real one is a few kB). */
export const MAX_DOCKERFILE_BYTES = 1024 * 1024;

export interface WorkspaceImagesDeps {
  /** the text of `uri` when it is open in the editor (possibly unsaved) */
  openText(uri: string): string | undefined;
  /** the build context of `uri` when one is already read; never starts a scan */
  readyContext(uri: string): BuildContext | undefined;
  /** target and build arguments the user set for `uri` */
  options?(uri: string): Promise<{ target?: string; buildArgs?: Record<string, string> }>;
  isCancelled(): boolean;
}

/**
 * The workspace's images side by side: each Dockerfile (the open text, else the file on disk)
 * analysed and sized, with its build context when one is already read, then compared layer by
 * layer. Null when cancelled.
 */
export async function workspaceImages(params: WorkspaceImagesParams, deps: WorkspaceImagesDeps): Promise<WorkspaceImagesResult | null> {
  const roots = (params.roots ?? []).flatMap((r) => {
    const p = toPath(r);
    return p ? [p] : [];
  });
  const inputs: (ImageInput & { uri: string })[] = [];
  const notes: WorkspaceImagesNote[] = [];
  const seen = new Set<string>();
  for (const uri of params.uris) {
    if (deps.isCancelled()) return null;
    if (seen.has(uri)) continue;
    seen.add(uri);
    const file = toPath(uri);
    const name = nameOf(uri, file, roots);
    let text = deps.openText(uri);
    if (text === undefined) {
      if (!file) {
        notes.push({ kind: 'unreadable', name, detail: 'not a file on disk' });
        continue;
      }
      try {
        text = (await readRegularFile(file, { maxBytes: MAX_DOCKERFILE_BYTES })).toString('utf8');
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        notes.push(code === 'EFBIG' ? { kind: 'tooLarge', name } : { kind: 'unreadable', name, detail: error instanceof Error ? error.message : String(error) });
        continue;
      }
    } else if (Buffer.byteLength(text) > MAX_DOCKERFILE_BYTES) {
      notes.push({ kind: 'tooLarge', name });
      continue;
    }
    try {
      const options = (await deps.options?.(uri)) ?? {};
      const analysed = analyzeDockerfile(text, {
        ...(options.target ? { target: options.target } : {}),
        ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
      });
      const context = deps.readyContext(uri);
      if (!context) notes.push({ kind: 'noContext', name });
      const model = await sizeModel(analysed, context, context ? {} : { contextUnavailable: message('contextNotForClosed') });
      if (deps.isCancelled()) return null;
      const folder = file ? path.dirname(file) : uri.replace(/\/[^/]*$/, '');
      inputs.push({ uri, name, model, contextId: folder });
    } catch (error) {
      notes.push({ kind: 'notAnalysed', name, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  const report = sharedLayers(inputs);
  const uriOf = new Map(inputs.map((i) => [i.name, i.uri]));
  return { ...report, images: report.images.map((image) => ({ ...image, uri: uriOf.get(image.name) ?? '' })), notes };
}

function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The path relative to the workspace folder holding it (with `/`), else the URI's last two segments. */
function nameOf(uri: string, file: string | undefined, roots: string[]): string {
  if (file) {
    const root = roots
      .filter((r) => file.startsWith(r.endsWith(path.sep) ? r : `${r}${path.sep}`))
      .sort((a, b) => b.length - a.length)[0];
    if (root) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      return roots.length > 1 ? `${path.basename(root)}/${relative}` : relative;
    }
  }
  const parts = (file ? file.split(path.sep) : decodeURIComponent(uri).split('/')).filter(Boolean);
  return parts.slice(-2).join('/');
}
