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
  assert.match(result.markdown, /Size: ≈ \d+\.\d MB \(.*estimated\) · [\d.]+ MB compressed/);
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
