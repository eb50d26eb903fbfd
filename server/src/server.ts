import {
  CodeActionKind, CodeLensRefreshRequest, createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type CancellationToken,
  type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { BuildContexts, type ContextState } from './contexts';
import { sizeModel } from './sizing';
import { defaultCacheDir } from './registrySizes';
import { gitBaseline, recentCommits, type GitBaseline } from './gitBaseline';
import { editedLines } from './service/cache/lineDiff';
import { predictRebuild } from './service/cache/predict';
import { findFile } from './service/sizes/context';
import { message } from './service/sizes/messages';
import { PHRASES, say } from './service/explain';
import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  ModelChangedNotification,
  BreakdownRequest, BuiltImagesRequest, LayersRequest, RevisionsRequest, SetBaselineNotification, SetBuiltImageNotification, SHOW_LAYERS_COMMAND, WorkspaceImagesRequest,
  type ShowLayersArgs,
} from '../../protocol/protocol';
import { LastBuilds } from './lastBuilds';
import { workspaceImages } from './workspaceImages';
import { IncrementalAnalysis } from './service/incremental';
import { BigDocuments, WORKER_ABOVE_CHARS, WorkerStopped } from './bigDocuments';
import { BIG_DOCUMENT_CHARS, releaseMemory } from './memory';
import { adaptiveDelay } from './debounce';
import { DEFAULT_SETTINGS, normalizeSettings, type DockerlensSettings } from '../../protocol/settings';
import {
  codeLenses, diagnose, diagnostics, DIAGNOSTIC_SOURCE, documentSymbols, foldingRanges, hover, listBreakdown, toLocale, type DockerfileModel, type Locale,
} from './service';

// Under --stdio every byte on stdout is protocol: route stray console output to the client's log.
const connection = createConnection(ProposedFeatures.all);
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.info = console.log;
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));

const documents = new TextDocuments(TextDocument);
let locale: Locale = 'en';
let canPullConfiguration = false;

const settingsCache = new Map<string, Promise<DockerlensSettings>>();
const modelCache = new Map<string, { version: number; settings: DockerlensSettings; context: number; built: string; model: Promise<DockerfileModel> }>();
let canReportProgress = false;
let canRefreshLenses = false;
/** the client says the workspace is trusted: only then may local programs (git) run */
let trusted = false;
/** where registry look-ups cache their answers: the extension's global storage, outside any workspace */
let cacheDir = defaultCacheDir();
const baselines = new Map<string, Promise<GitBaseline>>();
/** the revision each Dockerfile is compared with, when not the last commit */
const baselineRevision = new Map<string, string>();

const contexts = new BuildContexts({
  changed(users) {
    releaseMemory(); // a scan's garbage
    // sizes changed under the lenses: the editor fetches them again once the new model is out
    for (const uri of users) schedule(uri, 0, { lenses: true });
  },
  progress: (root, seen) => reportScan(root, seen),
  log: (message) => connection.console.log(message),
});
const pending = new Map<string, NodeJS.Timeout>();

/** The built image each Dockerfile is compared with (chosen in the client). */
const lastBuilds = new LastBuilds({
  changed(uris) {
    for (const uri of uris) {
      modelCache.delete(uri);
      schedule(uri, 0, { lenses: true });
    }
  },
  log: (message) => connection.console.log(message),
});

connection.onInitialize((params: InitializeParams): InitializeResult => {
  locale = toLocale(params.locale);
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  canReportProgress = params.capabilities.window?.workDoneProgress === true;
  canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  trusted = (params.initializationOptions as { trusted?: unknown } | undefined)?.trusted === true;
  const offered = (params.initializationOptions as { cacheDir?: unknown } | undefined)?.cacheDir;
  cacheDir = typeof offered === 'string' && path.isAbsolute(offered) ? offered : defaultCacheDir();
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full },
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'dockerlens' },
  };
});

