import * as posix from 'node:path/posix';
import type { ContentKind } from '../data/compression';
import type { DockerfileModel, ImageSizes, InstructionInfo, Layer, LayerFacts, Stage, StageSizes, WastedBytes } from '../types';
import { ALPINE_BASE_PACKAGES } from './apk';
import type { AptMark } from './aptTable';
import { baseImageFigure, installedPackages, lookupBaseImage } from './baseImages';
import { combineParts, withCompressed } from './combine';
import { estimateRun, type InstalledChange, type RunPartEstimate } from './run';
import { runScript, splitCommands, type SimpleCommand } from './shell';
import { estimatedSize, exactSize, missingPart, unknownSize, type SizeFigure } from './types';
import { coverage, efficiency, findWaste, removedPaths, rewrittenPaths, type LayerEffects, type LayerWrite, type Shrink } from './waste';
import { formatBytes } from '../features/sizeText';
import type { SizeMemoRun, SizeReuse } from './sizeMemo';
import { english, message, plural, whatOf, type Message } from './messages';
import type { BreakdownEntry } from './breakdown';
import { entry, note, ranged } from './breakdownEntries';
import { buildFileTree, folderAtPath, placeTrees, type CopySelection, type FileTree } from './fileTree';
import { baseBreakdown, filesBreakdown, markWaste, type FileDraft } from './layerBreakdown';
import { runBreakdown } from './run';
import type { MountedPath } from './mounts';
import { copyMetadata, covers, landsAt, repeatedFiles, withoutSources, type ContextCopy } from './repeatedCopies';
import type { Lockfile } from './lockfiles';
import type { PackageSizes, PlacedLockfile } from './lockedInstall';

/**
 * The size pass: adds a SizeFigure to every layer, per-stage totals and the target image's total
 * and wasted space. Pure: what needs the disk (the build context, the apt table) comes in as
 * services the host built beforehand.
 */
export interface CopyEstimate {
  size: SizeFigure;
  /** the context paths the sources matched */
  inputs?: string[];
  content: ContentKind;
  writes: LayerWrite[];
  notes: string[];
  /** the notes as messages, index-aligned */
  noteMessages?: Message[];
  /** what the layer is made of: the files by folder (relative to `root`) and what is not a context file */
  files?: FileDraft;
  /** the context files taken and the folder their names land in, to find files an earlier COPY wrote the same */
  selection?: CopySelection;
  root?: string;
}

export interface AptState {
  installed?: ReadonlySet<string>;
  /** apt's marks of the packages earlier RUNs of the stage installed */
  marks?: ReadonlyMap<string, AptMark>;
  /** an earlier RUN of the stage ran apt-get update and kept the lists */
  listsPresent: boolean;
  /** an earlier RUN of the stage removed docker-clean: apt keeps its downloads */
  keepsArchives?: boolean;
  /** the RUN's mounts (mounts.ts) */
  mounted?: MountedPath;
}

export interface AptEstimate extends RunPartEstimate {
  /** the lists are still there after this RUN */
  listsLeft: boolean;
  /** docker-clean is gone after this RUN */
  keepsArchives?: boolean;
}

export interface SizeServices {
  /** platform the base images are looked up for; linux/amd64 by default */
  platform?: string;
  /** sizes COPY/ADD from the build context; undefined when the context is not scanned (yet) */
  copyFromContext?: (info: InstructionInfo, workdir: string) => CopyEstimate | undefined;
  /** why copyFromContext is missing, for the figure's detail */
  contextUnavailable?: string | Message;
  apt?: (commands: SimpleCommand[], state: AptState) => AptEstimate | undefined;
  /** lockfiles and requirements files a COPY/ADD from the context puts in the image */
  lockfilesOf?: (info: InstructionInfo, workdir: string) => readonly PlacedLockfile[] | undefined;
  /** sizes of locked packages the host measured or looked up */
  packageSizes?: PackageSizes;
}

