import * as posix from 'node:path/posix';
import type { SimpleCommand } from './shell';
import { estimatedSize, unknownSize, type SizeFigure } from './types';
import { combineParts } from './combine';
import type { LayerWrite } from './waste';
import { message, NoteList, textOf, whatOf, type Message } from './messages';
import type { BreakdownEntry } from './breakdown';
import { entry, note, ranged, unknown, type PartBreakdown } from './breakdownEntries';
import { inMountNote, type MountedPath } from './mounts';

/**
 * Builds inside a RUN: their output depends on the project. A single compiler's or Go's binary
 * has a typical range (wide), and two things are known: where the output goes (`-o path`, which a
 * later `COPY --from` may take) and which caches stay in the layer unless a cache mount keeps
 * them out (Go's module and build caches). What a project build (make, cmake, cargo, mvn,
 * gradle…) writes is not known before it runs: its part is unknown, never a guess.
 */
type Range3 = { best: number; low: number; high: number | null };

interface BuildTool {
  id: string;
  matches(argv: string[]): boolean;
  /** the artifact's size when the command names its output */
  output?: Range3;
  /** caches the tool fills, with their typical sizes */
  caches: { path: string; size: Range3; what: Message }[];
  /** size when nothing more specific is known; null: not known */
  otherwise: Range3 | null;
}

const MB = 1e6;

const TOOLS: readonly BuildTool[] = [
  {
    id: 'go build',
    matches: (a) => a[0] === 'go' && (a[1] === 'build' || a[1] === 'install'),
    output: { best: 12 * MB, low: 1.5 * MB, high: 80 * MB },
    caches: [{ path: '/root/.cache/go-build', size: { best: 120 * MB, low: 5 * MB, high: 1.5e9 }, what: message('goBuildCache') }],
    otherwise: { best: 12 * MB, low: 1.5 * MB, high: 80 * MB },
  },
  {
    id: 'go test',
    matches: (a) => a[0] === 'go' && a[1] === 'test',
    caches: [{ path: '/root/.cache/go-build', size: { best: 150 * MB, low: 5 * MB, high: 2e9 }, what: message('goBuildCache') }],
    otherwise: { best: 0, low: 0, high: 1 * MB },
  },
  {
    id: 'go mod download',
    matches: (a) => a[0] === 'go' && a[1] === 'mod' && a[2] === 'download',
    caches: [{ path: '/go/pkg/mod', size: { best: 80 * MB, low: 1 * MB, high: 1.5e9 }, what: message('goModuleCache') }],
    otherwise: { best: 0, low: 0, high: 0.1 * MB },
  },
  {
    // a single C/C++/Rust compile: a hello world is ~20 kB, a static binary a few MB
    id: 'cc',
    matches: (a) => /^(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|rustc)$/.test(a[0] ?? ''),
    output: { best: 0.1 * MB, low: 0.005 * MB, high: 50 * MB },
    caches: [],
    otherwise: { best: 0.1 * MB, low: 0.005 * MB, high: 50 * MB },
  },
  {
    // Maven and Gradle download every dependency of the build into the user's repository, which
    // stays in the layer unless a cache mount holds it. Not measured here: a small service pulls in
    // tens of MB, a Spring Boot application a few hundred.
    id: 'mvn',
    matches: (a) => /^(mvn|mvnw|\.\/mvnw)$/.test(a[0] ?? ''),
    output: { best: 20 * MB, low: 0.01 * MB, high: 200 * MB },
    caches: [{ path: '/root/.m2', size: { best: 100 * MB, low: 2 * MB, high: 1.5e9 }, what: message('mavenRepository') }],
    otherwise: { best: 20 * MB, low: 0.1 * MB, high: null },
  },
  {
    id: 'gradle',
    matches: (a) => /^(gradle|gradlew|\.\/gradlew)$/.test(a[0] ?? ''),
    output: { best: 20 * MB, low: 0.01 * MB, high: 200 * MB },
    caches: [{ path: '/root/.gradle', size: { best: 150 * MB, low: 5 * MB, high: 2e9 }, what: message('gradleCache') }],
    otherwise: { best: 20 * MB, low: 0.1 * MB, high: null },
  },
  {
    id: 'compile',
    // mvn and gradle are matched above, with the repositories they leave
    matches: (a) => /^(make|cmake|ninja|cargo|dotnet|tsc|webpack|vite)$/.test(a[0] ?? '') || (a[0] === 'npm' && a[1] === 'run'),
    caches: [],
    otherwise: null,
  },
];

