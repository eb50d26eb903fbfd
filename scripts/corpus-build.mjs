#!/usr/bin/env node
// Builds the robustness corpus (test/corpus/dockerfiles.jsonl.gz and test/corpus/SOURCE.md) from a
// git snapshot of a public Dockerfile collection. The snapshot is read with git itself (ls-tree,
// cat-file), so a bare git directory without a work tree is enough.
//
//   node scripts/corpus-build.mjs --git-dir <path to the collection's .git> --repo <owner/name> [options]
//
// Options:
//   --count N        how many Dockerfiles to keep (default 3000)
//   --max-bytes N    skip files larger than this (default 65536)
//   --budget N       fail when the .gz is larger than this many bytes (default 1572864, 1.5 MiB)
//   --fetched DATE   the day the snapshot was fetched (default: today, UTC)
//   --out DIR        where to write (default test/corpus)
//
// Selection, all deterministic for a given commit:
//   1. every blob at HEAD whose file name is Dockerfile, Dockerfile.*, *.Dockerfile or Containerfile*;
//   2. skip empty files, files over --max-bytes, files with NUL bytes or invalid UTF-8, and files
//      with no FROM line (error pages and stubs some collections hold);
//   3. dedupe by the SHA-256 of the text with line endings normalised to LF and trailing
//      whitespace trimmed; the first path in path order keeps the text;
//   4. order the survivors by the SHA-256 of their path (a stable shuffle, so the sample spreads
//      over the whole collection instead of its first letters) and keep the first --count;
//   5. write them sorted by path, one JSON object per line: {"path": ..., "text": ...}.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

function parseArgs(argv) {
  const options = { count: 3000, maxBytes: 65536, budget: 1.5 * 1024 * 1024, fetched: new Date().toISOString().slice(0, 10), out: 'test/corpus' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--git-dir') options.gitDir = value();
    else if (arg === '--repo') options.repo = value();
    else if (arg === '--count') options.count = Number(value());
    else if (arg === '--max-bytes') options.maxBytes = Number(value());
    else if (arg === '--budget') options.budget = Number(value());
    else if (arg === '--fetched') options.fetched = value();
    else if (arg === '--out') options.out = value();
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!options.gitDir || !options.repo) throw new Error('usage: node scripts/corpus-build.mjs --git-dir <dir> --repo <owner/name> [--count N] [--max-bytes N] [--budget BYTES] [--fetched YYYY-MM-DD] [--out DIR]');
  if (!Number.isInteger(options.count) || options.count < 1) throw new Error('--count must be a positive integer');
  return options;
}

const git = (gitDir, args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });

const DOCKERFILE_NAME = /^(?:(?:Dockerfile|Containerfile)(?:\..+)?|.+\.(?:Dockerfile|dockerfile|Containerfile))$/;

/** Blobs at HEAD that are named like Dockerfiles: { path, oid, size }. */
function listCandidates(gitDir) {
  const out = git(gitDir, ['ls-tree', '-r', '-l', '-z', 'HEAD']);
  const entries = [];
  for (const record of out.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid, size] = record.slice(0, tab).split(/\s+/);
    const file = record.slice(tab + 1);
    if (type !== 'blob' || mode === '120000' || !DOCKERFILE_NAME.test(path.posix.basename(file))) continue;
    entries.push({ path: file, oid, size: Number(size) });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads many blobs through one `git cat-file --batch`: Map oid → Buffer. */
function readBlobs(gitDir, oids) {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const blobs = new Map();
    const queue = [...new Set(oids)];
    let buffer = Buffer.alloc(0);
    let expected = 0;
    child.stdout.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const newline = buffer.indexOf(10);
        if (newline < 0) return;
        const header = buffer.subarray(0, newline).toString('utf8');
        const [oid, type, size] = header.split(' ');
        if (type === 'missing') {
          buffer = buffer.subarray(newline + 1);
          expected++;
          continue;
        }
        const length = Number(size);
        if (buffer.length < newline + 1 + length + 1) return;
        blobs.set(oid, Buffer.from(buffer.subarray(newline + 1, newline + 1 + length)));
        buffer = buffer.subarray(newline + 1 + length + 1);
        expected++;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`git cat-file exited with ${code}`));
      else if (expected !== queue.length) reject(new Error(`git cat-file answered ${expected} of ${queue.length} objects`));
      else resolve(blobs);
    });
    child.stdin.end(queue.map((oid) => `${oid}\n`).join(''));
  });
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