function settingsFor(uri: string): Promise<DockerlensSettings> {
  if (!canPullConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
  let cached = settingsCache.get(uri);
  if (!cached) {
    cached = connection.workspace.getConfiguration({ scopeUri: uri, section: 'dockerlens' }).then(normalizeSettings, () => DEFAULT_SETTINGS);
    settingsCache.set(uri, cached);
  }
  return cached;
}

/** The build context's files when already read (the context rules need them). */
function readySnapshot(uri: string) {
  const state = contextOf(uri);
  return state?.status === 'ready' ? state.context.snapshot : undefined;
}

/** The build context of a Dockerfile on disk; none for unsaved or remote documents. */
function contextOf(uri: string): ContextState | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return contexts.use(uri, fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/**
 * The sized model for a document's current version, computed at most once per version, settings
 * and build-context state. Sizes that need the context say so while it is being read.
 */
async function modelFor(document: TextDocument): Promise<DockerfileModel | null> {
  const settings = await settingsFor(document.uri);
  if (!settings.enable) return null;
  const context = contextOf(document.uri);
  const contextVersion = context?.version ?? 0;
  const built = lastBuilds.key(document.uri);
  const cached = modelCache.get(document.uri);
  if (cached && cached.version === document.version && cached.settings === settings && cached.context === contextVersion && cached.built === built) return cached.model;
  const model = (async () => {
    const text = document.getText();
    const options = { ...(settings.target ? { target: settings.target } : {}), buildArgs: settings.buildArgs };
    const unavailable = !context
      ? message('contextNotOnDisk')
      : context.status === 'scanning'
        ? message('contextReading')
        : context.status === 'failed'
          ? message('contextFailed', { reason: context.reason })
          : undefined;
    const ready = context?.status === 'ready' ? context.context : undefined;
    // the npm registry only when the user allowed it, and never in an untrusted workspace
    const registry = trusted && settings.registryLookups ? { registry: { url: settings.npmRegistry, cacheDir } } : {};
    let sized: DockerfileModel;
    if (text.length > WORKER_ABOVE_CHARS) {
      // off this thread: hovers on other documents are answered meanwhile (no registry look-ups there)
      incrementals.delete(document.uri);
      sized = await bigDocuments.analyse(document.uri, text, options, ready && { root: ready.root, snapshot: ready.snapshot }, unavailable);
    } else {
      bigDocuments.close(document.uri);
      const incremental = incrementalFor(document.uri);
      sized = await sizeModel(incremental.analyze(text, options), ready, { ...(unavailable ? { contextUnavailable: unavailable } : {}), incremental, ...registry });
    }
    const predicted = await withCachePrediction(sized, document, context);
    // The last build's figures need the context's files (what changed since): wait for the scan.
    if (context?.status === 'scanning') return predicted;
    return lastBuilds.apply(predicted, document.uri, context?.status === 'ready' ? context.context : undefined, settings, trusted);
  })();
  modelCache.set(document.uri, { version: document.version, settings, context: contextVersion, built, model });
  try {
    return await model;
  } catch (error) {
    modelCache.delete(document.uri);
    if (error instanceof WorkerStopped) return null;
    connection.console.error(`Analysis of ${document.uri} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return null;
  }
}

/** Big documents' analyses, on a worker thread. */
const bigDocuments = new BigDocuments((message) => connection.console.log(message));

/** Each open document's analysis across edits: an edit re-analyses only what it touched. */
const incrementals = new Map<string, IncrementalAnalysis>();
function incrementalFor(uri: string): IncrementalAnalysis {
  let incremental = incrementals.get(uri);
  if (!incremental) incrementals.set(uri, (incremental = new IncrementalAnalysis()));
  return incremental;
}

/**
 * Adds what the next build reuses compared with the last commit: context files changed since
 * HEAD, and the lines of this Dockerfile (as edited, saved or not) that differ from HEAD.
 */
async function withCachePrediction(model: DockerfileModel, document: TextDocument, context: ContextState | undefined): Promise<DockerfileModel> {
  if (!trusted || context?.status !== 'ready' || !document.uri.startsWith('file:')) return model;
  const dockerfile = fileURLToPath(document.uri);
  const root = context.context.root;
  const revision = baselineRevision.get(document.uri) ?? 'HEAD';
  let baseline = baselines.get(`${dockerfile}\0${revision}`);
  if (!baseline) {
    baseline = gitBaseline(root, dockerfile, revision);
    baselines.set(`${dockerfile}\0${revision}`, baseline);
  }
  const base = await baseline;
  if (!base.available) {
    if (revision !== 'HEAD') connection.console.warn(`cannot compare with ${revision}: ${base.reason}`);
    return model;
  }
  const relative = path.relative(root, dockerfile).split(path.sep).join('/');
  const inContext = findFile(context.context.snapshot, relative) !== undefined;
  const edited = base.headDockerfile === undefined ? Array.from({ length: document.lineCount }, (_, i) => i) : editedLines(base.headDockerfile, document.getText());
  const prediction = predictRebuild(model, {
    files: base.files.filter((f) => f !== relative),
    editedLines: edited,
    ...(inContext ? { dockerfile: relative } : {}),
  });
  const label = revision === 'HEAD' ? say(PHRASES.baselineHead, 'en') : say(PHRASES.baselineRevision, 'en', { revision });
  return { ...model, cache: { baseline: label, ...(revision !== 'HEAD' ? { revision } : {}), prediction } };
}

const scanProgress = new Map<string, Promise<{ report(message: string): void; done(): void } | undefined>>();

/** Shows "reading the build context" in the editor while a big folder is scanned. */
function reportScan(root: string, seen: number | 'done'): void {
  if (!canReportProgress) return;
  let progress = scanProgress.get(root);
  if (seen === 'done') {
    void progress?.then((p) => p?.done());
    scanProgress.delete(root);
    return;
  }
  if (!progress) {
    progress = connection.window.createWorkDoneProgress().then(
      (p) => {
        p.begin('Dockerlens', undefined, say(PHRASES.scanBegin, locale, { root }));
        return p;
      },
      () => undefined,
    );
    scanProgress.set(root, progress);
  }
  void progress.then((p) => p?.report(say(PHRASES.scanFiles, locale, { count: seen })));
}

/** what the last analysis of each document cost (ms), for the next edit's debounce */
const analysisCost = new Map<string, number>();

async function publishDiagnostics(uri: string): Promise<void> {
  const document = documents.get(uri);
  if (!document) return;
  const version = document.version;
  const started = performance.now();
  const model = await modelFor(document);
  analysisCost.set(uri, performance.now() - started);
  // Requests that came in meanwhile (hovers) are answered before the rules run.
  await nextTurn();
  // A newer edit arrived while settings were fetched: its own run will publish.
  if (documents.get(uri)?.version !== version) return;
  const settings = await settingsFor(uri);
  const text = documents.get(uri)?.getText() ?? '';
  await connection.sendDiagnostics({ uri, version, diagnostics: model ? diagnostics(diagnose(model, text, settings.rules, readySnapshot(uri), locale)) : [] });
  if (model) void connection.sendNotification(ModelChangedNotification.type, { uri, version });
  if (lensesStale.delete(uri) && canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
  releaseMemory(); // a big document's analysis
}

/** documents whose lenses the editor should fetch again after their next publication (no edit moved them) */
const lensesStale = new Set<string>();

function schedule(uri: string, delay: number, options: { lenses?: boolean } = {}): void {
  if (options.lenses) lensesStale.add(uri);
  clearTimeout(pending.get(uri));
  pending.set(uri, setTimeout(() => {
    pending.delete(uri);
    void publishDiagnostics(uri);
  }, delay));
}

// TextDocuments reports an open as a content change too: publish opens at once, debounce edits.
const openedAt = new Map<string, number>();
documents.onDidOpen((event) => {
  openedAt.set(event.document.uri, event.document.version);
  void publishDiagnostics(event.document.uri);
});
documents.onDidChangeContent((event) => {
  const { uri, version } = event.document;
  if (openedAt.get(uri) === version) return;
  void settingsFor(uri).then((s) => schedule(uri, adaptiveDelay(analysisCost.get(uri), s.debounceMs)));
});
documents.onDidClose((event) => {
  const uri = event.document.uri;
  clearTimeout(pending.get(uri));
  pending.delete(uri);
  openedAt.delete(uri);
  analysisCost.delete(uri);
  lensesStale.delete(uri);
  modelCache.delete(uri);
  incrementals.delete(uri);
  bigDocuments.close(uri);
  settingsCache.delete(uri);
  const droppedContext = contexts.close(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
  // what a big document or a build context held is garbage now
  releaseMemory(droppedContext || event.document.getText().length > BIG_DOCUMENT_CHARS);
});

connection.onDidChangeWatchedFiles((params) => {
  const paths = params.changes.flatMap((change) => {
    try {
      return change.uri.startsWith('file:') ? [fileURLToPath(change.uri)] : [];
    } catch {
      return [];
    }
  });
  if (paths.length > 0) {
    contexts.filesChanged(paths);
    baselines.clear(); // git status may differ now
  }
});

connection.onNotification(SetBaselineNotification.type, ({ uri, revision }) => {
  if (revision === '' || revision === 'HEAD') baselineRevision.delete(uri);
  else baselineRevision.set(uri, revision);
  modelCache.delete(uri);
  schedule(uri, 0, { lenses: true });
});

connection.onNotification(SetBuiltImageNotification.type, ({ uri, image }) => {
  lastBuilds.set(uri, image);
  modelCache.delete(uri);
  schedule(uri, 0, { lenses: true });
});

connection.onRequest(BuiltImagesRequest.type, async ({ uri }) => {
  const document = documents.get(uri);
  const model = document ? await modelFor(document) : null;
  return lastBuilds.candidates(model, await settingsFor(uri), trusted);
});

connection.onRequest(RevisionsRequest.type, async ({ uri }) => {
  if (!trusted || !uri.startsWith('file:')) return [];
  return recentCommits(path.dirname(fileURLToPath(uri)));
});

connection.onShutdown(() => {
  bigDocuments.dispose();
  contexts.dispose();
  lastBuilds.dispose();
});

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  for (const document of documents.all()) schedule(document.uri, 0, { lenses: true });
});

/** Runs a request against the current model unless it was cancelled or the document is gone. */
async function withModel<T>(uri: string, token: CancellationToken, run: (model: DockerfileModel, document: TextDocument) => T): Promise<T | null> {
  const document = documents.get(uri);
  if (!document || token.isCancellationRequested) return null;
  const model = await modelFor(document);
  if (!model || token.isCancellationRequested) return null;
  return run(model, document);
}

connection.onHover((params, token) =>
  withModel(params.textDocument.uri, token, (model) => {
    const result = hover(model, params.position, locale, params.textDocument.uri);
    return result ? { contents: { kind: 'markdown' as const, value: result.markdown }, range: result.range } : null;
  }),
);
connection.onCodeLens(async (params, token) => {
  const settings = await settingsFor(params.textDocument.uri);
  if (!settings.codeLens) return [];
  return withModel(params.textDocument.uri, token, (model) =>
    codeLenses(model, locale).map((lens) => {
      const args: ShowLayersArgs = { uri: params.textDocument.uri, stage: lens.stage, ...(lens.layer !== undefined ? { layer: lens.layer } : {}) };
      return { range: lens.range, command: { title: lens.title, command: SHOW_LAYERS_COMMAND, arguments: [args] } };
    }),
  );
});
connection.onCodeAction(async (params, token) => {
  const settings = await settingsFor(params.textDocument.uri);
  return withModel(params.textDocument.uri, token, (model, document) => {
    const wanted = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    return diagnose(model, document.getText(), settings.rules, readySnapshot(document.uri), locale).flatMap((d) => {
      const diagnostic = wanted.find((w) => w.code === d.code && w.range.start.line === d.range.start.line);
      if (!d.fix || !diagnostic) return [];
      return [{
        title: d.fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: { changes: { [document.uri]: d.fix.edits } },
      }];
    });
  });
});
connection.onDocumentSymbol((params, token) => withModel(params.textDocument.uri, token, documentSymbols));
connection.onFoldingRanges((params, token) => withModel(params.textDocument.uri, token, foldingRanges));
connection.onRequest(LayersRequest.type, (params, token) =>
  withModel(params.uri, token, (model, document) => ({ uri: document.uri, version: document.version, model })),
);
// One folder of a layer's breakdown, for folders the layers payload left unexpanded.
connection.onRequest(BreakdownRequest.type, (params, token) =>
  withModel(params.uri, token, (model, document) => listBreakdown(model, readySnapshot(document.uri), params)),
);

// The workspace's images side by side: open documents with their contexts when already read.
connection.onRequest(WorkspaceImagesRequest.type, (params, token) =>
  workspaceImages(params, {
    openText: (uri) => documents.get(uri)?.getText(),
    readyContext: (uri) => {
      if (documents.get(uri)) {
        const state = contextOf(uri);
        return state?.status === 'ready' ? state.context : undefined;
      }
      // a closed Dockerfile in the same folder as an open one shares its build context
      try {
        return uri.startsWith('file:') ? contexts.peek(fileURLToPath(uri)) : undefined;
      } catch {
        return undefined;
      }
    },
    options: async (uri) => {
      const settings = await settingsFor(uri);
      return { ...(settings.target ? { target: settings.target } : {}), buildArgs: settings.buildArgs };
    },
    isCancelled: () => token.isCancellationRequested,
  }),
);

documents.listen(connection);
connection.listen();
