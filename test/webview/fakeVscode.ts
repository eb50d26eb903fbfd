/**
 * Just enough of the `vscode` API to run the layers panel and the Show Layers command in node:
 * webview panels that record what they are given and posted, editors and documents, and events
 * the test fires. The client sources are bundled with esbuild and their `require('vscode')`
 * answered with this. Real VS Code behaviour is covered by the e2e tests.
 */
import { build } from 'esbuild';
import * as path from 'node:path';
import { ROOT } from './harness';

type Listener<T> = (value: T) => unknown;

export class Emitter<T> {
  readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

export interface FakeUri {
  scheme: string;
  path: string;
  toString(): string;
}

function uri(text: string): FakeUri {
  const parsed = new URL(text);
  return { scheme: parsed.protocol.slice(0, -1), path: decodeURIComponent(parsed.pathname), toString: () => text };
}

export interface FakeDocument {
  uri: FakeUri;
  languageId: string;
  lineCount: number;
  lines: string[];
  lineAt(line: number): { range: FakeRange };
}

export interface FakePosition {
  line: number;
  character: number;
}

export interface FakeRange {
  start: FakePosition;
  end: FakePosition;
}

export function document(uriText: string, text: string, languageId = 'dockerfile'): FakeDocument {
  const lines = text.split('\n');
  return {
    uri: uri(uriText),
    languageId,
    lineCount: lines.length,
    lines,
    lineAt: (line) => ({ range: { start: { line, character: 0 }, end: { line, character: lines[line]!.length } } }),
  };
}

export interface FakeEditor {
  document: FakeDocument;
  selection: { active: FakePosition };
  viewColumn: number;
  revealed: FakeRange[];
  revealRange(range: FakeRange): void;
}

export function editor(doc: FakeDocument, line = 0): FakeEditor {
  const revealed: FakeRange[] = [];
  return { document: doc, selection: { active: { line, character: 0 } }, viewColumn: 1, revealed, revealRange: (range) => revealed.push(range) };
}

export interface FakeWebview {
  html: string;
  options: unknown;
  cspSource: string;
  posted: unknown[];
  received: Emitter<unknown>;
  asWebviewUri(uri: FakeUri): FakeUri;
  postMessage(message: unknown): Promise<boolean>;
  onDidReceiveMessage: Emitter<unknown>['event'];
}

export interface FakePanel {
  viewType: string;
  title: string;
  showOptions: unknown;
  options: unknown;
  webview: FakeWebview;
  revealed: number;
  disposed: boolean;
  reveal(): void;
  dispose(): void;
  onDidDispose: Emitter<void>['event'];
}

function webview(): FakeWebview {
  const received = new Emitter<unknown>();
  const posted: unknown[] = [];
  const cspSource = 'https://csp.webview.test';
  return {
    html: '',
    options: undefined,
    cspSource,
    posted,
    received,
    asWebviewUri: (u) => uri(`${cspSource}${u.path}`),
    postMessage: async (message) => {
      posted.push(structuredClone(message));
      return true;
    },
    onDidReceiveMessage: received.event,
  };
}

export function panel(viewType: string, title: string, showOptions: unknown, options: unknown): FakePanel {
  const disposed = new Emitter<void>();
  const p: FakePanel = {
    viewType,
    title,
    showOptions,
    options,
    webview: webview(),
    revealed: 0,
    disposed: false,
    reveal: () => {
      p.revealed++;
    },
    dispose: () => {
      if (p.disposed) return;
      p.disposed = true;
      disposed.fire();
    },
    onDidDispose: disposed.event,
  };
  p.webview.options = options;
  return p;
}

export interface Fake {
  /** the module the client code gets for `require('vscode')` */
  api: Record<string, unknown>;
  panels: FakePanel[];
  serializers: Map<string, { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }>;
  shown: { doc: FakeDocument; options: { selection?: { anchor: FakePosition; active: FakePosition }; preserveFocus?: boolean; viewColumn?: number } }[];
  infos: string[];
  activeEditorChanged: Emitter<FakeEditor | undefined>;
  selectionChanged: Emitter<{ textEditor: FakeEditor; selections: { active: FakePosition }[] }>;
  documentChanged: Emitter<{ document: FakeDocument; contentChanges: unknown[] }>;
  window: { activeTextEditor: FakeEditor | undefined; visibleTextEditors: FakeEditor[] };
  env: { language: string };
  /** makes createWebviewPanel throw, as where webviews are not available */
  failPanels: boolean;
  documents: Map<string, FakeDocument>;
  statusItems: FakeStatusItem[];
}

export interface FakeStatusItem {
  id: string;
  text: string;
  /** a FakeMarkdown (its value) or a string */
  tooltip: { value: string } | string | undefined;
  name: string;
  command: string | undefined;
  visible: boolean;
  show(): void;
  hide(): void;
  dispose(): void;
}

/** vscode.MarkdownString as far as the client uses it: appendText escapes, appendMarkdown does not. */
export class FakeMarkdown {
  constructor(public value = '') {}
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&');
    return this;
  }
  appendMarkdown(markdown: string): this {
    this.value += markdown;
    return this;
  }
}

