/**
 * The compare core: history texts as real builds write them, alignment with the Dockerfile (and
 * what does not align), predicted against actual, and the last build's figures put on the layers
 * whose cache key did not change. The created_by strings are copied from real builds (Docker
 * Engine 20.10 with BuildKit, 2026-11-26), not made up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, hover } from '../../server/src/service';
import { estimateSizes, withLayerFigures, type SizeServices } from '../../server/src/service/sizes/estimate';
import { estimatedSize, exactSize } from '../../server/src/service/sizes/types';
import { readHistory, matchEntry } from '../../server/src/service/compare/history';
import { align } from '../../server/src/service/compare/align';
import { compareSizes } from '../../server/src/service/compare/sizes';
import { applyLastBuild } from '../../server/src/service/compare/lastBuild';
import { imageFromConfig, imageFromEngine, parseEngineHistory, parseEngineInspect, parseImageConfig, type BuiltImage } from '../../server/src/service/compare/image';
import type { DockerfileModel, InstructionInfo } from '../../server/src/service/types';

/** Each COPY reads the source words it names, 40 bytes each; apt-get installs 100 MB ± 10%. */
const context: SizeServices = {
  apt: (commands) => (commands.some((c) => c.argv[0] === 'apt-get') ? { size: estimatedSize(100e6, 90e6, 110e6, null, 'apt'), notes: [], listsLeft: false } : undefined),
  copyFromContext: (info) => {
    const sources = info.args.split(/\s+/).filter(Boolean).slice(0, -1);
    return { size: exactSize(40 * sources.length, null, 'x'), content: 'source-text', writes: [], notes: [], inputs: sources };
  },
};

function model(text: string, options: { buildArgs?: Record<string, string>; target?: string } = {}): DockerfileModel {
  return estimateSizes(analyzeDockerfile(text, options), context);
}

/** An image from history lines: `[createdBy, bytes]` where bytes null means empty_layer. */
function image(entries: Array<[string, number | null]>, created = '2026-11-26T09:00:00Z'): BuiltImage {
  const withLayer = entries.filter(([, b]) => b !== null);
  const config = parseImageConfig({
    created,
    os: 'linux',
    architecture: 'amd64',
    rootfs: { type: 'layers', diff_ids: withLayer.map((_, i) => `sha256:${String(i).padStart(64, '0')}`) },
    history: entries.map(([createdBy, bytes]) => ({ created_by: createdBy, comment: 'buildkit.dockerfile.v0', ...(bytes === null ? { empty_layer: true } : {}) })),
  });
  return imageFromConfig(config, withLayer.map(([, b], i) => ({ diffId: config.diffIds[i]!, size: b, compressed: null })), { name: 'app:test', id: 'sha256:abc', source: 'docker-save' });
}

function instruction(text: string): InstructionInfo {
  return analyzeDockerfile(`FROM busybox\n${text}\n`).stages[0]!.instructions[1]!;
}

test('history texts: keyword, body and the build args BuildKit and the classic builder record', () => {
  assert.deepEqual(readHistory('RUN |2 VERSION=1.0 OTHER= /bin/sh -c echo "hello $VERSION" > /srv/app/hello.txt # buildkit', ['VERSION', 'OTHER']), {
    keyword: 'RUN', body: '/bin/sh -c echo "hello $VERSION" > /srv/app/hello.txt', buildArgs: { VERSION: '1.0', OTHER: '' },
  });
  assert.deepEqual(readHistory('RUN |1 GREETING=hello world /bin/sh -c echo hi # buildkit', ['GREETING']).buildArgs, { GREETING: 'hello' }, 'the last pair ends at a space');
  assert.deepEqual(readHistory('RUN |2 A=x y B=z /bin/sh -c true', ['A', 'B']).buildArgs, { A: 'x y', B: 'z' }, 'values run to the next known name');
  assert.deepEqual(readHistory('COPY a.txt b.txt ./ # buildkit'), { keyword: 'COPY', body: 'a.txt b.txt ./' });
  assert.deepEqual(readHistory('EXPOSE map[8080/tcp:{} 9090/udp:{}]'), { keyword: 'EXPOSE', body: 'map[8080/tcp:{} 9090/udp:{}]' });
  assert.deepEqual(readHistory('/bin/sh -c #(nop)  ENV NODE_ENV=production'), { keyword: 'ENV', body: 'NODE_ENV=production', classic: true });
  assert.deepEqual(readHistory('/bin/sh -c apt-get update'), { keyword: 'RUN', body: '/bin/sh -c apt-get update', classic: true });
  assert.deepEqual(readHistory(''), { keyword: '', body: '' });
});

