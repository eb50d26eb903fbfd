/**
 * Size accuracy: builds every fixture under bench/accuracy/fixtures/ for real (buildah, vfs,
 * chroot isolation, `--layers`, nothing pulled), measures each real layer, and compares it with
 * what `dockerlens explain --json` predicted for the same instruction, per layer and per image.
 *
 * `npm run bench:accuracy` runs scripts/accuracy-setup.sh, builds, then this. Options:
 *   --only a,b   only these fixtures
 *   --json       also print the rows as JSON (they are always written to <home>/results.json)
 *   --clean      remove the fixtures' images afterwards (the vfs store keeps a full copy of the
 *                file system per layer; without --clean a second run reuses them and takes seconds)
 *
 * Real figures: `tar` is the uncompressed layer tar (content plus 512-byte headers and padding),
 * `content` the bytes of the regular files in it, `gzip` the compressed blob `buildah push` writes.
 * The product's figures count content; the report shows both comparisons. It asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DockerfileModel, Stage } from '../../server/src/service/types';
import type { SizeFigure } from '../../server/src/service/sizes/types';
import { REPO_ROOT, accuracyHome, build, exportLayers, fullImageName, inspectImage, pruneImages, removeImage, unavailableReason, type ImageInfo } from './buildah';
import { alignStage, realFigure, type LayerRow, type RealFigure } from './compare';
import { FIXTURES, type Fixture } from './fixtures';
import { report, type ImageRow, type Outcome, type WasteRow } from './report';
import { diveWaste, layerFiles, type LayerFiles } from './diveWaste';

const FIXTURES_DIR = path.join(REPO_ROOT, 'bench', 'accuracy', 'fixtures');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function predict(dir: string): DockerfileModel {
  const run = spawnSync(process.execPath, [CLI, 'explain', path.join(dir, 'Dockerfile'), '--context', dir, '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`dockerlens explain exited ${run.status}: ${run.stderr.trim()}`);
  return (JSON.parse(run.stdout) as { model: DockerfileModel }).model;
}

/** Stages to build: the target, and the named stages it needs (built on their own with --target). */
function stagesToBuild(model: DockerfileModel): Stage[] {
  return model.stages.filter((s) => s.isTarget || (s.used && s.name));
}

const filesOf = new Map<string, LayerFiles>();

/** The target image's wasted bytes, predicted and as dive counts them in its real layers (per layer, by the layer that wrote them). */
async function wasteRow(fixture: string, model: DockerfileModel, ociDir: string, layers: { digest: string }[], baseLayers: number): Promise<WasteRow> {
  const files: LayerFiles[] = [];
  for (const layer of layers) {
    let read = filesOf.get(layer.digest);
    if (!read) {
      read = await layerFiles(path.join(ociDir, 'blobs', ...layer.digest.split(':')), true);
      filesOf.set(layer.digest, read);
    }
    files.push(read);
  }
  const real = diveWaste(files);
  const predictedByLayer = new Map<number, number>();
  for (const item of model.image?.wasted.items ?? []) predictedByLayer.set(item.layer, (predictedByLayer.get(item.layer) ?? 0) + item.bytes);
  const own = real.byLayer.slice(baseLayers).map((bytes, i) => ({ layer: i + 1, real: bytes, predicted: predictedByLayer.get(i + 1) ?? 0 }));
  return { fixture, predicted: model.image?.wasted.bytes ?? 0, real: real.bytes, diveTotal: real.diveTotal, realBase: real.byLayer.slice(0, baseLayers).reduce((a, b) => a + b, 0), layers: own };
}

