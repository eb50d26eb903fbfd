import * as path from 'node:path';
import * as vscode from 'vscode';
import { SHOW_LAYERS_COMMAND } from '../../protocol/commands';
import { ModelChangedNotification } from '../../protocol/protocol';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../../protocol/serverLaunch';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { sendRememberedBuilds } from './lastBuild';

/** Files Dockerlens analyses: VS Code's `dockerfile` language plus common names it may not map. */
export const DOCKERFILE_SELECTOR: vscode.DocumentSelector = [
  { language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}' },
  { scheme: 'untitled', language: 'dockerfile' },
];

/**
 * Owns the language client and everything that lives as long as the extension. Only hovers,
 * symbols, folding and diagnostics are provided: completion and formatting stay with Docker's
 * own extensions, so nothing appears twice.
 */
export class Ctx {
  readonly disposables: vscode.Disposable[] = [];
  client: LanguageClient | undefined;
  private readonly modelChanged = new vscode.EventEmitter<{ uri: string; version: number }>();
  /** the server analysed a Dockerfile again (one notification handler, many listeners) */
  readonly onDidChangeModel = this.modelChanged.event;

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(log, this.modelChanged);
  }

  async start(): Promise<void> {
    const module = this.extension.asAbsolutePath(path.join('dist', 'server.js'));
    const env = { ...process.env, ...SERVER_ENV };
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio, options: { execArgv: [...SERVER_EXEC_ARGV], env } },
      debug: { module, transport: TransportKind.stdio, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'], env } },
    };
    // Build contexts are read by the server; it keeps them fresh from these file events.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(watcher);
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCKERFILE_SELECTOR as LanguageClientOptions['documentSelector'],
      outputChannel: this.log,
      synchronize: { configurationSection: 'dockerlens', fileEvents: watcher },
      // Untrusted workspaces: the server runs no local program (git) at all.
      // The registry look-ups' answers are cached in the extension's own storage, never in the workspace.
      initializationOptions: () => ({ trusted: vscode.workspace.isTrusted, cacheDir: this.extension.globalStorageUri.fsPath }),
      middleware: {
        // Hovers link to the layer tree: trust that one command, nothing else.
        provideHover: async (document, position, token, next) => {
          const hover = await next(document, position, token);
          for (const content of hover?.contents ?? []) {
            if (content instanceof vscode.MarkdownString) content.isTrusted = { enabledCommands: [SHOW_LAYERS_COMMAND] };
          }
          return hover;
        },
      },
    };
    this.client = new LanguageClient('dockerlens', 'Dockerlens', serverOptions, clientOptions);
    // The server keeps no state across restarts: tell it again which image each Dockerfile was built into.
    this.disposables.push(this.client.onDidChangeState((event) => {
      if (event.newState === State.Running) void sendRememberedBuilds(this).catch((error) => this.log.warn(`last builds: ${String(error)}`));
    }));
    this.disposables.push(this.client.onNotification(ModelChangedNotification.type, (params) => this.modelChanged.fire(params)));
    await this.client.start();
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.client?.restart()));
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.stop();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
