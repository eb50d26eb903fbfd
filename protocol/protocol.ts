/**
 * Messages between the client and the server beyond standard LSP, one namespace each with its
 * literal method name. Both sides import this file; types only, plus the RequestType objects.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { DockerfileModel } from '../server/src/service/types';
import type { SharingReport } from '../server/src/service/cache/shared';

export interface LayersParams {
  uri: string;
}

export interface LayersResult {
  uri: string;
  /** the document version the model was computed for */
  version: number;
  model: DockerfileModel;
}

/** client → server: the layer model of an open Dockerfile (null when the document is not open). */
export namespace LayersRequest {
  export const method = 'dockerlens/layers' as const;
  export const type = new RequestType<LayersParams, LayersResult | null, void>(method);
}

export { SHOW_LAYERS_COMMAND, type ShowLayersArgs } from './commands';

/**
 * server → client: the model of an open Dockerfile changed without an edit of it (its build context
 * was read or changed, a baseline or a last build was set, settings changed) or after one: views
 * showing it ask for it again.
 */
export namespace ModelChangedNotification {
  export const method = 'dockerlens/modelChanged' as const;
  export const type = new NotificationType<{ uri: string; version: number }>(method);
}

/** client → server: compare the next build with this git revision (default: the last commit). */
export namespace SetBaselineNotification {
  export const method = 'dockerlens/setBaseline' as const;
  export const type = new NotificationType<{ uri: string; revision: string }>(method);
}

/** client → server: recent commits of the repository holding a Dockerfile (empty when untrusted or no git). */
export namespace RevisionsRequest {
  export const method = 'dockerlens/revisions' as const;
  export const type = new RequestType<{ uri: string }, { hash: string; subject: string }[], void>(method);
}

export interface WorkspaceImagesParams {
  /** the workspace's Dockerfiles (file URIs) */
  uris: string[];
  /** the workspace folders (URIs): image names are paths relative to the one holding them */
  roots?: string[];
}

/** Why an image is missing from the report, or what its figures lack; the view puts it in words. */
export interface WorkspaceImagesNote {
  kind: 'unreadable' | 'tooLarge' | 'noContext' | 'notAnalysed';
  /** the image's name (workspace-relative path) */
  name: string;
  detail?: string;
}

export type WorkspaceImagesResult = Omit<SharingReport, 'images'> & {
  images: (SharingReport['images'][number] & { uri: string })[];
  notes: WorkspaceImagesNote[];
};

/** client → server: the workspace's images side by side with the layers they share (null when cancelled). */
export namespace WorkspaceImagesRequest {
  export const method = 'dockerlens/workspaceImages' as const;
  export const type = new RequestType<WorkspaceImagesParams, WorkspaceImagesResult | null, void>(method);
}

export interface BreakdownParams {
  uri: string;
  stage: number;
  /** the layer's number in its stage (Layer.number) */
  layer: number;
  /** the folder to list, relative to the layer's root as BreakdownEntry names are; '' for the top */
  path: string;
  /** at most this many entries, largest first (the rest is summed in `more`) */
  limit?: number;
}

/**
 * client → server: the entries under one folder of a COPY/ADD layer's breakdown, for folders the
 * model left unexpanded (huge trees stay out of the layers payload); null when unknown.
 */
export namespace BreakdownRequest {
  export const method = 'dockerlens/breakdown' as const;
  export const type = new RequestType<BreakdownParams, { entries: import('../server/src/service/sizes/breakdown').BreakdownEntry[]; more?: { entries: number; bytes: number } } | null, void>(method);
}

/** The built image a Dockerfile is compared with: one the local engine has, or an archive on disk. */
export type BuiltImageChoice =
  | { kind: 'engine'; reference: string }
  | { kind: 'path'; path: string };

/**
 * client → server: compare this Dockerfile with a built image from now on (null: forget it). The
 * client remembers the choice per Dockerfile in workspace state and sends it again at start.
 */
export namespace SetBuiltImageNotification {
  export const method = 'dockerlens/setBuiltImage' as const;
  export const type = new NotificationType<{ uri: string; image: BuiltImageChoice | null }>(method);
}

export interface BuiltImageCandidate {
  reference: string;
  id: string;
  /** unix seconds */
  created: number;
  /** how its history lines up with the Dockerfile now; null when it could not be read */
  verdict: 'aligned' | 'changed' | 'unrelated' | null;
}

/**
 * client → server: the local engine's images, those built from this Dockerfile first (newest
 * first), or one line saying why there are none (untrusted, engine setting off, no engine…).
 */
export namespace BuiltImagesRequest {
  export const method = 'dockerlens/builtImages' as const;
  export const type = new RequestType<{ uri: string }, { images: BuiltImageCandidate[]; problem?: string }, void>(method);
}
