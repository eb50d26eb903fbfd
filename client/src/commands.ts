import * as vscode from 'vscode';
import { LayersRequest, RevisionsRequest, SetBaselineNotification, SHOW_LAYERS_COMMAND } from '../../protocol/protocol';
import { formatLayerTable } from '../../server/src/service/features/layerTable';
import type { Ctx } from './ctx';
import { LayersPanel, showLayersArgs } from './layersPanel';
import { activeDocumentInTrustedWorkspace } from './dockerfiles';
import { compareWithImage } from './lastBuild';

/** Every command of the extension: name → handler. package.json lists the same names. */
export const COMMANDS: Record<string, (ctx: Ctx) => (...args: unknown[]) => unknown> = {
  'dockerlens.showLayers': (ctx) => async (args?: unknown) => {
    // From a code lens or hover link: that file's tree at that row; else the active editor's.
    const at = showLayersArgs(args);
    const document = at ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === at.uri) : vscode.window.activeTextEditor?.document;
    if (!document || !ctx.client) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a Dockerfile to see its layers.'));
      return;
    }
    const uri = document.uri.toString();
    const result = await ctx.client.sendRequest(LayersRequest.type, { uri });
    if (!result) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Dockerlens does not analyse this file (not a Dockerfile, or turned off).'));
      return;
    }
    try {
      LayersPanel.createOrShow(ctx, document, result, at?.stage !== undefined ? { stage: at.stage, layer: at.layer ?? null } : undefined);
    } catch (error) {
      // No panel (webviews unavailable): the same layers as a table in the output channel.
      ctx.log.warn(`layers panel: ${error instanceof Error ? error.message : String(error)}`);
      ctx.log.info(`\n${formatLayerTable(result.model, vscode.workspace.asRelativePath(document.uri))}`);
      ctx.log.show(true);
    }
    return result;
  },
};

/** "Compare with…": pick a git revision; the next build's cache state is then shown against it. */
COMMANDS['dockerlens.compareWith'] = (ctx) => async () => {
  const active = activeDocumentInTrustedWorkspace(ctx, vscode.l10n.t('Comparing with a git revision runs git: trust this workspace first.'));
  if (!active) return;
  const { document, client } = active;
  const uri = document.uri.toString();
  const commits = await client.sendRequest(RevisionsRequest.type, { uri });
  const other = vscode.l10n.t('Another revision (branch, tag or hash)…');
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'HEAD', description: vscode.l10n.t('the last commit') },
      ...commits.map((c) => ({ label: c.hash, description: c.subject })),
      { label: other, description: '' },
    ],
    { placeHolder: vscode.l10n.t('Compare the next build with which revision?') },
  );
  if (!picked) return;
  const revision = picked.label === other ? await vscode.window.showInputBox({ prompt: vscode.l10n.t('A git revision: branch, tag or commit') }) : picked.label;
  if (!revision) return;
  await client.sendNotification(SetBaselineNotification.type, { uri, revision: revision.trim() });
  // Show the result where it reads best: the layer tree, with reused and rebuilt rows.
  return vscode.commands.executeCommand(SHOW_LAYERS_COMMAND, { uri });
};

/** "Compare with a Built Image…": an engine image or an archive; its sizes replace estimates where they still hold. */
COMMANDS['dockerlens.compareWithImage'] = (ctx) => () => compareWithImage(ctx);

export function registerCommands(ctx: Ctx): void {
  for (const [name, make] of Object.entries(COMMANDS)) {
    ctx.disposables.push(vscode.commands.registerCommand(name, make(ctx)));
  }
}
