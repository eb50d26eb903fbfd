import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeDockerfile } from '../../server/src/service';
import { createNodeContextReader } from '../../server/src/nodeContextReader';
import { scanContext, type ContextSnapshot } from '../../server/src/service/sizes/context';
import { copySize, globToRegExp, type CopySizeOptions } from '../../server/src/service/sizes/copySize';
import { createIgnore } from '../../server/src/service/sizes/dockerignore';
import { memoryContext, type MemoryContext, type MemoryEntry } from '../memoryContext';

const TREE: Record<string, MemoryEntry> = {
  Dockerfile: 'FROM node:22\n',
  '.dockerignore': 'node_modules\n*.log\nsecret.env\n',
  'package.json': 'x'.repeat(100),
  'package-lock.json': 'x'.repeat(1000),
  'tsconfig.json': 'x'.repeat(10),
  'secret.env': 'KEY=1',
  'debug.log': 'x'.repeat(50),
  'src/index.ts': 'x'.repeat(200),
  'src/util/a.ts': 'x'.repeat(300),
  'src/util/b.md': 'x'.repeat(7),
  'src/web/index.ts': 'x'.repeat(20),
  'assets/logo.svg': 'x'.repeat(4000),
  'assets/README.md': 'x'.repeat(30),
  'current': { symlink: 'src/util/a.ts' },
  'src/util/link': { symlink: 'a.ts' },
  'dangling': { symlink: 'nowhere' },
  'node_modules/x/index.js': { size: 99999 },
  'empty': { directory: true },
};

let cached: { reader: MemoryContext; snapshot: ContextSnapshot } | undefined;

async function context(tree = TREE) {
  if (tree === TREE && cached) return cached;
  const reader = memoryContext(tree);
  const snapshot = await scanContext(reader, { ignore: createIgnore(String(tree['.dockerignore'] ?? '')) });
  if (tree === TREE) cached = { reader, snapshot };
  return { reader, snapshot };
}

/** The first COPY/ADD of `FROM scratch\n<line>`, sized against the test context. */
async function size(line: string, options: CopySizeOptions & { tree?: Record<string, MemoryEntry>; snapshot?: ContextSnapshot | 'none' } = {}) {
  const model = analyzeDockerfile(`FROM scratch\n${line}\n`);
  const info = model.stages[0]!.instructions[1]!;
  const { reader, snapshot } = await context(options.tree ?? TREE);
  const used = options.snapshot === 'none' ? undefined : options.snapshot ?? snapshot;
  return copySize(info, used, { readTar: (p, o, l) => reader.readRange(p, o, l), ...options });
}

async function bytes(line: string): Promise<number | null> {
  return (await size(line))!.size.bytes;
}

test('COPY . copies the whole context after .dockerignore, exactly', async () => {
  const result = (await size('COPY . /app'))!;
  const { snapshot } = await context();
  assert.equal(result.size.bytes, snapshot.totalBytes);
  assert.equal(result.files, snapshot.fileCount);
  assert.deepEqual([result.size.source, result.size.compressed], ['exact', null]);
  assert.equal(result.size.detail, `exact: ${snapshot.fileCount} files, 5.7 kB from the build context (after .dockerignore)`);
  assert.deepEqual(result.matched, ['.']);
});

test('several sources, a directory source copies what is under it, a trailing slash', async () => {
  assert.equal(await bytes('COPY package.json package-lock.json ./'), 1100);
  assert.equal(await bytes('COPY src /app/src'), 200 + 300 + 7 + 20 + 4);
  assert.equal(await bytes('COPY src/util/ /x/'), 300 + 7 + 4);
  assert.equal(await bytes('COPY empty /x'), 0);
});

test('wildcards with Go filepath.Match rules: * and ? stay in one directory, classes', async () => {
  const json = (await size('COPY *.json ./'))!;
  assert.deepEqual(json.matched, ['package-lock.json', 'package.json', 'tsconfig.json']);
  assert.equal(json.size.bytes, 1110);
  assert.deepEqual((await size('COPY src/*/*.ts /x/'))!.matched, ['src/util/a.ts', 'src/web/index.ts']);
  assert.deepEqual((await size('COPY src/util/?.* /x/'))!.matched, ['src/util/a.ts', 'src/util/b.md']);
  assert.deepEqual((await size('COPY src/util/[a-a].* /x/'))!.matched, ['src/util/a.ts']);
  assert.deepEqual((await size('COPY src/util/[^a].* /x/'))!.matched, ['src/util/b.md']);
  assert.deepEqual((await size('COPY s* /x/'))!.matched, ['src'], 'a directory matched by a wildcard copies its contents');
  assert.equal(await bytes('COPY s* /x/'), 531);
});

