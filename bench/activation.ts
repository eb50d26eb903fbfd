/**
 * Benchmark: activation of the bundled client (dist/client.js) outside VS Code. Each sample is a
 * fresh node process (`node out/bench/activation.js --once`), so `require` is cold as it is in
 * the extension host. In that process:
 *
 * - `require('vscode')` gets a stub of the API (namespaces whose calls return disposables,
 *   classes for the types the language client extends, an output channel, a configuration);
 * - `require('child_process')` from dist/client.js gets a stub whose fork/spawn returns an
 *   in-memory process: a stub server behind it answers `initialize` at once with the real
 *   server's capabilities, so the language client's `start()` resolves without a process.
 *
 * Timed: `require(dist/client.js)`, then `activate()` until it resolves (command and panel
 * registration, the language client's construction and start, the initialize round trip with
 * the stub, the status bar), and when `activate()` reached the point of launching the server
 * (the fork call). Not timed: VS Code's own extension loading, and the real server's start.
 */
import { EventEmitter } from 'node:events';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import Module from 'node:module';

const CLIENT = path.resolve(__dirname, '../../dist/client.js');
const ROOT = path.resolve(__dirname, '../..');

export interface ActivationSample {
  /** require(dist/client.js) */
  require: number;
  /** activate() until its promise resolved */
  activate: number;
  /** from the start of activate() to the fork of the server */
  toFork: number;
  total: number;
}

// ---------------------------------------------------------------------------------------------
// The stub `vscode` module

type Listener = (e: unknown) => unknown;

class StubEventEmitter {
  private listeners: Listener[] = [];
  readonly event = (listener: Listener, thisArg?: unknown, disposables?: { dispose(): void }[]) => {
    const bound: Listener = thisArg ? listener.bind(thisArg) : listener;
    this.listeners.push(bound);
    const disposable = new StubDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== bound);
    });
    disposables?.push(disposable);
    return disposable;
  };

  fire(e: unknown): void {
    for (const l of [...this.listeners]) l(e);
  }

  dispose(): void {
    this.listeners = [];
  }
}

class StubDisposable {
  static from(...items: { dispose(): unknown }[]): StubDisposable {
    return new StubDisposable(() => items.forEach((i) => i.dispose()));
  }

  constructor(private readonly onDispose: () => unknown = () => undefined) {}

  dispose(): void {
    this.onDispose();
  }
}

class StubUri {
  static file(fsPath: string): StubUri {
    return new StubUri('file', '', fsPath);
  }

  static parse(value: string): StubUri {
    const match = /^([a-z][\w+.-]*):(?:\/\/([^/]*))?(.*)$/i.exec(value);
    return match ? new StubUri(match[1]!, match[2] ?? '', match[3] ?? '') : new StubUri('file', '', value);
  }

  static joinPath(base: StubUri, ...segments: string[]): StubUri {
    return new StubUri(base.scheme, base.authority, path.posix.join(base.path, ...segments));
  }

  constructor(readonly scheme: string, readonly authority: string, readonly path: string, readonly query = '', readonly fragment = '') {}

  get fsPath(): string {
    return this.path;
  }

