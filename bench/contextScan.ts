/**
 * Benchmark: reading a 100,000-file build context. In one run, on one generated folder:
 *
 *   (a) scanContext over nodeContextReader, with a small .dockerignore (what the server runs);
 *   (b) a plain recursive fs.promises.readdir + lstat walk that only counts (the floor for any
 *       walk that needs sizes);
 *   (c) updateContext after 10 files changed (what a file watcher triggers).
 *
 * Rows: a/b (target ≤ 1.5×) and c/a (target ≤ 0.2×), on medians. `node out/bench/contextScan.js`
 * after `node esbuild.js --tests`; `--json` prints the rows as JSON. The folder is made under the
 * system temp directory and removed at the end. It asserts nothing: it is a measurement.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Row } from './bench';
import { performance } from 'node:perf_hooks';
import { ratioRow, stats, timeAsync as time } from './measure';
import { createNodeContextReader } from '../server/src/nodeContextReader';
import { scanContext, updateContext } from '../server/src/service/sizes/context';
import { createIgnore } from '../server/src/service/sizes/dockerignore';

const IGNORE = 'node_modules\n.git\n**/*.log\ndist/\n!dist/keep.txt\n';
const EXTENSIONS = ['.js', '.ts', '.json', '.md', '.log', '.css', '.html', '.txt', '.svg', '.py'];

export interface ContextScanOptions {
  /** files to generate (default 100,000) */
  files?: number;
  /** timed runs per side (default 5 scans, 15 updates) */
  samples?: number;
}

/**
 * Makes a context of `count` files: 100 top directories of 10 subdirectories, names with mixed
 * extensions (a tenth `.log`, which the .dockerignore excludes). 64 files hold content; the rest
 * are hard links to them, since a new inode can cost ~0.5 ms on a journaled virtual disk and a
 * link ~20 µs: the walk lists and lstats every path the same way either way.
 */
export function generateContext(dir: string, count: number): string[] {
  const originals: string[] = [];
  const paths: string[] = [];
  const perLeaf = Math.ceil(count / 1000);
  for (let i = 0; i < count; i++) {
    const leaf = Math.floor(i / perLeaf);
    const rel = path.join(`pkg${String(Math.floor(leaf / 10)).padStart(2, '0')}`, `mod${leaf % 10}`, `file${i % perLeaf}${EXTENSIONS[i % EXTENSIONS.length]}`);
    const abs = path.join(dir, rel);
    if (i % perLeaf === 0) fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (originals.length < 64) {
      fs.writeFileSync(abs, 'x'.repeat((i * 97) % 4096));
      originals.push(abs);
    } else {
      fs.linkSync(originals[i % 64]!, abs);
    }
    paths.push(rel.split(path.sep).join('/'));
  }
  fs.writeFileSync(path.join(dir, '.dockerignore'), IGNORE);
  return paths;
}

/** The baseline: readdir every directory, lstat every entry, count files and bytes. */
export async function plainWalk(root: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    await Promise.all(entries.map(async (entry) => {
      const full = path.join(dir, entry.name);
      const stats = await fs.promises.lstat(full);
      if (stats.isDirectory()) await walk(full);
      else {
        files++;
        bytes += stats.size;
      }
    }));
  };
  await walk(root);
  return { files, bytes };
}

export async function contextScanRows(options: ContextScanOptions = {}): Promise<Row[]> {
  const count = options.files ?? 100_000;
  const samples = options.samples ?? 5;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlens-bench-'));
  try {
    const paths = generateContext(dir, count);
    const ignore = createIgnore(IGNORE);
    const scan = () => scanContext(createNodeContextReader(dir), { ignore });

    // warm the page cache and the JIT on both sides
    await scan();
    await plainWalk(dir);
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < samples; i++) {
      if (i % 2 === 0) {
        ours.push(await time(scan));
        baseline.push(await time(() => plainWalk(dir)));
      } else {
        baseline.push(await time(() => plainWalk(dir)));
        ours.push(await time(scan));
      }
    }

    const reader = createNodeContextReader(dir);
    let snapshot = await scanContext(reader, { ignore });
    const updates: number[] = [];
    const updateSamples = options.samples ? Math.max(3, options.samples * 3) : 15;
    for (let i = 0; i < updateSamples; i++) {
      const changed: string[] = [];
      for (let k = 0; k < 10; k++) {
        const rel = paths[(i * 7919 + k * 104_729) % paths.length]!;
        const abs = path.join(dir, ...rel.split('/'));
        // a new file renamed over the old path: the change touches that path only, not its link group
        fs.writeFileSync(`${abs}.new`, 'y'.repeat((i + k) % 300));
        fs.renameSync(`${abs}.new`, abs);
        changed.push(rel);
      }
      const t0 = performance.now();
      snapshot = await updateContext(snapshot, changed, reader, ignore);
      updates.push(performance.now() - t0);
    }

    const a = stats(ours);
    const b = stats(baseline);
    const c = stats(updates);
    const n = count.toLocaleString('en-US');
    return [
      ratioRow(`scan ${n} files vs readdir+lstat walk`, a, b, 1.5),
      ratioRow(`update after 10 changes vs full scan (${n} files)`, c, a, 0.2),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows = await contextScanRows();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ node: process.version, rows }, null, 2)}\n`);
    return;
  }
  const cpus = os.cpus();
  console.log(`Dockerlens context scan · node ${process.version} · ${os.platform()} ${os.arch()} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}`);
  console.log('ours     = scanContext(nodeContextReader) with a 5-line .dockerignore; updateContext after 10 changed files');
  console.log('baseline = recursive fs.promises.readdir + lstat, counting files and bytes; for the update row, the full scan');
  console.log('');
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  for (const r of rows) {
    // every row here has a baseline, a ratio and a target (see ratioRow())
    console.log(`${r.name}: ours ${ms(r.ours.median)} (p90 ${ms(r.ours.p90)}), baseline ${ms(r.baseline!.median)} (p90 ${ms(r.baseline!.p90)}), `
      + `ratio ${r.ratio!.toFixed(3)}× — target ≤ ${r.target}×: ${r.met ? 'met' : 'NOT met'}`);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
