/**
 * The benchmark's fixtures: each is a folder under bench/accuracy/fixtures/ (a Dockerfile and a
 * small build context), listed here with what it exercises and, for the ones that need more than
 * a few bytes of context, a generator that writes the bulky files into the working copy at run
 * time, the same bytes on every run (seeded). Nothing big is committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { mulberry32 } from '../../test/random';

export interface Fixture {
  name: string;
  what: string;
  /** writes generated context files into the working copy */
  generate?: (dir: string) => void;
  /**
   * A builder feature the fixture needs that older builders lack: when the build fails and the
   * error mentions the feature, the fixture is skipped with that reason instead of failing.
   */
  optional?: { feature: string; errorPattern: RegExp };
}

export const FIXTURES: Fixture[] = [
  { name: 'busybox-copy-files', what: 'COPY of three small files, RUN mkdir' },
  { name: 'busybox-workdir', what: 'WORKDIR creating nested folders, WORKDIR of an existing one, COPY into it' },
  { name: 'busybox-run-files', what: 'RUN writing 2 MB of zeros and 1 MB of random bytes, then a RUN deleting them' },
  { name: 'busybox-add-targz', what: 'ADD of a local .tar.gz (extracted) and of a plain file', generate: (dir) => writeAssetsArchive(dir) },
  {
    name: 'busybox-copy-heavy',
    what: 'COPY of ~6 MB of mixed text and binary files in nested folders',
    generate: (dir) => writeMixedFiles(path.join(dir, 'data'), { seed: 11, files: 60, bytes: 6_000_000, binaryShare: 0.5 }),
  },
  {
    name: 'busybox-dockerignore',
    what: 'COPY . with .dockerignore leaving out an 8 MB folder and logs',
    generate: (dir) => {
      writeMixedFiles(path.join(dir, 'big'), { seed: 12, files: 16, bytes: 8_000_000, binaryShare: 1 });
      writeMixedFiles(path.join(dir, 'logs'), { seed: 13, files: 4, bytes: 400_000, binaryShare: 0, extension: '.log' });
      writeMixedFiles(path.join(dir, 'src'), { seed: 14, files: 12, bytes: 300_000, binaryShare: 0 });
    },
  },
  {
    name: 'busybox-heredoc',
    what: 'COPY and RUN with heredocs',
    optional: { feature: 'heredocs in COPY/RUN', errorPattern: /heredoc|<<|no such file or directory|EOF/i },
  },
  {
    name: 'multistage-busybox',
    what: 'debian build stage packs files; busybox stage copies the archive and a context file from it',
    generate: (dir) => writeMixedFiles(path.join(dir, 'src'), { seed: 15, files: 20, bytes: 1_500_000, binaryShare: 0.3 }),
  },
  { name: 'apt-curl-recommends', what: 'apt-get install curl with recommends, lists removed in the same RUN' },
  { name: 'apt-curl-no-recommends', what: 'apt-get install --no-install-recommends curl, lists removed in the same RUN' },
  { name: 'apt-lists-kept', what: 'apt-get install --no-install-recommends ca-certificates wget, lists left in the layer' },
  { name: 'apt-update-separate', what: 'apt-get update in its own RUN, install in the next, lists removed in a third (wasted space)' },
  { name: 'apt-python3', what: 'python3 and Python libraries from apt (no pip), then a RUN using them' },
  { name: 'apt-build-essential', what: 'build-essential without recommends, then gcc compiles a COPYed C file' },
  { name: 'apt-purge-autoremove', what: 'gcc + libc6-dev + make installed with the lists left, purged with --auto-remove in the next RUN (packages and lists wasted)' },
  { name: 'pip-uninstall', what: 'python3-pip from Debian, a wheel pip installs in one RUN and uninstalls in the next (the package wasted)' },
  { name: 'apt-clean-metadata', what: 'apt-get install + apt-get clean + lists removed; ENV/LABEL/USER/EXPOSE make no layers' },
  {
    name: 'debian-copy-chown',
    what: 'WORKDIR + COPY of ~2 MB, then a RUN chown -R that rewrites every copied file into a new layer',
    generate: (dir) => writeMixedFiles(path.join(dir, 'app'), { seed: 16, files: 30, bytes: 2_000_000, binaryShare: 0.5 }),
  },
  { name: 'debian-useradd-workdir', what: 'useradd, WORKDIR owned by the user, small COPY, no apt' },
  { name: 'apt-lists-mount', what: 'apt-get update + install with /var/lib/apt/lists and /var/cache/apt as cache mounts' },
  { name: 'apt-cache-mounts', what: "docker-clean removed, then apt-get update + install with /var/cache/apt and /var/lib/apt as cache mounts" },
  { name: 'apt-archives-kept', what: 'docker-clean removed without a mount: .deb files and pkgcache.bin stay in the layer' },
  {
    name: 'manifest-first',
    what: 'COPY package.json package-lock.json, a RUN, then COPY . . writing both again unchanged (~1.6 MB lockfile)',
    generate: (dir) => writeManifests(dir),
  },
];

