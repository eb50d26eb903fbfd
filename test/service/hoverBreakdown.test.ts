/**
 * The hover's top contributors: the five largest entries of the layer under the cursor, one line
 * each, in English and Korean, with names that cannot turn into markup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, hover, type DockerfileModel } from '../../server/src/service';
import { aptService } from '../../server/src/service/sizes/aptService';
import { scanContext } from '../../server/src/service/sizes/context';
import { copyFromContext, precomputeCopySizes } from '../../server/src/service/sizes/contextSizes';
import { estimateSizes } from '../../server/src/service/sizes/estimate';
import { formatBytes } from '../../server/src/service/features/sizeText';
import { readableHistory } from '../../server/src/service/features/hover';
import { MINI_APT } from '../aptFixture';
import { withCursor } from '../cursor';
import { memoryContext, type MemoryEntry } from '../memoryContext';

const KiB = 1024;

async function hoverOn(marked: string, locale: 'en' | 'ko' = 'en', files?: Record<string, MemoryEntry>): Promise<string> {
  const { text, position } = withCursor(marked);
  const analysed = analyzeDockerfile(text);
  let model: DockerfileModel;
  if (files) {
    const snapshot = await scanContext(memoryContext(files));
    model = estimateSizes(analysed, { copyFromContext: copyFromContext(await precomputeCopySizes(analysed, snapshot), snapshot, analysed) });
  } else {
    model = estimateSizes(analysed, { apt: aptService(MINI_APT) });
  }
  const result = hover(model, position, locale);
  assert.ok(result);
  return result.markdown;
}

/** The list under the "largest" heading. */
const contributors = (markdown: string, heading: RegExp) => {
  const lines = markdown.split('\n');
  const at = lines.findIndex((l) => heading.test(l));
  assert.ok(at >= 0, markdown);
  const rows: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (!line.startsWith('- ')) break;
    rows.push(line);
  }
  return rows;
};

test('hover on an apt RUN: the three largest packages, each requested or pulled in by what', async () => {
  const markdown = await hoverOn('FROM debian:bookworm\nR|UN apt-get update && apt-get install -y app mawk && rm -rf /var/lib/apt/lists/*\n');
  const rows = contributors(markdown, /^\*\*Largest in this layer\*\*$/);
  assert.equal(rows.length, 3);
  // the closure of app and mawk: libc 1000 KiB (not in the Debian base list: its package is libc6), docs 200
  // (recommended), app 100, libfoo 50, mawk 40, mta 30, setup 10, helper 5 KiB; dpkg state ~0.5 MB
  assert.equal(rows[0], `- \`libc\` ${formatBytes(1000 * KiB)} · pulled in by libfoo`);
  assert.match(rows[1]!, /^- `\/var\/lib\/dpkg` [\d.]+ kB\\~ · dpkg and debconf state the install writes$/);
  assert.equal(rows[2], `- \`docs\` ${formatBytes(200 * KiB)} · recommended by app · --no-install-recommends drops it`);
  assert.ok(!rows.some((r) => r.includes('`app`')), 'the fourth and smaller are left to the layer tree');
  assert.ok(markdown.indexOf('Largest in this layer') > markdown.indexOf('Size:'), 'after the size');
});

test('hover in Korean: the same entries, Korean words', async () => {
  const rows = contributors(await hoverOn('FROM debian:bookworm\nR|UN apt-get install -y app\n', 'ko'), /^\*\*이 레이어에서 큰 것\*\*$/);
  assert.ok(rows.some((r) => r.startsWith('- `libc`') && r.includes('libfoo의 의존성')), rows.join('\n'));
  assert.ok(rows.some((r) => r.startsWith('- `docs`') && r.includes('app')), rows.join('\n'));
});

test('hover on FROM names base layers readably, not by their raw history line', () => {
  assert.equal(readableHistory("RUN # debian.sh --arch 'amd64' out/ 'bookworm' '@1785715200' # buildkit", 'en'), 'debian.sh: root filesystem');
  assert.equal(readableHistory('/bin/sh -c #(nop) ADD file:0123abcd in / ', 'en'), 'root filesystem');
  assert.equal(readableHistory('ADD alpine-minirootfs-3.22.0-x86_64.tar.gz / # buildkit', 'en'), 'ADD alpine-minirootfs-3.22.0-x86_64.tar.gz /');
  assert.equal(readableHistory('RUN |2 A=1 B=2 /bin/sh -c apt-get update # buildkit', 'ko'), 'RUN apt-get update');
  assert.equal(readableHistory('/bin/sh -c #(nop) ADD file:0123abcd in / ', 'ko'), '루트 파일시스템');
});

test('hover on a COPY: folders with their file counts; on FROM: the base layers by history line, each saying what it is', async () => {
  const copy = contributors(await hoverOn('FROM scratch\nCO|PY . /app\n', 'en', { 'src/a.js': { size: 2000 }, 'src/b.js': { size: 1000 }, '.env': 'X=1' }), /^\*\*Largest/);
  assert.deepEqual(copy, [`- \`src/\` ${formatBytes(3000)} · 2 files`, '- `.env` 3 B · looks unintended · environment files often hold secrets']);
  const base = contributors(await hoverOn('FR|OM node:22-bookworm-slim\nRUN true\n'), /^\*\*Largest/);
  assert.ok(base.length >= 2 && base.every((r) => /^- `.+` [\d.]+ [kMG]?B · base image layer$/.test(r)), base.join('\n'));
  const baseKo = contributors(await hoverOn('FR|OM node:22-bookworm-slim\nRUN true\n', 'ko'), /^\*\*이 레이어/);
  assert.ok(baseKo.length >= 2 && baseKo.every((r) => r.endsWith(' · 베이스 이미지 레이어')), baseKo.join('\n'));
});

test('hover: hostile file names stay text: no link, no line break, no escape from the code span', async () => {
  const markdown = await hoverOn('FROM scratch\nCO|PY . /app\n', 'en', { 'x`](command:evil)\n\n# big': { size: 5000 } });
  const rows = contributors(markdown, /^\*\*Largest/);
  assert.equal(rows.length, 1);
  assert.equal(rows[0], `- \`x](command:evil)  # big\` ${formatBytes(5000)} · file`);
});

test('hover on a layer with nothing itemised shows no contributor list', async () => {
  const markdown = await hoverOn('FROM scratch\nWORK|DIR /app\n');
  assert.ok(!markdown.includes('Largest in this layer'));
});

test('hover in Korean: entries named by what they are (small file changes, apk dependencies) are named in Korean', async () => {
  const small = contributors(await hoverOn('FROM debian:bookworm\nR|UN useradd app\n', 'ko'), /^\*\*이 레이어/);
  assert.ok(small.length === 1 && small[0]!.startsWith('- `파일 변경`'), small.join('\n'));
  assert.ok(contributors(await hoverOn('FROM debian:bookworm\nR|UN useradd app\n'), /^\*\*Largest/)[0]!.startsWith('- `file changes`'));
  const apk = contributors(await hoverOn('FROM alpine:3.20\nR|UN apk add --no-cache curl\n', 'ko'), /^\*\*이 레이어/);
  assert.ok(apk.some((r) => r.startsWith('- `의존성`')), apk.join('\n'));
  assert.ok(!apk.some((r) => r.includes('dependencies')), apk.join('\n'));
});
