#!/usr/bin/env node
// Regenerates server/src/service/data/base-images.json, the bundled table of Docker official
// images (layer sizes, layer history, measured on-disk ratios, installed package names), from the
// facts transcribed from docker-library/repo-info into ../shared/data (base-images.json,
// base-packages.json, apk-packages.json).
//
// Usage: node scripts/build-base-images.mjs [shared-data-folder] [--out file]
//   shared-data-folder  defaults to ../shared/data relative to the repository root
//   --out file          defaults to server/src/service/data/base-images.json
// The output is deterministic: keys are sorted, and the generation date is kept from the existing
// output when nothing else changed (SOURCE_DATE_EPOCH, when set, fixes it instead).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = 'scripts/build-base-images.mjs';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
let outFile = join(root, 'server/src/service/data/base-images.json');
let sharedArg;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') outFile = resolve(args[++i]);
  else sharedArg = args[i];
}
const sharedData = resolve(root, sharedArg ?? '../shared/data');
const read = (name) => JSON.parse(readFileSync(join(sharedData, name), 'utf8'));
const IMAGES = read('base-images.json');
const DPKG = read('base-packages.json');
const APK = read('apk-packages.json');

const HISTORY_MAX = 160;
const AMD64 = 'linux/amd64';
const PLATFORMS = [AMD64, 'linux/arm64/v8'];

const warnings = [];
const short = (digest) => digest.replace(/^sha256:/, '').slice(0, 12);
const day = (iso) => String(iso).slice(0, 10);
const round = (n, places) => Math.round(n * 10 ** places) / 10 ** places;
const repoOf = (key) => key.slice(0, key.indexOf(':'));
const tagOf = (key) => key.slice(key.indexOf(':') + 1);
const bareVersion = (v) => (v ? v.replace(/^v(?=\d)/, '') : v);

// ---------------------------------------------------------------------------------------------
// History: which lines make layers
// ---------------------------------------------------------------------------------------------

