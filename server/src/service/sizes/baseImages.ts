import DATA from '../data/base-images.json';
import type { ImageReference } from '../types';
import { detailOf, unknownSize, type SizeFigure } from './types';
import { english, list, message, plural, type Message, type MessageValue } from './messages';

/**
 * Docker official images as bundled with the extension (scripts/build-base-images.mjs, from
 * docker-library/repo-info): each tag's layers with their exact compressed bytes, the history line
 * that made each layer, and on-disk sizes derived from measured on-disk/compressed ratios. Pure:
 * no filesystem, no network.
 */

type Manager = 'dpkg' | 'apk';
type Family = 'debian' | 'alpine' | 'other';

interface RawEntry {
  aliases: string[];
  commit: string;
  date: string;
  family: Family;
  index: string;
  os?: string;
  version?: string;
  installed?: { list: string; manager: Manager; lowerBound?: boolean };
  measured?: { onDisk: number; ratio: number; sameBuild: boolean; source: string; tolerance: number };
  /** layers: [compressed bytes, first 12 hex of the blob digest, index into `history`] */
  platforms: Record<string, { digest: string; layers: [number, string, number?][] }>;
}

interface RawList {
  aliases?: string[];
  arch?: string;
  commit: string;
  created: string;
  file: string;
  onDisk?: number;
  os?: string;
  packages: number[];
}

interface RawFamily {
  max: number;
  median: number;
  min: number;
  n: number;
  pooled?: boolean;
}

interface RawData {
  about: { counts: { images: number; tags: number }; snapshot: string; source: string };
  families: Record<Family, RawFamily>;
  history: string[];
  images: Record<string, RawEntry>;
  packages: Record<Manager, { lists: Record<string, RawList>; names: string[] }>;
}

const BASE = DATA as unknown as RawData;

export type BaseImageMatch = 'exact' | 'alias' | 'normalized' | 'variant';

export interface InstalledPackages {
  manager: Manager;
  packages: ReadonlySet<string>;
  /** key of the image whose list this is */
  from: string;
  /** the list is another image's (the OS release the base layer is built from): a lower bound */
  lowerBound: boolean;
}

export interface BaseImageLayer {
  /** first 12 hex digits of the layer blob's sha256 */
  digest: string;
  /** the history line that made the layer (one line, at most ~160 characters) */
  createdBy?: string;
  size: SizeFigure;
}

export interface BaseImageInfo {
  /** the bundled entry, `node:22` */
  key: string;
  match: BaseImageMatch;
  /** platform the figures are for (`linux/amd64`, `linux/arm64/v8`) */
  platform: string;
  /** newest layer date of the recorded build, YYYY-MM-DD */
  date: string;
  /** repo-info commit the entry was read at (short) */
  commit: string;
  layers: BaseImageLayer[];
  total: SizeFigure;
  installed?: InstalledPackages;
  /** why the entry stands for the reference when it is not the same tag/platform (also in `total.detail`) */
  note?: string;
}

const AMD64 = 'linux/amd64';
const ARM64 = 'linux/arm64/v8';
const HUB_REGISTRIES: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const SOURCE = BASE.about.source;

const DEBIAN_CODENAMES: ReadonlySet<string> = new Set(['bullseye', 'bookworm', 'trixie', 'forky', 'sid']);
const UBUNTU_CODENAMES: ReadonlyMap<string, string> = new Map([
  ['focal', '20.04'],
  ['jammy', '22.04'],
  ['noble', '24.04'],
  ['resolute', '26.04'],
]);
const FAMILY_NAMES: Readonly<Record<Family, Message | ''>> = { debian: message('familyDebian'), alpine: message('familyAlpine'), other: '' };

// ------------------------------------------------------------------------------------------------
// Indexes, built once
// ------------------------------------------------------------------------------------------------

let indexes: { aliases: Map<string, string>; digests: Map<string, { key: string; platform?: string }>; listKeys: Map<string, [Manager, string]> } | undefined;

