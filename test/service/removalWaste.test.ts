import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/service';
import { estimateSizes } from '../../server/src/service/sizes/estimate';
import { aptService } from '../../server/src/service/sizes/aptService';
import type { DockerfileModel } from '../../server/src/service/types';
import { aptTable } from '../sizeScenarios';
import { hover } from '../../server/src/service';
import { withCursor } from '../cursor';

/**
 * Packages installed in one RUN and removed in a later one (apt-get purge/autoremove, apk del,
 * pip uninstall, npm prune) stay in the install layer: dive counts them as wasted there.
 */
const sized = (text: string): DockerfileModel => estimateSizes(analyzeDockerfile(text), { apt: aptService(aptTable()) });
const layer = (model: DockerfileModel, n: number) => model.stages[model.target]!.layers.find((l) => l.number === n)!;

/** The hover on the instruction that starts with `start`, in `locale`. */
function hoverAt(text: string, start: string, locale: 'en' | 'ko'): string {
  const at = text.indexOf(start);
  const { text: plain, position } = withCursor(`${text.slice(0, at + 1)}|${text.slice(at + 1)}`);
  const result = hover(sized(plain), position, locale);
  assert.ok(result, start);
  return result.markdown;
}

const TOOLCHAIN = [
  'FROM debian:bookworm',
  'RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make && rm -rf /var/lib/apt/lists/*',
  'RUN apt-get purge -y --auto-remove gcc libc6-dev make',
  '',
].join('\n');

test('apt: a toolchain purged with --auto-remove in a later RUN is wasted in the install layer, package by package', () => {
  const model = sized(TOOLCHAIN);
  const install = layer(model, 1);
  const items = model.image!.wasted.items;
  assert.equal(items.length, 1, JSON.stringify(items.map((i) => i.path)));
  const item = items[0]!;
  assert.equal(item.layer, 1);
  assert.equal(item.removedBy, 2);
  assert.equal(item.path, 'apt packages');
  const names = item.packages!.list.map((p) => p.name);
  for (const name of ['gcc', 'gcc-12', 'cpp-12', 'libc6-dev', 'make', 'libgcc-12-dev', 'binutils']) assert.ok(names.includes(name), `${name} in ${names.join(' ')}`);
  // every package the install layer added is gone again: its package bytes are all waste
  const installed = install.breakdown!.entries.filter((e) => e.kind === 'package');
  assert.deepEqual(new Set(names), new Set(installed.map((e) => e.name)));
  assert.ok(item.bytes > 150e6 && item.bytes < install.size!.bytes!, `${item.bytes} of ${install.size!.bytes}`);
  assert.equal(model.image!.wasted.bytes, item.bytes);
  assert.ok(model.image!.wasted.efficiency < 0.6, `${model.image!.wasted.efficiency}`);
  // the install layer's package entries say so
  assert.ok(installed.every((e) => e.flags?.includes('wasted')));
});

test('apt: the purge layer is whiteouts and dpkg state, and says so', () => {
  const model = sized(TOOLCHAIN);
  const purge = layer(model, 2);
  assert.ok(purge.size!.bytes! < 3e6, `${purge.size!.bytes}`);
  assert.match(purge.size!.detail, /removes \d+ packages of earlier layers/);
  assert.doesNotMatch(purge.size!.detail, /the install writes/);
  const state = purge.breakdown!.entries.find((e) => e.name === '/var/lib/dpkg')!;
  assert.match(state.note!.en, /removal rewrites/);
  assert.match(state.note!.ko, /제거가 다시 쓰는/);
});

test('apt: autoremove in a later RUN removes exactly the automatic packages nothing manual needs', () => {
  const model = sized([
    'FROM debian:bookworm',
    'RUN apt-get update && apt-get install -y --no-install-recommends gcc make && rm -rf /var/lib/apt/lists/*',
    'RUN apt-get purge -y gcc && apt-get autoremove -y',
    '',
  ].join('\n'));
  const names = model.image!.wasted.items[0]!.packages!.list.map((p) => p.name);
  assert.ok(names.includes('gcc') && names.includes('gcc-12') && names.includes('cpp-12'));
  // make was requested (manual): it stays, and nothing it needs is removed
  assert.ok(!names.includes('make'), names.join(' '));
});

test('apt: a package an earlier RUN pulled in and a later RUN requests is manual: autoremove keeps it', () => {
  const model = sized([
    'FROM debian:bookworm',
    'RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*',
    'RUN apt-get update && apt-get install -y --no-install-recommends cpp-12 && rm -rf /var/lib/apt/lists/*',
    'RUN apt-get purge -y --auto-remove gcc',
    '',
  ].join('\n'));
  const names = model.image!.wasted.items.flatMap((i) => i.packages?.list.map((p) => p.name) ?? []);
  assert.ok(names.includes('gcc-12'), names.join(' '));
  assert.ok(!names.includes('cpp-12'), 'requested later: manual');
});

