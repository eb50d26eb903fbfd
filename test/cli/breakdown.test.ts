/**
 * `dockerlens explain --layer N` / `--line L`: what one layer is made of, as an indented tree,
 * on the examples (real build contexts, the bundled apt table); `--json` carries the breakdown.
 */
import * as path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../server/src/cli';
import type { LayerBreakdown } from '../../server/src/service/types';

const ROOT = path.resolve(__dirname, '../../..');
const example = (name: string) => path.join(ROOT, 'examples', name, 'Dockerfile');

describe('explain --layer / --line', () => {
  it('an apt layer: its packages, largest first, requested or pulled in, and what --no-install-recommends drops', async () => {
    const result = await runCli(['explain', example('apt-waste'), '--layer', '2']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(lines[0]!, /^Layer 2 of stage #0, line 6: RUN apt-get install -y curl git$/);
    assert.match(lines[1]!, /^Size: ≈ [\d.]+ MB \(.*estimated\)/);
    assert.ok(lines.includes('Packages and what else the RUN leaves, largest first:'));
    const rows = lines.filter((l) => /^\s+[\d.]+ [kMG]?B~?  \S/.test(l));
    assert.ok(rows.length > 10);
    const bytes = rows.map((l) => parseSize(l.trim().split('  ')[0]!));
    assert.deepEqual(bytes, [...bytes].sort((a, b) => b - a), 'largest first');
    assert.ok(rows.some((l) => /  git  · requested$/.test(l)), 'git is requested');
    assert.ok(rows.some((l) => /  curl  · requested$/.test(l)), 'curl is requested');
    assert.ok(rows.some((l) => / · pulled in by \S+/.test(l)));
    assert.ok(rows.some((l) => / · recommended by \S+ · --no-install-recommends drops it/.test(l)));
    assert.match(result.stdout, /--no-install-recommends would leave out \d+ packages \([\d.]+ MB\)/);
  });

  it('--line of an earlier RUN whose lists a later layer deletes: flagged wasted', async () => {
    const result = await runCli(['explain', example('apt-waste'), '--line', '5']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\/var\/lib\/apt\/lists  · wasted · .*deleted by layer 3/);
  });

  it('a COPY of the build context: folders with their files, nested, relative to the destination', async () => {
    const result = await runCli(['explain', example('node-app'), '--line', '10']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(lines[0]!, /^Layer 4 of stage 'build', line 10: COPY \. \.$/);
    assert.ok(lines.includes('Files copied into /app, largest first:'));
    const src = lines.findIndex((l) => /  src\/  · 1 file$/.test(l));
    assert.ok(src > 0, result.stdout);
    assert.match(lines[src + 1]!, /^\s+[\d.]+ k?B    server\.js$/, 'a child is indented under its folder, named below it');
    assert.ok(!lines.some((l) => /node_modules/.test(l)), '.dockerignore leaves node_modules out');
  });

  it('--layer finds the layer in the target image first, then in the one stage that has it', async () => {
    const base = await runCli(['explain', example('node-app'), '--layer', '0']);
    assert.match(base.stdout, /^Layer 0 of stage #2, line 13: FROM /);
    assert.ok(base.stdout.includes("The base image's layers by their history line, largest first:"));
    const build = await runCli(['explain', example('node-app'), '--layer', '4']);
    assert.match(build.stdout, /^Layer 4 of stage 'build'/);
    // runtime (the target) has no layer 3 of its own; 'test' only inherits build's
    const inherited = await runCli(['explain', example('multi-stage'), '--layer', '3']);
    assert.equal(inherited.code, 0, inherited.stderr);
    assert.match(inherited.stdout, /^Layer 3 of stage 'build', line 9: COPY \. \.\n/);
    const twoStages = 'FROM alpine:3.22 AS a\nRUN echo a\nRUN echo b\nRUN echo c\nFROM alpine:3.22 AS b\nRUN echo d\nRUN echo e\nRUN echo f\nFROM scratch\nCOPY --from=a /x /x\nCOPY --from=b /y /y\n';
    const io = { readFile: () => twoStages, readContext: async () => undefined };
    const ambiguous = await runCli(['explain', 'Dockerfile', '--layer', '3'], io);
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /Layer 3 is in stages 'a', 'b', not in the target image: pick one with --line or --target/);
    assert.match((await runCli(['explain', 'Dockerfile', '--layer', '3', '--target', 'b'], io)).stdout, /^Layer 3 of stage 'b', line 8: RUN echo f\n/);
  });

  it('no such layer, a line without a layer, bad values: code 2 with a reason', async () => {
    const missing = await runCli(['explain', example('apt-waste'), '--layer', '99']);
    assert.deepEqual([missing.code, missing.stdout], [2, '']);
    assert.match(missing.stderr, /No layer 99: the target image has layers 0–5/);
    const metadata = await runCli(['explain', example('apt-waste'), '--line', '10']);
    assert.equal(metadata.code, 2);
    assert.match(metadata.stderr, /Line 10 \(CMD\) makes no layer/);
    for (const bad of [['--layer', 'two'], ['--line', '0'], ['--layer']]) {
      const result = await runCli(['explain', example('apt-waste'), ...bad]);
      assert.equal(result.code, 2, bad.join(' '));
    }
    const checkHasNoLayer = await runCli(['check', example('apt-waste'), '--layer', '1']);
    assert.equal(checkHasNoLayer.code, 2, 'only explain takes --layer');
  });

  it('--json: every layer carries its breakdown; with --layer, only that layer', async () => {
    const all = JSON.parse((await runCli(['explain', example('apt-waste'), '--json'])).stdout) as { layers: Array<{ layer: number | null; breakdown?: LayerBreakdown }> };
    const apt = all.layers.find((l) => l.layer === 2)!.breakdown!;
    assert.equal(apt.kind, 'packages');
    assert.ok(apt.entries.some((e) => e.name === 'git' && e.role === 'requested' && e.source === 'bundled'));
    assert.equal(all.layers.find((l) => l.layer === 0)!.breakdown!.kind, 'base');
    assert.equal(all.layers.find((l) => l.layer === null)!.breakdown, undefined, 'metadata has none');
    const one = JSON.parse((await runCli(['explain', example('apt-waste'), '--json', '--layer', '5'])).stdout) as { layers: Array<{ layer: number; breakdown?: LayerBreakdown }> };
    assert.deepEqual(one.layers.map((l) => l.layer), [5]);
    assert.deepEqual(one.layers[0]!.breakdown!.entries.map((e) => e.name), ['app.sh']);
  });
});

function parseSize(text: string): number {
  const m = /^([\d.]+) ([kMG]?)B/.exec(text)!;
  return Number(m[1]) * ({ '': 1, k: 1e3, M: 1e6, G: 1e9 } as Record<string, number>)[m[2]!]!;
}
