import type { Text } from '../explain';
import type { SizeSource } from './types';

/**
 * What a layer is made of, before the build: the contract between the size pass (which fills it)
 * and the hover, the layer tree and `dockerlens explain --layer` (which show it). Every entry
 * carries a figure with its source, like every other size the product shows.
 */

/** Why an entry is flagged in the tree. */
export type BreakdownFlag =
  /** copied/installed here, then deleted or overwritten by a later layer: still shipped */
  | 'wasted'
  /** looks unintended in an image: `.git/`, `node_modules/`, `*.log`, `.env`, keys, build output */
  | 'unintended'
  /** the same RUN removes it: not in the layer */
  | 'removed-here'
  /** `--no-install-recommends` would drop it */
  | 'recommended';

export type BreakdownEntryKind =
  /** a folder of copied files; `children` holds what is inside, largest first */
  | 'folder'
  | 'file'
  /** a package an install leaves (apt, apk, pip, npm) */
  | 'package'
  /** a cache, list or download directory a RUN leaves (or removes) */
  | 'cache'
  /** one line of a base image's history */
  | 'history'
  /** what no estimator itemises (small file changes, the rest of a layer) */
  | 'other';

export type PackageRole = 'requested' | 'dependency' | 'recommended';

export interface BreakdownEntry {
  kind: BreakdownEntryKind;
  /** a path relative to the layer's destination (files, folders), a package name, or a history line */
  name: string;
  /** best bytes on disk; null when unknown */
  bytes: number | null;
  low: number | null;
  high: number | null;
  source: SizeSource;
  /** the entry in words, when its name is a description rather than a path, package or history line */
  label?: Text;
  /** for packages: requested by the command, or pulled in (and by which package) */
  role?: PackageRole;
  pulledBy?: string;
  /** package manager, for packages */
  manager?: 'apt' | 'apk' | 'pip' | 'npm';
  flags?: BreakdownFlag[];
  /** one short reason for the flags or the entry (`deleted by layer 5`, `a private key`), in every language */
  note?: Text;
  /** files under a folder (counted through the whole subtree) */
  files?: number;
  /** the largest children of a folder, largest first; absent when the folder was not expanded */
  children?: BreakdownEntry[];
  /** children left out of `children` (the payload stays bounded for huge trees) */
  more?: { entries: number; bytes: number };
}

export interface LayerBreakdown {
  /** what the entries are: copied files, installed packages, a RUN's outputs, base image history */
  kind: 'files' | 'packages' | 'run' | 'base';
  /** for 'files': the absolute folder the entry names are relative to (the COPY/ADD destination) */
  root?: string;
  /** top-level entries, largest first */
  entries: BreakdownEntry[];
  /** entries left out at the top level */
  more?: { entries: number; bytes: number };
  /** what the same RUN removes (lists, caches): not in the layer, shown so the user sees it worked */
  removed?: BreakdownEntry[];
  /** what `--no-install-recommends` would leave out of this layer */
  withoutRecommends?: { packages: number; bytes: number };
}