function index() {
  if (indexes) return indexes;
  const aliases = new Map<string, string>();
  const digests = new Map<string, { key: string; platform?: string }>();
  for (const key of Object.keys(BASE.images).sort()) {
    const entry = BASE.images[key];
    for (const alias of entry.aliases) if (!BASE.images[alias] && !aliases.has(alias)) aliases.set(alias, key);
    if (!digests.has(entry.index)) digests.set(entry.index, { key });
    for (const [platform, record] of Object.entries(entry.platforms)) {
      if (!digests.has(record.digest)) digests.set(record.digest, { key, platform });
    }
  }
  const listKeys = new Map<string, [Manager, string]>();
  for (const manager of ['dpkg', 'apk'] as const) {
    for (const key of Object.keys(BASE.packages[manager].lists)) {
      if (!listKeys.has(key)) listKeys.set(key, [manager, key]);
    }
  }
  for (const manager of ['dpkg', 'apk'] as const) {
    for (const [key, list] of Object.entries(BASE.packages[manager].lists)) {
      for (const alias of list.aliases ?? []) if (!listKeys.has(alias)) listKeys.set(alias, [manager, key]);
    }
  }
  indexes = { aliases, digests, listKeys };
  return indexes;
}

const packageSets = new Map<string, ReadonlySet<string>>();

function packageSet(manager: Manager, key: string): ReadonlySet<string> {
  const id = `${manager}:${key}`;
  let set = packageSets.get(id);
  if (!set) {
    const { names, lists } = BASE.packages[manager];
    set = new Set(lists[key].packages.map((i) => names[i]));
    packageSets.set(id, set);
  }
  return set;
}

// ------------------------------------------------------------------------------------------------
// References
// ------------------------------------------------------------------------------------------------

type Normalized =
  | { kind: 'official'; name: string; tag: string; explicitTag: boolean; digest?: string; written: string }
  | { kind: 'other-registry'; registry: string }
  | { kind: 'not-official'; repository: string };