/** The command of a history line without a leading `# ARGS: …` line. */
const command = (line) => line.replace(/^# ARGS:[^\n]*\n/, '');

/** 'layer' (always writes one), 'maybe' (WORKDIR: only BuildKit writes one) or 'none'. */
function layerKind(line) {
  const c = command(line);
  if (/^RUN umoci config\b/.test(c)) return 'none'; // rockcraft's config steps: empty layers
  if (/^(RUN|COPY|ADD)\b/.test(c)) return 'layer';
  if (/^WORKDIR\b/.test(c)) return 'maybe';
  return 'none';
}

/** A history line as shipped: one line, no `# buildkit` marker, at most HISTORY_MAX characters. */
function displayLine(line) {
  const text = command(line).replace(/\s+/g, ' ').replace(/\s*# buildkit\s*$/, '').trim();
  return text.length > HISTORY_MAX ? `${text.slice(0, HISTORY_MAX - 1)}…` : text;
}

/** For each layer, the history line that made it; null everywhere when the mapping is ambiguous. */
function mapLayers(key, platform, record) {
  const sure = record.history.filter((h) => layerKind(h) === 'layer');
  const withWorkdirs = record.history.filter((h) => layerKind(h) !== 'none');
  const n = record.layers.length;
  if (sure.length === n) return sure;
  if (withWorkdirs.length === n) return withWorkdirs;
  warnings.push(`${key} ${platform}: ${n} layers but ${sure.length}–${withWorkdirs.length} layer-making history lines; history not mapped`);
  return record.layers.map(() => null);
}

// ---------------------------------------------------------------------------------------------
// What an image is built on, and its main software version
// ---------------------------------------------------------------------------------------------

const debianBottoms = Object.entries(IMAGES.images)
  .filter(([key]) => key.startsWith('debian:'))
  .map(([key, e]) => ({ key, release: releaseOfDebianSh(e.platforms[AMD64].history[0]), bytes: e.platforms[AMD64].layers[0].compressedBytes }));

function releaseOfDebianSh(line) {
  return /^RUN # debian\.sh --arch '[^']+' out\/ '([a-z]+)'/.exec(line ?? '')?.[1];
}

/** The OS the image's bottom layer is, as `debian:bookworm-slim`, `ubuntu:24.04`, `alpine:3.24.2`. */
function osOf(entry) {
  const amd = entry.platforms[AMD64] ?? Object.values(entry.platforms)[0];
  const history = amd.history;
  const first = history.find((h) => layerKind(h) !== 'none') ?? '';
  const alpine = /^ADD alpine-minirootfs-([0-9][0-9a-z._]*)-[a-z0-9_]+\.tar\.gz \//.exec(first);
  if (alpine) return `alpine:${alpine[1]}`;
  const release = releaseOfDebianSh(first);
  if (release) {
    // full or slim: the debian:<release>[-slim] entry whose bottom layer is closest in size
    const bytes = amd.layers[0].compressedBytes;
    const candidates = debianBottoms.filter((d) => d.release === release);
    if (!candidates.length) return `debian:${release}`;
    candidates.sort((a, b) => Math.abs(a.bytes - bytes) - Math.abs(b.bytes - bytes) || a.key.localeCompare(b.key));
    return candidates[0].key;
  }
  const umoci = history.map((h) => /images\/ubuntu:(\d\d\.\d\d)\b/.exec(h)).find(Boolean);
  if (umoci) return `ubuntu:${umoci[1]}`;
  if (/^ADD file:[0-9a-f]+ in \//.test(first)) {
    const label = history.map((h) => /^LABEL org\.opencontainers\.image\.version=(\d\d\.\d\d)$/.exec(h)).find(Boolean);
    if (label && history.indexOf(label[0]) < history.indexOf(first)) return `ubuntu:${label[1]}`;
  }
  return undefined;
}

const familyOf = (os) => (!os ? 'other' : os.startsWith('alpine:') ? 'alpine' : /^(debian|ubuntu):/.test(os) ? 'debian' : 'other');

/**
 * The version of the image's own software, from an `ENV <NAME>_VERSION=` line whose NAME is the
 * repository's name (NODE_VERSION for node, GOLANG_VERSION for golang); for alpine, the
 * minirootfs release. Undefined when absent or when the history sets more than one.
 */
function versionOf(key, entry, os) {
  const repo = repoOf(key);
  if (repo === 'alpine') return os?.slice('alpine:'.length);
  const wanted = repo.replace(/[^a-z0-9]/g, '');
  const found = new Set();
  for (const record of Object.values(entry.platforms)) {
    for (const line of record.history) {
      const m = /^ENV (.*)$/.exec(line);
      if (!m) continue;
      for (const [, name, value] of m[1].matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) {
        const base = name.toLowerCase().replace(/_version$/, '').replace(/[^a-z0-9]/g, '');
        if (name.toLowerCase().endsWith('_version') && base === wanted) found.add(value);
      }
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Version named by a dpkg record's file heading (`python:3.14.7-slim-trixie`) or note. */
function dpkgRecordVersion(record) {
  const m = /_VERSION=([^;\s]+)/.exec(record.note ?? '');
  if (m) return m[1];
  const heading = record.fileHeading ? tagOf(record.fileHeading).split('-')[0] : undefined;
  return heading && /^v?\d+(\.\d+)+$/.test(heading) ? heading : undefined;
}

/** Debian/Ubuntu release of a dpkg list, from its base-files version (Debian major = release). */
function dpkgRecordOs(record) {
  const v = record.packages['base-files'] ?? '';
  const debian = { 11: 'bullseye', 12: 'bookworm', 13: 'trixie', 14: 'forky' }[/^(\d+)\.\d+\+deb\d+/.exec(v)?.[1]];
  if (debian) return `debian:${debian}`;
  const ubuntu = { 12: '22.04', 13: '24.04', 14: '26.04' }[/^(\d+)ubuntu/.exec(v)?.[1]];
  return ubuntu ? `ubuntu:${ubuntu}` : undefined;
}

const osRelease = (os) => (os?.startsWith('debian:') ? os.replace(/-slim$/, '') : os);

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

const history = new Map(); // line -> index in the shared table, assigned after sorting
const entries = {};
for (const key of Object.keys(IMAGES.images).sort()) {
  const e = IMAGES.images[key];
  const os = osOf(e);
  const version = versionOf(key, e, os);
  const platforms = {};
  for (const platform of PLATFORMS) {
    const record = e.platforms[platform];
    if (!record) continue;
    const lines = mapLayers(key, platform, record);
    platforms[platform] = {
      digest: record.digest,
      layers: record.layers.map((layer, i) => {
        const line = lines[i] === null ? null : displayLine(lines[i]);
        if (line !== null) history.set(line, -1);
        return [layer.compressedBytes, short(layer.digest), line];
      }),
    };
  }
  entries[key] = {
    aliases: [...(e.aliases ?? [])].sort(),
    commit: e.commit.slice(0, 7),
    date: day(e.date),
    family: familyOf(os),
    index: e.indexDigest,
    ...(os ? { os } : {}),
    ...(version ? { version } : {}),
    platforms,
  };
}
const historyTable = [...history.keys()].sort();
historyTable.forEach((line, i) => history.set(line, i));
for (const entry of Object.values(entries)) {
  for (const record of Object.values(entry.platforms)) {
    record.layers = record.layers.map(([bytes, digest, line]) => (line === null ? [bytes, digest] : [bytes, digest, history.get(line)]));
  }
}

// ---------------------------------------------------------------------------------------------
// Package lists (names only), shared name tables per manager
// ---------------------------------------------------------------------------------------------

function packageSection(manager, source, namesOf, extra) {
  const names = [...new Set(Object.values(source.images).flatMap(namesOf))].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const lists = {};
  const taken = new Set(Object.keys(source.images));
  for (const key of Object.keys(source.images).sort()) {
    const r = source.images[key];
    const heading = r.headerTag ?? r.fileHeading;
    const aliases = heading && heading !== key && !taken.has(heading) ? [heading] : [];
    const amd64 = (r.arch ?? 'amd64').replace(/^linux\//, '') === 'amd64';
    lists[key] = {
      ...(aliases.length ? { aliases } : {}),
      ...(amd64 ? {} : { arch: r.arch }),
      commit: r.commit.slice(0, 7),
      created: day(r.created),
      file: r.file,
      // Virtual Size as printed (decimal Mb); only for linux/amd64 records
      ...(amd64 ? { onDisk: Math.round(r.virtualSizeMb * 1e6) } : {}),
      packages: [...new Set(namesOf(r))].map((n) => index.get(n)).sort((a, b) => a - b),
      ...extra(r),
    };
  }
  return { manager, names, lists };
}

const dpkg = packageSection('dpkg', DPKG, (r) => Object.keys(r.packages), (r) => {
  const os = dpkgRecordOs(r);
  return os ? { os } : {};
});
const apk = packageSection('apk', APK, (r) => r.packages, (r) => ({ os: `alpine:${r.alpineRelease}` }));

// ---------------------------------------------------------------------------------------------
// Matching package records to image entries (same tag, or provably the same image)
// ---------------------------------------------------------------------------------------------

/** The tag without its version token and the alpine release digits: `3.14.7-alpine3.24` -> `alpine`. */
function tagShape(tag) {
  return tag
    .split('-')
    .filter((part, i) => !(i === 0 && /^v?\d+(\.\d+)*$/.test(part)) && part !== 'latest')
    .map((part) => part.replace(/^alpine\d+(\.\d+)*$/, 'alpine'))
    .join('-');
}

/**
 * A dpkg/apk record describes entry `key` when it is the same tag (or an alias), built on the same
 * OS release; or when its file heading names the entry's exact version with the same variant and
 * the same Alpine release. `sameBuild`: the versions are known on both sides and agree, and the
 * record's image was created within 36 hours of the entry's newest layer.
 */
function matchRecord(key, entry, recordKey, record, manager) {
  const names = [key, ...entry.aliases];
  const heading = record.headerTag ?? record.fileHeading;
  if (repoOf(recordKey) !== repoOf(key)) return undefined;
  const recordOs = manager === 'apk' ? `alpine:${record.alpineRelease}` : dpkgRecordOs(record);
  const recordVersion = manager === 'apk'
    ? repoOf(key) === 'alpine' ? record.alpineRelease : heading ? tagOf(heading).split('-')[0] : undefined
    : dpkgRecordVersion(record);
  const sameOs = manager === 'apk' ? recordOs === entry.os : osRelease(recordOs) === osRelease(entry.os);
  if (!sameOs) return undefined;
  const versionsAgree = entry.version !== undefined && recordVersion !== undefined && bareVersion(entry.version) === bareVersion(recordVersion);
  const sameTag = names.includes(recordKey) || (heading !== undefined && names.includes(heading));
  const sameImage = versionsAgree && heading !== undefined && tagShape(tagOf(heading)) === tagShape(tagOf(key));
  if (!sameTag && !sameImage) return undefined;
  // the same build: the same version, created within a day and a half of the recorded layers' date
  const hours = Math.abs(Date.parse(record.created) - Date.parse(IMAGES.images[key].date)) / 3.6e6;
  return { sameBuild: versionsAgree && hours <= 36 };
}

function findRecord(key, entry) {
  for (const [manager, source] of [['dpkg', DPKG], ['apk', APK]]) {
    for (const recordKey of Object.keys(source.images).sort()) {
      const record = source.images[recordKey];
      const match = matchRecord(key, entry, recordKey, record, manager);
      if (match) return { manager, recordKey, record, ...match };
    }
  }
  return undefined;
}

/** Measured on-disk sizes not in the three data files, checked against the compressed bytes. */
const EXTRA_MEASUREMENTS = [
  {
    key: 'node:22-alpine',
    compressed: 60697390,
    onDisk: 167.4e6,
    tolerance: 0.05e6,
    source: 'local pull of this build, ../shared/DESIGN.md §4',
  },
];

const measured = [];
for (const [key, entry] of Object.entries(entries)) {
  const amd = IMAGES.images[key].platforms[AMD64];
  if (!amd) continue;
  const compressed = amd.compressedBytes;
  let m;
  const extra = EXTRA_MEASUREMENTS.find((x) => x.key === key && x.compressed === compressed);
  if (amd.uncompressedBytes) {
    const src = amd.uncompressedSource ?? {};
    const at = src.commit ? ` at ${src.commit.slice(0, 7)}` : '';
    m = { onDisk: amd.uncompressedBytes, tolerance: 5e3, sameBuild: true, source: `repo-info repos/${repoOf(key)}/local/${tagOf(key)}.md${at}, same image ID` };
  } else if (extra) {
    m = { onDisk: extra.onDisk, tolerance: extra.tolerance, sameBuild: true, source: extra.source };
  }
  const found = findRecord(key, entry);
  if (found) {
    const r = found.record;
    entry.installed = { list: found.recordKey, manager: found.manager };
    const amd64Record = (r.arch ?? 'amd64').replace(/^linux\//, '') === 'amd64';
    if (!m && amd64Record) {
      const gb = /Gb/.test(r.virtualSizeText ?? '') || r.virtualSizeMb >= 1000;
      m = {
        onDisk: Math.round(r.virtualSizeMb * 1e6),
        tolerance: gb ? 5e6 : 5e3,
        sameBuild: found.sameBuild,
        source: `repo-info ${r.file} at ${r.commit.slice(0, 7)}, created ${day(r.created)}`,
      };
    }
  }
  if (m) {
    entry.measured = { ...m, ratio: round(m.onDisk / compressed, 4) };
    measured.push({ key, family: entry.family, ratio: m.onDisk / compressed });
  }
}

// Installed lists from the OS release of the bottom layer (a lower bound of what the image has).
const releaseLists = {};
for (const [section, lists] of [['dpkg', dpkg.lists], ['apk', apk.lists]]) {
  for (const [listKey, list] of Object.entries(lists)) {
    if (!list.os || repoOf(listKey) !== repoOf(list.os)) continue;
    if (section === 'apk') {
      // alpine:<x.y> -> the plain alpine image of that release (edge stays edge)
      const release = list.os.slice('alpine:'.length).split('.').slice(0, 2).join('.');
      const name = /_alpha|_beta|_rc/.test(list.os) ? 'alpine:edge' : `alpine:${release}`;
      releaseLists[name] ??= { list: listKey, manager: 'apk' };
    } else if (listKey === list.os || osRelease(listKey) === list.os) {
      releaseLists[listKey] = { list: listKey, manager: 'dpkg' };
    }
  }
}
function releaseListFor(os) {
  if (!os) return undefined;
  if (os.startsWith('alpine:')) return releaseLists[`alpine:${os.slice(7).split('.').slice(0, 2).join('.')}`];
  return releaseLists[os] ?? releaseLists[osRelease(os)];
}
for (const entry of Object.values(entries)) {
  if (entry.installed) continue;
  const found = releaseListFor(entry.os);
  if (found) entry.installed = { ...found, lowerBound: true };
}

// ---------------------------------------------------------------------------------------------
// Ratio statistics per family
// ---------------------------------------------------------------------------------------------

function stats(list) {
  const r = list.map((x) => x.ratio).sort((a, b) => a - b);
  const mid = Math.floor(r.length / 2);
  const median = r.length % 2 ? r[mid] : (r[mid - 1] + r[mid]) / 2;
  return { max: round(r[r.length - 1], 4), median: round(median, 4), min: round(r[0], 4), n: r.length, tags: list.map((x) => x.key).sort() };
}
const families = {};
for (const family of ['alpine', 'debian', 'other']) {
  const own = measured.filter((m) => m.family === family);
  families[family] = own.length ? stats(own) : { ...stats(measured), pooled: true };
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

const body = {
  families,
  history: historyTable,
  images: entries,
  packages: {
    apk: { lists: apk.lists, names: apk.names, releases: pick(releaseLists, 'apk') },
    dpkg: { lists: dpkg.lists, names: dpkg.names, releases: pick(releaseLists, 'dpkg') },
  },
};
function pick(map, manager) {
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v.manager === manager).map(([k, v]) => [k, v.list]));
}

const about = {
  counts: {
    historyLines: historyTable.length,
    images: new Set(Object.keys(entries).map(repoOf)).size,
    tags: Object.keys(entries).length + Object.values(entries).reduce((n, e) => n + e.aliases.length, 0),
    entries: Object.keys(entries).length,
    apkLists: Object.keys(apk.lists).length,
    dpkgLists: Object.keys(dpkg.lists).length,
  },
  dataDates: dateRange(),
  snapshot: snapshot(),
  format: [
    'images[key].platforms[platform].layers: [compressed bytes, first 12 hex of the blob digest, index into history (absent when unmapped)], base layer first',
    'images[key].measured: on-disk bytes (onDisk, ± tolerance) for linux/amd64 and ratio = onDisk / compressed; sameBuild when both sides name the same version and were built within 36 hours',
    'images[key].installed: the package list (packages.<manager>.lists) of this tag, or of the bottom layer\'s OS release when lowerBound',
    'families: on-disk/compressed ratios of the measured tags; pooled = no measured tag in the family, all measured tags used',
    'packages.<manager>.lists[key].packages: indexes into packages.<manager>.names',
  ].join('; '),
  generated: undefined,
  script: SCRIPT,
  source: IMAGES.source.repository,
  sourceUrl: IMAGES.source.url,
  transcribed: '../shared/data (base-images.json, base-packages.json, apk-packages.json), from repos/<image>/remote/<tag>.md and repos/<image>/local/<tag>.md at the commits recorded per entry',
};
/** `early-`, `mid-` or `late-YYYY` of the median entry date: how the product names the data's age. */
function snapshot() {
  const dates = Object.values(entries).map((e) => e.date).sort();
  const median = dates[Math.floor(dates.length / 2)];
  const month = Number(median.slice(5, 7));
  return `${month <= 4 ? 'early' : month <= 8 ? 'mid' : 'late'}-${median.slice(0, 4)}`;
}
function dateRange() {
  const dates = Object.values(entries).map((e) => e.date).sort();
  return `${dates[0]} to ${dates[dates.length - 1]}`;
}

/** JSON with sorted keys: objects indented down to the third level, arrays to the second. */
function serialize(value, depth = 0) {
  const pad = (d) => '\n' + '  '.repeat(d);
  if (Array.isArray(value)) {
    if (depth >= 2 || value.length === 0) return `[${value.map((v) => serialize(v, 9)).join(',')}]`;
    return `[${value.map((v) => pad(depth + 1) + serialize(v, depth + 1)).join(',')}${pad(depth)}]`;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    if (depth >= 3 || keys.length === 0) return `{${keys.map((k) => `${JSON.stringify(k)}:${serialize(value[k], 9)}`).join(',')}}`;
    return `{${keys.map((k) => `${pad(depth + 1)}${JSON.stringify(k)}: ${serialize(value[k], depth + 1)}`).join(',')}${pad(depth)}}`;
  }
  return JSON.stringify(value);
}

function render(generated) {
  return `${serialize({ about: { ...about, generated }, ...body })}\n`;
}

let generated;
if (process.env.SOURCE_DATE_EPOCH) {
  generated = new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).toISOString().slice(0, 10);
} else {
  generated = new Date().toISOString().slice(0, 10);
  if (existsSync(outFile)) {
    // keep the previous date when only the date would change
    try {
      const previous = JSON.parse(readFileSync(outFile, 'utf8'))?.about?.generated;
      if (typeof previous === 'string' && readFileSync(outFile, 'utf8') === render(previous)) generated = previous;
    } catch {
      // unreadable previous output: write a fresh one
    }
  }
}

const text = render(generated);
writeFileSync(outFile, text);
for (const w of warnings) console.warn(`warning: ${w}`);
const fam = Object.entries(families)
  .map(([k, f]) => `${k} ${f.median}× (${f.min}–${f.max}, n=${f.n}${f.pooled ? ', pooled' : ''})`)
  .join('; ');
console.log(`${relative(process.cwd(), outFile) || outFile}: ${Buffer.byteLength(text)} bytes, ${Object.keys(entries).length} entries, ${historyTable.length} history lines; ratios: ${fam}`);