function decodeUtf8(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const commit = git(options.gitDir, ['rev-parse', 'HEAD']).trim();
  const commitDate = git(options.gitDir, ['log', '-1', '--format=%cI', 'HEAD']).trim();
  let collectionLicence = 'its LICENSE file';
  try {
    const first = git(options.gitDir, ['show', 'HEAD:LICENSE']).split('\n').find((l) => l.trim() !== '');
    if (first) collectionLicence = `its LICENSE: ${first.trim()}`;
  } catch {
    // no LICENSE at the top: the generic wording stays
  }
  const candidates = listCandidates(options.gitDir);
  const sized = candidates.filter((c) => c.size > 0 && c.size <= options.maxBytes);
  const blobs = await readBlobs(options.gitDir, sized.map((c) => c.oid));

  const skipped = { tooLarge: candidates.filter((c) => c.size > options.maxBytes).length, empty: candidates.filter((c) => c.size === 0).length, binary: 0, noFrom: 0, duplicate: 0 };
  const seen = new Set();
  const distinct = [];
  for (const candidate of sized) {
    const bytes = blobs.get(candidate.oid);
    if (!bytes) throw new Error(`blob ${candidate.oid} (${candidate.path}) is missing from the snapshot`);
    const text = bytes.includes(0) ? undefined : decodeUtf8(bytes);
    if (text === undefined) {
      skipped.binary++;
      continue;
    }
    if (!/^[ \t]*from[ \t]/im.test(text)) {
      skipped.noFrom++;
      continue;
    }
    const key = sha256(text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trimEnd());
    if (seen.has(key)) {
      skipped.duplicate++;
      continue;
    }
    seen.add(key);
    distinct.push({ path: candidate.path, text });
  }
  if (distinct.length < options.count) throw new Error(`only ${distinct.length} distinct Dockerfiles qualify; ${options.count} were asked for`);

  const chosen = distinct
    .map((d) => ({ ...d, order: sha256(d.path) }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))
    .slice(0, options.count)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const jsonl = chosen.map((d) => JSON.stringify({ path: d.path, text: d.text })).join('\n') + '\n';
  const gz = gzipSync(Buffer.from(jsonl, 'utf8'), { level: 9 });
  if (gz.length > options.budget) throw new Error(`the corpus gzips to ${gz.length} bytes, above the budget of ${options.budget}: lower --count`);

  fs.mkdirSync(options.out, { recursive: true });
  fs.writeFileSync(path.join(options.out, 'dockerfiles.jsonl.gz'), gz);
  const rawBytes = chosen.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
  const largest = chosen.reduce((m, d) => Math.max(m, Buffer.byteLength(d.text)), 0);
  const crlf = chosen.filter((d) => d.text.includes('\r\n')).length;
  const source = `# Robustness corpus: real-world Dockerfiles

\`dockerfiles.jsonl.gz\` holds ${chosen.length.toLocaleString('en-US')} distinct Dockerfiles, one JSON object per line:
\`{"path": <path in the source repository>, "text": <the file's text, unchanged>}\`.
\`corpus.test.ts\` runs every one through the analysis core and checks that nothing throws or is slow.

| | |
| --- | --- |
| source repository | https://github.com/${options.repo} |
| commit | \`${commit}\` (committed ${commitDate}) |
| date fetched | ${options.fetched} |
| Dockerfile-named files at that commit | ${candidates.length.toLocaleString('en-US')} |
| distinct after filtering | ${distinct.length.toLocaleString('en-US')} |
| kept | ${chosen.length.toLocaleString('en-US')} (${(rawBytes / 1024 / 1024).toFixed(2)} MB of text, largest ${(largest / 1024).toFixed(1)} KB, ${crlf} with CRLF line endings; ${(gz.length / 1024).toFixed(0)} KB gzipped) |

Selection (\`scripts/corpus-build.mjs\`, deterministic for a given commit): files named
\`Dockerfile\`, \`Dockerfile.*\`, \`*.Dockerfile\` or \`Containerfile*\`; skipped: empty (${skipped.empty}),
over ${options.maxBytes.toLocaleString('en-US')} bytes (${skipped.tooLarge}), NUL bytes or invalid UTF-8 (${skipped.binary}), no \`FROM\` line
(${skipped.noFrom}), duplicates by SHA-256 of the text with LF line endings and trailing whitespace
trimmed (${skipped.duplicate}); the rest ordered by the SHA-256 of their path and the first ${chosen.length.toLocaleString('en-US')} kept.

Rebuild from a clone or snapshot of that repository at that commit (a bare git directory is enough):

    node scripts/corpus-build.mjs --git-dir <its git directory> --repo ${options.repo} --count ${options.count} --fetched ${options.fetched}

## Licence

The Dockerfiles are their authors' work and keep their authors' licences; the collection's own
licence (${collectionLicence}) covers its scripts and arrangement, not these files.
They are here as test input only: nothing in them is run, and nothing from them ships in the
extension.
`;
  fs.writeFileSync(path.join(options.out, 'SOURCE.md'), source);
  console.log(`${chosen.length} Dockerfiles (${distinct.length} distinct qualify of ${candidates.length} candidates) → ${path.join(options.out, 'dockerfiles.jsonl.gz')} (${gz.length} bytes)`);
  console.log(`skipped: ${JSON.stringify(skipped)}`);
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