interface StageState {
  dpkg: Set<string> | undefined;
  /** apt's marks of what the stage's RUNs installed (the base image's packages count as manual) */
  dpkgMarks: Map<string, AptMark>;
  apk: Set<string> | undefined;
  /** `apk add --virtual` groups the stage's RUNs made */
  apkGroups: Map<string, readonly string[]>;
  aptLists: boolean;
  /** docker-clean was removed: apt keeps its downloads in /var/cache/apt */
  aptKeepsArchives: boolean;
  effects: LayerEffects[];
  /** COPY/ADD layers' files, emitted as breakdowns once the waste pass is done */
  drafts: Map<number, FileDraft>;
  /** the stage's COPYs from the build context, to find files a later COPY writes the same */
  copies: ContextCopy[];
  /** lockfiles copied into the stage so far, by path in the image */
  lockfiles: Map<string, Lockfile>;
}

/** With `reuse`, stages whose inputs did not change since its previous pass keep their sizes (./sizeMemo.ts). */
export function estimateSizes(model: DockerfileModel, services: SizeServices = {}, reuse?: SizeReuse<unknown>): DockerfileModel {
  const platform = services.platform ?? 'linux/amd64';
  const states: StageState[] = [];
  // Stages only read earlier stages, so each one finds its sources already sized in `stages`.
  const stages: Stage[] = [];
  const run = reuse?.memo.start(reuse.services, states);
  for (const stage of model.stages) {
    const size = () => sizeStage(stage, stages, states, services, platform);
    stages.push(run ? run.stage(stage, size) : size());
  }
  const target = stages[model.target];
  const image = target?.sizes ? imageSizes(target, stages, states) : undefined;
  // after the memo: what later layers of the target's chain delete is read afresh on every pass
  const finished = located(withBreakdowns(stages, states, image?.wasted.items ?? [], run));
  run?.finish();
  // the target's total, now with its lines
  return { ...model, stages: finished, ...(image ? { image: { ...image, total: finished[model.target]?.sizes?.total ?? image.total } } : {}) };
}

/**
 * The lines of the unknown parts the totals list. Sizes never read positions (the memo reuses a
 * stage that only moved), so the totals name a layer by stage and number, and its line is added
 * here, after the memo, on every pass.
 */
function located(stages: Stage[]): Stage[] {
  const lines = new Map<string, { line: number; keyword: string }>();
  const lineOf = (stage: number, layer: number) => {
    if (lines.size === 0) {
      for (const s of stages) {
        for (const l of s.layers) {
          const instruction = l.kind === 'filesystem' ? s.instructions[l.instruction] : undefined;
          if (instruction) lines.set(`${s.index}:${l.number}`, { line: instruction.range.start.line + 1, keyword: instruction.keyword });
        }
      }
    }
    return lines.get(`${stage}:${layer}`);
  };
  return stages.map((stage) => {
    const sizes = stage.sizes;
    if (!sizes || ![sizes.base, sizes.own, sizes.total].some((f) => f.unknownParts?.some((u) => u.layer !== undefined))) return stage;
    return { ...stage, sizes: { ...sizes, base: locatedFigure(sizes.base, lineOf), own: locatedFigure(sizes.own, lineOf), total: locatedFigure(sizes.total, lineOf) } };
  });
}

function locatedFigure(figure: SizeFigure, lineOf: (stage: number, layer: number) => { line: number; keyword: string } | undefined): SizeFigure {
  if (!figure.unknownParts?.some((u) => u.layer !== undefined)) return figure;
  const unknownParts = figure.unknownParts.map((u) => {
    const where = u.stage !== undefined && u.layer !== undefined ? lineOf(u.stage, u.layer) : undefined;
    return where ? { ...u, ...where } : u;
  });
  return { ...figure, unknownParts };
}

