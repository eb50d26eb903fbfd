import * as vscode from 'vscode';
import { LayersRequest, SHOW_LAYERS_COMMAND } from '../../protocol/protocol';
import { compressedValue, formatCompact, formatFigure } from '../../server/src/service/features/sizeText';
import { hasUnknown } from '../../server/src/service/sizes/types';
import { toLocale } from '../../server/src/service/explain';
import type { Ctx } from './ctx';
import { isDockerfile } from './dockerfiles';

/**
 * The target image's size for the active Dockerfile, on disk and compressed; a click opens the
 * layer tree. Refreshed when the active editor changes and shortly after edits.
 */
export function registerStatusBar(ctx: Ctx): void {
  const item = vscode.window.createStatusBarItem('dockerlens.imageSize', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('Dockerlens image size');
  item.command = SHOW_LAYERS_COMMAND;
  ctx.disposables.push(item);
  const locale = toLocale(vscode.env.language);
  let timer: NodeJS.Timeout | undefined;
  let generation = 0;

  const refresh = async () => {
    const editor = vscode.window.activeTextEditor;
    const mine = ++generation;
    if (!editor || !isDockerfile(editor.document) || !ctx.client) {
      item.hide();
      return;
    }
    try {
      const result = await ctx.client.sendRequest(LayersRequest.type, { uri: editor.document.uri.toString() });
      if (mine !== generation) return; // a newer refresh started meanwhile
      const total = result?.model.image?.total;
      if (!total) {
        item.hide();
        return;
      }
      // never a bare number for a figure that is estimated or has a part not known: ≈, ≥ … + ?, size ?
      const compressed = compressedValue(total);
      item.text = `$(layers) ${formatCompact(total, locale)}${compressed && !hasUnknown(total) ? ` · ${compressed} gz` : ''}`;
      const tooltip = new vscode.MarkdownString();
      tooltip.appendText(vscode.l10n.t('Target image: {0}', formatFigure(total, locale)));
      if (compressed) tooltip.appendMarkdown('  \n').appendText(vscode.l10n.t('Compressed (what a push or pull ships): {0}', compressed));
      tooltip.appendMarkdown('  \n').appendText(vscode.l10n.t('Click to open the layer tree.'));
      item.tooltip = tooltip;
      item.show();
    } catch (error) {
      ctx.log.debug(`status bar refresh failed: ${error instanceof Error ? error.message : String(error)}`);
      item.hide();
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 500);
  };
  ctx.disposables.push(
    vscode.window.onDidChangeActiveTextEditor(() => void refresh()),
    ctx.onDidChangeModel((event) => {
      if (event.uri === vscode.window.activeTextEditor?.document.uri.toString()) later();
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) later();
    }),
    { dispose: () => clearTimeout(timer) },
  );
  void refresh();
}
