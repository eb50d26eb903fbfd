/**
 * What a layer is made of, as the layers panel shows it under an expanded row: the size pass's
 * `LayerBreakdown` turned into rows with every text in the user's language, sizes in the same
 * words as everywhere else (sizeText), a bar fraction, the editor position of the instruction that
 * brings each entry in, and bounded: a huge tree is cut into pages, the rest listed on demand
 * through `dockerlens/breakdown`. Pure: no vscode import, so tests load it directly.
 */
import { say, type Locale, type Text } from '../server/src/service/explain';
import { BREAKDOWN_WORDS, KIND_WORDS } from '../server/src/service/features/breakdownText';
import { formatBytes, formatFigure, formatShort, sourceName } from '../server/src/service/features/sizeText';
import { escapeControls } from '../server/src/service/features/visibleText';
import type {
  BreakdownEntry, BreakdownEntryKind, BreakdownFlag, DockerfileModel, InstructionInfo, Layer, LayerBreakdown, SizeFigure, SizeSource, Stage,
} from '../server/src/service/types';

/** Entries shown per folder (and at the top) before the rest goes into a "more" row. */
export const BREAKDOWN_PAGE = 100;
/** Entries of one layer sent with the model, all levels together; deeper folders load on demand. */
export const BREAKDOWN_BUDGET = 400;
/** The most entries one on-demand answer may carry to the webview. */
export const BREAKDOWN_MAX_LIMIT = 2000;
/** Names longer than this are cut in the middle: the start and the end say the most about a path. */
const MAX_NAME = 160;

/** The rest of a folder (or of the top level) that is not listed yet. */
export interface BreakdownMoreView {
  entries: number;
  bytes: number;
  /** `120 more, 3.4 MB (estimated)` */
  text: string;
}

export interface BreakdownFlagView {
  flag: BreakdownFlag;
  /** `wasted`, `probably unintended` */
  text: string;
}

/** Where a click on an entry takes the editor: the instruction, at the word that brings the entry in when it is written there. */
export interface EditorSpot {
  /** 0-based line */
  line: number;
  /** 0-based columns of the word on that line, or null for the whole line */
  span: { start: number; end: number } | null;
}

export interface BreakdownEntryView {
  /** the entry's path from the layer's root (files, folders) or its name: what a breakdown request asks for */
  path: string;
  /** the name to show: relative to its folder, control and direction characters made visible, long names cut in the middle */
  name: string;
  kind: BreakdownEntryKind;
  /** `folder`, `apt package`, `cache` */
  kindText: string;
  bytes: number | null;
  /** short size (`3.4 MB~`, `?`) */
  size: string;
  /** the size with its range and source */
  sizeFull: string;
  source: SizeSource;
  sourceText: string;
  /** bytes / the layer's bytes, 0..1 (0 when unknown) */
  fraction: number;
  /** `12% of the layer`, empty when unknown */
  share: string;
  /** `requested`, `dependency of curl`; empty for files */
  roleText: string;
  flags: BreakdownFlagView[];
  /** why it is flagged, or what it is, in the user's language; may be empty */
  note: string;
  /** `12 files` for folders; empty otherwise */
  filesText: string;
  /** where a click takes the editor */
  at: EditorSpot;
  /** listed children, largest first; null when not listed (ask for them when `lazy`) */
  children: BreakdownEntryView[] | null;
  /** a folder whose children the server lists on demand */
  lazy: boolean;
  /** children not listed in `children` */
  more: BreakdownMoreView | null;
  /** the whole entry in one sentence, for screen readers */
  label: string;
}

export interface BreakdownView {
  kind: LayerBreakdown['kind'];
  /** `Files this layer copies` */
  heading: string;
  /** the tree's accessible name: `Inside layer 2` */
  label: string;
  /** the layer's size the bars are relative to (bytes), 0 when unknown */
  total: number;
  entries: BreakdownEntryView[];
  more: BreakdownMoreView | null;
  /** what the same RUN removes: not in the layer */
  removedHeading: string;
  removed: BreakdownEntryView[];
  /** `--no-install-recommends would leave out …`, or empty */
  withoutRecommends: string;
}