test('apt: without a removal nothing is wasted; a removal in the same RUN is not waste either', () => {
  assert.deepEqual(sized('FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*\nRUN true\n').image!.wasted.items, []);
  assert.deepEqual(sized('FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends make && apt-get purge -y --auto-remove make && rm -rf /var/lib/apt/lists/*\n').image!.wasted.items, []);
});

test('hover: the install layer says which packages a later layer removes, and the purge layer says it saves nothing (en, ko)', () => {
  for (const [locale, installWords, purgeWords] of [
    ['en', /wasted/, /whiteouts and dpkg state/],
    ['ko', /낭비/, /화이트아웃과 dpkg 상태/],
  ] as const) {
    const install = hoverAt(TOOLCHAIN, 'RUN apt-get update', locale);
    assert.match(install, installWords, install);
    assert.match(install, /gcc-12/, install);
    const purge = hoverAt(TOOLCHAIN, 'RUN apt-get purge', locale);
    assert.match(purge, purgeWords, purge);
  }
});

test('apk: apk del of a --virtual group an earlier RUN added wastes its packages in that layer', () => {
  const model = sized('FROM alpine:3.22\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\nRUN apk del .build-deps\n');
  const item = model.image!.wasted.items[0]!;
  assert.equal(item.layer, 1);
  assert.equal(item.removedBy, 2);
  assert.equal(item.packages!.manager, 'apk');
  assert.deepEqual(item.packages!.list.map((p) => p.name).sort(), ['gcc', 'musl-dev']);
  assert.ok(item.bytes > layer(model, 1).size!.bytes! * 0.9, 'the packages are most of the layer');
  const del = layer(model, 2);
  assert.ok(del.size!.bytes! < 1e6, `${del.size!.bytes}`);
  assert.match(del.size!.detail, /apk del removes 2 packages of earlier layers/);
  // by name too; and a package deleted in the same RUN leaves nothing
  assert.equal(sized('FROM alpine:3.22\nRUN apk add --no-cache git\nRUN apk del git\n').image!.wasted.items[0]!.packages!.list[0]!.name, 'git');
  assert.deepEqual(sized('FROM alpine:3.22\nRUN apk add --no-cache --virtual .b gcc && apk del .b\n').image!.wasted.items, []);
});

test('pip: pip uninstall in a later RUN wastes the package in the layer that installed it', () => {
  const model = sized('FROM python:3.12-slim\nRUN pip install --no-cache-dir Flask==3.0.0 requests\nRUN pip uninstall -y flask\n');
  const item = model.image!.wasted.items[0]!;
  assert.equal(item.layer, 1);
  assert.equal(item.packages!.manager, 'pip');
  assert.deepEqual(item.packages!.list.map((p) => p.name), ['flask']);
  const uninstall = layer(model, 2);
  assert.ok(uninstall.size!.bytes! < 10e3);
  assert.match(uninstall.size!.detail, /pip uninstall removes flask/);
  // installed and uninstalled by one RUN: neither waste nor bytes for it
  const same = sized('FROM python:3.12-slim\nRUN pip install --no-cache-dir flask requests && pip uninstall -y flask\n');
  assert.deepEqual(same.image!.wasted.items, []);
  assert.ok(layer(same, 1).size!.bytes! < layer(sized('FROM python:3.12-slim\nRUN pip install --no-cache-dir flask requests\n'), 1).size!.bytes!);
});

test('npm: npm prune --omit=dev in a later RUN wastes a share of node_modules in the install layer, as a range', () => {
  const model = sized('FROM node:22\nWORKDIR /app\nRUN npm ci\nRUN npm run build\nRUN npm prune --omit=dev\n');
  const install = layer(model, 2);
  const item = model.image!.wasted.items.find((i) => i.path === '/app/node_modules')!;
  assert.equal(item.layer, install.number);
  assert.equal(item.removedBy, 4);
  assert.ok(item.range!.low < item.bytes && item.bytes < item.range!.high, JSON.stringify(item));
  assert.match(item.what, /devDependencies/);
  const prune = layer(model, 4);
  assert.ok(prune.size!.bytes! < 1e6);
  assert.match(prune.size!.detail, /npm prune removes the devDependencies from \/app\/node_modules/);
  // without --omit=dev / --production, npm prune only removes extraneous packages: nothing known
  assert.equal(sized('FROM node:22\nWORKDIR /app\nRUN npm ci\nRUN npm prune\n').image!.wasted.items.find((i) => i.path === '/app/node_modules'), undefined);
});