export function fakeVscode(): Fake {
  const fake: Fake = {
    api: {},
    panels: [],
    serializers: new Map(),
    shown: [],
    infos: [],
    activeEditorChanged: new Emitter(),
    selectionChanged: new Emitter(),
    documentChanged: new Emitter(),
    window: { activeTextEditor: undefined, visibleTextEditors: [] },
    env: { language: 'en' },
    failPanels: false,
    documents: new Map(),
    statusItems: [],
  };
  class Position {
    constructor(readonly line: number, readonly character: number) {}
  }
  class Range {
    constructor(readonly start: FakePosition, readonly end: FakePosition) {}
  }
  class Selection {
    constructor(readonly anchor: FakePosition, readonly active: FakePosition) {}
  }
  const window = {
    get activeTextEditor() {
      return fake.window.activeTextEditor;
    },
    get visibleTextEditors() {
      return fake.window.visibleTextEditors;
    },
    createWebviewPanel: (viewType: string, title: string, showOptions: unknown, options: unknown) => {
      if (fake.failPanels) throw new Error('webviews are not available');
      const p = panel(viewType, title, showOptions, options);
      fake.panels.push(p);
      return p;
    },
    registerWebviewPanelSerializer: (viewType: string, serializer: { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }) => {
      fake.serializers.set(viewType, serializer);
      return { dispose: () => fake.serializers.delete(viewType) };
    },
    onDidChangeActiveTextEditor: fake.activeEditorChanged.event,
    onDidChangeTextEditorSelection: fake.selectionChanged.event,
    showTextDocument: async (doc: FakeDocument, options: Fake['shown'][number]['options']) => {
      fake.shown.push({ doc, options });
      const shown = fake.window.visibleTextEditors.find((e) => e.document === doc) ?? editor(doc);
      if (options.selection) shown.selection = { active: options.selection.active };
      return shown;
    },
    showInformationMessage: async (text: string) => {
      fake.infos.push(text);
      return undefined;
    },
    createStatusBarItem: (id: string) => {
      const item: FakeStatusItem = {
        id, text: '', tooltip: undefined, name: '', command: undefined, visible: false,
        show: () => void (item.visible = true),
        hide: () => void (item.visible = false),
        dispose: () => void (item.visible = false),
      };
      fake.statusItems.push(item);
      return item;
    },
    createOutputChannel: () => {
      throw new Error('not in these tests');
    },
  };
  const api: Record<string, unknown> = {
    window,
    workspace: {
      onDidChangeTextDocument: fake.documentChanged.event,
      openTextDocument: async (u: FakeUri) => {
        const found = fake.documents.get(u.toString());
        if (!found) throw new Error(`no such document ${u.toString()}`);
        return found;
      },
      get textDocuments() {
        return [...fake.documents.values()];
      },
      asRelativePath: (u: FakeUri) => path.posix.basename(u.path),
      createFileSystemWatcher: () => ({ dispose() {} }),
      findFiles: async () => [],
    },
    languages: { match: (_selector: unknown, doc: FakeDocument) => (doc.languageId === 'dockerfile' ? 10 : 0) },
    env: fake.env,
    // {0}, {1}… filled in as vscode.l10n.t does
    l10n: { t: (text: string, ...args: unknown[]) => text.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m)) },
    StatusBarAlignment: { Left: 1, Right: 2 },
    MarkdownString: FakeMarkdown,
    commands: { registerCommand: () => ({ dispose() {} }) },
    Uri: {
      parse: uri,
      joinPath: (base: FakeUri, ...parts: string[]) => uri(`${base.toString().replace(/\/$/, '')}/${parts.join('/')}`),
    },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
    Position,
    Range,
    Selection,
  };
  // vscode-languageclient, bundled with the client, subclasses a few vscode classes when it loads.
  fake.api = new Proxy(api, {
    get: (target, key: string) => (key in target ? target[key] : class {}),
  });
  return fake;
}

export interface ClientModules {
  registerStatusBar(ctx: unknown): void;
  COMMANDS: Record<string, (ctx: unknown) => (...args: unknown[]) => unknown>;
  LayersPanel: {
    createOrShow(ctx: unknown, document?: FakeDocument, result?: unknown): unknown;
    register(ctx: unknown): void;
    REFRESH_DELAY_MS: number;
  };
}

let bundled: string | undefined;

/** The client's commands and panel, bundled from source, running against `fake`. */
export async function loadClient(fake: Fake): Promise<ClientModules> {
  if (bundled === undefined) {
    const out = await build({
      stdin: {
        contents: "export { COMMANDS } from './client/src/commands';\nexport { LayersPanel } from './client/src/layersPanel';\nexport { registerStatusBar } from './client/src/statusBar';\n",
        resolveDir: ROOT,
        sourcefile: 'client-under-test.ts',
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      write: false,
      logLevel: 'silent',
    });
    bundled = out.outputFiles[0]!.text;
  }
  const module = { exports: {} as ClientModules };
  const load = new Function('require', 'module', 'exports', '__filename', '__dirname', bundled);
  load((id: string) => (id === 'vscode' ? fake.api : require(id)), module, module.exports, path.join(ROOT, 'client-under-test.js'), ROOT);
  return module.exports;
}
