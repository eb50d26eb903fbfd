import { unintendedFile, unintendedFolder, type UnintendedKind } from '../data/unintendedFiles';
import type { BreakdownEntry } from './breakdown';
import { entry, exact } from './breakdownEntries';
import { lowerBound } from './context';
import type { ContextFile } from './types';

/**
 * What a COPY/ADD puts into its layer, as a folder tree: the context files it takes (from the
 * snapshot the server already scanned, never a second walk), named as they land under the
 * destination, aggregated by folder. Emitting the tree as breakdown entries is bounded: the
 * largest entries at each level, a few levels deep, the rest summed in `more`; a folder left
 * unexpanded is listed on demand (`listFolder`).
 */

/** The context files a COPY/ADD takes, named as they land under its destination. */
export interface CopySelection {
  /** the snapshot's files, which `ranges` index */
  files: readonly ContextFile[];
  /** a directory source: files[from, to) land under their path below `dir`, unless `exclude` matches that name */
  ranges: { dir: string; from: number; to: number; exclude?: (name: string) => boolean }[];
  /** a file source and the name it lands under */
  singles: { file: ContextFile; name: string }[];
}

export interface TreeFolder {
  segment: string;
  parent: TreeFolder | undefined;
  /** subfolders by name; undefined for a leaf (most folders of a big tree) */
  folders: Map<string, TreeFolder> | undefined;
  /** files directly in this folder */
  files: ContextFile[];
  /** files that land under another name than their own (a file source copied to a file path) */
  renamed: Map<ContextFile, string> | undefined;
  /** bytes and files of the whole subtree */
  bytes: number;
  count: number;
  /** the folder itself looks unintended (`.git`, `node_modules`…) */
  flag: UnintendedKind | undefined;
  /** this folder or one above it is flagged: what is inside is not flagged again */
  inFlagged: boolean;
  /** a few files of this folder that look unintended, to show them even when small */
  flagged: { file: ContextFile; name: string; kind: UnintendedKind }[] | undefined;
}

const NO_FOLDERS: ReadonlyMap<string, TreeFolder> = new Map();
const subfolders = (node: TreeFolder): ReadonlyMap<string, TreeFolder> => node.folders ?? NO_FOLDERS;
const setFolder = (parent: TreeFolder, name: string, child: TreeFolder) => (parent.folders ??= new Map()).set(name, child);

export interface FileTree {
  root: TreeFolder;
  /** false when the context scan stopped early: folder totals are then lower bounds */
  complete: boolean;
}

export interface TreeLimits {
  /** entries at the top level */
  top: number;
  /** entries under an expanded folder */
  children: number;
  /** levels shown (the top level is 1) */
  depth: number;
  /** entries in all, once the top level is listed; the largest folders are expanded first */
  budget: number;
  /** unintended files and folders shown at most, the largest first, wherever they are */
  flagged: number;
}

export const TREE_LIMITS: TreeLimits = { top: 50, children: 20, depth: 3, budget: 400, flagged: 10 };

/** flagged files remembered per folder */
const FLAGGED_PER_FOLDER = 3;

// every folder has the same fields in the same order: one object shape for V8, however many folders
const folderNode = (segment: string, parent: TreeFolder | undefined, flag: UnintendedKind | undefined): TreeFolder => ({
  segment,
  parent,
  folders: undefined,
  files: [],
  renamed: undefined,
  bytes: 0,
  count: 0,
  flag,
  inFlagged: (parent?.inFlagged ?? false) || flag !== undefined,
  flagged: undefined,
});

/**
 * The tree of a selection in one pass over its files. With `under`, only the files below that
 * folder of the destination are taken (a directory source narrows to them by binary search).
 * `destination` is the absolute folder the names are relative to.
 */