/** COPY/ADD files emitted now that the waste pass knows what later layers delete; waste marked on every breakdown. */
function withBreakdowns(stages: Stage[], states: StageState[], wasted: WastedBytes[], run: SizeMemoRun | undefined): Stage[] {
  const byLayer = new Map<string, WastedBytes[]>();
  for (const w of wasted) {
    const key = `${w.stage}:${w.layer}`;
    const items = byLayer.get(key);
    if (items) items.push(w);
    else byLayer.set(key, [w]);
  }
  return stages.map((stage) => {
    const drafts = states[stage.index]?.drafts;
    const layers = stage.layers.map((layer) => {
      if (layer.kind !== 'filesystem') return layer;
      const items = byLayer.get(`${stage.index}:${layer.number}`) ?? [];
      const finish = () => {
        const draft = drafts?.get(layer.number);
        const breakdown = draft ? filesBreakdown(draft, items) : layer.breakdown;
        return breakdown ? { ...layer, breakdown: markWaste(breakdown, items) } : layer;
      };
      return run ? run.finished(layer, items, finish) : finish();
    });
    return { ...stage, layers: run ? run.layers(stage.layers, layers) : layers };
  });
}

function sizeStage(stage: Stage, sized: Stage[], states: StageState[], services: SizeServices, platform: string): Stage {
  const parent = stage.base.kind === 'stage' ? states[stage.base.stage] : undefined;
  const stagePlatform = stage.platform && !stage.platform.includes('$') ? stage.platform : platform;
  let base: SizeFigure;
  let baseImage: StageSizes['baseImage'];
  let state: StageState;
  if (stage.base.kind === 'image') {
    base = namedBase(baseImageFigure(stage.base, stagePlatform), stage.base);
    const info = lookupBaseImage(stage.base, stagePlatform);
    if (info) baseImage = { key: info.key, match: info.match, date: info.date, ...(info.note ? { note: info.note } : {}), layers: info.layers };
    const installed = installedPackages(stage.base, stagePlatform);
    // An Alpine tag missing from the data still has Alpine's base packages.
    const apkBase = installed?.manager === 'apk' ? installed.packages : stage.base.repository === 'library/alpine' ? ALPINE_BASE_PACKAGES : undefined;
    state = {
      dpkg: installed?.manager === 'dpkg' ? new Set(installed.packages) : undefined,
      // What earlier RUNs installed is remembered even when the base's own list is unknown.
      apk: new Set(apkBase ?? []),
      dpkgMarks: new Map(),
      apkGroups: new Map(),
      aptLists: false,
      aptKeepsArchives: false,
      effects: [],
      drafts: new Map(),
      copies: [],
      lockfiles: new Map(),
    };
  } else if (stage.base.kind === 'stage' && parent) {
    base = sized[stage.base.stage]?.sizes?.total ?? unknownSize(message('parentNotSized'));
    state = { dpkg: parent.dpkg && new Set(parent.dpkg), dpkgMarks: new Map(parent.dpkgMarks), apkGroups: new Map(parent.apkGroups), apk: parent.apk && new Set(parent.apk), aptLists: parent.aptLists, aptKeepsArchives: parent.aptKeepsArchives, effects: [], drafts: new Map(), copies: [], lockfiles: new Map(parent.lockfiles) };
  } else {
    base = exactSize(0, 0, message('scratch'));
    state = { dpkg: undefined, dpkgMarks: new Map(), apkGroups: new Map(), apk: undefined, aptLists: false, aptKeepsArchives: false, effects: [], drafts: new Map(), copies: [], lockfiles: new Map() };
  }
  const layers = stage.layers.map((layer) => {
    if (layer.kind === 'base' && baseImage) return { ...layer, size: base, breakdown: baseBreakdown(baseImage.layers) };
    if (layer.kind !== 'filesystem') return { ...layer, size: base };
    const instruction = stage.instructions[layer.instruction]!;
    return sizeLayer(layer, instruction, stage, sized, states, state, services);
  });
  states[stage.index] = state;
  return { ...stage, layers, sizes: stageTotals(stage, layers, base, baseImage) };
}