test('an entry matches the instruction as written now, whatever BuildKit rewrote', () => {
  const cases: Array<[string, string, 'same' | 'edited' | null]> = [
    ['RUN echo "hello $VERSION" > /x && \\\n    mkdir -p /d', 'RUN |1 VERSION=1.0 /bin/sh -c echo "hello $VERSION" > /x &&     mkdir -p /d # buildkit', 'same'],
    ['RUN ["sh", "-c", "echo json form > /json.txt"]', 'RUN |2 VERSION=1.0 OTHER= sh -c echo json form > /json.txt # buildkit', 'same'],
    ['RUN echo shell form', 'RUN /bin/sh -ec echo shell form # buildkit', 'same'],
    ['RUN apt-get install -y curl git jq', 'RUN /bin/sh -c apt-get install -y curl git # buildkit', 'edited'],
    ['COPY --chown=1:1 a.txt b.txt ./', 'COPY a.txt b.txt ./ # buildkit', 'same'],
    ['COPY a.txt ./', '/bin/sh -c #(nop) COPY file:3a4f0c in ./ ', 'same'],
    ['ENV APP=/srv/app PATH=/usr/local/bin:$PATH', 'ENV APP=/srv/app PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/bin', 'same'],
    ['ENV APP /srv/app', 'ENV APP=/srv/app', 'same'],
    ['LABEL org.example.version="1.0" other=x', 'LABEL org.example.version=1.0 other=x', 'same'],
    ['EXPOSE 8080 9090/udp', 'EXPOSE map[8080/tcp:{} 9090/udp:{}]', 'same'],
    ['EXPOSE 8081', 'EXPOSE map[8080/tcp:{}]', 'edited'],
    ['VOLUME /data', 'VOLUME [/data]', 'same'],
    ['CMD ["-c", "cat /srv/app/hello.txt"]', 'CMD ["-c" "cat /srv/app/hello.txt"]', 'same'],
    ['CMD node server.js', 'CMD ["/bin/sh" "-c" "node server.js"]', 'same'],
    ['HEALTHCHECK --interval=30s CMD wget -q localhost || exit 1', `HEALTHCHECK &{["CMD-SHELL" "wget -q localhost || exit 1"] "30s" "0s" "0s" '\\x00'}`, 'same'],
    ['SHELL ["/bin/sh", "-ec"]', 'SHELL [/bin/sh -ec]', 'same'],
    ['WORKDIR /srv/app', 'WORKDIR /srv/app', 'same'],
    ['WORKDIR /srv/app', 'RUN /bin/sh -c true # buildkit', null],
  ];
  for (const [text, createdBy, expected] of cases) assert.equal(matchEntry(instruction(text), readHistory(createdBy, ['VERSION', 'OTHER'])), expected, `${text} vs ${createdBy}`);
});

const APT = 'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl git\nWORKDIR /srv/app\nCOPY app.sh ./\nCMD ["./app.sh"]\n';
/** What the real build of APT recorded (docker history, sizes in bytes). */
const APT_BUILT: Array<[string, number | null]> = [
  ['ADD rootfs.tar / # buildkit', 116_601_440],
  ['CMD ["bash"]', null],
  ['RUN /bin/sh -c apt-get update # buildkit', 19_859_340],
  ['RUN /bin/sh -c apt-get install -y curl git # buildkit', 132_026_616],
  ['WORKDIR /srv/app', 0],
  ['COPY app.sh ./ # buildkit', 40],
  ['CMD ["./app.sh"]', null],
];

test('align: the base image first, then one entry per instruction, as written', () => {
  const result = align(model(APT), image(APT_BUILT));
  assert.equal(result.verdict, 'aligned');
  assert.equal(result.baseEntries, 2);
  assert.deepEqual(result.entries.map((e) => [e.kind, e.instruction, e.history]), [['same', 1, 2], ['same', 2, 3], ['same', 3, 4], ['same', 4, 5], ['same', 5, 6]]);
  assert.deepEqual(result.problems, []);
});

