/**
 * One real build, the small sibling of `npm run bench:accuracy`: `FROM busybox` + a COPY of three
 * files + `RUN mkdir`, built with buildah over the local base that scripts/accuracy-setup.sh
 * makes. The COPY layer's predicted bytes (`dockerlens explain`, exact from the build context)
 * must equal the bytes of the regular files in the real layer tar; the tar itself is larger by its
 * headers and padding, which the test reports but does not judge.
 *
 * Skips with one line when buildah or the base image is not there (setup not run, not Linux, no
 * root; fails instead where DOCKERLENS_REQUIRE lists buildah: ../requireTool.ts). It never
 * installs anything itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../server/src/cli';
import { skipOrFail } from '../requireTool';
import type { DockerfileModel } from '../../server/src/service/types';
import { build, exportLayers, inspectImage, removeImage, unavailableReason } from '../../bench/accuracy/buildah';
import { alignStage } from '../../bench/accuracy/compare';

const BASE = 'docker.io/library/busybox:latest';

const SETTINGS = `${JSON.stringify({ name: 'demo', port: 8080, tags: ['a', 'b'] }, null, 2)}\n`;
const GREETING = 'hello from a real layer\n'.repeat(40);

const DOCKERFILE = `FROM busybox:latest
COPY greeting.txt settings.json table.bin /opt/demo/
RUN mkdir -p /opt/demo/cache
`;

function writeContext(dir: string): void {
  writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
  writeFileSync(path.join(dir, 'greeting.txt'), GREETING);
  writeFileSync(path.join(dir, 'settings.json'), SETTINGS);
  // 3,000 bytes of a byte ramp: not a multiple of 512, so the tar pads it.
  writeFileSync(path.join(dir, 'table.bin'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256)));
}

test('busybox build: the COPY layer holds exactly the bytes dockerlens predicts', { timeout: 180_000 }, async (t) => {
  const reason = unavailableReason([BASE]);
  if (reason) {
    skipOrFail(t, 'buildah', `real build not possible: ${reason}`);
    return;
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-accuracy-'));
  const tag = `localhost/dockerlens-accuracy-test:${process.pid}`;
  try {
    const context = path.join(work, 'context');
    mkdirSync(context);
    writeContext(context);

    const cli = await runCli(['explain', path.join(context, 'Dockerfile'), '--context', context, '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    const model = (JSON.parse(cli.stdout) as { model: DockerfileModel }).model;
    const stage = model.stages[0]!;

    const result = await build({ context, dockerfile: path.join(context, 'Dockerfile'), tag });
    assert.equal(result.status, 0, `buildah bud failed:\n${result.stderr}`);
    const image = await inspectImage(tag);
    const base = await inspectImage(BASE);
    const layers = await exportLayers(tag, path.join(work, 'oci'), 'test');
    assert.equal(layers.length, base.diffIds.length + 2, 'the base layers, then one for COPY and one for RUN');

    const rows = alignStage({ fixture: 'busybox-test', stage, history: image.history, layers, baseHistory: base.history.length, baseLayers: base.diffIds.length });
    const copy = rows.find((r) => r.instruction.startsWith('COPY'));
    assert.ok(copy?.predicted && copy.real, `no COPY row with both figures in ${JSON.stringify(rows)}`);
    assert.equal(copy.predicted.source, 'exact');
    assert.equal(copy.real.contentBytes, GREETING.length + SETTINGS.length + 3000, 'the real layer holds the three files');
    assert.equal(copy.predicted.bytes, copy.real.contentBytes, 'predicted COPY bytes = regular-file bytes in the real layer');
    assert.ok(copy.real.tarBytes > copy.real.contentBytes);
    t.diagnostic(`COPY layer: predicted ${copy.predicted.bytes} B, real content ${copy.real.contentBytes} B, real tar ${copy.real.tarBytes} B (${copy.real.entries} entries), gzip ${copy.real.compressedBytes} B vs predicted ${copy.predicted.compressed} B`);

    const run = rows.find((r) => r.instruction.startsWith('RUN'));
    assert.ok(run?.real, 'the RUN made a layer');
  } finally {
    await removeImage(tag).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
});
