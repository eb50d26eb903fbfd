import * as vscode from 'vscode';

/** The extension's one output channel; the language client logs into it too. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Dockerlens', { log: true });
}
