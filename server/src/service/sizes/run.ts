import type { ContentKind } from '../data/compression';
import type { InstructionInfo, LayerFacts } from '../types';
import { estimateApkRun } from './apk';
import { estimateBuilds, isBuildCommand } from './buildTools';
import { downloadClaims, estimateDownloads } from './downloads';
import { programOf, unknownWriters } from './runCommands';
import { combineParts, type SizePart } from './combine';
import { estimateNodeInstall, estimateNodePrune, estimatePip, type InstallInputs } from './languagePackages';
import { runScript, splitCommands, type SimpleCommand } from './shell';
import { estimatedSize, unknownSize, type SizeFigure } from './types';
import { packageKey, type LayerWrite, type Shrink } from './waste';
import { list, message, type Message } from './messages';
import type { LayerBreakdown } from './breakdown';
import { capped, entry, ENTRY_LABELS, note, ranged, unknown, type PartBreakdown } from './breakdownEntries';
import { TREE_LIMITS } from './fileTree';
import { mountedPath, runMounts, type MountedPath } from './mounts';

/**
 * A RUN layer's size: the script is split into simple commands and each estimator in the table
 * claims the commands it understands (apt, apk, pip, npm, downloads, builds); of what nobody
 * claims, commands known to change only small files count as small changes (./runCommands.ts)
 * and any other command is a part of unknown size, named. What a mount holds
 * (`--mount=type=cache|bind|tmpfs|secret|ssh`) is not in the layer: every estimator is asked
 * about its paths, and writes below a mount are dropped.
 */
export interface RunContext {
  installedApk?: ReadonlySet<string>;
  /** `apk add --virtual` groups earlier RUNs of the stage made */
  apkGroups?: ReadonlyMap<string, readonly string[]>;
  /** the RUN's working directory, for relative output paths */
  workdir?: string;
  /** apt estimator, when a package table is loaded (the server loads it; tests may inject one) */
  apt?: (commands: SimpleCommand[], mounted: MountedPath) => RunPartEstimate | undefined;
  /** lockfiles the stage copied in, package sizes the host found, the stage's ENV (npm, pip) */
  install?: InstallInputs;
}

export interface RunPartEstimate {
  size: SizeFigure;
  notes: string[];
  /** the notes as messages, index-aligned */
  noteMessages?: Message[];
  /** files left behind that a later layer could delete (caches, lists) */
  writes?: LayerWrite[];
  /** packages now installed, so later RUNs of the stage do not count them again */
  installed?: InstalledChange;
  /** what this part removes of earlier layers' writes (package keys: ./waste.ts packageKey) */
  removes?: string[];
  /** shares of earlier layers' folders this part removes (npm prune) */
  shrinks?: Shrink[];
  facts?: LayerFacts;
  /** what this part of the layer is made of, when the estimator itemises it */
  breakdown?: PartBreakdown;
}

export interface RunPart extends SizePart {
  estimator: string;
  notes: string[];
  noteMessages?: Message[];
  writes: LayerWrite[];
  installed?: InstalledChange;
  removes: string[];
  shrinks?: Shrink[];
  facts?: LayerFacts;
  breakdown?: PartBreakdown;
}

/** How a RUN changes the stage's installed packages. */
export interface InstalledChange {
  manager: 'dpkg' | 'apk' | 'pip';
  /** installed by this RUN */
  names: string[];
  /** of earlier layers, removed by this RUN */
  removed?: string[];
  /** apt: packages this RUN leaves marked manual (the rest of `names` is automatic) */
  manual?: string[];
  /** apk: `--virtual` groups this RUN made, by name, with their members */
  groups?: Record<string, string[]>;
}

export interface RunEstimate {
  size: SizeFigure;
  parts: RunPart[];
  /** the mount holding a path, if any: such paths are not in the layer */
  mounted: MountedPath;
}

interface Estimator {
  id: string;
  content: ContentKind;
  estimate(commands: SimpleCommand[], context: RunContext, mounted: MountedPath): RunPartEstimate | undefined;
}

const ESTIMATORS: readonly Estimator[] = [
  { id: 'apt', content: 'debian-packages', estimate: (commands, context, mounted) => context.apt?.(commands, mounted) },
  {
    id: 'apk',
    content: 'alpine-packages',
    estimate: (commands, context, mounted) => {
      const result = estimateApkRun(commands, context.installedApk, context.apkGroups, mounted);
      return result && {
        ...result,
        installed: { manager: 'apk', names: result.packages.map((p) => p.name), removed: result.removed, groups: result.groups },
        removes: result.removed.map((name) => packageKey('apk', name)),
      };
    },
  },
  { id: 'npm-prune', content: 'node-modules', estimate: (commands, context) => estimateNodePrune(commands, context.workdir) },
  { id: 'pip', content: 'python-packages', estimate: (commands, context, mounted) => estimatePip(commands, mounted, context.workdir, context.install) },
  { id: 'npm', content: 'node-modules', estimate: (commands, context, mounted) => estimateNodeInstall(commands, mounted, context.workdir, context.install) },
  { id: 'download', content: 'mixed', estimate: (commands) => estimateDownloads(commands) },
  { id: 'build', content: 'mixed', estimate: (commands, context, mounted) => estimateBuilds(commands, context.workdir ?? '/', mounted) },
];