export function buildFileTree(selection: CopySelection, complete: boolean, under = '', destination = ''): FileTree {
  // copied into a folder that itself looks unintended (`COPY … node_modules/`): nothing inside is flagged again
  const root = folderNode('', undefined, undefined);
  root.inFlagged = unintendedFolder(baseName(destination)) !== undefined;
  const byPath = new Map<string, TreeFolder>([['', root]]);
  // in creation order: a folder comes before its subfolders
  const order: TreeFolder[] = [root];
  const folderAt = (path: string): TreeFolder => {
    const known = byPath.get(path);
    if (known) return known;
    const slash = path.lastIndexOf('/');
    const parent = folderAt(slash < 0 ? '' : path.slice(0, slash));
    const segment = path.slice(slash + 1);
    const node = folderNode(segment, parent, parent.inFlagged ? undefined : unintendedFolder(segment));
    setFolder(parent, segment, node);
    byPath.set(path, node);
    order.push(node);
    return node;
  };
  const add = (folder: TreeFolder, file: ContextFile, text: string, nameStart: number) => {
    folder.files.push(file);
    folder.bytes += file.size;
    if (folder.inFlagged || (folder.flagged?.length ?? 0) >= FLAGGED_PER_FOLDER) return;
    const kind = unintendedFile(text, nameStart);
    if (kind) (folder.flagged ??= []).push({ file, name: text.slice(nameStart), kind });
  };

  const files = selection.files;
  for (const range of selection.ranges) {
    const cut = range.dir === '' ? 0 : range.dir.length + 1;
    let { from, to } = range;
    if (under !== '') {
      const prefix = `${range.dir === '' ? '' : `${range.dir}/`}${under}`;
      from = Math.max(from, lowerBound(files, (f) => f.path, `${prefix}/`));
      to = Math.min(to, lowerBound(files, (f) => f.path, `${prefix}0`));
    }
    // Files come sorted by path, so most share the folder of the one before: no lookup, no slice.
    let lastDir = '\0';
    let lastFolder = root;
    for (let i = from; i < to; i++) {
      const file = files[i]!;
      const path = file.path;
      if (range.exclude?.(path.slice(cut))) continue;
      const slash = path.lastIndexOf('/');
      let folder: TreeFolder;
      if (slash < cut) folder = root;
      else if (slash - cut === lastDir.length && path.startsWith(lastDir, cut)) folder = lastFolder;
      else {
        lastDir = path.slice(cut, slash);
        folder = lastFolder = folderAt(lastDir);
      }
      add(folder, file, path, slash + 1);
    }
  }
  if (under === '') {
    for (const { file, name } of selection.singles) {
      add(root, file, name, 0);
      if (name !== baseName(file.path)) (root.renamed ??= new Map()).set(file, name);
    }
  }
  // Parents are created before their children: backwards, each subtree is summed before its parent.
  for (const node of order) node.count = node.files.length;
  for (let i = order.length - 1; i > 0; i--) {
    const node = order[i]!;
    node.parent!.bytes += node.bytes;
    node.parent!.count += node.count;
  }
  return { root, complete };
}

/** One folder made of others placed at paths below it (COPY --from of several trees); the trees are not changed. */
export function placeTrees(placements: { node: TreeFolder; at: string }[]): TreeFolder {
  const root = folderNode('', undefined, undefined);
  const made = new Set<TreeFolder>([root]);
  for (const { node, at } of placements) {
    const segments = at.split('/').filter(Boolean);
    if (segments.length === 0) {
      for (const [name, child] of subfolders(node)) setFolder(root, name, child);
      root.files.push(...node.files);
      if (node.renamed) root.renamed = new Map([...(root.renamed ?? []), ...node.renamed]);
      if (node.flagged) (root.flagged ??= []).push(...node.flagged);
      continue;
    }
    let parent = root;
    for (const segment of segments.slice(0, -1)) {
      let next = subfolders(parent).get(segment);
      if (!next || !made.has(next)) {
        next = folderNode(segment, parent, undefined);
        made.add(next);
        setFolder(parent, segment, next);
      }
      parent = next;
    }
    const last = segments[segments.length - 1]!;
    setFolder(parent, last, { ...node, segment: last, parent });
  }
  // totals of the folders made here; a placed tree keeps its own
  const total = (node: TreeFolder): void => {
    node.bytes = node.files.reduce((sum, f) => sum + f.size, 0);
    node.count = node.files.length;
    for (const child of subfolders(node).values()) {
      if (made.has(child)) total(child);
      node.bytes += child.bytes;
      node.count += child.count;
    }
  };
  total(root);
  return root;
}

/** The folder at a destination-relative path, if the tree has one. */
export function folderAtPath(root: TreeFolder, path: string): TreeFolder | undefined {
  let node: TreeFolder | undefined = root;
  for (const segment of path.split('/').filter(Boolean)) node = node && subfolders(node).get(segment);
  return node;
}

interface Listed {
  entry: BreakdownEntry;
  folder?: TreeFolder;
}

/** The entries directly under one folder: the largest `limit`, plus the paths in `must`. */
function listChildren(node: TreeFolder, path: string, limit: number, must: ReadonlySet<string>, complete: boolean): { listed: Listed[]; more?: { entries: number; bytes: number } } {
  const join = (name: string) => (path === '' ? name : `${path}/${name}`);
  const candidates: Array<{ name: string; bytes: number; folder?: TreeFolder; file?: ContextFile }> = [];
  for (const folder of subfolders(node).values()) candidates.push({ name: join(folder.segment), bytes: folder.bytes, folder });
  const fileName = (file: ContextFile) => join(node.renamed?.get(file) ?? baseName(file.path));
  for (const file of largestFiles(node.files, limit)) candidates.push({ name: fileName(file), bytes: file.size, file });
  for (const { file } of node.flagged ?? []) {
    const name = fileName(file);
    if (must.has(name) && !candidates.some((c) => c.file === file)) candidates.push({ name, bytes: file.size, file });
  }
  candidates.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
  const shown = candidates.filter((c, i) => i < limit || must.has(c.name));
  const listed = shown.map((c): Listed => {
    if (c.folder) {
      const folder = c.folder;
      const figure = complete ? exact(folder.bytes) : { bytes: folder.bytes, low: folder.bytes, high: null, source: 'estimate' as const };
      return { entry: entry('folder', c.name, figure, { files: folder.count, ...flagged(folder.flag) }), folder };
    }
    const kind = node.inFlagged ? undefined : unintendedFile(c.name, c.name.lastIndexOf('/') + 1);
    return { entry: entry('file', c.name, exact(c.bytes), flagged(kind)) };
  });
  const entries = subfolders(node).size + node.files.length - shown.length;
  const bytes = node.bytes - shown.reduce((sum, c) => sum + c.bytes, 0);
  return { listed, ...(entries > 0 ? { more: { entries, bytes } } : {}) };
}

