/**
 * A fake editor for the bundled language server: spawns `node dist/server.js --stdio` and speaks
 * LSP to it through vscode-languageserver-protocol's own reader and writer. Shared by the wire
 * and stress tests. Every wait has a deadline whose message carries the server's stderr, so a
 * hung or crashed server fails the test with a reason instead of a runner timeout. Run
 * `node esbuild.js --tests` first so dist/server.js is current.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import {
  ConfigurationRequest, createMessageConnection, ExitNotification, InitializedNotification, InitializeRequest, LogMessageNotification,
  PublishDiagnosticsNotification, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  type ConfigurationItem, type Hover, type InitializeParams, type InitializeResult, type LogMessageParams, type MarkupContent,
  type Message, type MessageConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { ModelChangedNotification } from '../../protocol/protocol';

/** out/test/server/ → the repository's dist/server.js */
export const SERVER = path.resolve(__dirname, '../../../dist/server.js');
/** the server minified as the package ships it (esbuild.js --tests builds it) */
export const PRODUCTION_SERVER = path.resolve(__dirname, '../../production/server.js');
/**
 * A hang guard, not a speed limit: long enough that a busy 2-core machine never reaches it on an
 * answer that is merely slow, short enough that a hung server fails with its stderr instead of
 * the runner's bare timeout. Speed is measured by `npm run bench`.
 */
export const DEADLINE_MS = 120_000;
/** Waits however long the answer takes (for work whose time grows with a machine's load); the test's own timeout guards a hang. */
export const NO_DEADLINE = Number.POSITIVE_INFINITY;

/** Rejects with `what` (and `hint()`, when given) when `promise` has not settled within `ms`. */
export function withDeadline<T>(promise: Promise<T>, what: string, ms = DEADLINE_MS, hint: () => string = () => ''): Promise<T> {
  if (ms === NO_DEADLINE) return promise;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}.${hint()}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Every publishDiagnostics the server sent, and waiters for ones still to come. */
export class DiagnosticsLog {
  readonly received: PublishDiagnosticsParams[] = [];
  private waiters: { match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];

  constructor(private readonly deadline: <T>(promise: Promise<T>, what: string, ms?: number) => Promise<T>) {}

  push(params: PublishDiagnosticsParams): void {
    this.received.push(params);
    const ready = this.waiters.filter((w) => w.match(params));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(params);
  }

  /** The next publication for `uri` from now on. */
  next(uri: string, what: string, ms?: number): Promise<PublishDiagnosticsParams> {
    const arrived = new Promise<PublishDiagnosticsParams>((resolve) => this.waiters.push({ match: (p) => p.uri === uri, resolve }));
    return this.deadline(arrived, what, ms);
  }

  /** The first publication (already received or still to come) for `uri` that satisfies `match`. */
  wait(uri: string, match: (p: PublishDiagnosticsParams) => boolean, what: string, ms?: number): Promise<PublishDiagnosticsParams> {
    const test = (p: PublishDiagnosticsParams) => p.uri === uri && match(p);
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    const arrived = new Promise<PublishDiagnosticsParams>((resolve) => this.waiters.push({ match: test, resolve }));
    return this.deadline(arrived, what, ms);
  }

  /** How many publications for `uri` arrived so far. */
  count(uri: string): number {
    return this.received.reduce((n, p) => n + (p.uri === uri ? 1 : 0), 0);
  }

  /** The `n`-th publication for `uri` (1-based), already received or still to come. */
  nth(uri: string, n: number, what: string, ms?: number): Promise<PublishDiagnosticsParams> {
    let seen = 0;
    return this.wait(uri, () => ++seen === n, what, ms);
  }
}

export interface ServerOptions {
  /** what the fake client answers to `workspace/configuration` for section `dockerlens` */
  settings: Record<string, unknown>;
  /** default: SERVER */
  serverPath?: string;
  /** options for node itself, before the server's path (e.g. --max-old-space-size=…) */
  nodeArgs?: readonly string[];
  /** environment variables added to this process's for the server */
  env?: Readonly<Record<string, string>>;
}

/** A running server and what the fake client saw of it. */
export class ServerHarness {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly protocolErrors: string[] = [];
  readonly logMessages: LogMessageParams[] = [];
  readonly configurationRequests: ConfigurationItem[] = [];
  readonly sentMethods: string[] = [];
  /** every dockerlens/modelChanged the server sent */
  readonly modelChanges: { uri: string; version: number }[] = [];
  readonly diagnostics: DiagnosticsLog;
  private stderrText = '';

  constructor(options: ServerOptions) {
    const server = options.serverPath ?? SERVER;
    assert.ok(existsSync(server), `${server} is missing: run \`node esbuild.js --tests\` first`);
    this.diagnostics = new DiagnosticsLog((promise, what, ms) => this.deadline(promise, what, ms));
    this.child = spawn(process.execPath, [...(options.nodeArgs ?? []), server, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
    const child = this.child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (this.stderrText += chunk));

    const writer = new StreamMessageWriter(child.stdin);
    const write = writer.write.bind(writer);
    writer.write = (message: Message) => {
      if ('method' in message && typeof message.method === 'string') this.sentMethods.push(message.method);
      return write(message);
    };
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), writer);
    // Anything on stdout that is not a well-framed JSON-RPC message surfaces here.
    this.connection.onError(([error]) => this.protocolErrors.push(error.message));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.diagnostics.push(params));
    this.connection.onNotification(ModelChangedNotification.method, (params: { uri: string; version: number }) => {
      this.modelChanges.push(params);
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logMessages.push(params);
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests.push(...params.items);
      return params.items.map((item) => (item.section === 'dockerlens' ? options.settings : null));
    });
    this.connection.listen();
  }

  get stderr(): string {
    return this.stderrText;
  }

  get pid(): number {
    assert.ok(this.child.pid !== undefined, 'the server process has no pid');
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Why a wait may have failed: the server's exit and the tail of its stderr. */
  stderrHint(): string {
    const exitNote = !this.running ? ` The server exited (code ${this.child.exitCode}, signal ${this.child.signalCode}).` : '';
    return `${exitNote}${this.stderrText ? ` Server stderr:\n${this.stderrText.slice(-2000)}` : ''}`;
  }

  deadline<T>(promise: Promise<T>, what: string, ms = DEADLINE_MS): Promise<T> {
    return withDeadline(promise, what, ms, () => this.stderrHint());
  }

  /** The response to a request, within the deadline. */
  request<R>(promise: Promise<R>, what: string, ms = DEADLINE_MS): Promise<R> {
    return this.deadline(promise, `the response to ${what}`, ms);
  }

  /** initialize (with `capabilities` and the rest of `params` as given) then initialized. */
  async initialize(params: Partial<InitializeParams> & Pick<InitializeParams, 'capabilities'>): Promise<InitializeResult> {
    const result = await this.request(
      this.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, locale: 'en', ...params }),
      'initialize',
    );
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** shutdown, exit, and the process's exit status. */
  async shutdown(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await this.request(this.connection.sendRequest(ShutdownRequest.type), 'shutdown');
    await this.connection.sendNotification(ExitNotification.type);
    return this.deadline(this.exited, 'the server process to exit after shutdown + exit');
  }

  /** Drops the connection and kills the process if it still runs (for `after` hooks). */
  dispose(): void {
    this.connection.dispose();
    if (this.running) this.child.kill();
  }
}

/** The markdown of a hover; fails the test on null or on plain text. */
export function markdown(result: Hover | null): string {
  assert.ok(result, 'expected a hover, got null');
  const contents = result.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}
