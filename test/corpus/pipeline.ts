/**
 * The corpus (dockerfiles.jsonl.gz) and the language server's pipeline over one of its files:
 * shared by the corpus test and its bench row (the slowest file's time).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { analyzeDockerfile, codeLenses, diagnose, estimateSizes, hover, type Position } from '../../server/src/service/index';
import { predictRebuild } from '../../server/src/service/cache/predict';
import { parseAptTable } from '../../server/src/service/sizes/aptTable';
import { aptService } from '../../server/src/service/sizes/aptService';
import type { SizeServices } from '../../server/src/service/sizes/estimate';
import { mulberry32 } from '../random';

export interface CorpusFile {
  path: string;
  text: string;
}

/** The first of `candidates` that exists: out/test/corpus/ after the build, or the sources. */
function locate(what: string, candidates: string[]): string {
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`${what} not found; looked in:\n${candidates.join('\n')}`);
  return found;
}

export function loadCorpus(): CorpusFile[] {
  const file = locate('the corpus', [
    path.resolve(__dirname, '../../../test/corpus/dockerfiles.jsonl.gz'),
    path.resolve(__dirname, 'dockerfiles.jsonl.gz'),
    path.resolve('test/corpus/dockerfiles.jsonl.gz'),
  ]);
  return gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as CorpusFile);
}

export function sizeServices(): SizeServices {
  const file = locate('the apt table', [
    path.resolve(__dirname, '../../server/src/service/data/apt-bookworm.txt.br'),
    path.resolve(__dirname, '../../../server/src/service/data/apt-bookworm.txt.br'),
    path.resolve('server/src/service/data/apt-bookworm.txt.br'),
  ]);
  return { apt: aptService(parseAptTable(brotliDecompressSync(fs.readFileSync(file)).toString('utf8'))) };
}

/** What the corpus exercised, so the run shows real coverage rather than 3,000 empty models. */
export interface Seen {
  stages: number;
  multiStage: number;
  instructions: number;
  layers: number;
  sizedLayers: number;
  /** layers whose figure is unknown, or partly (a floor and the parts not known) */
  unknownLayers: number;
  partialLayers: number;
  /** target images whose total is partly or wholly unknown */
  imagesWithUnknown: number;
  aptSized: number;
  heredocs: number;
  hovers: number;
  lenses: number;
  rebuilt: number;
  problems: number;
  filesWithProblems: number;
  codes: Map<string, { rule: string; count: number; files: number }>;
}

export function newSeen(): Seen {
  return { stages: 0, multiStage: 0, instructions: 0, layers: 0, sizedLayers: 0, unknownLayers: 0, partialLayers: 0, imagesWithUnknown: 0, aptSized: 0, heredocs: 0, hovers: 0, lenses: 0, rebuilt: 0, problems: 0, filesWithProblems: 0, codes: new Map() };
}

/**
 * The server's pipeline over one file. Positions: the start and end of the first instructions
 * and a few chosen by a PRNG seeded with the file's number, so a failure reproduces.
 */
export function pipeline(file: CorpusFile, index: number, services: SizeServices, seen?: Seen): void {
  const random = mulberry32(index + 1);
  const model = estimateSizes(analyzeDockerfile(file.text), services);
  const diagnoses = diagnose(model, file.text);
  const lenses = codeLenses(model);
  const lines = file.text.split(/\r\n|\r|\n/);
  const instructions = [...model.preamble, ...model.stages.flatMap((s) => s.instructions)];
  const positions: Position[] = instructions.slice(0, 3).flatMap((i) => [i.range.start, i.range.end]);
  for (let k = 0; k < 3; k++) {
    const line = Math.floor(random() * lines.length);
    positions.push({ line, character: Math.floor(random() * ((lines[line]?.length ?? 0) + 1)) });
  }
  let hovers = 0;
  for (const position of positions) if (hover(model, position, 'en', 'file:///corpus/Dockerfile')) hovers++;
  const argName = model.globalArgs[0]?.name ?? model.stages.flatMap((s) => s.args)[0]?.name ?? 'VERSION';
  const prediction = predictRebuild(model, { files: ['package.json', 'src/main.go'], editedLines: [Math.floor(random() * lines.length)], buildArgs: [argName], dockerfile: 'Dockerfile' });
  if (!seen) return;

  seen.stages += model.stages.length;
  if (model.stages.length > 1) seen.multiStage++;
  seen.instructions += instructions.length;
  const layers = model.stages.flatMap((s) => s.layers.filter((l) => l.kind === 'filesystem'));
  seen.layers += layers.length;
  seen.sizedLayers += layers.filter((l) => l.size && l.size.bytes !== null).length;
  seen.unknownLayers += layers.filter((l) => l.size?.source === 'unknown').length;
  seen.partialLayers += layers.filter((l) => l.size?.source === 'partial').length;
  if (model.image && (model.image.total.source === 'partial' || model.image.total.source === 'unknown')) seen.imagesWithUnknown++;
  if (layers.some((l) => l.facts?.aptRecommendsBytes !== undefined || /\bapt\b/i.test(l.size?.detail ?? ''))) seen.aptSized++;
  if (instructions.some((i) => i.heredocs.length > 0)) seen.heredocs++;
  seen.hovers += hovers;
  seen.lenses += lenses.length;
  seen.rebuilt += prediction.stages.reduce((n, s) => n + s.rebuilt.layers, 0);
  seen.problems += diagnoses.length;
  if (diagnoses.length > 0) seen.filesWithProblems++;
  const codesHere = new Set<string>();
  for (const d of diagnoses) {
    const entry = seen.codes.get(d.code) ?? { rule: d.rule, count: 0, files: 0 };
    entry.count++;
    if (!codesHere.has(d.code)) entry.files++;
    codesHere.add(d.code);
    seen.codes.set(d.code, entry);
  }
}
