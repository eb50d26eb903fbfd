import * as posix from 'node:path/posix';
import type { ContentKind } from '../data/compression';
import type { DockerfileModel, ImageSizes, InstructionInfo, Layer, LayerFacts, Stage, StageSizes, WastedBytes } from '../types';
import { ALPINE_BASE_PACKAGES } from './apk';
import { baseImageFigure, installedPackages, lookupBaseImage } from './baseImages';
import { combineParts, withCompressed } from './combine';
import { estimateRun, type RunPartEstimate } from './run';
import { runScript, splitCommands, type SimpleCommand } from './shell';
import { estimatedSize, exactSize, unknownSize, type SizeFigure } from './types';
import { coverage, efficiency, findWaste, removedPaths, rewrittenPaths, type LayerEffects, type LayerWrite } from './waste';
import { formatBytes } from '../features/sizeText';
import type { SizeReuse } from './sizeMemo';

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
}

export interface AptState {
  installed?: ReadonlySet<string>;
  /** an earlier RUN of the stage ran apt-get update and kept the lists */
  listsPresent: boolean;
}

export interface AptEstimate extends RunPartEstimate {
  /** the lists are still there after this RUN */
  listsLeft: boolean;
}

export interface SizeServices {
  /** platform the base images are looked up for; linux/amd64 by default */
  platform?: string;
  /** sizes COPY/ADD from the build context; undefined when the context is not scanned (yet) */
  copyFromContext?: (info: InstructionInfo, workdir: string) => CopyEstimate | undefined;
  /** why copyFromContext is missing, for the figure's detail */
  contextUnavailable?: string;
  apt?: (commands: SimpleCommand[], state: AptState) => AptEstimate | undefined;
}

interface StageState {
  dpkg: Set<string> | undefined;
  apk: Set<string> | undefined;
  aptLists: boolean;
  effects: LayerEffects[];
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
  run?.finish();
  const sized: DockerfileModel = { ...model, stages };
  const target = stages[model.target];
  if (target?.sizes) sized.image = imageSizes(target, stages, states);
  return sized;
}

function sizeStage(stage: Stage, sized: Stage[], states: StageState[], services: SizeServices, platform: string): Stage {
  const parent = stage.base.kind === 'stage' ? states[stage.base.stage] : undefined;
  const stagePlatform = stage.platform && !stage.platform.includes('$') ? stage.platform : platform;
  let base: SizeFigure;
  let baseImage: StageSizes['baseImage'];
  let state: StageState;
  if (stage.base.kind === 'image') {
    base = baseImageFigure(stage.base, stagePlatform);
    const info = lookupBaseImage(stage.base, stagePlatform);
    if (info) baseImage = { key: info.key, match: info.match, date: info.date, ...(info.note ? { note: info.note } : {}), layers: info.layers };
    const installed = installedPackages(stage.base, stagePlatform);
    // An Alpine tag missing from the data still has Alpine's base packages.
    const apkBase = installed?.manager === 'apk' ? installed.packages : stage.base.repository === 'library/alpine' ? ALPINE_BASE_PACKAGES : undefined;
    state = {
      dpkg: installed?.manager === 'dpkg' ? new Set(installed.packages) : undefined,
      // What earlier RUNs installed is remembered even when the base's own list is unknown.
      apk: new Set(apkBase ?? []),
      aptLists: false,
      effects: [],
    };
  } else if (stage.base.kind === 'stage' && parent) {
    base = sized[stage.base.stage]?.sizes?.total ?? unknownSize('the parent stage has no size');
    state = { dpkg: parent.dpkg && new Set(parent.dpkg), apk: parent.apk && new Set(parent.apk), aptLists: parent.aptLists, effects: [] };
  } else {
    base = exactSize(0, 0, 'scratch: an empty filesystem');
    state = { dpkg: undefined, apk: undefined, aptLists: false, effects: [] };
  }
  const layers = stage.layers.map((layer) => {
    if (layer.kind !== 'filesystem') return { ...layer, size: base };
    const instruction = stage.instructions[layer.instruction]!;
    return sizeLayer(layer, instruction, stage, sized, states, state, services);
  });
  states[stage.index] = state;
  const ownFigures = layers.filter((l) => l.kind === 'filesystem').map((l) => ({ size: l.size!, content: 'mixed' as const }));
  const own = ownFigures.length > 0 ? combineParts(ownFigures, ' · ') : exactSize(0, 0, 'no own layers');
  const total = combineParts([{ size: base, content: 'mixed' }, { size: own, content: 'mixed' }], ' · ');
  return { ...stage, layers, sizes: { base, own: { ...own, detail: summarise(ownFigures.length, own) }, total: { ...total, detail: 'base + own layers' }, ...(baseImage ? { baseImage } : {}) } };
}

