import * as vscode from 'vscode';
import { DOCKERFILE_SELECTOR, type Ctx } from './ctx';

/** Whether Dockerlens analyses this document (the same selector the language client uses). */
export function isDockerfile(document: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCKERFILE_SELECTOR, document) > 0;
}

/**
 * The active editor's document and the running client, for a command that needs a trusted
 * workspace; otherwise undefined, after telling the user why (`whyTrust`: what the command runs).
 */
export function activeDocumentInTrustedWorkspace(ctx: Ctx, whyTrust: string): { document: vscode.TextDocument; client: NonNullable<Ctx['client']> } | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || !ctx.client) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a Dockerfile to see its layers.'));
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage(whyTrust);
    return undefined;
  }
  return { document, client: ctx.client };
}
