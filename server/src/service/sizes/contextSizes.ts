import * as posix from 'node:path/posix';
import { COMPRESSION, PRECOMPRESSED_EXTENSIONS, TEXT_EXTENSIONS } from '../data/compression';
import type { DockerfileModel, InstructionInfo } from '../types';
import { findFile, isDirectory, rangeUnder, sizeUnder, type ContextSnapshot } from './context';
import { copySize, type CopySize, type RangeReader } from './copySize';
import type { CopyEstimate } from './estimate';
import { english, message, whatOf } from './messages';
import { buildFileTree } from './fileTree';

/**
 * Bridges the build context to the size pass: COPY/ADD figures are computed ahead (reading archive
 * headers is asynchronous), then served to the synchronous size pass by instruction.
 */
export type CopySizes = Map<string, CopySize>;

const key = (stage: number, instruction: number) => `${stage}:${instruction}`;

/**
 * Every COPY/ADD that reads the build context, sized against the snapshot. `known` holds sizes
 * computed before against the same snapshot, by instruction text (copySize reads nothing else of
 * an instruction, positions only relative to its first line); it is left with this model's.
 */
export async function precomputeCopySizes(model: DockerfileModel, snapshot: ContextSnapshot, readTar?: RangeReader, known?: Map<string, CopySize | null>): Promise<CopySizes> {
  const sizes: CopySizes = new Map();
  const used = new Set<string>();
  for (const stage of model.stages) {
    for (const info of stage.instructions) {
      if (info.keyword !== 'COPY' && info.keyword !== 'ADD') continue;
      if (info.flags.some((f) => f.name === 'from')) continue;
      const textKey = `${model.escapeChar}${info.text}`;
      used.add(textKey);
      let result = known?.get(textKey);
      if (result === undefined) {
        result = await copySize(info, snapshot, readTar ? { readTar } : {});
        known?.set(textKey, result);
      }
      if (result) sizes.set(key(stage.index, info.index), result);
    }
  }
  // what earlier versions of the text asked for (a COPY line as it was typed) is not kept
  for (const textKey of known?.keys() ?? []) if (!used.has(textKey)) known!.delete(textKey);
  return sizes;
}

/**
 * Estimates made from one CopySize, by destination and breakdown option. A CopySize kept across
 * edits (precomputeCopySizes' `known`) then gives the same estimate, the same file tree and the same
 * writes: no tree built again for an unchanged COPY, and the size memo sees the stage's writes
 * unchanged by identity.
 */
const estimatesOf = new WeakMap<CopySize, { snapshot: ContextSnapshot; byDestination: Map<string, CopyEstimate> }>();

/**
 * The size pass's `copyFromContext` service over precomputed sizes; with `breakdown: false` the
 * files are not gathered into a tree (the figure alone).
 */
export function copyFromContext(sizes: CopySizes, snapshot: ContextSnapshot, model: DockerfileModel, options: { breakdown?: boolean } = {}) {
  const stageOf = new Map<InstructionInfo, number>();
  for (const stage of model.stages) for (const info of stage.instructions) stageOf.set(info, stage.index);
  return (info: InstructionInfo, workdir: string): CopyEstimate | undefined => {
    const stage = stageOf.get(info);
    const result = stage === undefined ? undefined : sizes.get(key(stage, info.index));
    if (!result) return undefined;
    const destination = destinationOf(info, workdir);
    let made = estimatesOf.get(result);
    if (made?.snapshot !== snapshot) estimatesOf.set(result, (made = { snapshot, byDestination: new Map() }));
    const madeKey = `${options.breakdown !== false}:${destination}`;
    let estimate = made.byDestination.get(madeKey);
    if (!estimate) made.byDestination.set(madeKey, (estimate = copyEstimate(result, snapshot, destination, options)));
    return estimate;
  };
}

function copyEstimate(result: CopySize, snapshot: ContextSnapshot, destination: string, options: { breakdown?: boolean }): CopyEstimate {
  const compressed = result.size.bytes === null ? null : compressedBytes(snapshot, result.matched, result.size.bytes);
  const onlyDirectory = result.matched.length === 1 && isDirectory(snapshot, result.matched[0]!) ? result.matched[0]! : undefined;
  const noteMessages = [
    ...(result.missing.length > 0 ? [message('copyMissing', { paths: result.missing.join(', ') })] : []),
    ...(result.unmatched.length > 0 ? [message('copyUnmatched', { patterns: result.unmatched.join(', ') })] : []),
  ];
  const notes = noteMessages.map(english);
  // the names of a lone file copied to a file path are relative to the folder it lands in
  const root = result.intoFile ? posix.dirname(destination) : destination;
  const tree = result.selection && options.breakdown !== false ? buildFileTree(result.selection, snapshot.complete, '', root) : undefined;
  return {
    size: { ...result.size, compressed },
    inputs: result.matched,
    content: 'mixed',
    notes,
    noteMessages,
    ...(options.breakdown !== false ? { files: { root, extras: result.extras, ...(tree ? { tree } : {}) } } : {}),
    ...(result.selection ? { selection: result.selection, root } : {}),
    writes: result.size.bytes === null ? [] : [{
      path: destination,
      bytes: result.size.bytes,
      ...whatOf(message('contextCopied')),
      ...(onlyDirectory !== undefined ? { bytesUnder: (sub: string) => sizeUnder(snapshot, `${onlyDirectory}/${sub}`).bytes || undefined } : {}),
      ...(tree && root === destination ? { tree } : {}),
    }],
  };
}

/** Gzip bytes of the matched files, each with the ratio of its kind (text, already compressed, other). */
function compressedBytes(snapshot: ContextSnapshot, matched: string[], fallbackBytes: number): number {
  let compressed = 0;
  let counted = 0;
  for (const path of matched) {
    const file = findFile(snapshot, path);
    const [start, end] = file ? [-1, -1] : rangeUnder(snapshot, path);
    const files = file ? [file] : snapshot.files.slice(start, end);
    for (const f of files) {
      compressed += f.size / ratioFor(f.path);
      counted += f.size;
    }
  }
  // Heredocs and archives are not context files: count the rest with the mixed ratio.
  const rest = Math.max(0, fallbackBytes - counted);
  return Math.round(compressed + rest / COMPRESSION.mixed.best);
}

function ratioFor(path: string): number {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (PRECOMPRESSED_EXTENSIONS.has(ext)) return COMPRESSION.precompressed.best;
  if (TEXT_EXTENSIONS.has(ext) || path.includes('/node_modules/')) return COMPRESSION['source-text'].best;
  return COMPRESSION.mixed.best;
}

/** Where a COPY/ADD puts its sources: its last word, resolved against the working directory. */
export function destinationOf(info: InstructionInfo, workdir: string): string {
  const words = info.args.trim().startsWith('[') ? safeJson(info.args) : info.args.split(/\s+/).filter((w) => w && !w.startsWith('<<'));
  return posix.resolve(workdir, words[words.length - 1] ?? '.');
}

function safeJson(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
