/**
 * Messages between the extension and the layers webview, both directions, as discriminated unions
 * on `type`. Anything that arrives is checked with these validators first: a message that is not
 * one of these shapes is ignored (and logged), never half-handled. The webview runs these same
 * checks: esbuild.js bundles this module into `dist/media/webviewMessages.js`, the global
 * `DockerlensMessages` that `media/layers.js` calls, so it imports types only.
 */
import type { BreakdownPageView, Locale, LayersView, UiStrings } from './layersView';
import type { ImagesView } from './imagesView';

export type { BreakdownPageView, LayersView, UiStrings } from './layersView';
export type { ImagesView } from './imagesView';

/** extension → webview */
export type ToWebview =
  /** the webview's own labels; sent first after every `ready` */
  | { type: 'locale'; locale: Locale; strings: UiStrings }
  /** a fresh view of the document `uri` at `version` */
  | { type: 'model'; uri: string; version: number; view: LayersView }
  /** the editor's cursor moved to `stage` (and `layer`, when the line makes one) */
  | { type: 'select'; uri: string; stage: number; layer: number | null }
  /** nothing to draw: no Dockerfile open, not analysed, or the request failed */
  | { type: 'empty'; message: string }
  /** the workspace's images side by side with their shared layers */
  | { type: 'images'; view: ImagesView }
  /** the answer to a `listBreakdown`: one folder of a layer's contents (`path` '' for the top) */
  | { type: 'breakdownPage'; uri: string; request: number; stage: number; layer: number; path: string; page: BreakdownPageView }
  /** whether the Run and Ship explainers start unfolded (open the first time, then as the user left them) */
  | { type: 'explainers'; open: boolean };

/** webview → extension */
export type FromWebview =
  /** the script is loaded and listening: send the labels and the current view */
  | { type: 'ready' }
  /**
   * go to an instruction: reveal `line` (0-based) of `uri` in its editor and select it, or only the
   * columns `start`..`end` of it when given (a package's name in a RUN)
   */
  | { type: 'reveal'; uri: string; line: number; start?: number; end?: number }
  /**
   * list what a folder of a layer's contents holds (`path` '' for the top), at most `limit`
   * entries; the answer is a `breakdownPage` with the same `request`
   */
  | { type: 'listBreakdown'; uri: string; request: number; stage: number; layer: number; path: string; limit: number }
  /** something the webview wants in the extension's log (e.g. a message it ignored) */
  | { type: 'log'; message: string }
  /** the user folded or unfolded the Run and Ship explainers: remembered for the next panels */
  | { type: 'explainersToggled'; open: boolean };

export type WebviewMessage = ToWebview | FromWebview;

type Shape = Record<string, unknown>;

export const isObject = (x: unknown): x is Shape => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isString = (x: unknown): x is string => typeof x === 'string';
export const isLine = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
export const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isStringArray = (x: unknown): x is string[] => Array.isArray(x) && x.every(isString);
const hasStrings = (x: Shape, keys: readonly string[]) => keys.every((k) => isString(x[k]));

const LOCALES: readonly unknown[] = ['en', 'ko'] satisfies Locale[];
const STAGE_ROLES: readonly unknown[] = ['target', 'needed', 'unused'];
const LAYER_KINDS: readonly unknown[] = ['base', 'stage', 'filesystem'];
// The webview also uses the lists below to pick CSS classes only from known values.
export const SOURCES: readonly unknown[] = ['exact', 'bundled', 'registry', 'engine', 'estimate', 'unknown', 'partial'];
const BREAKDOWN_KINDS: readonly unknown[] = ['files', 'packages', 'run', 'base'];
export const ENTRY_KINDS: readonly unknown[] = ['folder', 'file', 'package', 'cache', 'history', 'other'];
export const FLAGS: readonly unknown[] = ['wasted', 'unintended', 'removed-here', 'recommended'];

