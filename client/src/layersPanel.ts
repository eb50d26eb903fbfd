import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BREAKDOWN_MAX_LIMIT, buildBreakdownPage, failedBreakdownPage } from '../../protocol/breakdownView';
import { buildImagesView } from '../../protocol/imagesView';
import { buildLayersView, selectionAt, uiStrings, type Locale } from '../../protocol/layersView';
import { BreakdownRequest, LayersRequest, WorkspaceImagesRequest, type LayersResult, type ShowLayersArgs } from '../../protocol/protocol';
import { describeMessage, isFromWebview, type FromWebview, type ToWebview } from '../../protocol/webviewMessages';
import { toLocale } from '../../server/src/service/explain';
import { DOCKERFILE_SELECTOR, type Ctx } from './ctx';
import { estimatorTrust, recordEstimatorErrors } from './lastBuild';

/** How long the panel waits after the last edit before asking for the model again. */

/** The workspace's Dockerfiles, for the images side by side (at most MAX_IMAGES of them). */
const DOCKERFILE_GLOB = '**/{Dockerfile,*.Dockerfile,Dockerfile.*,Containerfile}';
const MAX_IMAGES = 50;
/** globalState: 'open' or 'folded' as the user last left the Run and Ship explainers; absent before the first panel */
const EXPLAINERS_KEY = 'dockerlens.explainers';
/** Dockerfiles created, changed or deleted: compare the images again after this quiet time. */
const IMAGES_DELAY_MS = 1000;

/** What `media/layers.js` keeps with setState; the serializer hands it back after a reload. */
interface SavedState {
  uri?: unknown;
}

const isDockerfile = (document: vscode.TextDocument) => vscode.languages.match(DOCKERFILE_SELECTOR, document) > 0;

/** A row of the tree: a stage, and one of its layers or none (the stage header). */
export interface TreeRow {
  stage: number;
  layer: number | null;
}

/**
 * The arguments of `dockerlens.showLayers` when a code lens, a hover link or a test runs it; links
 * in hovers are text, so nothing is assumed about them. Undefined when there are none or they are
 * not of that shape.
 */
export function showLayersArgs(args: unknown): ShowLayersArgs | undefined {
  if (typeof args !== 'object' || args === null) return undefined;
  const { uri, stage, layer } = args as Record<string, unknown>;
  const index = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (typeof uri !== 'string' || (stage !== undefined && !index(stage)) || (layer !== undefined && !index(layer))) return undefined;
  return { uri, ...(stage !== undefined ? { stage } : {}), ...(layer !== undefined ? { layer } : {}) };
}

/**
 * The layer tree panel: one at a time, following the active Dockerfile. The view model is built
 * here (sizes in words, in the user's language); the webview only draws it and reports clicks.
 */
export class LayersPanel {
  /** how long the panel waits after the last edit (or model change) before asking for the model again */
  static readonly REFRESH_DELAY_MS = 300;
  static readonly viewType = 'dockerlens.layers';
  private static current: LayersPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly locale: Locale = toLocale(vscode.env.language);
  private uri: string | undefined;
  private result: LayersResult | undefined;
  private emptyMessage: string | undefined;
  /** the highlighted row: under the editor's cursor, or the one a lens or hover link asked for */
  private highlight: TreeRow | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** bumped by every request: a slower answer to an older request is dropped */
  private sequence = 0;
  private disposed = false;
  private imagesTimer: ReturnType<typeof setTimeout> | undefined;
  /** bumped by every images request: a slower answer to an older one is dropped */
  private imagesSequence = 0;
  /** the Run and Ship explainers are unfolded in this panel (decided when it first shows) */
  private explainersOpen: boolean | undefined;

  /**
   * Opens the panel beside the editor, or reveals it; shows `document` (with `result` when known),
   * highlighting `row` when given, else the row under the editor's cursor.
   */
  static createOrShow(ctx: Ctx, document?: vscode.TextDocument, result?: LayersResult, row?: TreeRow): LayersPanel {
    const existing = LayersPanel.current;
    if (existing) {
      existing.panel.reveal(undefined, true);
      if (document) existing.show(document.uri.toString(), result, row);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      LayersPanel.viewType,
      LayersPanel.title(toLocale(vscode.env.language)),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      LayersPanel.options(ctx.extension.extensionUri),
    );
    const created = new LayersPanel(panel, ctx, document?.uri.toString());
    if (document) created.show(document.uri.toString(), result, row);
    return created;
  }