test('align: edited, added and removed instructions are reported, not guessed around', () => {
  const edited = align(model(APT.replace('curl git', 'curl git jq')), image(APT_BUILT));
  assert.equal(edited.verdict, 'changed');
  assert.deepEqual(edited.entries.map((e) => e.kind), ['same', 'edited', 'same', 'same', 'same']);
  assert.match(edited.problems[0]!, /^line 3 \(RUN apt-get install -y curl git jq\): the image recorded "RUN \/bin\/sh -c apt-get install -y curl git"/);

  const added = align(model(APT.replace('WORKDIR', 'ENV A=1\nWORKDIR')), image(APT_BUILT));
  assert.deepEqual(added.entries.map((e) => e.kind), ['same', 'same', 'added', 'same', 'same', 'same']);
  assert.match(added.problems[0]!, /line 4 \(ENV A=1\): not in the image/);

  const removed = align(model(APT.replace('RUN apt-get install -y curl git\n', '')), image(APT_BUILT));
  assert.deepEqual(removed.entries.map((e) => e.kind), ['same', 'removed', 'same', 'same', 'same']);
  assert.match(removed.problems[0]!, /history entry "RUN \/bin\/sh -c apt-get install -y curl git": no instruction matches/);

  // The first instruction removed looks like one more base entry, unless the base's layers are known.
  const first = model(APT.replace('RUN apt-get update\n', ''));
  assert.equal(align(first, image(APT_BUILT)).baseEntries, 3);
  const bounded = align(first, image(APT_BUILT), { baseLayers: 1 });
  assert.equal(bounded.baseEntries, 2);
  assert.deepEqual(bounded.entries.map((e) => e.kind), ['removed', 'same', 'same', 'same', 'same']);

  const other = align(model('FROM node:22\nRUN npm ci\nCOPY . .\nRUN npm run build\n'), image(APT_BUILT));
  assert.equal(other.verdict, 'unrelated');
});

test('align: build args recorded with other values, and a multi-stage target', () => {
  const text = 'FROM busybox AS base\nARG LEVEL=1\nRUN echo $LEVEL > /level\n\nFROM base\nCOPY a.txt /a.txt\n';
  const built = image([
    ['', 2_000_000],
    ['ARG LEVEL=1', null],
    ['RUN |1 LEVEL=2 /bin/sh -c echo $LEVEL > /level # buildkit', 2],
    ['COPY a.txt /a.txt # buildkit', 40],
  ]);
  const result = align(model(text), built);
  assert.equal(result.verdict, 'aligned', 'the file is the same; the build args differ');
  assert.deepEqual(result.entries.map((e) => [e.kind, e.stage, e.instruction]), [['same', 0, 1], ['same', 0, 2], ['same', 1, 1]]);
  assert.deepEqual(result.entries[1]!.buildArgs, ['LEVEL']);
  assert.match(result.problems[0]!, /built with other values of LEVEL/);
});

test('compareSizes: predicted against actual per layer and for the image', () => {
  const m = model(APT);
  const built = image(APT_BUILT);
  const sizes = compareSizes(m, built, align(m, built));
  assert.deepEqual(sizes.rows.map((r) => [r.kind, r.layer, r.actual?.bytes]), [['base', 0, 116_601_440], ['layer', 1, 19_859_340], ['layer', 2, 132_026_616], ['layer', 3, 0], ['layer', 4, 40]]);
  const install = sizes.rows[2]!;
  assert.equal(install.estimator, 'apt');
  assert.equal(install.error!.bytes, install.predicted!.bytes! - 132_026_616);
  assert.equal(sizes.rows[4]!.error!.percent, 0, 'COPY is exact from the context');
  assert.equal(sizes.total.actual.bytes, 116_601_440 + 19_859_340 + 132_026_616 + 40);
});