/** One folder's entries listed on demand, or why they cannot be. */
export type BreakdownPageView = { entries: BreakdownEntryView[]; more: BreakdownMoreView | null } | { failed: string };

const T = {
  headingFiles: { en: 'Files this layer copies', ko: '이 레이어가 복사하는 파일' },
  headingPackages: { en: 'Packages this layer installs', ko: '이 레이어가 설치하는 패키지' },
  headingRun: { en: 'What this RUN leaves in the layer', ko: '이 RUN이 레이어에 남기는 것' },
  headingBase: { en: 'Layers of the base image', ko: '베이스 이미지의 레이어' },
  label: { en: 'Inside layer {number}', ko: '레이어 {number}의 내용' },
  kindManagerPackage: { en: '{manager} package', ko: '{manager} 패키지' },
  kindOther: { en: 'other changes', ko: '기타 변경' },
  roleRequested: { en: 'requested', ko: '직접 요청' },
  roleDependency: { en: 'dependency', ko: '의존성' },
  roleDependencyOf: { en: 'dependency of {by}', ko: '{by}의 의존성' },
  roleRecommended: { en: 'recommended', ko: '추천 패키지' },
  roleRecommendedBy: { en: 'recommended by {by}', ko: '{by}의 추천 패키지' },
  flagUnintended: { en: 'probably unintended', ko: '의도하지 않은 듯' },
  flagRemovedHere: { en: 'removed in the same RUN', ko: '같은 RUN에서 삭제' },
  flagRecommended: { en: 'left out by --no-install-recommends', ko: '--no-install-recommends면 빠짐' },
  share: { en: '{percent} of the layer', ko: '레이어의 {percent}' },
  moreOne: { en: '1 more, {size}', ko: '1개 더, {size}' },
  moreMany: { en: '{count} more, {size}', ko: '{count}개 더, {size}' },
  removed: { en: 'Removed by the same RUN (not in the layer)', ko: '같은 RUN에서 지운 것 (레이어에 없음)' },
  withoutRecommends: {
    en: '--no-install-recommends would leave out {count} package(s), {size}',
    ko: '--no-install-recommends를 쓰면 패키지 {count}개, {size}가 빠집니다',
  },
  pageUnknown: { en: 'What this folder holds is not known.', ko: '이 폴더에 무엇이 있는지 알 수 없습니다.' },
  pageFailed: { en: 'The folder could not be listed: {error}', ko: '폴더 내용을 가져오지 못했습니다: {error}' },
} satisfies Record<string, Text>;

const HEADING: Record<LayerBreakdown['kind'], Text> = { files: T.headingFiles, packages: T.headingPackages, run: T.headingRun, base: T.headingBase };
const KIND: Record<Exclude<BreakdownEntryKind, 'package'>, Text> = {
  folder: KIND_WORDS.folder, file: KIND_WORDS.file, cache: KIND_WORDS.cache, history: KIND_WORDS.history, other: T.kindOther,
};
const FLAG: Record<BreakdownFlag, Text> = {
  wasted: BREAKDOWN_WORDS.wasted, unintended: T.flagUnintended, 'removed-here': T.flagRemovedHere, recommended: T.flagRecommended,
};

/** The word a size source has in formatFigure (`estimated`, `bundled data`): the same words, so the badge and the full figure never disagree. */
export function sourceWord(source: SizeSource, locale: Locale): string {
  return sourceName(source, locale);
}

/** A name as text that shows what it is: control and direction characters escaped, long names cut in the middle. */
export function visibleName(name: string): string {
  const shown = escapeControls(name);
  if (shown.length <= MAX_NAME) return shown;
  const head = Math.ceil((MAX_NAME - 1) * 0.6);
  return `${shown.slice(0, head)}…${shown.slice(shown.length - (MAX_NAME - 1 - head))}`;
}

const trimSlash = (path: string) => path.replace(/\/+$/, '');