function summarise(count: number, figure: SizeFigure): string {
  return `${count} own layer${count === 1 ? '' : 's'}${figure.source === 'unknown' ? ': sizes not known' : ''}`;
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
  let writes: LayerWrite[] = [];
  let removes: string[] = [];
  let inputs: string[] | undefined;
  let facts: LayerFacts | undefined;

  if (instruction.keyword === 'RUN') {
    const commands = splitCommands(runScript(instruction));
    const run = estimateRun(instruction, {
      workdir,
      ...(state.apk ? { installedApk: state.apk } : {}),
      ...(services.apt
        ? {
            apt: (cmds: SimpleCommand[]) => {
              const result = services.apt!(cmds, { ...(state.dpkg ? { installed: state.dpkg } : {}), listsPresent: state.aptLists });
              if (result) state.aptLists = result.listsLeft;
              return result;
            },
          }
        : {}),
    });
    size = run.size;
    for (const part of run.parts) {
      notes.push(...part.notes);
      writes.push(...part.writes);
      // npm/yarn/pnpm install into the working directory: later stages often copy node_modules
      if (part.estimator === 'npm' && part.size.bytes !== null) {
        const cache = part.writes.reduce((sum, w) => sum + w.bytes, 0);
        const scale = (n: number | null) => (n === null ? null : Math.max(0, n - cache));
        writes.push({
          path: posix.resolve(workdir, 'node_modules'),
          bytes: scale(part.size.bytes)!,
          what: 'node_modules installed by this RUN',
          range: { low: scale(part.size.low) ?? 0, high: scale(part.size.high) },
        });
      }
      const set = part.installed?.manager === 'dpkg' ? state.dpkg : part.installed?.manager === 'apk' ? state.apk : undefined;
      for (const name of part.installed?.names ?? []) set?.add(name);
      for (const name of part.installed?.removed ?? []) set?.delete(name);
      if (part.facts) facts = { ...facts, ...part.facts };
    }
    removes = removedPaths(commands, workdir);
    // chown/chmod of earlier files copies them up: count the bytes here, and as waste below
    let copiedUp = 0;
    for (const target of rewrittenPaths(commands, workdir)) {
      for (const effect of state.effects) {
        for (const earlier of effect.writes) {
          const bytes = coverage(target, earlier);
          if (!bytes) continue;
          copiedUp += bytes;
          writes.push({ path: earlier.path, bytes, what: `${earlier.what}, copied up by ${commands.find((c) => ['chown', 'chmod', 'chgrp'].includes(c.argv[0] ?? ''))?.argv[0]}` });
        }
      }
    }
    if (copiedUp > 0) {
      size = combineParts([
        { size, content: 'mixed' },
        { size: estimatedSize(copiedUp, Math.round(copiedUp * 0.9), copiedUp, null, `changing owner or mode copies ${formatBytes(copiedUp)} of files from earlier layers into this one`), content: 'mixed' },
      ]);
      notes.push(`chown/chmod here copies ${formatBytes(copiedUp)} of earlier layers' files into this layer: set owner and mode where they are written (COPY --chown/--chmod) instead`);
    }
  } else if (instruction.keyword === 'WORKDIR') {
    size = estimatedSize(32, 0, 4096, 32, 'a new directory entry (BuildKit writes ~32 bytes)');
  } else {
    const from = instruction.flags.find((f) => f.name === 'from');
    const dependency = stage.dependencies.find((d) => d.instruction === instruction.index && d.kind === 'copy-from');
    if (from && dependency?.stage !== undefined && dependency.stage < stage.index) {
      ({ size, writes } = copyFromStage(instruction, workdir, sized[dependency.stage], states[dependency.stage]));
    } else if (from && dependency?.stage !== undefined) {
      size = unknownSize('the source stage is defined later in the file: the build fails');
    } else if (from) {
      size = unknownSize(`files from the image ${from.value}: its contents are not in the bundled data`);
    } else {
      const copied = services.copyFromContext?.(instruction, workdir);
      if (copied) {
        size = withCompressed(copied.size, copied.content);
        writes = copied.writes;
        notes = copied.notes;
        inputs = copied.inputs;
      } else {
        size = unknownSize(services.contextUnavailable ?? 'the build context has not been read');
      }
    }
  }
  state.effects.push({ layer: layer.number, writes, removes });
  return { ...layer, size: withCompressed(size, 'mixed'), ...(notes.length > 0 ? { notes } : {}), ...(inputs ? { inputs } : {}), ...(facts ? { facts } : {}) };
}

