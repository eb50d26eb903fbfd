/**
 * Runs `media/layers.js` in a happy-dom window the way a VS Code webview would: the page the panel
 * writes (a `#app` element), a fake `acquireVsCodeApi` that records what the script posts and
 * saves, and `send` for messages from the extension.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDockerfile } from '../../server/src/service';
import { estimateSizes } from '../../server/src/service/sizes/estimate';
import { aptService } from '../../server/src/service/sizes/aptService';
import { loadAptTable } from '../../server/src/sizing';
import type { DockerfileModel } from '../../server/src/service/types';

/** The repository root, from out/test/webview/ (tests run transpiled). */
export const ROOT = path.resolve(__dirname, '../../..');
export const mediaFile = (name: string) => path.join(ROOT, 'media', name);

/** A model as the server makes it without a build context: analysed, then sized (apt table included). */
export function sizedModel(text: string): DockerfileModel {
  const table = loadAptTable();
  return estimateSizes(analyzeDockerfile(text), table ? { apt: aptService(table) } : {});
}

type HappyWindow = InstanceType<typeof import('happy-dom', { with: { 'resolution-mode': 'import' } }).Window>;

export interface Webview {
  window: HappyWindow;
  document: HappyWindow['document'];
  /** every message the script posted, oldest first */
  posted: unknown[];
  /** the last state the script saved */
  state(): unknown;
  /** a message from the extension */
  send(message: unknown): void;
  /** the elements matching a selector */
  all(selector: string): HTMLLikeElement[];
  one(selector: string): HTMLLikeElement;
  key(target: HTMLLikeElement, key: string): void;
  close(): Promise<void>;
}

/** The part of a DOM element the tests use (happy-dom's own types are not the DOM lib's). */
export interface HTMLLikeElement {
  id: string;
  className: string;
  textContent: string | null;
  classList: { contains(name: string): boolean };
  dataset: Record<string, string | undefined>;
  style: { width: string };
  getAttribute(name: string): string | null;
  querySelector(selector: string): HTMLLikeElement | null;
  querySelectorAll(selector: string): ArrayLike<HTMLLikeElement>;
  click(): void;
  focus(): void;
}

/**
 * The message checks the panel loads first: protocol/webviewMessages.ts as esbuild.js bundles it
 * for the webview (built by `node esbuild.js --tests`), so the script refuses what the real one does.
 */
export const webviewChecksFile = path.join(ROOT, 'dist', 'media', 'webviewMessages.js');
const scripts = () => [readFileSync(webviewChecksFile, 'utf8'), readFileSync(mediaFile('layers.js'), 'utf8')];

export async function mountWebview(savedState?: unknown): Promise<Webview> {
  const { Window } = await import('happy-dom');
  const window = new Window({
    url: 'https://webview.test/index.html',
    settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true },
  });
  const posted: unknown[] = [];
  let saved: unknown = savedState;
  let calls = 0;
  const api = {
    postMessage: (message: unknown) => posted.push(structuredClone(message)),
    getState: () => saved,
    setState: (state: unknown) => {
      saved = structuredClone(state);
    },
  };
  Object.assign(window, {
    acquireVsCodeApi: () => {
      calls++;
      if (calls > 1) throw new Error('acquireVsCodeApi called twice');
      return api;
    },
    alert: (text: unknown) => {
      throw new Error(`alert(${String(text)}) ran: markup from the model was executed`);
    },
  });
  window.document.write('<!DOCTYPE html><html lang="en"><head></head><body><main id="app"></main></body></html>');
  for (const script of scripts()) window.eval(script);
  const doc = window.document;
  const all = (selector: string) => Array.from(doc.querySelectorAll(selector)) as unknown as HTMLLikeElement[];
  return {
    window,
    document: doc,
    posted,
    state: () => saved,
    // Messages cross the boundary as structured clones, as postMessage does.
    send: (message) => {
      window.dispatchEvent(new window.MessageEvent('message', { data: message === undefined ? undefined : structuredClone(message) }));
    },
    all,
    one: (selector) => {
      const found = all(selector);
      if (found.length !== 1) throw new Error(`${found.length} elements match ${selector}`);
      return found[0]!;
    },
    key: (target, key) => {
      (target as unknown as { dispatchEvent(e: unknown): void }).dispatchEvent(new window.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    },
    close: () => window.happyDOM.close(),
  };
}
