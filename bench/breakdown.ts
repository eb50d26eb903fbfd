/**
 * Benchmark: the breakdown of a COPY of 100,000 files. In one run, on one in-memory snapshot
 * (the context scan is measured by ./contextScan.ts; this starts where it ends):
 *
 *   (a) the COPY's figure with its files gathered into a folder tree and emitted as bounded
 *       breakdown entries (copyFromContext + filesBreakdown: what the size pass now does);
 *   (b) the COPY's figure alone (copyFromContext with breakdown off: the bytes and the compressed
 *       estimate, which already visit every file), the baseline;
 *   (c) one folder listed on demand (listBreakdown, as `dockerlens/breakdown` answers it),
 *       against (a).
 *
 * Rows: a/b and c/a on medians. `node out/bench/breakdown.js` after `node esbuild.js --tests`;
 * `--json` prints the rows. It asserts nothing: it is a measurement.
 */
import * as os from 'node:os';
import type { Row } from './bench';
import { ratioRow, stats, time } from './measure';
import { analyzeDockerfile } from '../server/src/service';
import type { ContextSnapshot } from '../server/src/service/sizes/context';
import { copyFromContext, precomputeCopySizes } from '../server/src/service/sizes/contextSizes';
import { estimateSizes } from '../server/src/service/sizes/estimate';
import { listBreakdown } from '../server/src/service/features/breakdownFolder';
import { filesBreakdown } from '../server/src/service/sizes/layerBreakdown';
import type { ContextFile } from '../server/src/service/sizes/types';
import { mulberry32 } from '../test/random';

const EXTENSIONS = ['.js', '.ts', '.json', '.md', '.log', '.css', '.html', '.txt', '.svg', '.py'];

/**
 * A snapshot of `count` files as the scan would leave it, shaped like a dependency tree: folders
 * of 10 files, three levels deep under 100 top folders (one of them a node_modules, one a .git),
 * so 100,000 files sit in ~11,000 folders; file sizes from 0 to 64 kB, sorted by path.
 */
export function syntheticSnapshot(count: number, seed = 7): ContextSnapshot {
  const random = mulberry32(seed);
  const leaves = Math.ceil(count / 10);
  const perTop = Math.ceil(leaves / 100);
  const files: ContextFile[] = [];
  const directories = new Set<string>();
  for (let i = 0; i < count; i++) {
    const leaf = Math.floor(i / 10);
    const t = Math.floor(leaf / perTop);
    const top = t === 0 ? '.git' : t === 1 ? 'node_modules' : `pkg${String(t).padStart(2, '0')}`;
    const mid = `${top}/mod${Math.floor((leaf % perTop) / 10)}`;
    const dir = `${mid}/sub${leaf % 10}`;
    directories.add(top).add(mid).add(dir);
    files.push({ path: `${dir}/file${i % 10}${EXTENSIONS[i % EXTENSIONS.length]}`, size: Math.floor(random() * 65_536), kind: 'file' });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const bytesBefore = [0];
  for (const f of files) bytesBefore.push(bytesBefore[bytesBefore.length - 1]! + f.size);
  return {
    files, bytesBefore, directories: [...directories].sort(), ignored: [], ignoredCount: 0, fileCount: files.length,
    totalBytes: bytesBefore[files.length]!, errors: [], complete: true, truncated: false,
  };
}

export async function breakdownRows(options: { files?: number; samples?: number } = {}): Promise<Row[]> {
  const count = options.files ?? 100_000;
  const samples = options.samples ?? 15;
  const snapshot = syntheticSnapshot(count);
  const text = 'FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN rm -rf node_modules\n';
  const model = analyzeDockerfile(text);
  const sizes = await precomputeCopySizes(model, snapshot);
  const copy = model.stages[0]!.instructions[2]!;
  // copyFromContext keeps what it made of a CopySize (an edit elsewhere reuses it): each sample sizes a copy of it, as a changed COPY is
  const fresh = () => new Map([...sizes].map(([key, size]) => [key, { ...size }]));
  let sink = 0;
  const ours = () => {
    const estimate = copyFromContext(fresh(), snapshot, model)(copy, '/app')!;
    sink += filesBreakdown(estimate.files!, []).entries.length;
  };
  const baseline = () => {
    sink += copyFromContext(fresh(), snapshot, model, { breakdown: false })(copy, '/app')!.size.bytes!;
  };
  const sized = estimateSizes(model, { copyFromContext: copyFromContext(sizes, snapshot, model) });
  const listing = () => {
    sink += listBreakdown(sized, snapshot, { stage: 0, layer: 2, path: 'pkg50/mod3' })!.entries.length;
  };
  for (let i = 0; i < 3; i++) {
    ours();
    baseline();
    listing();
  }
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < samples; i++) {
    // alternate which side runs first, so neither always finds a warmer cache
    for (const run of i % 2 === 0 ? [ours, baseline] : [baseline, ours]) (run === ours ? a : b).push(time(run));
    c.push(time(listing));
  }
  if (sink === -1) console.log('');
  const n = count.toLocaleString('en-US');
  const breakdown = sized.stages[0]!.layers.find((l) => l.number === 2)!.breakdown!;
  return [
    ratioRow(`COPY breakdown of ${n} files (tree + bounded entries) vs the COPY's figure alone`, stats(a), stats(b), 4,
      `COPY breakdown: ${count.toLocaleString('en-US')} files in ${snapshot.directories.length.toLocaleString('en-US')} folders visited once from the snapshot (no walk); the layer shows ${breakdown.entries.length} top-level entries, ${breakdown.more?.entries ?? 0} more summed`),
    ratioRow(`one folder on demand (dockerlens/breakdown, ${Math.round(count / 1000)} files below it) vs the whole COPY breakdown`, stats(c), stats(a), 0.2),
  ];
}

async function main(): Promise<void> {
  const rows = await breakdownRows();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ node: process.version, rows }, null, 2)}\n`);
    return;
  }
  const cpus = os.cpus();
  console.log(`Dockerlens layer breakdown · node ${process.version} · ${os.platform()} ${os.arch()} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}`);
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  for (const r of rows) {
    console.log(`${r.name}: ours ${ms(r.ours.median)} (p90 ${ms(r.ours.p90)}), baseline ${ms(r.baseline!.median)} (p90 ${ms(r.baseline!.p90)}), `
      + `ratio ${r.ratio!.toFixed(2)}× — target ≤ ${r.target}×: ${r.met ? 'met' : 'NOT met'}`);
    if (r.note) console.log(`  ${r.note}`);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