/** A child's path from the layer's root, whether the size pass named it from the root or from its folder. */
function childPath(parent: string, name: string): string {
  const base = trimSlash(parent);
  if (!base) return name;
  return name.startsWith(`${base}/`) ? name : `${base}/${name}`;
}

/** The part of `path` below its folder, for showing. */
function nameIn(parent: string, path: string): string {
  const base = trimSlash(parent);
  return base && path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
}

// A package name stands alone in a command: after a space or a quote, before a space, a quote or
// a version/extra/arch suffix (`curl=8.5`, `flask[async]>=3`, `left-pad@1`, `libc6:amd64`).
const WORD_BEFORE = /[\s'"]/;
const WORD_AFTER = /[\s'"=<>~!@[\];,:\\]/;

/** The line and columns of `word` in an instruction's text as a whole word, or null. */
export function locateWord(instruction: InstructionInfo, word: string): EditorSpot | null {
  if (!word) return null;
  const lines = instruction.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      const before = at === 0 ? ' ' : text[at - 1]!;
      const after = text[at + word.length] ?? ' ';
      if (WORD_BEFORE.test(before) && WORD_AFTER.test(after)) {
        const offset = i === 0 ? instruction.range.start.character : 0;
        return { line: instruction.range.start.line + i, span: { start: offset + at, end: offset + at + word.length } };
      }
    }
  }
  return null;
}

interface Context {
  locale: Locale;
  instruction: InstructionInfo | undefined;
  /** the instruction's first line: where entries without a word of their own lead */
  line: number;
  total: number;
  /** entries this view may still list */
  budget: number;
}

function figureOf(entry: BreakdownEntry): SizeFigure {
  return { bytes: entry.bytes, low: entry.low, high: entry.high, compressed: null, source: entry.source, detail: '' };
}

function kindText(entry: BreakdownEntry, locale: Locale): string {
  if (entry.kind !== 'package') return say(KIND[entry.kind], locale);
  return entry.manager ? say(T.kindManagerPackage, locale, { manager: entry.manager }) : say(KIND_WORDS.package, locale);
}

function roleText(entry: BreakdownEntry, locale: Locale): string {
  const by = entry.pulledBy ? { by: entry.pulledBy } : undefined;
  switch (entry.role) {
    case 'requested': return say(T.roleRequested, locale);
    case 'dependency': return by ? say(T.roleDependencyOf, locale, by) : say(T.roleDependency, locale);
    case 'recommended': return by ? say(T.roleRecommendedBy, locale, by) : say(T.roleRecommended, locale);
    default: return '';
  }
}

/**
 * A package leads to its name in the command; one pulled in by another leads to that one's name
 * when it is written there; everything else to the instruction's first line.
 */
function spotOf(entry: BreakdownEntry, ctx: Context): EditorSpot {
  const whole = { line: ctx.line, span: null };
  if (entry.kind !== 'package' || !ctx.instruction) return whole;
  return locateWord(ctx.instruction, entry.name) ?? (entry.pulledBy ? locateWord(ctx.instruction, entry.pulledBy) : null) ?? whole;
}

function moreView(more: { entries: number; bytes: number }, source: SizeSource, locale: Locale): BreakdownMoreView {
  const size = `${formatBytes(more.bytes)} (${sourceWord(source, locale)})`;
  const text = more.entries === 1 ? say(T.moreOne, locale, { size }) : say(T.moreMany, locale, { count: more.entries, size });
  return { entries: more.entries, bytes: more.bytes, text };
}