async function runFixture(fixture: Fixture, home: string, layerRows: LayerRow[], imageRows: ImageRow[], wasteRows: WasteRow[]): Promise<Outcome> {
  const started = Date.now();
  const dir = path.join(home, 'work', fixture.name);
  const log = path.join(home, 'logs', `${fixture.name}.log`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(log, { force: true });
  cpSync(path.join(FIXTURES_DIR, fixture.name), dir, { recursive: true });
  fixture.generate?.(dir);
  const model = predict(dir);
  const built = new Map<number, { tag: string; info: ImageInfo }>();
  const rows: LayerRow[] = [];
  const images: ImageRow[] = [];
  for (const stage of stagesToBuild(model)) {
    const tag = `localhost/dockerlens-accuracy/${fixture.name}:${stage.isTarget ? 'target' : stage.name}`;
    const request = { context: dir, dockerfile: path.join(dir, 'Dockerfile'), tag, log, ...(stage.isTarget ? {} : { target: stage.name! }) };
    const result = await build(request);
    if (result.status !== 0) {
      const error = lastErrorLine(result.stderr || result.stdout);
      if (fixture.optional && fixture.optional.errorPattern.test(result.stderr + result.stdout)) {
        return { fixture: fixture.name, status: 'skipped', reason: `the builder does not support ${fixture.optional.feature}: ${error}`, seconds: secondsSince(started) };
      }
      return { fixture: fixture.name, status: 'failed', reason: `build failed: ${error} (log: ${path.relative(REPO_ROOT, log)})`, seconds: secondsSince(started) };
    }
    const info = await inspectImage(tag);
    built.set(stage.index, { tag, info });
    const base = stage.base.kind === 'image'
      ? await inspectImage(fullImageName(stage.base.resolved))
      : stage.base.kind === 'stage'
        ? built.get(stage.base.stage)?.info
        : { id: '', history: [], diffIds: [] };
    if (!base) throw new Error(`${fixture.name}: stage ${stage.index} is built FROM stage ${stage.base.kind === 'stage' ? stage.base.stage : '?'}, which was not built`);
    const ref = `${fixture.name}-${stage.isTarget ? 'target' : stage.name}`;
    const layers = await exportLayers(tag, path.join(home, 'oci'), ref, log);
    if (stage.isTarget && stage.base.kind === 'image') wasteRows.push(await wasteRow(fixture.name, model, path.join(home, 'oci'), layers, base.diffIds.length));
    if (layers.length !== info.diffIds.length) throw new Error(`${tag}: ${layers.length} layers pushed, ${info.diffIds.length} in its config`);
    rows.push(...alignStage({ fixture: fixture.name, stage, history: info.history, layers, baseHistory: base.history.length, baseLayers: base.diffIds.length }));
    const label = `stage ${stage.index}${stage.name ? ` (${stage.name})` : ''}${stage.isTarget ? ' target' : ''}`;
    const total = stage.isTarget ? model.image?.total ?? stage.sizes?.total : stage.sizes?.total;
    images.push(imageRow(fixture.name, label, 'image', total, realFigure(layers)));
    images.push({ ...imageRow(fixture.name, label, 'image, real base', stage.sizes?.own, realFigure(layers)), realBase: realFigure(layers.slice(0, base.diffIds.length)) });
    images.push(imageRow(fixture.name, label, 'own layers', stage.sizes?.own, realFigure(layers.slice(base.diffIds.length))));
  }
  layerRows.push(...rows);
  imageRows.push(...images);
  return { fixture: fixture.name, status: 'built', seconds: secondsSince(started), tags: [...built.values()].map((b) => b.tag) };
}

function imageRow(fixture: string, stage: string, scope: ImageRow['scope'], predicted: SizeFigure | undefined, real: RealFigure): ImageRow {
  return { fixture, stage, scope, real, ...(predicted ? { predicted } : {}) };
}

function lastErrorLine(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.reverse().find((l) => /error/i.test(l)) ?? lines[0] ?? 'no output').slice(0, 300);
}

function secondsSince(start: number): number {
  return Math.round((Date.now() - start) / 100) / 10;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',').filter(Boolean)) : undefined;
  const reason = unavailableReason();
  if (reason) {
    console.log(`bench:accuracy skipped: ${reason}`);
    return;
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node esbuild.js first`);
  const home = accuracyHome();
  mkdirSync(path.join(home, 'logs'), { recursive: true });
  const fixtures = FIXTURES.filter((f) => !only || only.has(f.name));
  if (only) for (const name of only) if (!FIXTURES.some((f) => f.name === name)) throw new Error(`no fixture named ${name}`);

  const layerRows: LayerRow[] = [];
  const imageRows: ImageRow[] = [];
  const wasteRows: WasteRow[] = [];
  const outcomes: Outcome[] = [];
  const started = Date.now();
  for (const fixture of fixtures) {
    process.stderr.write(`bench:accuracy: ${fixture.name} ... `);
    let outcome: Outcome;
    try {
      outcome = await runFixture(fixture, home, layerRows, imageRows, wasteRows);
    } catch (error) {
      outcome = { fixture: fixture.name, status: 'failed', reason: error instanceof Error ? error.message : String(error), seconds: 0 };
    }
    outcomes.push(outcome);
    process.stderr.write(`${outcome.status} (${outcome.seconds} s)${outcome.reason ? `: ${outcome.reason}` : ''}\n`);
  }
  const seconds = secondsSince(started);
  console.log(report({ layers: layerRows, images: imageRows, waste: wasteRows, outcomes, seconds }));
  const results = { date: new Date().toISOString(), seconds, outcomes, layers: layerRows, images: imageRows, waste: wasteRows };
  writeFileSync(path.join(home, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
  if (args.includes('--clean')) {
    for (const outcome of outcomes) for (const tag of outcome.tags ?? []) await removeImage(tag);
    await pruneImages();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});
