import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { LayersPanel } from './layersPanel';
import { createLog } from './log';
import { registerStatusBar } from './statusBar';

let ctx: Ctx | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<Ctx> {
  ctx = new Ctx(extension, createLog());
  registerCommands(ctx);
  LayersPanel.register(ctx);
  await ctx.start();
  registerStatusBar(ctx);
  return ctx;
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