const flagged = (kind: UnintendedKind | undefined): Partial<BreakdownEntry> => (kind ? { flags: ['unintended'], note: kind.why } : {});

/** The `limit` largest files (ties may add a few), without sorting a huge folder whole. */
function largestFiles(files: ContextFile[], limit: number): ContextFile[] {
  if (files.length <= limit) return files;
  if (files.length <= 256) return [...files].sort((a, b) => b.size - a.size).slice(0, limit);
  const sizes = new Float64Array(files.length);
  for (let i = 0; i < files.length; i++) sizes[i] = files[i]!.size;
  sizes.sort();
  const threshold = sizes[sizes.length - limit]!;
  const above = files.filter((f) => f.size > threshold);
  for (const f of files) {
    if (above.length >= limit) break;
    if (f.size === threshold) above.push(f);
  }
  return above;
}

/**
 * Paths (destination-relative) of the largest unintended folders and files of a tree. A path is
 * spelt out only for a find that makes the current top `count`: a tree full of them stays cheap.
 */
function flaggedPaths(root: TreeFolder, count: number): string[] {
  const top: Array<{ path: string; bytes: number }> = [];
  const segments: string[] = [];
  const consider = (bytes: number, last: string) => {
    if (top.length >= count && bytes <= top[top.length - 1]!.bytes) return;
    top.push({ path: [...segments, last].join('/'), bytes });
    top.sort((a, b) => b.bytes - a.bytes);
    if (top.length > count) top.pop();
  };
  const visit = (node: TreeFolder) => {
    for (const { file, name } of node.flagged ?? []) consider(file.size, name);
    for (const child of subfolders(node).values()) {
      if (child.flag) consider(child.bytes, child.segment);
      else if (!child.inFlagged) {
        segments.push(child.segment);
        visit(child);
        segments.pop();
      }
    }
  };
  visit(root);
  return top.map((f) => f.path);
}

/**
 * The tree as bounded breakdown entries: the top level, then the largest folders expanded while
 * the budget lasts; `pins` (paths a later layer deletes) and the largest unintended entries are
 * shown wherever they are, their folders expanded whatever the budget.
 */
export function emitTree(root: TreeFolder, complete: boolean, pins: readonly string[] = [], limits: TreeLimits = TREE_LIMITS): { entries: BreakdownEntry[]; more?: { entries: number; bytes: number } } {
  const must = new Set<string>();
  const open = new Set<string>();
  for (const pin of [...pins, ...flaggedPaths(root, limits.flagged)]) {
    must.add(pin);
    for (let slash = pin.lastIndexOf('/'); slash > 0; slash = pin.lastIndexOf('/', slash - 1)) {
      must.add(pin.slice(0, slash));
      open.add(pin.slice(0, slash));
    }
  }
  const top = listChildren(root, '', limits.top, must, complete);
  let budget = limits.budget - top.listed.length;
  const frontier = top.listed.filter((l) => l.folder).map((l) => ({ ...l, depth: 1 }));
  for (;;) {
    let pick = frontier.findIndex((f) => open.has(f.entry.name));
    if (pick < 0 && budget > 0) {
      for (let i = 0; i < frontier.length; i++) {
        if (frontier[i]!.depth < limits.depth && (pick < 0 || (frontier[i]!.entry.bytes ?? 0) > (frontier[pick]!.entry.bytes ?? 0))) pick = i;
      }
    }
    if (pick < 0) break;
    const [{ entry: parent, folder, depth }] = frontier.splice(pick, 1) as [Listed & { depth: number }];
    const children = listChildren(folder!, parent.name, limits.children, must, complete);
    parent.children = children.listed.map((l) => l.entry);
    if (children.more) parent.more = children.more;
    budget -= children.listed.length;
    frontier.push(...children.listed.filter((l) => l.folder).map((l) => ({ ...l, depth: depth + 1 })));
  }
  return { entries: top.listed.map((l) => l.entry), ...(top.more ? { more: top.more } : {}) };
}

/** One folder's entries on demand: its folders unexpanded, the largest `limit` first. */
export function listFolder(root: TreeFolder, path: string, limit: number, complete: boolean): { entries: BreakdownEntry[]; more?: { entries: number; bytes: number } } | undefined {
  const node = folderAtPath(root, path);
  if (!node) return undefined;
  const listed = listChildren(node, path.split('/').filter(Boolean).join('/'), limit, new Set(), complete);
  return { entries: listed.listed.map((l) => l.entry), ...(listed.more ? { more: listed.more } : {}) };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