/** A command one of the build tools runs (the build estimator claims it). */
export function isBuildCommand(argv: string[]): boolean {
  return TOOLS.some((t) => t.matches(argv));
}

export interface BuildEstimate {
  size: SizeFigure;
  notes: string[];
  noteMessages: Message[];
  writes: LayerWrite[];
  breakdown: PartBreakdown;
}

export function estimateBuilds(commands: SimpleCommand[], workdir: string, mounted: MountedPath): BuildEstimate | undefined {
  let best = 0;
  let low = 0;
  let high: number | null = 0;
  const add = (r: Range3) => {
    best += r.best;
    low += r.low;
    high = high === null || r.high === null ? null : high + r.high;
  };
  const notes = new NoteList();
  const writes: LayerWrite[] = [];
  const names: string[] = [];
  const entries: BreakdownEntry[] = [];
  const cachesCounted = new Set<string>();
  const unknownTools: string[] = [];
  for (const { argv } of commands) {
    const tool = TOOLS.find((t) => t.matches(argv));
    if (!tool) continue;
    const name = ['compile', 'cc', 'mvn', 'gradle'].includes(tool.id) ? argv.slice(0, 2).join(' ') : tool.id;
    names.push(name);
    const outIndex = argv.indexOf('-o');
    const output = outIndex >= 0 ? argv[outIndex + 1] : undefined;
    const outputMount = output === undefined ? undefined : mounted(posix.resolve(workdir, output));
    if (tool.output && output && outputMount) {
      // written into a mount (a bind or cache mount): not in this layer
      notes.add(inMountNote(message('buildOutput', { tool: tool.id }), outputMount, tool.output.best));
    } else if (tool.output && output) {
      add(tool.output);
      writes.push({ path: posix.resolve(workdir, output), bytes: tool.output.best, ...whatOf(message('buildOutput', { tool: tool.id })), range: { low: tool.output.low, high: tool.output.high } });
      entries.push(entry('file', posix.resolve(workdir, output), ranged(tool.output.best, tool.output.low, tool.output.high), { note: note('buildOutput', { tool: name }) }));
    } else if (tool.otherwise === null) {
      if (!unknownTools.includes(name)) unknownTools.push(name);
      entries.push(entry('other', name, unknown, { note: note('buildProject', { tool: name }) }));
    } else {
      add(tool.otherwise);
      entries.push(entry('other', name, ranged(tool.otherwise.best, tool.otherwise.low, tool.otherwise.high), { note: note('buildProject', { tool: name }) }));
    }
    for (const cache of tool.caches) {
      if (cachesCounted.has(cache.path)) continue;
      cachesCounted.add(cache.path);
      const mount = mounted(cache.path);
      if (mount) {
        notes.add(inMountNote(cache.what, mount, cache.size.best));
        continue;
      }
      add(cache.size);
      writes.push({ path: cache.path, bytes: cache.size.best, ...whatOf(cache.what), range: { low: cache.size.low, high: cache.size.high } });
      notes.add(message('buildCacheStays', { what: cache.what, path: cache.path }));
      entries.push(entry('cache', cache.path, ranged(cache.size.best, cache.size.low, cache.size.high), { note: textOf(cache.what) }));
    }
  }
  if (names.length === 0) return undefined;
  const knownTools = names.filter((n) => !unknownTools.includes(n));
  const known: SizeFigure | undefined = knownTools.length > 0 || best > 0
    ? { ...estimatedSize(best, low, high ?? best, null, message('buildDetail', { tools: knownTools.join(', ') })), high }
    : undefined;
  const notKnown = unknownTools.length > 0 ? unknownSize(message('buildUnknown', { tools: unknownTools.join(', ') }), message('unknownBuild', { tools: unknownTools.join(', ') })) : undefined;
  const size = known && notKnown ? combineParts([{ size: known, content: 'mixed' }, { size: notKnown, content: 'mixed' }]) : (known ?? notKnown)!;
  return { size, notes: notes.notes, noteMessages: notes.messages, writes, breakdown: { entries } };
}