/** What a RUN installed and removed, into the stage's installed sets (and apt's marks, for a later autoremove). */
function applyInstalled(state: StageState, change: InstalledChange): void {
  const set = change.manager === 'dpkg' ? state.dpkg : change.manager === 'apk' ? state.apk : undefined;
  for (const name of change.names) set?.add(name);
  for (const name of change.removed ?? []) set?.delete(name);
  for (const [group, members] of Object.entries(change.groups ?? {})) state.apkGroups.set(group, members);
  if (change.manager !== 'dpkg' || !state.dpkg) return;
  const manual = new Set(change.manual ?? []);
  for (const name of change.names) state.dpkgMarks.set(name, manual.has(name) ? 'manual' : 'auto');
  // requesting a package an earlier RUN pulled in makes it manual, as apt does
  for (const name of manual) if (state.dpkgMarks.has(name)) state.dpkgMarks.set(name, 'manual');
  for (const name of change.removed ?? []) state.dpkgMarks.delete(name);
}

/**
 * An unknown base image, named for the totals that leave it out (`base image registry.example.com/app:1`);
 * a base whose name needs build arguments that have no value says which.
 */
function namedBase(figure: SizeFigure, ref: Extract<Stage['base'], { kind: 'image' }>): SizeFigure {
  if (figure.bytes !== null) return figure;
  const unresolved = ref.unresolvedVariables.length > 0;
  const image = unresolved || !ref.display ? ref.raw : ref.display;
  const what = message('baseImageLayer', { image });
  const detail = unresolved ? message('baseUnresolved', { image, names: ref.unresolvedVariables.join(', ') }) : undefined;
  return { ...(detail ? unknownSize(detail) : figure), unknownParts: [missingPart(what)] };
}

/** A stage's base, own and total figures from its layers' figures; what they do not know is named with its layer. */
function stageTotals(stage: Pick<Stage, 'index'>, layers: Layer[], base: SizeFigure, baseImage: StageSizes['baseImage']): StageSizes {
  const ownFigures = layers.filter((l) => l.kind === 'filesystem').map((l) => {
    // by stage and number only: the line is added after the memo (located)
    return { size: l.size!, content: 'mixed' as const, at: { stage: stage.index, layer: l.number } };
  });
  const own = ownFigures.length > 0 ? combineParts(ownFigures, ' · ') : exactSize(0, 0, message('noOwnLayers'));
  const total = combineParts([{ size: base, content: 'mixed', at: { stage: stage.index } }, { size: own, content: 'mixed' }], ' · ');
  return { base, own: { ...own, detail: english(summarise(ownFigures.length, own)), message: summarise(ownFigures.length, own) }, total: { ...total, detail: english(message('baseAndOwn')), message: message('baseAndOwn') }, ...(baseImage ? { baseImage } : {}) };
}

/**
 * Puts other figures on some layers (a built image's, for layers its build made exactly as the
 * next one would) and adds the stage and image totals up again. `figures` is keyed
 * `stage:instruction` (the FROM's instruction 0 for a base image group). Waste stays as found.
 */
export function withLayerFigures(model: DockerfileModel, figures: ReadonlyMap<string, SizeFigure>): DockerfileModel {
  if (figures.size === 0) return model;
  const stages: Stage[] = [];
  for (const stage of model.stages) {
    if (!stage.sizes) {
      stages.push(stage);
      continue;
    }
    const layers = stage.layers.map((layer) => {
      const figure = figures.get(`${stage.index}:${layer.instruction}`);
      if (layer.kind === 'stage') return { ...layer, size: stages[stage.base.kind === 'stage' ? stage.base.stage : -1]?.sizes?.total ?? layer.size! };
      return figure && (layer.kind === 'filesystem' || layer.kind === 'base') ? { ...layer, size: figure } : layer;
    });
    const group = layers.find((l) => l.kind !== 'filesystem');
    const base = group?.size ?? stage.sizes.base;
    stages.push({ ...stage, layers, sizes: stageTotals(stage, layers, base, stage.sizes.baseImage) });
  }
  const sized: DockerfileModel = { ...model, stages: located(stages) };
  const target = sized.stages[model.target];
  if (model.image && target?.sizes) {
    const total = target.sizes.total;
    sized.image = { total, wasted: { ...model.image.wasted, efficiency: efficiency(total.bytes ?? 0, model.image.wasted.bytes) } };
  }
  return sized;
}

