import * as vscode from 'vscode';
import { DOCKERFILE_SELECTOR } from './ctx';

/** Whether Dockerlens analyses this document (the same selector the language client uses). */
export function isDockerfile(document: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCKERFILE_SELECTOR, document) > 0;
}
