import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatCompressed, formatFigure, formatShort } from '../../server/src/service/features/sizeText';
import { estimatedSize, exactSize, unknownSize } from '../../server/src/service/sizes/types';
import { analyzeDockerfile, hover } from '../../server/src/service';
import { estimateSizes } from '../../server/src/service/sizes/estimate';
import { withCursor } from '../cursor';

test('bytes in decimal units, as docker prints them', () => {
  assert.deepEqual([999, 1500, 2_500_000, 1_130_000_000].map(formatBytes), ['999 B', '1.5 kB', '2.5 MB', '1.13 GB']);
});

test('every figure says where it came from', () => {
  assert.equal(formatFigure(exactSize(5_600_000, null, 'x')), '5.6 MB (exact)');
  assert.equal(formatFigure(estimatedSize(152_900_000, 143_000_000, 160_100_000, null, 'x')), '≈ 152.9 MB (143.0 MB–160.1 MB, estimated)');
  assert.equal(formatFigure({ ...estimatedSize(20e6, 1e6, 20e6, null, 'x'), high: null }), '≈ 20.0 MB (≥ 1.0 MB, estimated, no upper bound)');
  assert.equal(formatFigure({ ...estimatedSize(5e6, 5e6, 5e6, null, 'x'), high: null }), '≥ 5.0 MB (estimated, no upper bound)');
  assert.equal(formatFigure(unknownSize('why')), 'size not known');
  assert.equal(formatFigure(exactSize(1e6, null, 'x'), 'ko'), '1.0 MB (정확)');
  assert.equal(formatCompressed(exactSize(1e6, 4e5, 'x')), '400.0 kB compressed');
  assert.deepEqual([formatShort(estimatedSize(1e6, 0, 2e6, null, '')), formatShort(undefined), formatShort(exactSize(10, 10, ''))], ['1.0 MB~', '?', '10 B']);
});

test('hover on a sized RUN shows the figure, its detail and notes', () => {
  const { text, position } = withCursor('FROM alpine:3.22\nR|UN apk add git\n');
  const result = hover(estimateSizes(analyzeDockerfile(text)), position)!;
  assert.match(result.markdown, /Size: ≈ \d+\.\d MB \(.*estimated\) · ≈ [\d.]+ MB compressed/);
  assert.match(result.markdown, /apk adds 1 requested package \\\(git\\\)/);
  assert.match(result.markdown, /- the APK index stays in \/var\/cache\/apk/);
});

test('hover on FROM shows the base image size, its layer source and the stage total', () => {
  const { text, position } = withCursor('F|ROM debian:bookworm\nRUN true\n');
  const result = hover(estimateSizes(analyzeDockerfile(text)), position)!;
  assert.match(result.markdown, /Base image: ≈ 116\.6 MB \(.*bundled data\) · 48\.5 MB compressed/);
  assert.match(result.markdown, /debian:bookworm has 1 layer in the bundled docker-library\/repo-info data/);
  assert.match(result.markdown, /Stage total:/);
});

test('hover escapes markdown coming from the Dockerfile', () => {
  const { text, position } = withCursor('FROM ghcr.io/x/[y](javascript:alert(1))\nR|UN true\n');
  const result = hover(estimateSizes(analyzeDockerfile(text)), position)!;
  assert.doesNotMatch(result.markdown, /\]\(javascript/);
});

test('compact lens figures: a percentage for tight ranges, a ceiling for wide ones', async () => {
  const { formatCompact } = await import('../../server/src/service/features/sizeText.js');
  assert.equal(formatCompact(estimatedSize(100e6, 90e6, 110e6, null, '')), '≈ 100.0 MB ±10%');
  assert.equal(formatCompact(estimatedSize(32, 0, 4096, null, '')), '≈ 32 B (≤ 4.1 kB)');
  assert.equal(formatCompact(estimatedSize(0, 0, 100e3, null, '')), '≈ 0 B (≤ 100.0 kB)');
  assert.equal(formatCompact(exactSize(5e6, null, '')), '5.0 MB');
  assert.equal(formatCompact(unknownSize('x'), 'ko'), '크기 ?');
});

test('asymmetric ranges show their real bounds, never the larger one as ±', async () => {
  const { formatCompact } = await import('../../server/src/service/features/sizeText.js');
  assert.equal(formatCompact(estimatedSize(100e6, 99e6, 120e6, null, '')), '≈ 100.0 MB −1%/+20%');
  assert.equal(formatCompact(estimatedSize(100e6, 80e6, 101e6, null, '')), '≈ 100.0 MB −20%/+1%');
  assert.equal(formatCompact(estimatedSize(452.4e6, 400e6, 1.6e9, null, '')), '≈ 452.4 MB (≤ 1.60 GB)');
});