function summarise(count: number, figure: SizeFigure): Message {
  return message('ownLayers', { count, s: plural(count), unknown: figure.source === 'unknown' ? message('ownSizesUnknown') : figure.source === 'partial' ? message('ownSizesPartly') : '' });
}

function sizeLayer(
  layer: Layer,
  instruction: InstructionInfo,
  stage: Stage,
  sized: Stage[],
  states: StageState[],
  state: StageState,
  services: SizeServices,
): Layer {
  const workdir = instruction.workdir ?? '/';
  let size: SizeFigure;
  let notes: string[] = [];
  let noteMessages: (Message | null)[] = [];
  let writes: LayerWrite[] = [];
  let removes: string[] = [];
  const shrinks: Shrink[] = [];
  let inputs: string[] | undefined;
  let facts: LayerFacts | undefined;
  let breakdown: Layer['breakdown'];
  let estimator: string | undefined;

  if (instruction.keyword === 'RUN') {
    const commands = splitCommands(runScript(instruction));
    const run = estimateRun(instruction, {
      workdir,
      install: {
        lockfileAt: (path) => state.lockfiles.get(path),
        ...(services.packageSizes ? { sizes: services.packageSizes } : {}),
        env: stageEnv(stage, instruction.index),
        platform: services.platform ?? 'linux/amd64',
      },
      ...(state.apk ? { installedApk: state.apk, apkGroups: state.apkGroups } : {}),
      ...(services.apt
        ? {
            apt: (cmds: SimpleCommand[], mounted: MountedPath) => {
              const result = services.apt!(cmds, {
                ...(state.dpkg ? { installed: state.dpkg, marks: state.dpkgMarks } : {}),
                listsPresent: state.aptLists,
                ...(state.aptKeepsArchives ? { keepsArchives: true } : {}),
                mounted,
              });
              if (result) state.aptLists = result.listsLeft;
              return result;
            },
          }
        : {}),
    });
    size = run.size;
    estimator = run.parts.map((p) => p.estimator).join('+');
    const partRemoves: string[] = [];
    for (const part of run.parts) {
      notes.push(...part.notes);
      noteMessages.push(...part.notes.map((_, i) => part.noteMessages?.[i] ?? null));
      writes.push(...part.writes);
      // npm/yarn/pnpm install into the working directory: later stages often copy node_modules
      if (part.estimator === 'npm' && part.size.bytes !== null && !run.mounted(posix.resolve(workdir, 'node_modules'))) {
        const cache = part.writes.reduce((sum, w) => sum + w.bytes, 0);
        const scale = (n: number | null) => (n === null ? null : Math.max(0, n - cache));
        writes.push({
          path: posix.resolve(workdir, 'node_modules'),
          bytes: scale(part.size.bytes)!,
          ...whatOf(message('nodeModules')),
          range: { low: scale(part.size.low) ?? 0, high: scale(part.size.high) },
        });
      }
      if (part.installed) applyInstalled(state, part.installed);
      partRemoves.push(...part.removes);
      shrinks.push(...(part.shrinks ?? []));
      if (part.facts) facts = { ...facts, ...part.facts };
    }
    // a removal inside a mount changes the mount, not the layer: no whiteout, no waste
    const deleted = removedPaths(commands, workdir);
    removes = [...deleted.filter((path) => !run.mounted(path)), ...partRemoves];
    if (deleted.some((path) => path.endsWith('/apt.conf.d/docker-clean'))) state.aptKeepsArchives = true;
    // chown/chmod of earlier files copies them up: count the bytes here, and as waste below
    let copiedUp = 0;
    for (const target of rewrittenPaths(commands, workdir)) {
      for (const effect of state.effects) {
        for (const earlier of effect.writes) {
          const bytes = coverage(target, earlier);
          if (!bytes) continue;
          copiedUp += bytes;
          writes.push({ path: earlier.path, bytes, ...whatOf(message('copiedUpBy', { what: earlier.whatMessage ?? earlier.what, command: `${commands.find((c) => ['chown', 'chmod', 'chgrp'].includes(c.argv[0] ?? ''))?.argv[0]}` })) });
        }
      }
    }
    const extra: BreakdownEntry[] = [];
    if (copiedUp > 0) {
      extra.push(entry('other', 'chown/chmod', ranged(copiedUp, copiedUp * 0.9, copiedUp), { note: note('copiedUp') }));
      size = combineParts([
        { size, content: 'mixed' },
        { size: estimatedSize(copiedUp, Math.round(copiedUp * 0.9), copiedUp, null, message('copiedUpSize', { size: formatBytes(copiedUp) })), content: 'mixed' },
      ]);
      notes.push(english(message('copiedUpNote', { size: formatBytes(copiedUp) })));
      noteMessages.push(message('copiedUpNote', { size: formatBytes(copiedUp) }));
    }
    breakdown = runBreakdown(run.parts, { entries: extra });
  } else if (instruction.keyword === 'WORKDIR') {
    size = estimatedSize(32, 0, 4096, 32, message('workdirEntry'));
  } else {
    const from = instruction.flags.find((f) => f.name === 'from');
    const dependency = stage.dependencies.find((d) => d.instruction === instruction.index && d.kind === 'copy-from');
    if (from && dependency?.stage !== undefined && dependency.stage < stage.index) {
      let files: FileDraft;
      ({ size, writes, files } = copyFromStage(instruction, workdir, sized[dependency.stage], states[dependency.stage]));
      state.drafts.set(layer.number, files);
    } else if (from && dependency?.stage !== undefined) {
      size = unknownSize(message('stageDefinedLater'));
    } else if (from) {
      size = unknownSize(message('imageFiles', { image: `${from.value}` }));
    } else {
      const given = services.copyFromContext?.(instruction, workdir);
      const copied = given && withoutRepeated(given, instruction, layer.number, state);
      if (copied) {
        size = withCompressed(copied.size, copied.content);
        writes = copied.writes;
        notes = copied.notes;
        noteMessages = copied.notes.map((_, i) => copied.noteMessages?.[i] ?? null);
        inputs = copied.inputs;
        if (copied.files) state.drafts.set(layer.number, copied.files);
        for (const placed of services.lockfilesOf?.(instruction, workdir) ?? []) state.lockfiles.set(placed.path, placed.lock);
      } else {
        size = unknownSize(services.contextUnavailable ?? message('contextNotRead'));
      }
    }
  }
  state.effects.push({ layer: layer.number, writes, removes, ...(shrinks.length > 0 ? { shrinks } : {}) });
  return {
    ...layer,
    size: withCompressed(size, 'mixed'),
    ...(notes.length > 0 ? { notes, noteMessages } : {}),
    ...(inputs ? { inputs } : {}),
    ...(facts ? { facts } : {}),
    ...(estimator ? { estimator } : {}),
    ...(breakdown ? { breakdown } : {}),
  };
}