test('globToRegExp: escapes, classes and no ** in COPY sources', () => {
  assert.ok(globToRegExp('a\\*b')!.test('a*b'));
  assert.ok(!globToRegExp('a\\*b')!.test('axb'));
  assert.ok(globToRegExp('**/x')!.test('a/x'));
  assert.ok(!globToRegExp('**/x')!.test('a/b/x'), '** is two stars: each stays in one directory');
  assert.equal(globToRegExp('[a'), null);
  assert.ok(globToRegExp('f[0-9][^x]')!.test('f1y'));
  assert.equal(globToRegExp('f[^-]'), null, 'Go rejects an unescaped - where a range starts');
});

test('missing sources fail the build; an empty wildcard does not', async () => {
  const result = (await size('COPY package.json nope.txt *.lock ./'))!;
  assert.deepEqual(result.missing, ['nope.txt']);
  assert.deepEqual(result.unmatched, ['*.lock']);
  assert.equal(result.size.bytes, 100);
  assert.match(result.size.detail, /not in the build context, so the build fails: nope\.txt/);
  assert.deepEqual((await size('COPY missing/*.ts ./'))!.missing, ['missing/*.ts'], 'the directory before a wildcard must exist');
  assert.deepEqual((await size('COPY package.json/ ./'))!.missing, ['package.json/'], 'a file named with a trailing slash');
});

test('files excluded by .dockerignore are not there for COPY', async () => {
  const result = (await size('COPY secret.env debug.log /x/'))!;
  assert.deepEqual(result.missing, ['secret.env', 'debug.log']);
  assert.deepEqual((await size('COPY *.log /x/'))!.unmatched, ['*.log']);
  assert.deepEqual((await size('COPY node_modules /x/'))!.missing, ['node_modules']);
});

test('--chown, --chmod and --link change no size; --from is for the caller', async () => {
  assert.equal(await bytes('COPY --chown=1000:1000 --chmod=644 --link package.json /x'), 100);
  assert.equal(await size('COPY --from=builder /out /app'), null);
  assert.equal(await size('COPY --from=nginx:1.27 /etc/nginx /etc/nginx'), null);
  assert.equal(await size('RUN echo hi'), null);
});

test('COPY --exclude filters under directory sources, relative to each', async () => {
  assert.equal(await bytes('COPY --exclude=*.md src /x'), 531, '*.md only matches at the top of src');
  assert.equal(await bytes('COPY --exclude=**/*.md src /x'), 524);
  assert.equal(await bytes('COPY --exclude=**/*.md --exclude=web src /x'), 504);
  assert.match((await size('COPY --exclude=**/*.md . /x'))!.size.detail, /after \.dockerignore and --exclude/);
  assert.equal(await bytes('COPY --exclude=*.json package.json /x'), 100, 'not applied to a file named as a source, as BuildKit does');
});

test('the same file reached twice counts once; hardlinks count per path', async () => {
  assert.equal(await bytes('COPY src src/util src/index.ts /x/'), 531);
});

test('a symlink named as a source is followed; inside a directory it is a link', async () => {
  assert.equal(await bytes('COPY current /x'), 300);
  assert.deepEqual((await size('COPY dangling /x'))!.missing, ['dangling']);
  const util = (await size('COPY src/util /x'))!;
  assert.equal(util.files, 3);
});

test('sources cannot leave the context: / and .. stay at its root', async () => {
  assert.equal(await bytes('COPY /package.json ../package.json ./'), 100);
  assert.equal(await bytes('COPY ../../ /x'), (await context()).snapshot.totalBytes);
});

test('JSON form, quoted words and ARG expansion', async () => {
  const tree = { 'my file.txt': 'abc', 'v1.2/app.bin': 'x'.repeat(10) };
  assert.equal((await size('COPY ["my file.txt", "/x/"]', { tree }))!.size.bytes, 3);
  const expand = (t: string) => t.replace(/\$\{?VERSION\}?/g, '1.2');
  assert.equal((await size('COPY v${VERSION}/app.bin /x', { tree, expand }))!.size.bytes, 10);
  assert.equal((await size('COPY "v${VERSION}/app.bin" /x', { tree, expand }))!.size.bytes, 10);
});