/** One entry without its children (they are filled breadth-first by `listed`). */
function entryView(entry: BreakdownEntry, path: string, parent: string, ctx: Context): BreakdownEntryView {
  const { locale } = ctx;
  const figure = figureOf(entry);
  const fraction = entry.bytes !== null && ctx.total > 0 ? Math.min(1, Math.max(0, entry.bytes / ctx.total)) : 0;
  const share = entry.bytes !== null && ctx.total > 0
    ? say(T.share, locale, { percent: `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.1 ? 1 : 0)}%` })
    : '';
  const name = visibleName(entry.kind === 'folder' || entry.kind === 'file' ? nameIn(parent, path) : entry.label?.[ctx.locale] ?? entry.name);
  const flags = [...new Set(entry.flags ?? [])].filter((f) => f in FLAG).map((flag) => ({ flag, text: say(FLAG[flag], locale) }));
  const files = entry.kind === 'folder' && entry.files !== undefined
    ? (entry.files === 1 ? say(BREAKDOWN_WORDS.oneFile, locale) : say(BREAKDOWN_WORDS.files, locale, { count: entry.files }))
    : '';
  const view: BreakdownEntryView = {
    path,
    name,
    kind: entry.kind,
    kindText: kindText(entry, locale),
    bytes: entry.bytes,
    size: formatShort(figure),
    sizeFull: formatFigure(figure, locale),
    source: entry.source,
    sourceText: sourceWord(entry.source, locale),
    fraction,
    share,
    roleText: roleText(entry, locale),
    flags,
    note: entry.note ? say(entry.note, locale) : '',
    filesText: files,
    at: spotOf(entry, ctx),
    children: null,
    lazy: entry.kind === 'folder' && ((entry.files ?? 0) > 0 || (entry.children?.length ?? 0) > 0 || (entry.more?.entries ?? 0) > 0),
    more: null,
    label: '',
  };
  view.label = [view.name, view.kindText, view.sizeFull, view.roleText, ...flags.map((f) => f.text), files, share, view.note].filter(Boolean).join(', ');
  return view;
}

/**
 * A folder's entries (or the top level's) as views, children breadth-first while the budget
 * lasts: the largest folders near the top come with their contents, deeper ones load on demand.
 */
function listed(
  entries: readonly BreakdownEntry[],
  parent: string,
  more: { entries: number; bytes: number } | undefined,
  source: SizeSource,
  ctx: Context,
  cap: number,
): { entries: BreakdownEntryView[]; more: BreakdownMoreView | null } {
  const queue: { entry: BreakdownEntry; view: BreakdownEntryView }[] = [];
  const page = (list: readonly BreakdownEntry[], folder: string, rest: { entries: number; bytes: number } | undefined, folderSource: SizeSource, limit: number) => {
    const shown = list.slice(0, Math.max(0, Math.min(limit, ctx.budget)));
    ctx.budget -= shown.length;
    const views = shown.map((entry) => {
      const view = entryView(entry, entry.kind === 'folder' || entry.kind === 'file' ? childPath(folder, entry.name) : entry.name, folder, ctx);
      queue.push({ entry, view });
      return view;
    });
    const left = list.slice(shown.length);
    const restEntries = (rest?.entries ?? 0) + left.length;
    const restBytes = (rest?.bytes ?? 0) + left.reduce((sum, e) => sum + (e.bytes ?? 0), 0);
    return { entries: views, more: restEntries > 0 ? moreView({ entries: restEntries, bytes: restBytes }, folderSource, ctx.locale) : null };
  };
  const top = page(entries, parent, more, source, cap);
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { entry, view } = next;
    if (!entry.children || entry.children.length === 0 || ctx.budget <= 0) continue;
    const inside = page(entry.children, view.path, entry.more, entry.source, BREAKDOWN_PAGE);
    view.children = inside.entries;
    view.more = inside.more;
  }
  return top;
}

/** The source the entries share, for the figures summed from them (`more`); undefined when they differ. */
function sharedSource(entries: readonly BreakdownEntry[]): SizeSource | undefined {
  const sources = new Set(entries.map((e) => e.source));
  return sources.size === 1 ? entries[0]!.source : undefined;
}

/** The bytes the bars are relative to: the layer's size, or the sum of its entries when that is larger or the size unknown. */
function totalOf(layer: Layer, breakdown: LayerBreakdown): number {
  const listedBytes = breakdown.entries.reduce((sum, e) => sum + (e.bytes ?? 0), 0) + (breakdown.more?.bytes ?? 0);
  return Math.max(layer.size?.bytes ?? 0, listedBytes);
}

