// The e2e scenarios (see test/e2e/scenarios/) through the VS Code API: diagnostics, hovers, the
// Show Layers command and its output channel, a live edit, Korean hovers, and on the features
// fixture (test/e2e/fixtures/features) code lenses, quick fixes and the layers of a live edit. A scenario returns
// a string to report itself skipped with that reason; one whose `locales` leave out the run's
// display language is not run there.
import * as assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LayersResult } from '../../../protocol/protocol';

export interface Scenario {
  name: string;
  /** Display languages whose run includes this scenario (default: English only). */
  locales?: string[];
  run(): Promise<void | string>;
}

const EXTENSION_ID = 'dockerlens.dockerlens';
export const expectedLocale = process.env.DOCKERLENS_EXPECTED_LOCALE ?? 'en';

/** Polls `probe` until it returns a truthy value; throws naming `what` past the deadline. */
async function until<T>(probe: () => T | Promise<T>, what: string, timeout = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function dockerfileUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'VS Code was started on the example workspace');
  return vscode.Uri.joinPath(folder.uri, 'Dockerfile');
}

async function openDockerfile(): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(dockerfileUri());
  const editor = await vscode.window.showTextDocument(document);
  assert.equal(document.languageId, 'dockerfile');
  return editor;
}

function lineOf(document: vscode.TextDocument, test: (text: string) => boolean): number {
  for (let line = 0; line < document.lineCount; line++) if (test(document.lineAt(line).text)) return line;
  throw new Error('no such line in the Dockerfile');
}

function dockerlensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dockerlens');
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

/** Hover text at `position`, retried while the language server starts. */
async function hoverText(uri: vscode.Uri, position: vscode.Position, accept: (text: string) => boolean): Promise<string> {
  return until(async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
      .join('\n');
    return accept(text) ? text : '';
  }, `a hover at line ${position.line + 1}`);
}

/** The features fixture's Dockerfile, opened in an editor; undefined when the runner gave no copy. */
async function openFeaturesDockerfile(): Promise<vscode.TextEditor | undefined> {
  const dir = process.env.DOCKERLENS_FEATURES_DIR;
  if (!dir) return undefined;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'Dockerfile')));
  const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  assert.equal(document.languageId, 'dockerfile');
  return editor;
}

const NO_FEATURES = 'DOCKERLENS_FEATURES_DIR is not set: the runner copies test/e2e/fixtures/features there';

/** Quick fixes offered at `line` (its whole range), retried until one titled `title` arrives. */
async function quickFix(document: vscode.TextDocument, line: number, title: string): Promise<vscode.CodeAction> {
  return until(async () => {
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider', document.uri, document.lineAt(line).range, vscode.CodeActionKind.QuickFix.value,
    );
    return actions.find((a): a is vscode.CodeAction => a.title === title && 'edit' in a && a.edit !== undefined);
  }, `the quick fix "${title}" on line ${line + 1}`, 45_000);
}

/** `dockerlens.showLayers` for `document` (opens or updates the panel); returns its layers result. */
async function showLayers(document: vscode.TextDocument, row?: { stage: number; layer: number }): Promise<LayersResult> {
  const result = await vscode.commands.executeCommand<LayersResult | undefined>('dockerlens.showLayers', { uri: document.uri.toString(), ...row });
  assert.ok(result, 'the command returns the layers result');
  return result;
}