test('heredoc COPY: the body\'s exact UTF-8 bytes, one file per heredoc', async () => {
  const one = (await size('COPY <<EOF /etc/motd\nhéllo wörld\nEOF', { snapshot: 'none' }))!;
  assert.equal(one.size.bytes, Buffer.byteLength('héllo wörld\n'));
  assert.deepEqual([one.size.source, one.files, one.matched], ['exact', 1, []]);
  const two = (await size('COPY <<A <<B /dir/\nfirst\nA\nsecond line\nB'))!;
  assert.equal(two.size.bytes, 'first\n'.length + 'second line\n'.length);
  assert.equal(two.files, 2);
  const tabs = (await size('COPY <<-EOT /x\n\t\tindented\n\tEOT'))!;
  assert.equal(tabs.size.bytes, 'indented\n'.length);
});

test('heredoc bodies are expanded unless the delimiter is quoted', async () => {
  const expand = (t: string) => t.replace(/\$\{NAME\}/g, 'a-much-longer-value');
  assert.equal((await size('COPY <<EOF /x\n${NAME}\nEOF', { expand }))!.size.bytes, 'a-much-longer-value\n'.length);
  assert.equal((await size('COPY <<"EOF" /x\n${NAME}\nEOF', { expand }))!.size.bytes, '${NAME}\n'.length);
});

test('ADD of a URL or a git repository is unknown, with the reason', async () => {
  const url = (await size('ADD https://example.com/app.tar.gz /x'))!;
  assert.deepEqual([url.size.source, url.size.bytes], ['unknown', null]);
  assert.match(url.size.detail, /remote file: its size is known only when downloaded/);
  assert.match((await size('ADD https://github.com/moby/buildkit.git#v0.10.1 /src'))!.size.detail, /remote git repository/);
  assert.match((await size('ADD git@github.com:moby/buildkit.git /src'))!.size.detail, /remote git repository/);
  assert.deepEqual((await size('COPY https://example.com/x /x'))!.missing, ['https://example.com/x'], 'COPY cannot fetch URLs');
});

// ---------------------------------------------------------------------------------------------
// ADD archives

