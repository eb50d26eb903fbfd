/** Command names and arguments shared by the client, the server's hovers and lenses, and the webview. */

/** Arguments of the `dockerlens.showLayers` command when a code lens or hover link runs it. */
export interface ShowLayersArgs {
  uri: string;
  stage?: number;
  layer?: number;
}

export const SHOW_LAYERS_COMMAND = 'dockerlens.showLayers';