/** The variables ENV set in the stage before an instruction (`ENV A=1 B="2"`, or the old `ENV A 1`). */
function stageEnv(stage: Stage, before: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const info of stage.instructions.slice(0, before)) {
    if (info.keyword.toUpperCase() !== 'ENV') continue;
    const args = info.args.trim();
    const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=]*)$/.exec(args);
    if (legacy) env[legacy[1]!] = legacy[2]!.trim().replace(/^"(.*)"$/, '$1');
    else for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/g)) env[m[1]!] = m[3] ?? m[4] ?? m[5] ?? '';
  }
  return env;
}

/**
 * `COPY --from=<stage> src dest`: the bytes the source stage wrote under `src`, when its writes
 * are known (files it copied from the context); otherwise a wide estimate bounded by that stage.
 * Its files: the source stage's trees where it copied from the context, else one entry per write.
 */
function copyFromStage(
  instruction: InstructionInfo,
  workdir: string,
  source: Stage | undefined,
  sourceState: StageState | undefined,
): { size: SizeFigure; writes: LayerWrite[]; files: FileDraft } {
  const words = instruction.args.split(/\s+/).filter(Boolean);
  const dest = words.pop() ?? '.';
  const destPath = posix.resolve(workdir, dest);
  if (!source) return { size: unknownSize(message('sourceStageNotSized')), writes: [], files: { root: destPath, extras: [] } };
  // COPY --from sources are read from the root of the source stage, not its working directory.
  const sources = words.map((w) => posix.resolve('/', w));
  const label = source.name ? `'${source.name}'` : `#${source.index}`;
  const stageName = source.name ?? `#${source.index}`;
  let known = 0;
  let low = 0;
  let high: number | null = 0;
  let matched = false;
  const placements: { node: FileTree['root']; at: string }[] = [];
  const extras: BreakdownEntry[] = [];
  let complete = true;
  for (const effect of sourceState?.effects ?? []) {
    // said only for the writes that become entries: a source stage has many layers, most not copied
    const from = () => ({ note: note('fromStage', { layer: effect.layer, stage: stageName }) });
    for (const write of effect.writes) {
      for (const src of sources) {
        if (write.path === src || write.path.startsWith(`${src}/`)) {
          known += write.bytes;
          low += write.range?.low ?? write.bytes;
          high = high === null || write.range?.high === null ? null : high + (write.range?.high ?? write.bytes);
          matched = true;
          const at = posix.relative(src, write.path);
          if (write.tree) {
            placements.push({ node: write.tree.root, at });
            complete &&= write.tree.complete;
          } else {
            const figure = write.range ? ranged(write.bytes, write.range.low, write.range.high) : { bytes: write.bytes, low: write.bytes, high: write.bytes, source: 'exact' as const };
            extras.push(entry('other', at || '.', figure, from()));
          }
        } else if (src.startsWith(`${write.path}/`)) {
          const part = write.bytesUnder?.(src.slice(write.path.length + 1));
          if (part !== undefined) {
            known += part;
            low += part;
            if (high !== null) high += part;
            matched = true;
            const node = write.tree && folderAtPath(write.tree.root, src.slice(write.path.length + 1));
            if (node) {
              placements.push({ node, at: '' });
              complete &&= write.tree!.complete;
            } else extras.push(entry('other', '.', { bytes: part, low: part, high: part, source: 'exact' }, from()));
          }
        }
      }
    }
  }
  const tree: FileTree | undefined = placements.length > 0 ? { root: placeTrees(placements), complete } : undefined;
  const files = copiedFiles(destPath, extras, tree);
  if (matched) {
    const exact = low === known && high === known;
    const size: SizeFigure = exact
      ? exactSize(known, null, message('stageCopiedExact', { stage: label, paths: sources.join(', ') }))
      : { ...estimatedSize(known, low, high ?? known, null, message('stageWrote', { stage: label, paths: sources.join(', ') })), high };
    return { size, writes: [{ path: destPath, bytes: known, ...whatOf(message('filesFromStage', { stage: label })), ...(exact ? {} : { range: { low, high } }), ...(tree ? { tree } : {}) }], files };
  }
  const stageOwn = source.sizes?.own;
  const ceiling = source.sizes?.total.bytes ?? null;
  const best = stageOwn?.bytes != null ? Math.min(stageOwn.bytes, 50e6) * 0.25 : 5e6;
  const size: SizeFigure = {
    ...estimatedSize(Math.round(best), 0, Math.round(best), null, message('stageProduced', { stage: label, paths: sources.join(', ') })),
    high: ceiling,
  };
  const guess = sources.map((src) => entry('other', sources.length === 1 ? '.' : posix.basename(src) || src, ranged(best / Math.max(1, sources.length), 0, ceiling), { note: note('fromStageUnknown', { stage: stageName }) }));
  return { size, writes: [{ path: destPath, bytes: Math.round(best), ...whatOf(message('filesFromStage', { stage: label })) }], files: copiedFiles(destPath, guess, undefined) };
}