  with(change: Partial<{ scheme: string; authority: string; path: string; query: string; fragment: string }>): StubUri {
    return new StubUri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }

  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}`;
  }

  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path };
  }
}

const event = new StubEventEmitter().event;
const disposable = () => new StubDisposable();

/** A class for any API type nobody here looks inside; unknown static members are enum values. */
function stubClass(name: string): unknown {
  const cls = { [name]: class { constructor(...args: unknown[]) { Object.assign(this, { args }); } } }[name]!;
  let next = 1;
  const values = new Map<PropertyKey, number>();
  return new Proxy(cls, {
    get(target, prop, receiver) {
      if (prop in target || typeof prop === 'symbol') return Reflect.get(target, prop, receiver);
      if (!values.has(prop)) values.set(prop, next++);
      return values.get(prop);
    },
  });
}

/** A namespace whose unknown members are functions returning disposables, or events (on…). */
function stubNamespace(known: Record<string, unknown>): unknown {
  return new Proxy(known, {
    get(target, prop) {
      if (prop in target || typeof prop === 'symbol') return (target as Record<PropertyKey, unknown>)[prop];
      if (typeof prop === 'string' && /^on[A-Z]/.test(prop)) return event;
      return () => disposable();
    },
  });
}

function outputChannel(name: string): unknown {
  const noop = () => undefined;
  return {
    name, logLevel: 2, onDidChangeLogLevel: event,
    append: noop, appendLine: noop, replace: noop, clear: noop, show: noop, hide: noop, dispose: noop,
    trace: noop, debug: noop, info: noop, warn: noop, error: noop,
  };
}

function configuration(): unknown {
  return { get: (_key: string, fallback?: unknown) => fallback, has: () => false, inspect: () => undefined, update: async () => undefined };
}

/**
 * Every name the API exports, read from @types/vscode: bundles copy a module's own properties
 * (esbuild's __toESM, TypeScript's __importStar), so each must exist up front.
 */
function apiNames(): string[] {
  try {
    const file = require.resolve('@types/vscode/index.d.ts', { paths: [ROOT] });
    const text = require('node:fs').readFileSync(file, 'utf8') as string;
    return [...new Set([...text.matchAll(/^\s*export (?:class|enum|namespace) (\w+)/gm)].map((m) => m[1]!))];
  } catch {
    return [];
  }
}

function createVscodeStub(): Record<string, unknown> {
  const known: Record<string, unknown> = {
    version: '1.100.0',
    EventEmitter: StubEventEmitter,
    Disposable: StubDisposable,
    Uri: StubUri,
    CancellationError: class CancellationError extends Error {},
    env: { language: 'en', appName: 'Visual Studio Code', appRoot: ROOT, machineId: 'bench', sessionId: 'bench', uiKind: 1, remoteName: undefined, shell: '/bin/sh', clipboard: { readText: async () => '', writeText: async () => undefined }, openExternal: async () => true, asExternalUri: async (u: unknown) => u },
    l10n: { t: (message: string | { message: string }, ...args: unknown[]) => (typeof message === 'string' ? message : message.message).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])), bundle: undefined, uri: undefined },
    workspace: stubNamespace({
      workspaceFolders: undefined, textDocuments: [], notebookDocuments: [], isTrusted: true, name: undefined, rootPath: undefined,
      getConfiguration: () => configuration(),
      createFileSystemWatcher: () => ({ onDidCreate: event, onDidChange: event, onDidDelete: event, dispose: () => undefined, ignoreCreateEvents: false, ignoreChangeEvents: false, ignoreDeleteEvents: false }),
      getWorkspaceFolder: () => undefined,
      asRelativePath: (p: unknown) => String(p),
      fs: stubNamespace({}),
    }),
    window: stubNamespace({
      activeTextEditor: undefined, visibleTextEditors: [], activeNotebookEditor: undefined, visibleNotebookEditors: [],
      tabGroups: { all: [], activeTabGroup: undefined, onDidChangeTabs: event, onDidChangeTabGroups: event },
      createOutputChannel: (name: string) => outputChannel(name),
      createStatusBarItem: () => ({ text: '', tooltip: '', command: undefined, name: '', show: () => undefined, hide: () => undefined, dispose: () => undefined }),
      showInformationMessage: async () => undefined, showWarningMessage: async () => undefined, showErrorMessage: async () => undefined,
    }),
    languages: stubNamespace({
      match: () => 0,
      createDiagnosticCollection: () => {
        const entries = new Map<string, unknown>();
        return {
          name: 'dockerlens', set: (uri: unknown, d: unknown) => entries.set(String(uri), d), delete: (uri: unknown) => entries.delete(String(uri)), clear: () => entries.clear(),
          get: (uri: unknown) => entries.get(String(uri)), has: (uri: unknown) => entries.has(String(uri)), forEach: () => undefined, dispose: () => entries.clear(),
          [Symbol.iterator]: () => entries.entries(),
        };
      },
      getDiagnostics: () => [],
    }),
    commands: stubNamespace({ executeCommand: async () => undefined, getCommands: async () => [] }),
    extensions: stubNamespace({ all: [], getExtension: () => undefined }),
    debug: stubNamespace({}),
    tasks: stubNamespace({}),
    notebooks: stubNamespace({}),
    authentication: stubNamespace({}),
    chat: stubNamespace({}),
    lm: stubNamespace({}),
    tests: stubNamespace({}),
    scm: stubNamespace({}),
    comments: stubNamespace({}),
  };
  for (const name of apiNames()) if (!(name in known)) known[name] = /^[A-Z]/.test(name) ? stubClass(name) : stubNamespace({});
  return known;
}

// ---------------------------------------------------------------------------------------------
// The stub server process

/** What the real server announces (server/src/server.ts), so the client registers the same features. */
const CAPABILITIES = {
  textDocumentSync: { openClose: true, change: 1 },
  hoverProvider: true,
  documentSymbolProvider: true,
  foldingRangeProvider: true,
  codeLensProvider: { resolveProvider: false },
  codeActionProvider: { codeActionKinds: ['quickfix'] },
};

function stubServerProcess(onFork: () => void): unknown {
  onFork();
  // required here, not at the top: the bench's other rows must not pay for it
  const rpc = require('vscode-languageserver-protocol/node') as typeof import('vscode-languageserver-protocol/node');
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const child = Object.assign(new EventEmitter(), { stdin, stdout, stderr, pid: undefined, exitCode: null, kill: () => true, connected: true, send: () => true, disconnect: () => undefined });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(stdin), new rpc.StreamMessageWriter(stdout));
  connection.onRequest('initialize', () => ({ capabilities: CAPABILITIES, serverInfo: { name: 'dockerlens' } }));
  connection.onRequest('shutdown', () => null);
  connection.onRequest(() => null);
  connection.onNotification('exit', () => {
    connection.dispose();
    child.exitCode = 0 as never;
    setImmediate(() => child.emit('exit', 0, null));
  });
  connection.onNotification(() => undefined);
  connection.listen();
  return child;
}

// ---------------------------------------------------------------------------------------------
// One sample, in this process

async function once(): Promise<ActivationSample> {
  let forkedAt = Number.NaN;
  const vscode = createVscodeStub();
  const realChildProcess = require('node:child_process') as typeof import('node:child_process');
  const fakeChildProcess = {
    ...realChildProcess,
    fork: () => stubServerProcess(() => (forkedAt = performance.now())),
    spawn: () => stubServerProcess(() => (forkedAt = performance.now())),
  };
  const moduleWithLoad = Module as unknown as { _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown };
  const load = moduleWithLoad._load;
  moduleWithLoad._load = function (request, parent, isMain) {
    if (request === 'vscode') return vscode;
    if ((request === 'child_process' || request === 'node:child_process') && parent?.filename === CLIENT) return fakeChildProcess;
    return load.call(this, request, parent, isMain);
  };

  const t0 = performance.now();
  const client = require(CLIENT) as { activate(context: unknown): Promise<unknown>; deactivate(): Promise<void> };
  const t1 = performance.now();
  const context = {
    subscriptions: [], extensionPath: ROOT, extensionUri: StubUri.file(ROOT), extensionMode: 1,
    asAbsolutePath: (relative: string) => path.join(ROOT, relative),
    globalState: { get: () => undefined, update: async () => undefined, keys: () => [], setKeysForSync: () => undefined },
    workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: event },
    storageUri: undefined, globalStorageUri: StubUri.file(path.join(ROOT, 'out', 'bench-storage')), logUri: StubUri.file(path.join(ROOT, 'out', 'bench-logs')),
    extension: { id: 'dockerlens.dockerlens', extensionPath: ROOT, packageJSON: {}, isActive: true },
    environmentVariableCollection: { replace: () => undefined, append: () => undefined, prepend: () => undefined, get: () => undefined, forEach: () => undefined, delete: () => undefined, clear: () => undefined },
  };
  await client.activate(context);
  const t2 = performance.now();
  await client.deactivate();
  moduleWithLoad._load = load;
  if (Number.isNaN(forkedAt)) throw new Error('activate() resolved without launching the server: the stub missed the fork');
  return { require: t1 - t0, activate: t2 - t1, toFork: forkedAt - t1, total: t2 - t0 };
}

/** `samples` cold activations, each in a fresh node process. */
export function activationSamples(samples: number): ActivationSample[] {
  const out: ActivationSample[] = [];
  for (let i = 0; i < samples; i++) {
    const run = spawnSync(process.execPath, [__filename, '--once'], { encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`activation sample ${i} failed (exit ${run.status}):\n${run.stderr || run.stdout}`);
    const line = run.stdout.trim().split('\n').pop()!;
    out.push(JSON.parse(line) as ActivationSample);
  }
  return out;
}

if (require.main === module) {
  if (process.argv.includes('--once')) {
    once().then(
      (sample) => {
        process.stdout.write(`${JSON.stringify(sample)}\n`);
        process.exit(0);
      },
      (error) => {
        console.error(error instanceof Error ? error.stack : error);
        process.exit(1);
      },
    );
  } else {
    const samples = activationSamples(5);
    for (const s of samples) console.log(`require ${s.require.toFixed(1)} ms, activate ${s.activate.toFixed(1)} ms (fork after ${s.toFork.toFixed(1)} ms), total ${s.total.toFixed(1)} ms`);
  }
}
