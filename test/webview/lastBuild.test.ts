/**
 * The last build in the layer tree: each row shows the built size beside the prediction, the
 * header says which build it is, what does not align and how far each estimator was off, in
 * English and Korean; image names and history text from the image are text, never markup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLayersView, uiStrings } from '../../protocol/layersView';
import type { ToWebview } from '../../protocol/webviewMessages';
import { applyLastBuild } from '../../server/src/service/compare/lastBuild';
import { imageFromConfig, parseImageConfig, type BuiltImage } from '../../server/src/service/compare/image';
import { mergeRecords, summarizeTrust, trustLines, type TrustRecord } from '../../server/src/service/compare/trust';
import type { DockerfileModel, LastBuild } from '../../server/src/service/types';
import { mountWebview, sizedModel } from './harness';

const TEXT = 'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl git\nCMD ["bash"]\n';
const HANGUL = /[\uAC00-\uD7A3]/;

function image(name: string, install = 'apt-get install -y curl git'): BuiltImage {
  const history = [
    ['ADD rootfs.tar / # buildkit', 116_601_440],
    ['CMD ["bash"]', null],
    ['RUN /bin/sh -c apt-get update # buildkit', 19_859_340],
    [`RUN /bin/sh -c ${install} # buildkit`, 132_026_616],
    ['CMD ["bash"]', null],
  ] as const;
  const layered = history.filter(([, b]) => b !== null);
  const config = parseImageConfig({
    created: '2026-11-26T09:02:15Z',
    rootfs: { diff_ids: layered.map((_, i) => `sha256:${i}`) },
    history: history.map(([createdBy, bytes]) => ({ created_by: createdBy, ...(bytes === null ? { empty_layer: true } : {}) })),
  });
  return imageFromConfig(config, layered.map(([, b], i) => ({ diffId: `sha256:${i}`, size: b, compressed: null })), { name, id: 'sha256:img1', source: 'engine' });
}

function compared(name = 'apt-waste:latest', text = TEXT): DockerfileModel {
  return applyLastBuild(sizedModel(text), image(name), { files: [] }).model;
}

test('buildLayersView: the built size beside each prediction, and the last build in the header', () => {
  const view = buildLayersView(compared(), 'en', { file: 'Dockerfile', trust: ['apt estimates were off by median 5.6% (too low) over 1 build'] });
  const rows = view.stages[0]!.layers;
  assert.deepEqual(rows.map((r) => r.built?.badge), ['built 116.6 MB', 'built 19.9 MB', 'built 132.0 MB']);
  assert.match(rows[2]!.built!.text, /^Last build: 132\.0 MB \(predicted \d+\.\d MB\)$/);
  assert.equal(rows[2]!.source, 'engine', 'the row shows the built figure as its size');
  assert.deepEqual(view.lastBuild, [
    'Last build: apt-waste:latest (2026-11-26 09:02): 3 layer(s) with its exact size, 0 estimated',
    'Built from this file as it is now.',
    'apt estimates were off by median 5.6% (too low) over 1 build',
  ]);
  assert.equal(buildLayersView(sizedModel(TEXT), 'en').lastBuild, undefined, 'no last build, no lines');

  const edited = buildLayersView(compared('apt-waste:latest', TEXT.replace('curl git', 'curl')), 'en');
  assert.match(edited.stages[0]!.layers[2]!.built!.text, /the next build makes this layer anew: line 3 changed$/);
  assert.equal(edited.lastBuild![1], 'Built from an earlier version of this file; what changed since:');
  assert.match(edited.lastBuild![2]!, /^line 3 \(RUN apt-get install -y curl\): the image recorded/);

  const unavailable = buildLayersView({ ...sizedModel(TEXT), lastBuild: { image: 'app:1', problem: 'no Docker engine: no socket at /var/run/docker.sock' } }, 'en');
  assert.deepEqual(unavailable.lastBuild, ['Last build (app:1) not read: no Docker engine: no socket at /var/run/docker.sock']);
});

test('buildLayersView in Korean: the last build in Korean', () => {
  const view = buildLayersView(compared(), 'ko', { trust: trustLines(summarizeTrust([{ estimator: 'apt', predicted: 124e6, actual: 132e6, image: 'a', index: 0 }]), 'ko') });
  for (const line of view.lastBuild!) assert.match(line, HANGUL, line);
  assert.match(view.stages[0]!.layers[2]!.built!.text, /^지난 빌드: 132\.0 MB \(예측 /);
  assert.match(view.stages[0]!.layers[2]!.built!.badge, HANGUL);
  const edited = buildLayersView(compared('apt-waste:latest', TEXT.replace('curl git', 'curl')), 'ko');
  assert.match(edited.lastBuild![2]!, /^3번째 줄 \(RUN apt-get install -y curl\): 이미지에는 "RUN \/bin\/sh -c apt-get install -y curl git"/, 'what does not align, in Korean');
  for (const line of edited.lastBuild!) assert.match(line, HANGUL, line);
  assert.match(view.stages[0]!.layers[1]!.detail, /^apt-waste:latest의 지난 빌드 \(2026-11-26에 빌드\)에서 잰 값/, 'the built figure says where it comes from in Korean');
});

test('webview: the built badge beside the size, its sentence in the details, the header lines; names are text', async () => {
  const webview = await mountWebview();
  const view = buildLayersView(compared('<img src=x onerror=alert(1)>:latest'), 'en', { file: 'Dockerfile' });
  webview.send({ type: 'locale', locale: 'en', strings: uiStrings('en') } satisfies ToWebview);
  webview.send({ type: 'model', uri: 'file:///w/Dockerfile', version: 1, view } satisfies ToWebview);
  const badges = webview.all('.built-marker');
  assert.deepEqual(badges.map((b) => b.textContent), ['built 116.6 MB', 'built 19.9 MB', 'built 132.0 MB']);
  assert.match(badges[2]!.getAttribute('title')!, /^Last build: 132\.0 MB/);
  const header = webview.all('.last-build li').map((li) => li.textContent);
  assert.equal(header[0], 'Last build: <img src=x onerror=alert(1)>:latest (2026-11-26 09:02): 3 layer(s) with its exact size, 0 estimated');
  assert.equal(webview.all('img, script').length, 0);
  await webview.close();
});

test('estimator records: one per image and layer however often compared, summed up per estimator', () => {
  const last = compared().lastBuild as LastBuild;
  const once = mergeRecords([], last);
  assert.deepEqual(mergeRecords(once, last), once, 'comparing the same build again records nothing new');
  assert.deepEqual(once.map((r) => r.estimator), ['base-image', 'apt', 'apt']);
  const records: TrustRecord[] = [
    { estimator: 'apt', predicted: 97, actual: 100, image: 'a', index: 0 },
    { estimator: 'apt', predicted: 110e6, actual: 100e6, image: 'a', index: 1 },
    { estimator: 'apt', predicted: 95e6, actual: 100e6, image: 'b', index: 0 },
    { estimator: 'apt', predicted: 97e6, actual: 100e6, image: 'c', index: 0 },
  ];
  // the 100-byte layer is too small to judge; the median of 10%, 5%, 3% is 5%
  assert.deepEqual(summarizeTrust(records), [{ estimator: 'apt', builds: 3, medianPercent: 5, medianSignedPercent: -3 }]);
  assert.deepEqual(trustLines(summarizeTrust(records), 'en'), ['apt estimates were off by median 5.0% (too low) over 3 builds']);
});
