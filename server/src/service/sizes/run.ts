import type { ContentKind } from '../data/compression';
import type { InstructionInfo, LayerFacts } from '../types';
import { estimateApkRun } from './apk';
import { estimateBuilds } from './buildTools';
import { combineParts, type SizePart } from './combine';
import { estimateNodeInstall, estimatePip, type InstallInputs } from './languagePackages';
import { runScript, splitCommands, type SimpleCommand } from './shell';
import { estimatedSize, unknownSize, type SizeFigure } from './types';
import type { LayerWrite } from './waste';
import { list, message, type Message } from './messages';
import type { LayerBreakdown } from './breakdown';
import { capped, entry, ENTRY_LABELS, note, ranged, unknown, type PartBreakdown } from './breakdownEntries';
import { TREE_LIMITS } from './fileTree';

/**
 * A RUN layer's size: the script is split into simple commands and each estimator in the table
 * claims the commands it understands (apt, apk, pip, npm…); what nobody claims counts as small
 * file changes. Cache mounts (`--mount=type=cache`) keep their contents out of the layer.
 */
export interface RunContext {
  installedApk?: ReadonlySet<string>;
  /** the RUN's working directory, for relative output paths */
  workdir?: string;
  /** apt estimator, when a package table is loaded (the server loads it; tests may inject one) */
  apt?: (commands: SimpleCommand[]) => RunPartEstimate | undefined;
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
  installed?: { manager: 'dpkg' | 'apk'; names: string[]; removed?: string[] };
  facts?: LayerFacts;
  /** what this part of the layer is made of, when the estimator itemises it */
  breakdown?: PartBreakdown;
}

export interface RunPart extends SizePart {
  estimator: string;
  notes: string[];
  noteMessages?: Message[];
  writes: LayerWrite[];
  installed?: { manager: 'dpkg' | 'apk'; names: string[]; removed?: string[] };
  facts?: LayerFacts;
  breakdown?: PartBreakdown;
}

export interface RunEstimate {
  size: SizeFigure;
  parts: RunPart[];
}

interface Estimator {
  id: string;
  content: ContentKind;
  estimate(commands: SimpleCommand[], context: RunContext, cacheMounted: (path: string) => boolean): RunPartEstimate | undefined;
}

const DOWNLOADERS = new Set(['curl', 'wget']);

const ESTIMATORS: readonly Estimator[] = [
  { id: 'apt', content: 'debian-packages', estimate: (commands, context) => context.apt?.(commands) },
  {
    id: 'apk',
    content: 'alpine-packages',
    estimate: (commands, context) => {
      const result = estimateApkRun(commands, context.installedApk);
      return result && { ...result, installed: { manager: 'apk', names: result.packages.map((p) => p.name) } };
    },
  },
  { id: 'pip', content: 'python-packages', estimate: (commands, context, cacheMounted) => estimatePip(commands, cacheMounted, context.workdir, context.install) },
  { id: 'npm', content: 'node-modules', estimate: (commands, context, cacheMounted) => estimateNodeInstall(commands, cacheMounted, context.workdir, context.install) },
  {
    id: 'download',
    content: 'mixed',
    estimate: (commands) => {
      const urls = commands.filter((c) => DOWNLOADERS.has(c.argv[0] ?? '')).flatMap((c) => c.argv.filter((a) => /^https?:\/\//.test(a)));
      if (urls.length === 0) return undefined;
      return {
        size: unknownSize(message('downloads', { urls: list([...urls.slice(0, 2), ...(urls.length > 2 ? ['…'] : [])], ', ') })),
        notes: [],
        breakdown: { entries: urls.map((url) => entry('other', url, unknown, { note: note('download') })) },
      };
    },
  },
  { id: 'build', content: 'mixed', estimate: (commands, context, cacheMounted) => estimateBuilds(commands, context.workdir ?? '/', cacheMounted) },
];

/**
 * Commands that only change a few small files (users, links, permissions, config edits): real
 * builds wrote 2.6–7.7 kB for such RUNs (accuracy bench, 2026-11-26).
 */
const SMALL_CHANGE = { best: 6e3, low: 0, high: 2e6 };

export function estimateRun(info: InstructionInfo, context: RunContext): RunEstimate {
  const commands = splitCommands(runScript(info));
  const cacheTargets = info.flags
    .filter((f) => f.name === 'mount' && f.options['type'] === 'cache')
    .map((f) => f.options['target'] ?? f.options['dst'] ?? f.options['destination'] ?? '')
    .filter(Boolean);
  const cacheMounted = (path: string) => cacheTargets.some((t) => path === t || path.startsWith(`${t.replace(/\/$/, '')}/`));
  const parts: RunPart[] = [];
  for (const estimator of ESTIMATORS) {
    const result = estimator.estimate(commands, context, cacheMounted);
    if (result) {
      parts.push({
        estimator: estimator.id,
        content: estimator.content,
        size: result.size,
        notes: result.notes,
        ...(result.noteMessages ? { noteMessages: result.noteMessages } : {}),
        writes: result.writes ?? [],
        ...(result.installed ? { installed: result.installed } : {}),
        ...(result.facts ? { facts: result.facts } : {}),
        ...(result.breakdown ? { breakdown: result.breakdown } : {}),
      });
    }
  }
  if (parts.length === 0) {
    parts.push({
      estimator: 'other',
      content: 'mixed',
      size: estimatedSize(SMALL_CHANGE.best, SMALL_CHANGE.low, SMALL_CHANGE.high, null, message('smallChanges')),
      notes: [],
      writes: [],
      breakdown: { entries: [entry('other', ENTRY_LABELS.fileChanges.en, ranged(SMALL_CHANGE.best, SMALL_CHANGE.low, SMALL_CHANGE.high), { label: ENTRY_LABELS.fileChanges, note: note('smallChanges') })] },
    });
  }
  return { size: combineParts(parts), parts };
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