const UI_KEYS = [
  'treeLabel', 'waiting', 'notAnalysed', 'failed', 'feeds', 'reads', 'noLayers', 'colLayer', 'colSize', 'colCompressed',
  'colSource', 'colInstruction', 'size', 'compressed', 'source', 'notes', 'cache', 'line', 'wasted', 'lateCleanup', 'overwrites',
  'cacheReusedBadge', 'cacheRebuiltBadge',
  'showDetails', 'hideDetails', 'keyboardHelp', 'goToStage', 'sortBy', 'sortSize', 'sortName', 'filterPlaceholder',
  'filterMatches', 'filterNone', 'filterUnlisted', 'listing', 'listMore', 'contentsHelp',
] as const satisfies readonly (keyof UiStrings)[];

export function isUiStrings(x: unknown): x is UiStrings {
  return isObject(x) && hasStrings(x, UI_KEYS);
}

function isEdge(x: unknown): boolean {
  return isObject(x) && hasStrings(x, ['kind', 'name', 'kindText']) && isLine(x.line) && (x.stage === undefined || isLine(x.stage));
}

function isMore(x: unknown): boolean {
  return x === null || (isObject(x) && isLine(x.entries) && isNumber(x.bytes) && x.bytes >= 0 && isString(x.text));
}

function isSpot(x: unknown): boolean {
  return isObject(x) && isLine(x.line)
    && (x.span === null || (isObject(x.span) && isLine(x.span.start) && isLine(x.span.end) && x.span.start <= x.span.end));
}

function isEntry(x: unknown): boolean {
  return isObject(x)
    && hasStrings(x, ['path', 'name', 'kindText', 'size', 'sizeFull', 'sourceText', 'share', 'roleText', 'note', 'filesText', 'label'])
    && ENTRY_KINDS.includes(x.kind) && SOURCES.includes(x.source)
    && (x.bytes === null || isNumber(x.bytes))
    && isNumber(x.fraction) && x.fraction >= 0 && x.fraction <= 1
    && Array.isArray(x.flags) && x.flags.every((f) => isObject(f) && FLAGS.includes(f.flag) && isString(f.text))
    && isSpot(x.at)
    && (x.children === null || (Array.isArray(x.children) && x.children.every(isEntry)))
    && typeof x.lazy === 'boolean'
    && isMore(x.more);
}

function isBreakdown(x: unknown): boolean {
  return x === null || (isObject(x)
    && BREAKDOWN_KINDS.includes(x.kind)
    && hasStrings(x, ['heading', 'label', 'removedHeading', 'withoutRecommends'])
    && isNumber(x.total) && x.total >= 0
    && Array.isArray(x.entries) && x.entries.every(isEntry)
    && isMore(x.more)
    && Array.isArray(x.removed) && x.removed.every(isEntry));
}

export function isBreakdownPage(x: unknown): x is BreakdownPageView {
  return isObject(x) && (isString(x.failed) || (Array.isArray(x.entries) && x.entries.every(isEntry) && isMore(x.more)));
}

function isRow(x: unknown): boolean {
  return isObject(x)
    && hasStrings(x, ['id', 'kindText', 'text', 'size', 'sizeFull', 'compressed', 'sourceText', 'detail', 'cache', 'cacheText', 'label'])
    && LAYER_KINDS.includes(x.kind)
    && isLine(x.stage) && isLine(x.number) && isLine(x.line)
    && (x.bytes === null || isNumber(x.bytes))
    && isNumber(x.fraction) && x.fraction >= 0 && x.fraction <= 1
    && (x.source === null || isString(x.source))
    && Array.isArray(x.wasted) && x.wasted.every((w) => isObject(w) && isString(w.text) && isNumber(w.bytes) && (w.role === 'written' || w.role === 'removes' || w.role === 'overwrites'))
    && isStringArray(x.notes)
    && isBreakdown(x.breakdown)
    && (x.built === undefined || (isObject(x.built) && hasStrings(x.built, ['badge', 'text'])));
}