test('a figure with unknown parts: a floor and the list in full, "+ ?" in short, never a bare number', async () => {
  const { formatCompact, formatUnknownParts } = await import('../../server/src/service/features/sizeText.js');
  const partial = {
    ...exactSize(14e6, 5e6, 'x'),
    source: 'partial' as const,
    high: null,
    unknownParts: [
      { what: 'base image registry.example.com/team/base:1', stage: 0 },
      { what: 'download $URL', stage: 0, layer: 1, line: 3, keyword: 'RUN' },
    ],
  };
  assert.equal(formatFigure(partial), '≥ 14.0 MB + unknown (base image registry.example.com/team/base:1; RUN line 3: download $URL)');
  assert.equal(formatFigure(partial, 'ko'), '≥ 14.0 MB + 알 수 없음 (base image registry.example.com/team/base:1; 3번째 줄 RUN: download $URL)');
  assert.equal(formatFigure({ ...partial, low: 2e6 }), '≈ 14.0 MB known (≥ 2.0 MB) + unknown (base image registry.example.com/team/base:1; RUN line 3: download $URL)');
  assert.equal(formatCompact(partial), '≥ 14.0 MB + ?');
  assert.equal(formatCompact({ ...partial, low: 2e6 }), '≈ 14.0 MB + ?');
  assert.equal(formatShort(partial), '14.0 MB+?');
  assert.equal(formatCompressed(partial), '≥ 5.0 MB compressed');
  // known bytes of zero: nothing known is shown as a number
  const nothingKnown = { ...partial, bytes: 0, low: 0, compressed: 0 };
  assert.equal(formatCompact(nothingKnown), 'size ?');
  assert.equal(formatShort(nothingKnown), '?');
  assert.equal(formatCompressed(nothingKnown), '');
  assert.equal(formatFigure(nothingKnown), 'size not known (base image registry.example.com/team/base:1; RUN line 3: download $URL)');
  const many = { ...partial, unknownParts: Array.from({ length: 6 }, (_, i) => ({ what: `part ${i}` })) };
  assert.equal(formatUnknownParts(many), 'part 0; part 1; part 2; part 3; and 2 more');
  assert.equal(formatFigure(unknownSize('why', { id: 'baseImageLayer', values: { image: 'x:1' } }), 'ko'), '크기 알 수 없음 (베이스 이미지 x:1)');
});

test('an unknown base and a download: every text says what is not known and none shows 0 B or a bare total', async () => {
  const { codeLenses } = await import('../../server/src/service/features/codeLens.js');
  const { formatLayerTable } = await import('../../server/src/service/features/layerTable.js');
  const { text, position } = withCursor('F|ROM registry.example.com/team/base:1\nARG URL\nRUN curl -fsSL "$URL" -o /tmp/x.tgz && tar -xzf /tmp/x.tgz -C /opt\nRUN useradd app\n');
  const model = estimateSizes(analyzeDockerfile(text));
  const total = model.image!.total;
  assert.equal(total.source, 'partial');
  assert.deepEqual(total.unknownParts?.map((u) => [u.keyword ?? '', u.line ?? 0, u.what]), [
    ['', 0, 'base image registry.example.com/team/base:1'],
    ['RUN', 3, 'download $URL'],
  ]);
  const table = formatLayerTable(model, 'Dockerfile');
  assert.match(table, /^Image \(stage #0\): ≈ 6\.0 kB known \+ unknown \(base image registry\.example\.com\/team\/base:1; RUN line 3: download \$URL\)/m);
  assert.match(table, /^ {2}1 +3 +layer +\? +\? +unknown +RUN curl/m, 'the download layer is ?, not a number');
  const lenses = codeLenses(model).map((l) => l.title);
  assert.deepEqual(lenses, ["Stage #0 · ≈ 6.0 kB + ? in all · target image", 'Layer 1 · size ?', 'Layer 2 · ≈ 6.0 kB (≤ 2.0 MB)']);
  const markdown = hover(model, position)!.markdown;
  assert.match(markdown, /Stage total: ≈ 6\.0 kB known \\\+ unknown \\\(base image registry\.example\.com\/team\/base:1; RUN line 3: download \$URL\\\)/);
  const sizes = [...table.split('\n').filter((l) => !l.startsWith('  wasted')), ...lenses, markdown];
  for (const said of sizes) assert.doesNotMatch(said, /\b0 B\b/, said);
});

test('a total lists 20 unknown parts by name and counts the rest, so it stays small whatever the file', () => {
  const text = ['FROM alpine:3.22', ...Array.from({ length: 30 }, (_, i) => `RUN ./step${i}.sh`)].join('\n');
  const total = estimateSizes(analyzeDockerfile(text)).image!.total;
  assert.equal(total.source, 'partial');
  const parts = total.unknownParts!;
  assert.equal(parts.length, 21);
  assert.deepEqual(parts.slice(0, 2).map((p) => [p.line, p.what]), [[2, 'files written by ./step0.sh'], [3, 'files written by ./step1.sh']]);
  assert.deepEqual([parts[20]!.more, parts[20]!.what], [10, 'and 10 more']);
  assert.match(formatFigure(total), /RUN line 5: files written by \.\/step3\.sh; and 26 more\)$/);
  assert.match(formatFigure(total, 'ko'), /; 외 26개\)$/);
});