/** A ustar archive: one header per entry (content zero-filled), two zero blocks at the end. */
function tarOf(entries: Array<{ name: string; size?: number; type?: string; pax?: Record<string, string> }>): Uint8Array {
  const blocks: Uint8Array[] = [];
  const header = (name: string, size: number, type: string) => {
    const h = new Uint8Array(512);
    const put = (at: number, text: string) => h.set(new TextEncoder().encode(text), at);
    put(0, name.slice(0, 99));
    put(100, '0000644\0');
    put(108, '0000000\0');
    put(116, '0000000\0');
    put(124, `${size.toString(8).padStart(11, '0')}\0`);
    put(136, '00000000000\0');
    put(156, type);
    put(257, 'ustar\x0000');
    put(148, '        ');
    const sum = h.reduce((a, b) => a + b, 0);
    put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(h);
  };
  for (const e of entries) {
    if (e.pax) {
      const body = Object.entries(e.pax).map(([k, v]) => {
        const rest = ` ${k}=${v}\n`;
        let len = rest.length + 1;
        while (String(len).length + rest.length !== len) len++;
        return `${len}${rest}`;
      }).join('');
      header('PaxHeader', body.length, 'x');
      const data = new Uint8Array(Math.ceil(body.length / 512) * 512);
      data.set(new TextEncoder().encode(body));
      blocks.push(data);
    }
    const size = e.size ?? 0;
    header(e.name, e.pax ? 0 : size, e.type ?? '0');
    blocks.push(new Uint8Array(Math.ceil((e.pax?.size ? 0 : size) / 512) * 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

const ROOTFS = tarOf([
  { name: 'bin/', type: '5' }, { name: 'bin/sh', size: 1000 }, { name: 'bin/ls', size: 70_000 },
  { name: 'bin/dir', type: '1' }, { name: 'lib/libc.so', size: 600_000 }, { name: 'usr/bin/env', type: '2' },
]);

test('ADD extracts a local tar: sized exactly from its headers', async () => {
  const tree = { 'rootfs.tar': ROOTFS };
  const result = (await size('ADD rootfs.tar /', { tree }))!;
  assert.deepEqual([result.size.source, result.size.bytes, result.files], ['exact', 671_000, 5]);
  assert.match(result.size.detail, /ADD extracts rootfs\.tar: 5 files, 671\.0 kB \(from its tar headers\)/);
  assert.equal((await size('COPY rootfs.tar /', { tree }))!.size.bytes, ROOTFS.length, 'COPY never extracts');
});

test('ADD extracts a .tar.gz through zlib; a renamed archive is found by its content', async () => {
  const tree = { 'rootfs.tar.gz': gzipSync(ROOTFS), 'image.bin': gzipSync(ROOTFS), 'notes.gz': gzipSync('just text') };
  assert.equal((await size('ADD rootfs.tar.gz /', { tree }))!.size.bytes, 671_000);
  assert.equal((await size('ADD image.bin /', { tree }))!.size.bytes, 671_000);
  const notes = (await size('ADD notes.gz /', { tree }))!;
  assert.equal(notes.size.bytes, tree['notes.gz'].length, 'gzip but not a tar: copied as is');
});

test('a pax size record overrides the header (files over 8 GB)', async () => {
  const big = tarOf([{ name: 'huge.img', pax: { size: String(20e9) } }]);
  const result = (await size('ADD big.tar /', { tree: { 'big.tar': big } }))!;
  assert.equal(result.size.bytes, 20e9);
});

test('bzip2 and xz archives are estimated at 2–6× their size, with the reason', async () => {
  const tree = { 'a.tar.bz2': new Uint8Array([0x42, 0x5a, 0x68, 0x39, ...new Array(996).fill(7)]), 'b.tar.xz': { size: 2000 } };
  const bz = (await size('ADD a.tar.bz2 /', { tree }))!;
  assert.deepEqual([bz.size.source, bz.size.low, bz.size.high, bz.size.bytes], ['estimate', 2000, 6000, 3500]);
  assert.match(bz.size.detail, /2–6× the archive \(bzip2 is not decompressed here\)/);
  const xz = (await size('ADD b.tar.xz /', { tree, readTar: undefined }))!;
  assert.deepEqual([xz.size.low, xz.size.high], [4000, 12000]);
  assert.match(xz.size.detail, /the archive was not read/);
});

test('a large gzip archive is read up to a cap and extrapolated', async () => {
  const many = tarOf(Array.from({ length: 400 }, (_, i) => ({ name: `f${i}`, size: 1000 })));
  const gz = gzipSync(many, { level: 0 });
  const result = (await size('ADD many.tar.gz /', { tree: { 'many.tar.gz': gz }, maxArchiveBytes: Math.floor(gz.length / 2) }))!;
  assert.equal(result.size.source, 'estimate');
  assert.ok(result.size.low! < 400_000 && result.size.high! > 400_000, JSON.stringify(result.size));
  assert.match(result.size.detail, /extrapolated from its first/);
});

test('without a context snapshot, context sources are unknown; an incomplete scan gives a lower bound', async () => {
  const none = (await size('COPY . /app', { snapshot: 'none' }))!;
  assert.deepEqual([none.size.source, none.size.bytes], ['unknown', null]);
  assert.match(none.size.detail, /build context has not been read/);
  const reader = memoryContext(TREE);
  const partial = await scanContext(reader, { maxFiles: 3 });
  const low = (await size('COPY . /app nope', { snapshot: partial }))!;
  assert.equal(low.size.source, 'estimate');
  assert.equal(low.size.high, null);
  assert.equal(low.size.low, partial.totalBytes);
  assert.deepEqual(low.missing, [], 'an incomplete scan cannot prove a source missing');
});

test('real folder: a tar read through nodeContextReader ranged reads', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlens-copy-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'rootfs.tar.gz'), gzipSync(ROOTFS));
  fs.writeFileSync(path.join(dir, 'app.js'), 'console.log(1)\n');
  const reader = createNodeContextReader(dir);
  const snapshot = await scanContext(reader);
  const info = analyzeDockerfile('FROM scratch\nADD rootfs.tar.gz app.js /\n').stages[0]!.instructions[1]!;
  const result = (await copySize(info, snapshot, { readTar: reader.readRange }))!;
  assert.deepEqual([result.size.source, result.size.bytes, result.files], ['exact', 671_000 + 15, 6]);
});