test('the last build: unchanged layers take the built size (engine), changed ones keep their estimate', () => {
  const m = model(APT);
  const built = image(APT_BUILT);
  const fresh = applyLastBuild(m, built, { files: [] });
  const layers = fresh.model.stages[0]!.layers;
  assert.deepEqual(layers.map((l) => [l.number, l.size!.source, l.size!.bytes]), [[0, 'engine', 116_601_440], [1, 'engine', 19_859_340], [2, 'engine', 132_026_616], [3, 'engine', 0], [4, 'engine', 40]]);
  assert.equal(fresh.model.image!.total.bytes, 116_601_440 + 19_859_340 + 132_026_616 + 40);
  assert.equal(fresh.model.image!.total.source, 'engine');
  assert.deepEqual(layers[2]!.built, { bytes: 132_026_616, compressed: null, predicted: m.stages[0]!.layers[2]!.size, current: true });
  assert.deepEqual(fresh.lastBuild.errors.map((e) => e.estimator), ['base-image', 'apt', 'apt', 'workdir']);

  const copied = applyLastBuild(m, built, { files: ['app.sh'] });
  const after = copied.model.stages[0]!.layers;
  assert.deepEqual(after.map((l) => l.size!.source), ['engine', 'engine', 'engine', 'engine', 'exact']);
  assert.equal(after[4]!.built!.current, false);
  assert.equal(after[4]!.built!.reason, 'app.sh changed');

  const edited = applyLastBuild(model(APT.replace('curl git', 'curl git jq')), built, { files: [] });
  assert.deepEqual(edited.model.stages[0]!.layers.map((l) => l.size!.source), ['engine', 'engine', 'estimate', 'estimate', 'exact']);
  assert.deepEqual(edited.lastBuild.errors.map((e) => e.estimator), ['base-image', 'apt', 'workdir'], 'the edited install is no measure of its estimator');

  const rebased = applyLastBuild(m, built, { files: [], baseDiffIds: ['sha256:other'] });
  assert.deepEqual(rebased.model.stages[0]!.layers.map((l) => l.size!.source), ['bundled', 'estimate', 'estimate', 'estimate', 'exact']);
  assert.match(rebased.lastBuild.notes.join('\n'), /other layers than the one the image was built on/);
  const same = applyLastBuild(m, built, { files: [], baseDiffIds: [built.layers[0]!.diffId!] });
  assert.equal(same.model.stages[0]!.layers[0]!.size!.source, 'engine');
  assert.ok(!same.lastBuild.notes.some((n) => /base image/.test(n)), 'a base checked and unchanged needs no note');
  assert.match(fresh.lastBuild.notes.join('\n'), /was not checked against the one the image was built on/, 'an unchecked base says so');
});

test('the last build of an image FROM scratch: no base to check, and no note claiming every layer rebuilds', () => {
  const m = model('FROM scratch\nCOPY app.sh /\n');
  const config = parseImageConfig({ rootfs: { diff_ids: ['sha256:a'] }, history: [{ created_by: 'COPY app.sh / # buildkit' }] });
  const result = applyLastBuild(m, imageFromConfig(config, [{ diffId: 'sha256:a', size: 40, compressed: null }], { name: 'app', id: null, source: 'docker-save' }), { files: [] });
  assert.equal(result.lastBuild.verdict, 'aligned');
  assert.deepEqual(result.lastBuild.notes.filter((n) => /base image/.test(n)), []);
});

test('an image of another file changes no figure', () => {
  const m = model('FROM node:22\nRUN npm ci\nCOPY . .\n');
  const result = applyLastBuild(m, image(APT_BUILT), { files: [] });
  assert.equal(result.lastBuild.verdict, 'unrelated');
  assert.equal(result.lastBuild.exact, 0);
  assert.ok(result.model.stages[0]!.layers.every((l) => l.size!.source !== 'engine'));
});

test('withLayerFigures adds stage and image totals up again, through stages built FROM stages', () => {
  const m = model('FROM busybox AS a\nCOPY x /x\n\nFROM a\nCOPY y z /\n');
  const figure = exactSize(5, 5, 'five');
  const out = withLayerFigures(m, new Map([['0:1', figure]]));
  assert.equal(out.stages[0]!.sizes!.own.bytes, 5);
  assert.equal(out.stages[1]!.sizes!.base.bytes, out.stages[0]!.sizes!.total.bytes);
  assert.equal(out.image!.total.bytes, m.image!.total.bytes! - 40 + 5);
});