  /** Registers the serializer that brings the panel back after a window reload. */
  static register(ctx: Ctx): void {
    ctx.disposables.push(
      vscode.window.registerWebviewPanelSerializer(LayersPanel.viewType, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          panel.webview.options = LayersPanel.options(ctx.extension.extensionUri);
          const saved = (typeof state === 'object' && state !== null ? state : {}) as SavedState;
          const uri = typeof saved.uri === 'string' ? saved.uri : activeDockerfile()?.document.uri.toString();
          LayersPanel.current?.dispose();
          new LayersPanel(panel, ctx, uri);
        },
      }),
      { dispose: () => LayersPanel.current?.dispose() },
    );
  }

  private static title(locale: Locale): string {
    return locale === 'ko' ? 'Dockerlens 레이어' : 'Dockerlens Layers';
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    // media/ holds the script and styles; dist/media/ the message checks bundled from protocol/.
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'media')] };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly ctx: Ctx,
    uri: string | undefined,
  ) {
    LayersPanel.current = this;
    this.uri = uri;
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() === this.uri && event.contentChanges.length > 0) this.refreshSoon();
      }),
      // the server's model also changes without an edit: the build context read, a last build set…
      ctx.onDidChangeModel((event) => {
        if (event.uri === this.uri) this.refreshSoon();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // A focused webview leaves no active editor: keep showing the last Dockerfile.
        if (editor && isDockerfile(editor.document) && editor.document.uri.toString() !== this.uri) {
          this.show(editor.document.uri.toString());
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor.document.uri.toString() === this.uri) this.postSelection(event.selections[0]?.active.line);
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(DOCKERFILE_GLOB);
    this.disposables.push(watcher);
    // (the tests' fake watcher has no events)
    const again = () => this.refreshImagesSoon();
    for (const d of [watcher.onDidCreate?.(again), watcher.onDidChange?.(again), watcher.onDidDelete?.(again)]) if (d) this.disposables.push(d);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (LayersPanel.current === this) LayersPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    if (this.imagesTimer) clearTimeout(this.imagesTimer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private show(uri: string, result?: LayersResult, row?: TreeRow): void {
    this.uri = uri;
    this.highlight = row;
    if (result && result.uri === uri) {
      this.sequence++;
      this.accept(result);
    } else {
      void this.refresh();
    }
  }

  private refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, LayersPanel.REFRESH_DELAY_MS);
  }

  private async refresh(): Promise<void> {
    const uri = this.uri;
    const client = this.ctx.client;
    if (!uri || !client) {
      this.setEmpty(uiStrings(this.locale).waiting);
      return;
    }
    const mine = ++this.sequence;
    try {
      const result = await client.sendRequest(LayersRequest.type, { uri });
      if (mine !== this.sequence || this.disposed) return;
      if (result) this.accept(result);
      else this.setEmpty(uiStrings(this.locale).notAnalysed);
    } catch (error) {
      if (mine !== this.sequence || this.disposed) return;
      const message = error instanceof Error ? error.message : String(error);
      this.ctx.log.warn(`layers panel: ${uri}: ${message}`);
      this.setEmpty(uiStrings(this.locale).failed.replace('{error}', message));
    }
  }

  private accept(result: LayersResult): void {
    this.result = result;
    void recordEstimatorErrors(this.ctx, result.model).catch((error) => this.ctx.log.warn(`estimator errors: ${String(error)}`));
    this.emptyMessage = undefined;
    this.postModel();
    if (this.highlight) {
      this.postHighlight();
    } else {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === result.uri);
      if (editor) this.postSelection(editor.selection.active.line);
    }
  }

  private setEmpty(message: string): void {
    this.result = undefined;
    this.emptyMessage = message;
    this.post({ type: 'empty', message });
  }

  private postModel(): void {
    const result = this.result;
    if (!result) return;
    const file = path.posix.basename(vscode.Uri.parse(result.uri).path) || 'Dockerfile';
    const view = buildLayersView(result.model, this.locale, { file, ...(result.model.lastBuild ? { trust: estimatorTrust(this.ctx) } : {}) });
    this.panel.title = `${LayersPanel.title(this.locale)}: ${file}`;
    this.post({ type: 'model', uri: result.uri, version: result.version, view });
  }

  private postSelection(line: number | undefined): void {
    const result = this.result;
    if (!result || line === undefined) return;
    this.highlight = selectionAt(result.model, line) ?? undefined;
    this.postHighlight();
  }

  private postHighlight(): void {
    const result = this.result;
    if (result && this.highlight) this.post({ type: 'select', uri: result.uri, ...this.highlight });
  }

  private refreshImagesSoon(): void {
    if (this.imagesTimer) clearTimeout(this.imagesTimer);
    this.imagesTimer = setTimeout(() => {
      this.imagesTimer = undefined;
      void this.refreshImages();
    }, IMAGES_DELAY_MS);
  }

  /** Finds the workspace's Dockerfiles and, when there are two or more, shows them side by side. */
  private async refreshImages(): Promise<void> {
    const client = this.ctx.client;
    if (!client) return;
    const mine = ++this.imagesSequence;
    try {
      const found = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', MAX_IMAGES);
      const uris = found.map((u) => u.toString()).sort();
      if (mine !== this.imagesSequence || this.disposed || uris.length < 2) return;
      const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());
      const report = await client.sendRequest(WorkspaceImagesRequest.type, { uris, roots });
      if (mine !== this.imagesSequence || this.disposed || !report || !Array.isArray(report.images)) return;
      this.post({ type: 'images', view: buildImagesView(report, this.locale) });
    } catch (error) {
      if (mine !== this.imagesSequence || this.disposed) return;
      this.ctx.log.warn(`layers panel: workspace images: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private post(message: ToWebview): void {
    // A hidden webview drops messages; it asks again with `ready` when it is shown.
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isFromWebview(message)) {
      this.ctx.log.warn(`layers panel: ignored ${describeMessage(message)} from the webview`);
      return;
    }
    this.handle(message);
  }

  private handle(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.post({ type: 'locale', locale: this.locale, strings: uiStrings(this.locale) });
        this.post({ type: 'explainers', open: this.explainersStartOpen() });
        if (this.result) {
          this.postModel();
          this.postHighlight();
        } else if (this.emptyMessage) this.post({ type: 'empty', message: this.emptyMessage });
        void this.refresh();
        void this.refreshImages();
        return;
      case 'reveal':
        void this.reveal(message.uri, message.line, message.start !== undefined && message.end !== undefined ? { start: message.start, end: message.end } : undefined);
        return;
      case 'listBreakdown':
        void this.listBreakdown(message);
        return;
      case 'log':
        this.ctx.log.info(`layers webview: ${message.message}`);
        return;
      case 'explainersToggled':
        this.explainersOpen = message.open;
        void this.ctx.extension.globalState.update(EXPLAINERS_KEY, message.open ? 'open' : 'folded');
        return;
    }
  }

  /**
   * The Run and Ship explainers take half the panel: unfolded the first time a panel ever opens,
   * folded from then on, unless the user unfolded them last time (they stay one click away).
   */
  private explainersStartOpen(): boolean {
    if (this.explainersOpen === undefined) {
      const stored = this.ctx.extension.globalState.get<unknown>(EXPLAINERS_KEY);
      this.explainersOpen = stored === 'open' || stored === undefined;
      if (stored === undefined) void this.ctx.extension.globalState.update(EXPLAINERS_KEY, 'folded');
    }
    return this.explainersOpen;
  }

  /**
   * Asks the server what one folder of a layer's contents holds and sends the webview that page,
   * in the user's language; a page for a file the panel no longer shows is not asked for.
   */
  private async listBreakdown(message: Extract<FromWebview, { type: 'listBreakdown' }>): Promise<void> {
    const { uri, request, stage, layer, path: folder } = message;
    const client = this.ctx.client;
    if (!client || this.result?.uri !== uri) return;
    const answer = (page: ToWebview & { type: 'breakdownPage' }) => {
      if (this.result?.uri === uri) this.post(page);
    };
    try {
      const limit = Math.min(message.limit, BREAKDOWN_MAX_LIMIT);
      const listed = await client.sendRequest(BreakdownRequest.type, { uri, stage, layer, path: folder, limit });
      const model = this.result?.model;
      if (this.disposed || !model) return;
      answer({ type: 'breakdownPage', uri, request, stage, layer, path: folder, page: buildBreakdownPage(model, stage, layer, folder, listed, this.locale) });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.ctx.log.warn(`layers panel: cannot list ${JSON.stringify(folder)} of layer ${layer} in ${uri}: ${text}`);
      answer({ type: 'breakdownPage', uri, request, stage, layer, path: folder, page: failedBreakdownPage(text, this.locale) });
    }
  }

  /**
   * Shows `line` of `uri` in its editor (opening it when needed) and selects the whole line, or
   * only the columns of `span` (a package's name).
   */
  private async reveal(uri: string, line: number, span?: { start: number; end: number }): Promise<void> {
    // The webview may only point into the document it shows: any other URI it sends (another
    // file, an untitled or command: URI) is refused, never opened.
    if (uri !== this.uri) {
      this.ctx.log.warn(`layers panel: a reveal of ${uri} was refused: the panel shows ${this.uri ?? 'no document'}`);
      return;
    }
    try {
      const target = vscode.Uri.parse(uri);
      const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
      const document = visible?.document ?? (await vscode.workspace.openTextDocument(target));
      const clamped = Math.min(line, Math.max(0, document.lineCount - 1));
      const whole = document.lineAt(clamped).range;
      const column = (c: number) => new vscode.Position(clamped, Math.min(c, whole.end.character));
      const range = span ? new vscode.Range(column(span.start), column(span.end)) : whole;
      const editor = await vscode.window.showTextDocument(document, {
        viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
        preserveFocus: true,
        selection: new vscode.Selection(range.start, range.end),
      });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (error) {
      this.ctx.log.warn(`layers panel: cannot reveal line ${line + 1} of ${uri}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media', file));
    const checks = webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist', 'media', 'webviewMessages.js'));
    const nonce = randomBytes(16).toString('base64');
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource} data:`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${this.locale}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link href="${media('layers.css')}" rel="stylesheet">
  <title>${LayersPanel.title(this.locale)}</title>
</head>
<body>
  <main id="app"></main>
  <script nonce="${nonce}" src="${checks}"></script>
  <script nonce="${nonce}" src="${media('layers.js')}"></script>
</body>
</html>`;
  }
}

function activeDockerfile(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor && isDockerfile(editor.document) ? editor : undefined;
}