function contextOf(stage: Stage, layer: Layer, locale: Locale, total: number, budget: number): Context {
  const instruction = stage.instructions[layer.instruction];
  return { locale, instruction, line: instruction?.range.start.line ?? stage.range.start.line, total, budget };
}

/**
 * The base image's own layers as a breakdown, for base rows the size pass left without one: one
 * history line per layer, largest first.
 */
function baseHistory(stage: Stage): LayerBreakdown | undefined {
  const layers = stage.sizes?.baseImage?.layers;
  if (!layers || layers.length === 0) return undefined;
  const entries: BreakdownEntry[] = layers.map((part) => ({
    kind: 'history',
    name: `${part.digest.replace(/^sha256:/, '').slice(0, 12)}${part.createdBy ? `  ${part.createdBy.replace(/\s+/g, ' ').trim()}` : ''}`,
    bytes: part.size.bytes,
    low: part.size.low,
    high: part.size.high,
    source: part.size.source,
  }));
  return { kind: 'base', entries: entries.sort((a, b) => (b.bytes ?? -1) - (a.bytes ?? -1)) };
}

/** The breakdown under a layer row, or null when the size pass knows nothing of what the layer holds. */
export function buildBreakdownView(stage: Stage, layer: Layer, locale: Locale): BreakdownView | null {
  const breakdown = layer.breakdown ?? (layer.kind === 'base' ? baseHistory(stage) : undefined);
  if (!breakdown) return null;
  const total = totalOf(layer, breakdown);
  const ctx = contextOf(stage, layer, locale, total, BREAKDOWN_BUDGET);
  const source = layer.size?.source ?? 'estimate';
  const top = listed(breakdown.entries, '', breakdown.more, sharedSource(breakdown.entries) ?? source, ctx, BREAKDOWN_PAGE);
  const removedCtx = { ...ctx, budget: BREAKDOWN_PAGE };
  const removed = listed(breakdown.removed ?? [], '', undefined, source, removedCtx, BREAKDOWN_PAGE).entries;
  const without = breakdown.withoutRecommends;
  return {
    kind: breakdown.kind,
    heading: say(HEADING[breakdown.kind], locale),
    label: say(T.label, locale, { number: layer.number }),
    total,
    entries: top.entries,
    more: top.more,
    removedHeading: say(T.removed, locale),
    removed,
    withoutRecommends: without && without.packages > 0
      ? say(T.withoutRecommends, locale, { count: without.packages, size: `${formatBytes(without.bytes)} (${sourceWord(source, locale)})` })
      : '',
  };
}

/**
 * One folder's entries as the server listed them on demand (`dockerlens/breakdown`), as views
 * with the same bars and editor positions as the model's own. `answer` null: not known.
 */
export function buildBreakdownPage(
  model: DockerfileModel,
  stageIndex: number,
  layerNumber: number,
  path: string,
  answer: { entries: BreakdownEntry[]; more?: { entries: number; bytes: number } } | null,
  locale: Locale,
): BreakdownPageView {
  const stage = model.stages[stageIndex];
  const layer = stage?.layers.find((l) => l.number === layerNumber);
  if (!answer || !stage || !layer || !Array.isArray(answer.entries)) return { failed: say(T.pageUnknown, locale) };
  const breakdown = layer.breakdown ?? { kind: 'files' as const, entries: [] };
  const total = Math.max(totalOf(layer, breakdown), path === '' ? answer.entries.reduce((sum, e) => sum + (e.bytes ?? 0), 0) : 0);
  const ctx = contextOf(stage, layer, locale, total, BREAKDOWN_MAX_LIMIT);
  const source = sharedSource(answer.entries) ?? layer.size?.source ?? 'estimate';
  return listed(answer.entries, path, answer.more, source, ctx, BREAKDOWN_MAX_LIMIT);
}

/** The page the webview shows when asking failed. */
export function failedBreakdownPage(error: string, locale: Locale): BreakdownPageView {
  return { failed: say(T.pageFailed, locale, { error }) };
}