/** Names relative to the destination; what lands as the destination itself is named by it, from the folder above. */
function copiedFiles(destPath: string, extras: BreakdownEntry[], tree: FileTree | undefined): FileDraft {
  if (tree || destPath === '/' || extras.some((e) => e.name !== '.')) return { root: destPath, extras, ...(tree ? { tree } : {}) };
  return { root: posix.dirname(destPath), extras: extras.map((e) => ({ ...e, name: posix.basename(destPath) })) };
}

/** The target image: its total and the space wasted across its layer chain (parent stages included). */
function imageSizes(target: Stage, stages: Stage[], states: StageState[]): ImageSizes {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = target; s; s = s.base.kind === 'stage' ? stages[s.base.stage] : undefined) {
    if (chain.includes(s)) break;
    chain.unshift(s);
  }
  const effects = chain.flatMap((s) => states[s.index]?.effects ?? []);
  const stageOf = new Map(chain.flatMap((s) => (states[s.index]?.effects ?? []).map((e) => [e.layer, s.index] as const)));
  const items: WastedBytes[] = findWaste(effects).map((w) => ({ ...w, stage: stageOf.get(w.layer) ?? target.index }));
  const wasted = items.reduce((sum, i) => sum + i.bytes, 0);
  const total = target.sizes!.total;
  return { total, wasted: { bytes: wasted, efficiency: efficiency(total.bytes ?? 0, wasted), items } };
}