// ---------------------------------------------------------------------------------------------
// Generators

const WORDS = (
  'layer image build stage copy run cache context archive package install remove update size bytes ' +
  'compress gzip debian busybox apt list file folder path owner mode link header block record entry'
).split(' ');

export interface MixedFilesOptions {
  seed: number;
  files: number;
  /** total bytes, split unevenly between files */
  bytes: number;
  /** share of the files that are random bytes (incompressible); the rest is text */
  binaryShare: number;
  extension?: string;
}

/** Writes `files` files totalling exactly `bytes`, in up to three levels of folders. */
export function writeMixedFiles(root: string, options: MixedFilesOptions): void {
  const random = mulberry32(options.seed);
  const weights = Array.from({ length: options.files }, () => 0.2 + random());
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((w / total) * options.bytes));
  sizes[0]! += options.bytes - sizes.reduce((a, b) => a + b, 0);
  sizes.forEach((size, i) => {
    const binary = i < Math.round(options.files * options.binaryShare);
    const depth = i % 3;
    const folder = path.join(root, ...Array.from({ length: depth }, (_, d) => `d${d}-${(i >> d) % 4}`));
    mkdirSync(folder, { recursive: true });
    const name = `${binary ? 'blob' : 'text'}-${String(i).padStart(3, '0')}${options.extension ?? (binary ? '.bin' : '.txt')}`;
    writeFileSync(path.join(folder, name), binary ? randomBytes(random, size) : text(random, size));
  });
}

function randomBytes(random: () => number, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) {
    const v = Math.floor(random() * 0x100000000);
    for (let k = 0; k < 4 && i + k < size; k++) out[i + k] = (v >>> (8 * k)) & 0xff;
  }
  return out;
}

function text(random: () => number, size: number): Buffer {
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const line = `${Array.from({ length: 4 + Math.floor(random() * 8) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ')} ${Math.floor(random() * 1e6)}\n`;
    parts.push(line);
    length += line.length;
  }
  return Buffer.from(parts.join('').slice(0, size), 'latin1');
}

/** A minimal ustar archive (regular files, folders and symlinks, root-owned, fixed times). */
export function tarArchive(entries: { name: string; data?: Buffer; link?: string }[]): Buffer {
  const blocks: Buffer[] = [];
  const field = (header: Buffer, offset: number, length: number, value: string) => header.write(value, offset, length, 'latin1');
  const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, '0')}\0`;
  for (const entry of entries) {
    const header = Buffer.alloc(512);
    const isDir = entry.data === undefined && entry.link === undefined;
    const size = entry.data?.length ?? 0;
    field(header, 0, 100, isDir && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name);
    field(header, 100, 8, octal(isDir ? 0o755 : 0o644, 8));
    field(header, 108, 8, octal(0, 8));
    field(header, 116, 8, octal(0, 8));
    field(header, 124, 12, octal(size, 12));
    field(header, 136, 12, octal(1_700_000_000, 12));
    field(header, 148, 8, '        ');
    field(header, 156, 1, entry.link !== undefined ? '2' : isDir ? '5' : '0');
    if (entry.link !== undefined) field(header, 157, 100, entry.link);
    field(header, 257, 6, 'ustar\0');
    field(header, 263, 2, '00');
    let checksum = 0;
    for (const b of header) checksum += b;
    field(header, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header);
    if (entry.data) {
      blocks.push(entry.data);
      const pad = (512 - (size % 512)) % 512;
      if (pad) blocks.push(Buffer.alloc(pad));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** assets.tar.gz: ~1.5 MB of text and binary files in two folders, gzip-compressed. */
function writeAssetsArchive(dir: string): void {
  const random = mulberry32(21);
  const entries: { name: string; data?: Buffer }[] = [{ name: 'images' }, { name: 'docs' }];
  for (let i = 0; i < 8; i++) entries.push({ name: `images/img-${i}.bin`, data: randomBytes(random, 60_000 + Math.floor(random() * 60_000)) });
  for (let i = 0; i < 10; i++) entries.push({ name: `docs/page-${i}.txt`, data: text(random, 50_000 + Math.floor(random() * 50_000)) });
  writeFileSync(path.join(dir, 'assets.tar.gz'), gzipSync(tarArchive(entries), { level: 9 }));
}

/** package.json, a ~1.6 MB package-lock.json and ~1.5 MB of sources (manifest-first). */
function writeManifests(dir: string): void {
  const random = mulberry32(31);
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
  const dependencies = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`dep${i}`, '^1.0.0']));
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'app', version: '1.0.0', dependencies }, null, 2)}\n`);
  const packages = Object.fromEntries(Array.from({ length: 9000 }, (_, i) => [`node_modules/dep${i}`, { version: `1.0.${i}`, integrity: `sha512-${hex(86)}` }]));
  writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'app', lockfileVersion: 3, packages }, null, 2)}\n`);
  writeMixedFiles(path.join(dir, 'src'), { seed: 32, files: 30, bytes: 1_500_000, binaryShare: 0, extension: '.js' });
}