function normalize(ref: ImageReference): Normalized {
  let registry = ref.registry;
  let repository = ref.repository;
  if (registry === undefined) {
    // a reference built by hand may still carry the Hub host in its repository
    const host = /^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//.exec(repository);
    if (host) {
      registry = host[1];
      repository = repository.slice(host[0].length);
    }
  }
  if (registry !== undefined && !HUB_REGISTRIES.has(registry.toLowerCase())) return { kind: 'other-registry', registry };
  const name = repository.replace(/^library\//, '');
  if (name.includes('/')) return { kind: 'not-official', repository };
  const written = ref.resolved.trim().replace(/@.*$/, '');
  return {
    kind: 'official',
    name,
    tag: ref.tag ?? 'latest',
    explicitTag: ref.tag !== undefined,
    ...(ref.digest ? { digest: ref.digest } : {}),
    written,
  };
}

/** `linux/arm64` ≡ `linux/arm64/v8`; `amd64` alone is linux/amd64. */
function normalizePlatform(platform: string): string {
  const p = platform.trim().toLowerCase();
  const [os, arch, variant] = (p.includes('/') ? p : `linux/${p}`).split('/');
  if (os !== 'linux') return p;
  if (arch === 'amd64' || arch === 'x86_64' || arch === 'x86-64') return AMD64;
  if ((arch === 'arm64' || arch === 'aarch64') && (variant === undefined || variant === 'v8')) return ARM64;
  return [os, arch, variant].filter(Boolean).join('/');
}

const repoOf = (key: string): string => key.slice(0, key.indexOf(':'));
const tagOf = (key: string): string => key.slice(key.indexOf(':') + 1);
const bareVersion = (v: string): string => v.replace(/^v(?=\d)/, '');

function entryKey(name: string, tag: string): string | undefined {
  const key = `${name}:${tag}`;
  return BASE.images[key] ? key : index().aliases.get(key);
}

function codenameOf(os: string | undefined): string | undefined {
  if (!os) return undefined;
  if (os.startsWith('debian:')) return os.slice('debian:'.length).replace(/-slim$/, '');
  if (os.startsWith('ubuntu:')) {
    const version = os.slice('ubuntu:'.length);
    return [...UBUNTU_CODENAMES].find(([, v]) => v === version)?.[0];
  }
  return undefined;
}

function describeOs(os: string): string {
  const [distro, release] = os.split(':');
  if (distro === 'debian') return `Debian ${release.replace(/-slim$/, '')}${release.endsWith('-slim') ? ' (slim)' : ''}`;
  if (distro === 'ubuntu') return `Ubuntu ${release}`;
  if (distro === 'alpine') return `Alpine ${release}`;
  return os;
}

/** The tag without its leading version and `latest`: `22-slim` -> `slim`, `3.14-alpine` -> `alpine`. */
function tagShape(tag: string): string {
  return tag
    .split('-')
    .filter((part, i) => !(i === 0 && /^v?\d+(\.\d+)*$/.test(part)) && part !== 'latest')
    .join('-');
}

/**
 * A tag absent from the data but one step from an entry the data describes: the same tag with the
 * OS release spelled out (`22-bookworm`, `3.14-slim-trixie`, `22-alpine3.24`), Ubuntu's codename for
 * its version, or the full version of the recorded build (`22.23.2-slim`).
 */
function variantOf(name: string, tag: string): { key: string; reason: Message } | undefined {
  const pick = (candidate: string, check: (entry: RawEntry) => Message | undefined) => {
    const key = entryKey(name, candidate);
    if (!key) return undefined;
    const reason = check(BASE.images[key]);
    return reason ? { key, reason } : undefined;
  };
  const builtOn = (codename: string) => (entry: RawEntry) =>
    entry.os && codenameOf(entry.os) === codename ? message('baseBuiltOn', { os: describeOs(entry.os) }) : undefined;

  const ubuntuVersion = UBUNTU_CODENAMES.get(tag);
  if (name === 'ubuntu' && ubuntuVersion) {
    const found = pick(ubuntuVersion, builtOn(tag));
    if (found) return found;
  }
  const codename = /^(?:(.+?)-)?([a-z]+)(-slim)?$/.exec(tag);
  if (codename && (DEBIAN_CODENAMES.has(codename[2]) || UBUNTU_CODENAMES.has(codename[2]))) {
    const [, prefix, c, slim] = codename;
    // `22-bookworm` -> `22`; `22-bookworm-slim` and `3.14-slim-trixie` -> the `-slim` tag
    const candidate = slim ? (prefix ? `${prefix}-slim` : 'slim') : (prefix ?? 'latest');
    const found = pick(candidate, builtOn(c));
    if (found) return found;
  }
  const alpine = /^(?:(.+)-)?alpine(\d+\.\d+(?:\.\d+)?)$/.exec(tag);
  if (alpine) {
    const release = alpine[2];
    const found = pick(alpine[1] ? `${alpine[1]}-alpine` : 'alpine', (entry) =>
      entry.os?.startsWith('alpine:') && (entry.os === `alpine:${release}` || entry.os.startsWith(`alpine:${release}.`))
        ? message('baseBuiltOn', { os: describeOs(entry.os) })
        : undefined,
    );
    if (found) return found;
  }
  const versioned = /^(v?\d+(?:\.\d+)*)(?:-(.+))?$/.exec(tag);
  if (versioned) {
    const version = bareVersion(versioned[1]);
    const shape = versioned[2] ?? '';
    const matches = Object.keys(BASE.images)
      .filter((key) => {
        const entry = BASE.images[key];
        return repoOf(key) === name && entry.version !== undefined && bareVersion(entry.version) === version && tagShape(tagOf(key)) === shape;
      })
      .sort((a, b) => Number(tagOf(a) === 'latest') - Number(tagOf(b) === 'latest') || a.localeCompare(b));
    if (matches.length) return { key: matches[0], reason: message('baseVersion', { version: `${BASE.images[matches[0]].version}` }) };
  }
  return undefined;
}

interface Resolved {
  key: string;
  match: BaseImageMatch;
  /** platform fixed by a platform manifest digest */
  platform?: string;
  notes: Message[];
}

function resolve(ref: ImageReference): Resolved | undefined {
  const n = normalize(ref);
  if (n.kind !== 'official') return undefined;
  const notes: Message[] = [];
  if (n.digest) {
    const hit = index().digests.get(n.digest.toLowerCase());
    if (hit && repoOf(hit.key) === n.name) {
      if (hit.platform) notes.push(message('baseDigestPlatform', { platform: hit.platform, key: hit.key }));
      return { key: hit.key, match: 'exact', ...(hit.platform ? { platform: hit.platform } : {}), notes };
    }
    if (!n.explicitTag) return undefined;
  }
  const asked = `${n.name}:${n.tag}`;
  let found: Resolved | undefined;
  if (BASE.images[asked]) {
    found = { key: asked, match: n.written === asked ? 'exact' : 'normalized', notes };
  } else if (index().aliases.has(asked)) {
    found = { key: index().aliases.get(asked)!, match: 'alias', notes };
  } else {
    const variant = variantOf(n.name, n.tag);
    if (!variant) return undefined;
    notes.push(message('baseVariant', { asked, key: variant.key, reason: variant.reason }));
    found = { key: variant.key, match: 'variant', notes };
  }
  if (n.digest) {
    notes.push(message('basePinnedDigest', { digest: n.digest.slice(0, 19), key: found.key }));
    found.match = 'variant';
  }
  return found;
}

// ------------------------------------------------------------------------------------------------
// Figures
// ------------------------------------------------------------------------------------------------

const grouped = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const ratioText = (r: number): string => `${r.toFixed(2)}×`;

function megabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

interface Ratio {
  best: number;
  low: number;
  high: number;
  text: Message;
}

function ratioFor(key: string, entry: RawEntry, platform: string): Ratio {
  const family = BASE.families[entry.family];
  const low = family.min;
  const high = family.max;
  if (entry.measured) {
    const r = entry.measured.ratio;
    const where = platform === AMD64 ? '' : message('baseOnAmd64');
    const build = entry.measured.sameBuild ? '' : message('baseOtherBuild');
    return { best: r, low: Math.min(low, r), high: Math.max(high, r), text: message('baseRatioMeasured', { ratio: ratioText(r), key, where, build }) };
  }
  const range = message('baseRange', { min: family.min.toFixed(2), max: family.max.toFixed(2) });
  const of = family.pooled
    ? message('baseMedianAll', { count: family.n, range })
    : message('baseMedianFamily', { count: family.n, family: FAMILY_NAMES[entry.family], range });
  return { best: family.median, low, high, text: message('baseRatioMedian', { ratio: ratioText(family.median), of }) };
}

function bundled(bytes: number, low: number, high: number, compressed: number, detail: Message): SizeFigure {
  return { bytes, low: Math.min(low, bytes), high: Math.max(high, bytes), compressed, source: 'bundled', ...detailOf(detail) };
}

/**
 * The bundled facts about an official image, or undefined when the data does not describe it
 * (another registry, a non-official Hub image, an unknown tag or digest).
 */
export function lookupBaseImage(ref: ImageReference, platform = AMD64): BaseImageInfo | undefined {
  const resolved = resolve(ref);
  if (!resolved) return undefined;
  const { key, match, notes } = resolved;
  const entry = BASE.images[key];
  const wanted = resolved.platform ?? normalizePlatform(platform);
  let used = wanted;
  if (!entry.platforms[used]) {
    used = AMD64;
    notes.push(message('basePlatformMissing', { platform: wanted, key }));
  }
  const record = entry.platforms[used];
  const ratio = ratioFor(key, entry, used);
  const origin = message('baseOrigin', { source: SOURCE, commit: entry.commit, date: entry.date });
  const prefix = used === wanted ? '' : message('baseNoteSentence', { note: notes[notes.length - 1]! });
  const layers: BaseImageLayer[] = record.layers.map(([compressed, digest, line]) => ({
    digest,
    ...(line !== undefined ? { createdBy: BASE.history[line] } : {}),
    size: bundled(
      Math.round(compressed * ratio.best),
      Math.round(compressed * ratio.low),
      Math.round(compressed * ratio.high),
      compressed,
      message('baseLayer', { note: prefix, compressed: grouped(compressed), origin, ratio: ratio.text }),
    ),
  }));

  const compressed = record.layers.reduce((sum, [c]) => sum + c, 0);
  let bytes = layers.reduce((sum, l) => sum + (l.size.bytes ?? 0), 0);
  let low = layers.reduce((sum, l) => sum + (l.size.low ?? 0), 0);
  let high = layers.reduce((sum, l) => sum + (l.size.high ?? 0), 0);
  let onDisk: Message = ratio.text;
  const m = entry.measured;
  if (m && used === AMD64) {
    bytes = m.onDisk;
    if (m.sameBuild) {
      low = m.onDisk - m.tolerance;
      high = m.onDisk + m.tolerance;
      onDisk = message('baseMeasuredBuild', { size: megabytes(m.onDisk), source: m.source });
    } else {
      const family = BASE.families[entry.family];
      onDisk = message('baseMeasuredTag', {
        size: megabytes(m.onDisk),
        key,
        source: m.source,
        family: FAMILY_NAMES[entry.family] || message('familyMeasured'),
        min: family.min.toFixed(2),
        max: family.max.toFixed(2),
      });
    }
  }
  const sentences: MessageValue[] = notes.map((note) => message('baseNoteSentence', { note }));
  const detail = message('baseTotal', {
    notes: list(sentences, ''),
    key,
    platform: used,
    count: record.layers.length,
    s: plural(record.layers.length),
    compressed: grouped(compressed),
    origin,
    onDisk,
  });

  const installed = installedFor(entry);
  return {
    key,
    match,
    platform: used,
    date: entry.date,
    commit: entry.commit,
    layers,
    total: bundled(bytes, low, high, compressed, detail),
    ...(installed ? { installed } : {}),
    ...(notes.length ? { note: notes.map(english).join('; ') } : {}),
  };
}

function installedFor(entry: RawEntry): InstalledPackages | undefined {
  if (!entry.installed) return undefined;
  const { manager, list, lowerBound } = entry.installed;
  return { manager, packages: packageSet(manager, list), from: list, lowerBound: lowerBound === true };
}

/** A package list bundled for a tag that has no layer data (`python:3.12-slim`, `node:24-alpine3.24`). */
function listOnly(ref: ImageReference): { manager: Manager; key: string; list: RawList } | undefined {
  const n = normalize(ref);
  if (n.kind !== 'official' || n.digest) return undefined;
  const hit = index().listKeys.get(`${n.name}:${n.tag}`);
  if (!hit) return undefined;
  const [manager, key] = hit;
  return { manager, key, list: BASE.packages[manager].lists[key] };
}

/** The whole base image as one figure; unknown (with the reason) when the data does not describe it. */
export function baseImageFigure(ref: ImageReference, platform = AMD64): SizeFigure {
  const info = lookupBaseImage(ref, platform);
  if (info) return info.total;
  const n = normalize(ref);
  if (n.kind === 'other-registry') return unknownSize(message('baseOtherRegistry', { registry: n.registry }));
  if (n.kind === 'not-official') {
    return unknownSize(message('baseNotOfficial', { repository: n.repository }));
  }
  const only = listOnly(ref);
  if (only?.list.onDisk) {
    const { key, list } = only;
    const tolerance = list.onDisk! >= 1e9 ? 5e6 : 5e3;
    const where = normalizePlatform(platform) === AMD64 ? '' : message('baseListOnlyPlatform', { platform: normalizePlatform(platform) });
    return {
      bytes: list.onDisk!,
      low: list.onDisk! - tolerance,
      high: list.onDisk! + tolerance,
      compressed: null,
      source: 'bundled',
      ...detailOf(message('baseListOnly', { key, size: megabytes(list.onDisk!), source: SOURCE, file: list.file, commit: list.commit, created: list.created, where })),
    };
  }
  const { images, tags } = BASE.about.counts;
  const display = n.digest && !n.explicitTag ? `${n.name}@${n.digest.slice(0, 19)}…` : `${n.name}:${n.tag}`;
  const known = Object.keys(BASE.images).filter((k) => repoOf(k) === n.name).map(tagOf);
  const hint = known.length ? message('baseKnownTags', { name: n.name, tags: known.join(', ') }) : '';
  return unknownSize(message('baseUnknown', { image: display, images, tags, snapshot: BASE.about.snapshot, hint }));
}

/**
 * What the base image already has installed (dpkg or apk package names): its own list, a list
 * recorded for the same tag, or the list of the OS release its bottom layer is (a lower bound).
 */
export function installedPackages(ref: ImageReference, platform = AMD64): InstalledPackages | undefined {
  const info = lookupBaseImage(ref, platform);
  if (info) return info.installed;
  const only = listOnly(ref);
  if (!only) return undefined;
  return { manager: only.manager, packages: packageSet(only.manager, only.key), from: only.key, lowerBound: false };
}

/** What a floating reference (`node`, `alpine:latest`) pointed to when the bundled data was taken. */
export interface PinnedBase {
  /** a versioned tag of the same image (`alpine:3.24`), when the data names one */
  tag?: string;
  /** the image index digest the tag had then */
  digest: string;
  /** when the data was taken (YYYY-MM-DD) */
  date: string;
}

/**
 * A pin for an official image written with `:latest` or no tag, from the bundled data only: the
 * versioned tag that was `latest` (the entry's own key, else its most specific versioned alias)
 * and the index digest. Undefined for images the data does not describe exactly.
 */
export function pinnedBase(ref: ImageReference): PinnedBase | undefined {
  const resolved = resolve(ref);
  if (!resolved || (resolved.match !== 'exact' && resolved.match !== 'alias' && resolved.match !== 'normalized')) return undefined;
  const entry = BASE.images[resolved.key];
  if (!entry) return undefined;
  const versioned = [resolved.key, ...entry.aliases].filter((key) => tagOf(key) !== 'latest' && /\d/.test(tagOf(key)));
  // the most specific version first: alpine:3.24.1 before alpine:3.24 before alpine:3
  versioned.sort((a, b) => tagOf(b).split('.').length - tagOf(a).split('.').length || tagOf(b).length - tagOf(a).length);
  const named = versioned[0] ?? [resolved.key, ...entry.aliases].find((key) => tagOf(key) !== 'latest');
  return { ...(named ? { tag: named } : {}), digest: entry.index, date: entry.date };
}