/**
 * A COPY from the context without the files an earlier COPY of the stage already wrote the same
 * (repeatedCopies.ts): BuildKit does not store them again. The COPY is remembered for later ones.
 */
function withoutRepeated(copied: CopyEstimate, instruction: InstructionInfo, layer: number, state: StageState): CopyEstimate {
  if (instruction.keyword !== 'COPY' || !copied.selection || copied.root === undefined) return copied;
  const copy = { metadata: copyMetadata(instruction), root: copied.root, selection: copied.selection };
  // a layer in between that writes or deletes a path means the file below may differ: stored again
  const between = (from: number, dest: string) =>
    state.effects.some((e) => {
      if (e.layer <= from) return false;
      const other = state.copies.find((c) => c.layer === e.layer);
      return other ? landsAt(other.selection, other.root, dest) !== undefined : covers(e, dest);
    });
  const repeated = state.copies.length > 0 ? repeatedFiles(copy, state.copies, between) : undefined;
  let result = copied;
  if (repeated && repeated.count > 0 && copied.size.bytes !== null) {
    const keep = (n: number | null) => (n === null ? null : Math.max(0, n - repeated.bytes));
    const share = copied.size.bytes > 0 ? (copied.size.bytes - repeated.bytes) / copied.size.bytes : 0;
    const said = message('copyUnchanged', { count: repeated.count, s: plural(repeated.count), size: formatBytes(repeated.bytes) });
    const selection = withoutSources(copied.selection, repeated.sources);
    const tree = copied.files?.tree ? buildFileTree(selection, copied.files.tree.complete, '', copied.root) : undefined;
    const [first, ...rest] = copied.writes;
    result = {
      ...copied,
      size: { ...copied.size, bytes: keep(copied.size.bytes), low: keep(copied.size.low), high: keep(copied.size.high), compressed: copied.size.compressed == null ? copied.size.compressed ?? null : Math.round(copied.size.compressed * share) },
      notes: [...copied.notes, english(said)],
      noteMessages: [...copied.notes.map((_, i) => copied.noteMessages?.[i] ?? message('joined', { parts: copied.notes[i]! })), said],
      ...(copied.files ? { files: { ...copied.files, ...(tree ? { tree } : {}) } } : {}),
      writes: first ? [{ ...first, bytes: Math.max(0, first.bytes - repeated.bytes), unchanged: repeated.byWrite, ...(first.tree && tree ? { tree } : {}) }, ...rest] : [],
    };
  }
  state.copies.push({ layer, ...copy, write: result.writes[0] });
  return result;
}

