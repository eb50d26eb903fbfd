import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/service';
import { estimateSizes } from '../../server/src/service/sizes/estimate';
import { exactSize } from '../../server/src/service/sizes/types';
import { sharedLayers } from '../../server/src/service/cache/shared';

const context = {
  copyFromContext: (info: { args: string }) => ({ size: exactSize(1e6, 4e5, 'x'), content: 'source-text' as const, writes: [], notes: [], inputs: info.args.split(/\s+/).slice(0, -1) }),
};
const image = (name: string, text: string, contextId = 'ctx') => ({ name, contextId, model: estimateSizes(analyzeDockerfile(text), context) });

test('two images from the same base and steps share layers up to the first difference (a,b,c vs a,b,d)', () => {
  const common = 'FROM alpine:3.22\nRUN apk add --no-cache git\nCOPY app /app\n';
  const report = sharedLayers([image('one', `${common}RUN make one\n`), image('two', `${common}RUN make two\n`)]);
  const [one, two] = report.images;
  assert.equal(one!.layers.length, 4);
  assert.deepEqual(one!.layers.slice(0, 3).map((l) => l.key), two!.layers.slice(0, 3).map((l) => l.key));
  assert.notEqual(one!.layers[3]!.key, two!.layers[3]!.key);
  const shared = report.layers.filter((l) => l.usedBy.length === 2);
  assert.equal(shared.length, 3);
  assert.ok(report.storedOnce < report.countedPerImage);
  assert.equal(report.countedPerImage - report.storedOnce, shared.reduce((n, l) => n + (l.bytes ?? 0), 0));
  const pull = report.pulls.find((p) => p.first === 'one' && p.second === 'two')!;
  assert.equal(pull.shared, 3);
  assert.equal(pull.downloadLayers, 1);
});

test('a different ENV before a RUN, or another build context for a COPY, ends the sharing there', () => {
  const a = image('a', 'FROM alpine:3.22\nENV MODE=a\nRUN make\n');
  const b = image('b', 'FROM alpine:3.22\nENV MODE=b\nRUN make\n');
  assert.deepEqual(sharedLayers([a, b]).layers.filter((l) => l.usedBy.length === 2).map((l) => l.label), ['base image alpine:3.22']);
  const c = image('c', 'FROM alpine:3.22\nCOPY app /app\n', 'ctx1');
  const d = image('d', 'FROM alpine:3.22\nCOPY app /app\n', 'ctx2');
  assert.equal(sharedLayers([c, d]).layers.filter((l) => l.usedBy.length === 2).length, 1);
  assert.equal(sharedLayers([c, image('e', 'FROM alpine:3.22\nCOPY app /app\n', 'ctx1')]).layers.filter((l) => l.usedBy.length === 2).length, 2);
});

test('different bases share nothing; a multi-stage target is compared by its own chain', () => {
  const report = sharedLayers([image('x', 'FROM alpine:3.22\nRUN true\n'), image('y', 'FROM debian:bookworm\nRUN true\n')]);
  assert.equal(report.layers.every((l) => l.usedBy.length === 1), true);
  const staged = image('z', 'FROM golang:1.27 AS build\nRUN go build -o /app .\nFROM alpine:3.22\nRUN true\n');
  assert.deepEqual(sharedLayers([image('x', 'FROM alpine:3.22\nRUN true\n'), staged]).layers.filter((l) => l.usedBy.length === 2).length, 2);
});