function isStage(x: unknown): boolean {
  return isObject(x)
    && hasStrings(x, ['name', 'heading', 'base', 'roleText', 'ownLayers', 'total', 'totalFull'])
    && isLine(x.index) && isLine(x.line) && STAGE_ROLES.includes(x.role)
    && Array.isArray(x.feeds) && x.feeds.every(isEdge)
    && Array.isArray(x.reads) && x.reads.every(isEdge)
    && Array.isArray(x.layers) && x.layers.every(isRow);
}

function isRun(x: unknown): boolean {
  return x === null || (isObject(x) && isString(x.heading) && isStringArray(x.points)
    && Array.isArray(x.stack) && x.stack.every((e) => isObject(e) && hasStrings(e, ['kind', 'label', 'size'])));
}

function isShip(x: unknown): boolean {
  return x === null || (isObject(x) && isString(x.heading) && isStringArray(x.points)
    && Array.isArray(x.figures) && x.figures.every((f) => isObject(f) && hasStrings(f, ['label', 'value'])));
}

export function isLayersView(x: unknown): x is LayersView {
  return isObject(x)
    && LOCALES.includes(x.locale)
    && hasStrings(x, ['title', 'summary', 'cacheNote'])
    && (x.empty === undefined || isString(x.empty))
    && (x.lastBuild === undefined || isStringArray(x.lastBuild))
    && Array.isArray(x.stages) && x.stages.every(isStage)
    && isRun(x.run) && isShip(x.ship);
}

function isImageLayer(x: unknown): boolean {
  return isObject(x)
    && hasStrings(x, ['id', 'key', 'label', 'size', 'sharedText', 'aria'])
    && isStringArray(x.sharedWith)
    && (x.color === null || isLine(x.color));
}

export function isImagesView(x: unknown): x is ImagesView {
  return isObject(x)
    && LOCALES.includes(x.locale)
    && hasStrings(x, ['heading', 'help'])
    && (x.empty === undefined || isString(x.empty))
    && isStringArray(x.summary) && isStringArray(x.notes)
    && Array.isArray(x.images) && x.images.every((i) => isObject(i) && hasStrings(i, ['name', 'uri', 'total'])
      && Array.isArray(i.layers) && i.layers.every(isImageLayer));
}

export function isToWebview(x: unknown): x is ToWebview {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'locale': return LOCALES.includes(x.locale) && isUiStrings(x.strings);
    case 'model': return isString(x.uri) && isLine(x.version) && isLayersView(x.view);
    case 'select': return isString(x.uri) && isLine(x.stage) && (x.layer === null || isLine(x.layer));
    case 'empty': return isString(x.message);
    case 'images': return isImagesView(x.view);
    case 'breakdownPage': return isString(x.uri) && isLine(x.request) && isLine(x.stage) && isLine(x.layer) && isString(x.path) && isBreakdownPage(x.page);
    case 'explainers': return typeof x.open === 'boolean';
    default: return false;
  }
}

export function isFromWebview(x: unknown): x is FromWebview {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'ready': return true;
    case 'reveal':
      return isString(x.uri) && isLine(x.line)
        && (x.start === undefined ? x.end === undefined : isLine(x.start) && isLine(x.end) && x.start <= x.end);
    case 'listBreakdown':
      return isString(x.uri) && isLine(x.request) && isLine(x.stage) && isLine(x.layer) && isString(x.path) && isLine(x.limit) && x.limit >= 1;
    case 'log': return isString(x.message);
    case 'explainersToggled': return typeof x.open === 'boolean';
    default: return false;
  }
}

/** Any message of either direction; each side checks with the narrower `isFromWebview`/`isToWebview`. */
export function isWebviewMessage(x: unknown): x is WebviewMessage {
  return isToWebview(x) || isFromWebview(x);
}

/** A short description of a rejected message for the log, without echoing all of it. */
export function describeMessage(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x !== 'object') return `a ${typeof x}`;
  const type = (x as Shape).type;
  return isString(type) ? `a '${type.slice(0, 40)}' message of the wrong shape` : 'an object without a type';
}
