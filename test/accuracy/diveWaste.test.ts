/**
 * Dive's wasted bytes from real layer tars (bench/accuracy/diveWaste.ts), on tars made here: a
 * file deleted by a whiteout, a folder emptied by an opaque whiteout, a file written again, and
 * what no later layer touches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { diveWaste, layerFiles } from '../../bench/accuracy/diveWaste';
import { tarArchive } from '../../bench/accuracy/fixtures';

const bytes = (n: number) => Buffer.alloc(n, 7);

test('diveWaste: deleted, emptied and rewritten files count in the layer that wrote them', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-dive-'));
  try {
    const layers = [
      [{ name: 'etc' }, { name: 'etc/status', data: bytes(100) }, { name: 'usr/bin/gcc', data: bytes(5000) }, { name: 'usr/lib/gcc/cc1', data: bytes(9000) }, { name: 'keep', data: bytes(70) }],
      [{ name: 'usr/bin/.wh.gcc', data: Buffer.alloc(0) }, { name: 'usr/lib/gcc/.wh..wh..opq', data: Buffer.alloc(0) }, { name: 'etc/status', data: bytes(120) }],
      [{ name: 'etc/status', data: bytes(130) }],
    ];
    const read = [];
    for (const [i, entries] of layers.entries()) {
      const file = path.join(dir, `${i}.tar.gz`);
      writeFileSync(file, gzipSync(tarArchive(entries)));
      read.push(await layerFiles(file, true));
    }
    assert.deepEqual(read[1]!.deleted, ['usr/bin/gcc']);
    assert.deepEqual(read[1]!.emptied, ['usr/lib/gcc']);
    const waste = diveWaste(read);
    // layer 0: gcc 5000 + cc1 9000 + status 100; layer 1: status 120 (rewritten by layer 2)
    assert.deepEqual(waste.byLayer, [14_100, 120, 0]);
    assert.equal(waste.bytes, 14_220);
    // dive counts every copy of a path met in two layers or more, the last one too
    assert.equal(waste.diveTotal, 14_220 + 130);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