test('engine history: layers from sizes, empty ones from the layer count, undecidable ones marked', () => {
  const inspect = parseEngineInspect({ Id: 'sha256:9de2', Created: '2026-11-26T09:02:15.389Z', Os: 'linux', Architecture: 'amd64', RootFS: { Layers: ['sha256:a', 'sha256:b', 'sha256:c', 'sha256:d'] } });
  // newest first, as GET /images/{name}/history sends it
  const history = parseEngineHistory([
    { CreatedBy: 'CMD ["./app.sh"]', Size: 0, Created: 1795683735 },
    { CreatedBy: 'COPY app.sh ./ # buildkit', Size: 40, Created: 1795683735 },
    { CreatedBy: 'WORKDIR /srv/app', Size: 0, Created: 1795683734 },
    { CreatedBy: 'RUN /bin/sh -c apt-get update # buildkit', Size: 19859340, Created: 1795683728 },
    { CreatedBy: 'CMD ["bash"]', Size: 0, Created: 1795683724 },
    { CreatedBy: 'ADD rootfs.tar / # buildkit', Size: 116601440, Created: 1795683724 },
  ]);
  const built = imageFromEngine('apt-waste:latest', inspect, history);
  assert.deepEqual(built.history.map((h) => [h.createdBy.split(' ')[0], h.emptyLayer, h.layer]), [['ADD', false, 0], ['CMD', true, null], ['RUN', false, 1], ['WORKDIR', false, 2], ['COPY', false, 3], ['CMD', true, null]]);
  assert.deepEqual(built.layers.map((l) => [l.diffId, l.size]), [['sha256:a', 116601440], ['sha256:b', 19859340], ['sha256:c', 0], ['sha256:d', 40]]);
  assert.deepEqual(built.notes, []);

  const twoZero = parseEngineHistory([{ CreatedBy: 'RUN /bin/sh -c true # buildkit', Size: 0 }, { CreatedBy: 'WORKDIR /a', Size: 0 }, { CreatedBy: 'ADD x / # buildkit', Size: 9 }]);
  const undecided = imageFromEngine('x', { ...inspect, diffIds: ['sha256:a', 'sha256:b'] }, twoZero);
  assert.ok(undecided.history.some((h) => h.emptyLayerInferred), 'one of two zero-byte entries made a layer: which one is not known');
  assert.ok(undecided.layers.every((l) => l.diffId === null));
  assert.match(undecided.notes[0]!, /does not say which of 2 zero-byte history entries made 1 empty layers/);
});

test('an image config that is not one is refused with a reason', () => {
  assert.throws(() => parseImageConfig({ architecture: 'amd64' }), /no rootfs.diff_ids/);
  const noHistory = imageFromConfig(parseImageConfig({ rootfs: { diff_ids: ['sha256:a'] } }), [{ diffId: 'sha256:a', size: 3, compressed: null }], { name: 'x', id: null, source: 'oci-layout' });
  assert.deepEqual(noHistory.history.map((h) => h.layer), [0]);
  const short = imageFromConfig(parseImageConfig({ rootfs: { diff_ids: ['sha256:a', 'sha256:b'] }, history: [{ created_by: 'RUN x' }] }), [{ diffId: 'sha256:a', size: 1, compressed: null }, { diffId: 'sha256:b', size: 2, compressed: null }], { name: 'x', id: null, source: 'docker-save' });
  assert.match(short.notes[0]!, /1 entries with a layer, the image has 2 layers/);
});

test('hover: the built size beside the prediction, in English and Korean', () => {
  const m = applyLastBuild(model(APT), image(APT_BUILT), { files: [] }).model;
  const install = { line: 2, character: 3 };
  const en = hover(m, install, 'en')!.markdown;
  assert.match(en, /Size: 132\.0 MB \(last build\)/);
  assert.match(en, /Last build: 132\.0 MB \(predicted 100\.0 MB\)/);
  assert.match(hover(m, install, 'ko')!.markdown, /지난 빌드: 132\.0 MB \(예측 100\.0 MB\)/);
  assert.match(hover(m, { line: 0, character: 2 }, 'en')!.markdown, /Last build: 116\.6 MB \(predicted 116\.6 MB\)/, 'the base image on its FROM');
  assert.doesNotMatch(hover(model(APT), install, 'en')!.markdown, /Last build/);
});
