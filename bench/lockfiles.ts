/**
 * Benchmark: reading lockfiles of 50,000 entries. In one run, on the same text:
 *
 *   (a) parseLockfile of a package-lock v3 (JSON.parse plus the walk over `packages`), against
 *       (b) JSON.parse alone, the strongest simple baseline: no reader can skip parsing the JSON;
 *   (c) a pnpm-lock v9 of as many packages through the tolerant indentation reader, against (b)
 *       on the package-lock of the same count (a YAML library would be the other baseline; there
 *       is none in the dependencies).
 *
 * Target: (a) within 2× of (b) and (c) within 4× of it; (a) is also well under a second.
 * `node out/bench/lockfiles.js` after `node esbuild.js --tests`; `--json` prints the rows.
 */
import type { Row } from './bench';
import { ratioRow, stats, time } from './measure';
import { parseLockfile } from '../server/src/service/sizes/lockfiles';
import { bigPackageLock } from '../test/lockfileFixtures';

const SAMPLES = 15;

function bigPnpmLock(count: number): string {
  const lines = ["lockfileVersion: '9.0'", '', 'importers:', '', '  .:', '    dependencies:'];
  for (let i = 0; i < count; i += 100) lines.push(`      pkg-${i}:`, `        specifier: ^1.0.0`, `        version: 1.0.${i % 9}`);
  lines.push('', 'packages:', '');
  for (let i = 0; i < count; i++) lines.push(`  pkg-${i}@1.0.${i % 9}:`, `    resolution: {integrity: sha512-${'b'.repeat(86)}==}`, '');
  lines.push('snapshots:', '');
  for (let i = 0; i < count; i++) lines.push(`  pkg-${i}@1.0.${i % 9}:`, '    dependencies:', `      pkg-${i + 1}: 1.0.${(i + 1) % 9}`, '');
  return lines.join('\n');
}

export function lockfileRows(count = 50_000): Row[] {
  const npm = bigPackageLock(count);
  const pnpm = bigPnpmLock(count);
  const sample = (fn: () => unknown) => {
    for (let i = 0; i < 3; i++) fn();
    return stats(Array.from({ length: SAMPLES }, () => time(fn)));
  };
  const baseline = sample(() => JSON.parse(npm));
  const ours = sample(() => parseLockfile('package-lock.json', npm));
  const yaml = sample(() => parseLockfile('pnpm-lock.yaml', pnpm));
  return [
    ratioRow(`package-lock v3, ${count.toLocaleString('en')} entries, vs JSON.parse`, ours, baseline, 2, `${(npm.length / 1e6).toFixed(1)} MB; median ${ours.median.toFixed(0)} ms`),
    ratioRow(`pnpm-lock v9, ${count.toLocaleString('en')} packages, vs JSON.parse of the package-lock`, yaml, baseline, 4, `${(pnpm.length / 1e6).toFixed(1)} MB; median ${yaml.median.toFixed(0)} ms`),
  ];
}

if (require.main === module) {
  const rows = lockfileRows();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else for (const r of rows) console.log(`${r.met ? 'met' : 'MISSED'}  ${r.name}: ${(r.ratio ?? 0).toFixed(2)}× (target ≤ ${r.target}×) · ${r.note ?? ''}`);
}