/** The commands each estimator claims, whether or not it finds something to count in them. */
const CLAIMS: Record<string, (name: string, args: string[], argv: string[], commands: SimpleCommand[]) => boolean> = {
  apt: (name) => ['apt-get', 'apt', 'aptitude', 'dpkg'].includes(name),
  apk: (name) => name === 'apk',
  pip: (name, args) => /^pip[0-9.]*$/.test(name) || (/^python[0-9.]*$/.test(name) && args[0] === '-m' && /^pip[0-9.]*$/.test(args[1] ?? '')),
  npm: (name) => ['npm', 'yarn', 'pnpm'].includes(name),
  download: (_name, _args, argv, commands) => downloadClaims(commands)(argv),
  build: (_name, _args, argv) => isBuildCommand(argv),
};

function claimedIn(commands: SimpleCommand[]): (argv: string[]) => boolean {
  return (argv) => {
    const { name, args } = programOf(argv);
    return Object.values(CLAIMS).some((claims) => claims(name, args, argv, commands));
  };
}

/**
 * Commands that only change a few small files (users, links, permissions, config edits): real
 * builds wrote 2.6–7.7 kB for such RUNs (accuracy bench, 2026-11-26).
 */
const SMALL_CHANGE = { best: 6e3, low: 0, high: 2e6 };

export function estimateRun(info: InstructionInfo, context: RunContext): RunEstimate {
  const commands = splitCommands(runScript(info));
  const mounted = mountedPath(runMounts(info, context.workdir));
  const parts: RunPart[] = [];
  for (const estimator of ESTIMATORS) {
    const result = estimator.estimate(commands, context, mounted);
    if (result) {
      parts.push({
        estimator: estimator.id,
        content: estimator.content,
        size: result.size,
        notes: result.notes,
        ...(result.noteMessages ? { noteMessages: result.noteMessages } : {}),
        // the estimators leave mounted paths out; a write below a mount is never in the layer
        writes: (result.writes ?? []).filter((w) => !mounted(w.path)),
        removes: result.removes ?? [],
        ...(result.shrinks ? { shrinks: result.shrinks } : {}),
        ...(result.installed ? { installed: result.installed } : {}),
        ...(result.facts ? { facts: result.facts } : {}),
        ...(result.breakdown ? { breakdown: result.breakdown } : {}),
      });
    }
  }
  const writers = unknownWriters(commands, claimedIn(commands));
  if (writers.length > 0) {
    const named = list(writers.slice(0, 3).concat(writers.length > 3 ? ['…'] : []), ', ');
    parts.push({
      estimator: 'other',
      content: 'mixed',
      size: unknownSize(message('commandsNotKnown', { commands: named }), message('unknownCommands', { commands: named })),
      notes: [],
      writes: [],
      removes: [],
      breakdown: { entries: writers.map((w) => entry('other', w, unknown, { note: note('commandWrites') })) },
    });
  } else if (parts.length === 0) {
    parts.push({
      estimator: 'other',
      content: 'mixed',
      size: estimatedSize(SMALL_CHANGE.best, SMALL_CHANGE.low, SMALL_CHANGE.high, null, message('smallChanges')),
      notes: [],
      writes: [],
      removes: [],
      breakdown: { entries: [entry('other', ENTRY_LABELS.fileChanges.en, ranged(SMALL_CHANGE.best, SMALL_CHANGE.low, SMALL_CHANGE.high), { label: ENTRY_LABELS.fileChanges, note: note('smallChanges') })] },
    });
  }
  return { size: combineParts(parts), parts, mounted };
}

/**
 * A RUN layer's breakdown from its parts: the packages and caches each estimator itemised (a
 * part that itemises nothing is one entry), largest first, with what the same RUN removes.
 */
export function runBreakdown(parts: RunPart[], extra: RunPart['breakdown'] = { entries: [] }): LayerBreakdown {
  const all = [...parts.map((p) => p.breakdown ?? { entries: [entry('other', p.estimator, p.size)] }), extra];
  const entries = all.flatMap((b) => b.entries);
  const removed = all.flatMap((b) => b.removed ?? []);
  const withoutRecommends = all.find((b) => b.withoutRecommends)?.withoutRecommends;
  const top = capped(entries, TREE_LIMITS.top);
  return {
    kind: entries.some((e) => e.kind === 'package') ? 'packages' : 'run',
    entries: top.entries,
    ...(top.more ? { more: top.more } : {}),
    ...(removed.length > 0 ? { removed } : {}),
    ...(withoutRecommends ? { withoutRecommends } : {}),
  };
}
