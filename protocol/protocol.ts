/**
 * Messages between the client and the server beyond standard LSP, one namespace each with its
 * literal method name. Both sides import this file; types only, plus the RequestType objects.
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { DockerfileModel } from '../server/src/service/types';

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
