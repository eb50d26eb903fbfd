/**
 * The accuracy benchmark's measuring parts without a builder: the streaming tar counter against
 * archives made here, and the history-to-instruction helpers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { fullImageName } from '../../bench/accuracy/buildah';
import { historyKeyword, median, tarExplains } from '../../bench/accuracy/compare';
import { tarArchive } from '../../bench/accuracy/fixtures';
import { measureLayer, pathPrefix, TarCounter } from '../../bench/accuracy/layerTar';

function paxHeader(records: Record<string, string>): Buffer {
  const body = Object.entries(records).map(([k, v]) => {
    const record = ` ${k}=${v}\n`;
    let length = record.length + 1;
    while (`${length}${record}`.length !== length) length++;
    return `${length}${record}`;
  }).join('');
  return Buffer.from(body, 'utf8');
}

test('counts content, entries, whiteouts and tar bytes of a gzip layer', async () => {
  const tar = tarArchive([
    { name: 'app' },
    { name: 'app/a.txt', data: Buffer.from('hello\n') },
    { name: 'app/b.bin', data: Buffer.alloc(1000, 7) },
    { name: 'app/.wh.old.txt', data: Buffer.alloc(0) },
  ]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-tar-'));
  try {
    const file = path.join(dir, 'layer.tar.gz');
    writeFileSync(file, gzipSync(tar));
    const stats = await measureLayer(file, { gzip: true });
    assert.equal(stats.tarBytes, tar.length);
    // headers: 4 × 512; data: 6 → 512, 1000 → 1024; end: 1024
    assert.equal(tar.length, 4 * 512 + 512 + 1024 + 1024);
    assert.equal(stats.contentBytes, 1006);
    assert.equal(stats.entries, 4);
    assert.equal(stats.regularFiles, 3);
    assert.equal(stats.whiteouts, 1);
    assert.equal(stats.byPrefix.get('app'), 1006);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pax header overrides the path and size of the entry after it', async () => {
  const longName = `deep/${'x'.repeat(120)}/file.txt`;
  const pax = paxHeader({ path: longName });
  const tar = tarArchive([{ name: 'PaxHeaders/file', data: pax }, { name: 'short', data: Buffer.from('12345') }]);
  tar[156] = 'x'.charCodeAt(0); // turn the first entry into a pax extended header
  let checksum = 0;
  tar.fill(0x20, 148, 156);
  for (let i = 0; i < 512; i++) checksum += tar[i]!;
  tar.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  const counter = new TarCounter();
  await new Promise<void>((resolve, reject) => counter.end(tar, (error?: Error | null) => (error ? reject(error) : resolve())));
  assert.equal(counter.stats.entries, 1);
  assert.equal(counter.stats.contentBytes, 5);
  assert.deepEqual([...counter.stats.byPrefix.keys()], [pathPrefix(longName)]);
});

test('history entries name their instruction keyword', () => {
  assert.equal(historyKeyword({ created_by: '/bin/sh -c #(nop) COPY multi:abc in /app/ ' }), 'COPY');
  assert.equal(historyKeyword({ created_by: '/bin/sh -c #(nop) WORKDIR /srv' }), 'WORKDIR');
  assert.equal(historyKeyword({ created_by: '|1 X=1 /bin/sh -c apt-get update' }), 'RUN');
});

test('image references are named as buildah stores them', () => {
  assert.equal(fullImageName('debian:bookworm'), 'docker.io/library/debian:bookworm');
  assert.equal(fullImageName('busybox'), 'docker.io/library/busybox:latest');
  assert.equal(fullImageName('library/busybox:1.36'), 'docker.io/library/busybox:1.36');
  assert.equal(fullImageName('ghcr.io/o/r:1'), 'ghcr.io/o/r:1');
  assert.equal(fullImageName('localhost:5000/r'), 'localhost:5000/r:latest');
});

test('tar framing explains a gap only when the prediction matches the content', () => {
  const real = { tarBytes: 4608, contentBytes: 455, compressedBytes: 486, entries: 4, top: [] };
  assert.equal(tarExplains(455, real), 'yes');
  assert.equal(tarExplains(4600, real), '-');
  assert.equal(tarExplains(20_000, real), 'no');
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});