/**
 * `COPY --from=<stage> src dest`: the bytes the source stage wrote under `src`, when its writes
 * are known (files it copied from the context); otherwise a wide estimate bounded by that stage.
 */
function copyFromStage(instruction: InstructionInfo, workdir: string, source: Stage | undefined, sourceState: StageState | undefined): { size: SizeFigure; writes: LayerWrite[] } {
  const words = instruction.args.split(/\s+/).filter(Boolean);
  const dest = words.pop() ?? '.';
  if (!source) return { size: unknownSize('the source stage is not sized'), writes: [] };
  // COPY --from sources are read from the root of the source stage, not its working directory.
  const sources = words.map((w) => posix.resolve('/', w));
  let known = 0;
  let low = 0;
  let high: number | null = 0;
  let matched = false;
  for (const effect of sourceState?.effects ?? []) {
    for (const write of effect.writes) {
      for (const src of sources) {
        if (write.path === src || write.path.startsWith(`${src}/`)) {
          known += write.bytes;
          low += write.range?.low ?? write.bytes;
          high = high === null || write.range?.high === null ? null : high + (write.range?.high ?? write.bytes);
          matched = true;
        } else if (src.startsWith(`${write.path}/`)) {
          const part = write.bytesUnder?.(src.slice(write.path.length + 1));
          if (part !== undefined) {
            known += part;
            low += part;
            if (high !== null) high += part;
            matched = true;
          }
        }
      }
    }
  }
  const destPath = posix.resolve(workdir, dest);
  const label = source.name ? `'${source.name}'` : `#${source.index}`;
  if (matched) {
    const exact = low === known && high === known;
    const size: SizeFigure = exact
      ? exactSize(known, null, `files stage ${label} copied from the build context into ${sources.join(', ')}`)
      : { ...estimatedSize(known, low, high ?? known, null, `estimated: what stage ${label} wrote under ${sources.join(', ')}`), high };
    return { size, writes: [{ path: destPath, bytes: known, what: `files from stage ${label}`, ...(exact ? {} : { range: { low, high } }) }] };
  }
  const stageOwn = source.sizes?.own;
  const ceiling = source.sizes?.total.bytes ?? null;
  const best = stageOwn?.bytes != null ? Math.min(stageOwn.bytes, 50e6) * 0.25 : 5e6;
  const size: SizeFigure = {
    ...estimatedSize(Math.round(best), 0, Math.round(best), null, `estimated: what stage ${label} produced under ${sources.join(', ')} (not known before its build)`),
    high: ceiling,
  };
  return { size, writes: [{ path: destPath, bytes: Math.round(best), what: `files from stage ${label}` }] };
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