/** Line (0-based) of the instruction that makes each layer of stage 0, in layer order. */
function layerLines(result: LayersResult): number[] {
  const stage = result.model.stages[0]!;
  return stage.layers.map((layer) => stage.instructions[layer.instruction]!.range.start.line);
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'the extension activates on a Dockerfile',
    locales: ['en', 'ko'],
    async run() {
      await openDockerfile();
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is installed`);
      await until(() => extension.isActive, 'activation');
    },
  },
  {
    name: 'unused stage `test`: DL-G007 hint from dockerlens',
    async run() {
      const editor = await openDockerfile();
      const testLine = lineOf(editor.document, (t) => t.startsWith('FROM build AS test'));
      const diagnostics = await until(() => {
        const found = dockerlensDiagnostics(editor.document.uri);
        return found.length ? found : undefined;
      }, 'dockerlens diagnostics');
      assert.deepEqual(diagnostics.map((d) => [codeOf(d), d.range.start.line, d.severity]), [['DL-G007', testLine, vscode.DiagnosticSeverity.Hint]]);
      assert.match(diagnostics[0].message, /Stage 'test' is not needed to build the target 'runtime'/);
      assert.deepEqual(diagnostics[0].tags, [vscode.DiagnosticTag.Unnecessary]);
    },
  },
  {
    name: 'hover on the `go mod download` RUN: layer of stage `build`',
    async run() {
      const editor = await openDockerfile();
      const line = lineOf(editor.document, (t) => t.startsWith('RUN --mount=type=cache,target=/go/pkg/mod'));
      const text = await hoverText(editor.document.uri, new vscode.Position(line, 1), (t) => t.includes('Layer'));
      assert.match(text, /Layer \d+ of stage `build`/);
    },
  },
  {
    name: 'hover on USER: no layer',
    async run() {
      const editor = await openDockerfile();
      const line = lineOf(editor.document, (t) => t.startsWith('USER '));
      const text = await hoverText(editor.document.uri, new vscode.Position(line, 1), (t) => /layer/i.test(t));
      assert.match(text, /No layer/);
    },
  },
  {
    name: '"Dockerlens: Show Layers" shows the layers (panel, or the table in the Dockerlens output channel)',
    async run() {
      const editor = await openDockerfile();
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
      const result = await vscode.commands.executeCommand<{ model: { stages: unknown[] } } | undefined>('dockerlens.showLayers');
      assert.ok(result && result.model.stages.length >= 3, 'the command returns the analysed model');
      const panel = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('dockerlens.layers'));
      // Where no webview can be shown the command writes the table to the channel instead. A log
      // output channel is written to a file under the extension's log folder: read it back there.
      const ctx = vscode.extensions.getExtension<{ extension: vscode.ExtensionContext }>(EXTENSION_ID)?.exports;
      assert.ok(ctx?.extension.logUri, 'activate() returns the extension context holder');
      const logDir = ctx.extension.logUri.fsPath;
      const tableInLog = async () => {
        const names = await readdir(logDir).catch(() => [] as string[]);
        for (const name of names.filter((n) => n.endsWith('.log'))) {
          const content = await readFile(path.join(logDir, name), 'utf8');
          if (content.includes("Stage 'build'")) return content;
        }
        return '';
      };
      const shown = await until(async () => (panel() ? 'panel' : await tableInLog()), 'the layers panel or the layer table in the Dockerlens channel');
      if (shown !== 'panel') assert.match(shown, /Stage 'runtime'\s+FROM alpine:/);
    },
  },
  {
    name: 'Korean display language: hovers in Korean',
    locales: ['ko'],
    async run() {
      if (!vscode.env.language.startsWith('ko')) {
        return `VS Code runs in '${vscode.env.language}': --locale ko needs a Korean language pack installed`;
      }
      const editor = await openDockerfile();
      const line = lineOf(editor.document, (t) => t.startsWith('RUN --mount=type=cache,target=/go/pkg/mod'));
      const text = await hoverText(editor.document.uri, new vscode.Position(line, 1), (t) => /레이어|Layer/.test(t));
      assert.match(text, /스테이지 `build`의 레이어 \d+/);
    },
  },
  {
    name: 'typing `FROM alpine AS extra` at the end: `runtime` becomes unused',
    async run() {
      const editor = await openDockerfile();
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      const prefix = editor.document.lineAt(end.line).text === '' ? '' : '\n';
      assert.ok(await editor.edit((edit) => edit.insert(end, `${prefix}FROM alpine AS extra\n`)));
      const runtime = lineOf(editor.document, (t) => /^FROM alpine:\S+ AS runtime$/.test(t));
      const diagnostic = await until(
        () => dockerlensDiagnostics(editor.document.uri).find((d) => d.range.start.line === runtime && codeOf(d) === 'DL-G007'),
        'a DL-G007 diagnostic on the runtime stage',
      );
      assert.match(diagnostic.message, /Stage 'runtime' is not needed to build the target 'extra'/);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    },
  },
  {
    name: 'features: code lenses `Stage #0 · … in all · target image` above FROM, `Layer 1`/`Layer 2` above RUN and ADD',
    async run() {
      const editor = await openFeaturesDockerfile();
      if (!editor) return NO_FEATURES;
      const document = editor.document;
      const lenses = await until(async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
        return found.some((l) => l.command?.title.startsWith('Layer 2')) ? found : undefined;
      }, 'the Dockerlens code lenses', 45_000);
      const titled = lenses.map((l) => [l.range.start.line, l.command?.title ?? '', l.command?.command] as const).sort((a, b) => a[0] - b[0]);
      assert.deepEqual(titled.map(([line]) => line), [
        lineOf(document, (t) => t.startsWith('FROM ')), lineOf(document, (t) => t.startsWith('RUN ')), lineOf(document, (t) => t.startsWith('ADD ')),
      ]);
      assert.match(titled[0]![1], /^Stage #0 · .*\d.* in all · target image$/);
      assert.match(titled[1]![1], /^Layer 1 · .*\d.* [kMG]B\b/);
      assert.match(titled[2]![1], /^Layer 2 · \d+ B$/);
      assert.ok(titled.every(([, , command]) => command === 'dockerlens.showLayers'), 'every lens opens the layer tree');
    },
  },
  {
    name: 'features: quick fixes "Use COPY" on ADD, then "Remove the apt lists in the same RUN"',
    async run() {
      const editor = await openFeaturesDockerfile();
      if (!editor) return NO_FEATURES;
      const document = editor.document;
      const useCopy = await quickFix(document, lineOf(document, (t) => t.startsWith('ADD ')), 'Use COPY');
      assert.ok(await vscode.workspace.applyEdit(useCopy.edit!));
      assert.ok(document.getText().includes('COPY app.sh /app/') && !document.getText().includes('ADD app.sh'));
      const run = lineOf(document, (t) => t.startsWith('RUN apt-get update'));
      const cleanup = await quickFix(document, run, 'Remove the apt lists in the same RUN');
      assert.ok(await vscode.workspace.applyEdit(cleanup.edit!));
      assert.ok(document.lineAt(run).text.endsWith(' \\'), 'the RUN line continues');
      assert.equal(document.lineAt(run + 1).text, '    && rm -rf /var/lib/apt/lists/*');
    },
  },
  {
    name: 'features: "Dockerlens: Show Layers" returns a layer per row (base, RUN, COPY) and opens the panel',
    async run() {
      const editor = await openFeaturesDockerfile();
      if (!editor) return NO_FEATURES;
      const document = editor.document;
      const result = await showLayers(document);
      assert.equal(result.uri, document.uri.toString());
      assert.deepEqual(result.model.stages[0]!.layers.map((l) => l.number), [0, 1, 2]);
      assert.deepEqual(layerLines(result), [
        lineOf(document, (t) => t.startsWith('FROM ')), lineOf(document, (t) => t.startsWith('RUN ')), lineOf(document, (t) => t.startsWith('COPY ')),
      ]);
      await until(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
        .some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('dockerlens.layers')), 'the layers panel');
    },
  },
  // The click on a row (e2e scenario d) happens inside the webview, which the API cannot reach:
  // its target line is the layer's instruction line checked above and below.
  {
    name: 'features: adding `RUN echo more` at the end gives the layers a fourth row on that line',
    async run() {
      const editor = await openFeaturesDockerfile();
      if (!editor) return NO_FEATURES;
      const document = editor.document;
      const end = document.lineAt(document.lineCount - 1).range.end;
      const prefix = document.lineAt(end.line).text === '' ? '' : '\n';
      assert.ok(await editor.edit((edit) => edit.insert(end, `${prefix}RUN echo more\n`)));
      const added = lineOf(document, (t) => t === 'RUN echo more');
      const result = await until(async () => {
        const found = await showLayers(document, { stage: 0, layer: 3 });
        return found.model.stages[0]!.layers.length === 4 ? found : undefined;
      }, 'a fourth layer after the edit');
      assert.equal(layerLines(result)[3], added);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    },
  },
];
