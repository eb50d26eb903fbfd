import * as vscode from 'vscode';
import { LayersRequest } from '../../protocol/protocol';
import { formatLayerTable } from '../../server/src/service/features/layerTable';
import type { Ctx } from './ctx';

/** Every command of the extension: name → handler. package.json lists the same names. */
export const COMMANDS: Record<string, (ctx: Ctx) => (...args: unknown[]) => unknown> = {
  'dockerlens.showLayers': (ctx) => async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !ctx.client) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a Dockerfile to see its layers.'));
      return;
    }
    const uri = editor.document.uri.toString();
    const result = await ctx.client.sendRequest(LayersRequest.type, { uri });
    if (!result) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Dockerlens does not analyse this file (not a Dockerfile, or turned off).'));
      return;
    }
    ctx.log.info(`\n${formatLayerTable(result.model, vscode.workspace.asRelativePath(editor.document.uri))}`);
    ctx.log.show(true);
    return result;
  },
};

export function registerCommands(ctx: Ctx): void {
  for (const [name, make] of Object.entries(COMMANDS)) {
    ctx.disposables.push(vscode.commands.registerCommand(name, make(ctx)));
  }
}
