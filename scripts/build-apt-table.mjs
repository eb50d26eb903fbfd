#!/usr/bin/env node
// Regenerates server/src/service/data/apt-bookworm.txt.br (the apt estimator's package table) and
// apt-bookworm.source.json beside it, from the Debian bookworm amd64 `main` indexes that
// `apt-get update` keeps under /var/lib/apt/lists on a Debian 12 machine whose sources list
// bookworm, bookworm-updates and bookworm-security.
//
// Usage: node scripts/build-apt-table.mjs [--update] [--lists dir] [--out-dir dir]
//   --update    run `apt-get update` first (it also runs when no bookworm main index is found)
//   --lists     where the indexes are (default /var/lib/apt/lists)
//   --out-dir   default server/src/service/data
// SOURCE_DATE_EPOCH, when set, fixes the generation date.
//
// Output: UTF-8 text, brotli-compressed (quality 11). Its format is described in
// server/src/service/sizes/aptTable.ts. What the table keeps from each package: Installed-Size,
// Depends, Pre-Depends, Recommends and who provides the name; version constraints and `:any`
// qualifiers are dropped, the newest version of a package across the three indexes wins. To keep
// the file small without changing what a closure contains:
//   - a dependency on a virtual name with a single provider names that provider instead;
//   - alternatives that nothing in the index can satisfy are dropped (a group left empty keeps its
//     first name, so the resolver can still report it missing; in Recommends it is dropped);
//   - a single-name Depends/Pre-Depends on P is dropped when another single-name hard dependency of
//     the same package already reaches P through hard dependencies (a transitive reduction done on
//     the strongly connected components, so cycles keep their edges); Recommends already reached
//     that way are dropped too. The closure over the reduced graph equals the closure over the
//     original one; only the "pulled in by" attribution can move to an intermediate package.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const SCRIPT = 'scripts/build-apt-table.mjs';
const SUITE = 'bookworm';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
let listsDir = '/var/lib/apt/lists';
let outDir = join(root, 'server/src/service/data');
let forceUpdate = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--update') forceUpdate = true;
  else if (args[i] === '--lists') listsDir = resolve(args[++i]);
  else if (args[i] === '--out-dir') outDir = resolve(args[++i]);
  else {
    console.error(`unknown argument ${args[i]}`);
    process.exit(2);
  }
}

// ---- 1. the indexes -------------------------------------------------------------------------

const SUITES = [SUITE, `${SUITE}-updates`, `${SUITE}-security`];
const indexFile = (suite) =>
  readdirSync(listsDir).find((f) => f.includes(`_dists_${suite}_main_binary-amd64_Packages`) && !f.endsWith('.diff_Index'));
const releaseFile = (suite) =>
  readdirSync(listsDir).find((f) => f.endsWith(`_dists_${suite}_InRelease`)) ?? readdirSync(listsDir).find((f) => f.endsWith(`_dists_${suite}_Release`));

if (forceUpdate || !existsSync(listsDir) || !indexFile(SUITE)) {
  console.error('running apt-get update …');
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'inherit', 'inherit'] });
}
if (!indexFile(SUITE)) {
  console.error(`no ${SUITE} main amd64 Packages index under ${listsDir}: is this a Debian 12 machine with ${SUITE} in its sources?`);
  process.exit(1);
}

const catFile = (file) =>
  execFileSync('/usr/lib/apt/apt-helper', ['cat-file', join(listsDir, file)], { maxBuffer: 1 << 30 }).toString('utf8');

function releaseInfo(suite) {
  const file = releaseFile(suite);
  if (!file) return {};
  const text = readFileSync(join(listsDir, file), 'utf8');
  const field = (name) => text.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1]?.trim();
  return { origin: field('Origin'), archive: field('Suite'), codename: field('Codename'), version: field('Version'), date: field('Date') };
}

// ---- 2. Debian version order (to keep the newest of several versions) ------------------------

function compareVersions(a, b) {
  const split = (v) => {
    const colon = v.indexOf(':');
    const epoch = colon >= 0 ? Number(v.slice(0, colon)) : 0;
    const rest = colon >= 0 ? v.slice(colon + 1) : v;
    const dash = rest.lastIndexOf('-');
    return [epoch, dash >= 0 ? rest.slice(0, dash) : rest, dash >= 0 ? rest.slice(dash + 1) : ''];
  };
  const order = (c) => (c === '~' ? -1 : c === undefined ? 0 : /[A-Za-z]/.test(c) ? c.charCodeAt(0) : c.charCodeAt(0) + 256);
  const comparePart = (x, y) => {
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      while ((i < x.length && !/\d/.test(x[i])) || (j < y.length && !/\d/.test(y[j]))) {
        const cx = i < x.length && !/\d/.test(x[i]) ? x[i] : undefined;
        const cy = j < y.length && !/\d/.test(y[j]) ? y[j] : undefined;
        const d = order(cx) - order(cy);
        if (d !== 0) return d;
        if (cx !== undefined) i++;
        if (cy !== undefined) j++;
        if (cx === undefined && cy === undefined) break;
      }
      let nx = '';
      let ny = '';
      while (i < x.length && /\d/.test(x[i])) nx += x[i++];
      while (j < y.length && /\d/.test(y[j])) ny += y[j++];
      const d = Number(nx || 0) - Number(ny || 0);
      if (d !== 0) return d;
    }
    return 0;
  };
  const [ea, ua, ra] = split(a);
  const [eb, ub, rb] = split(b);
  return ea - eb || comparePart(ua, ub) || comparePart(ra, rb);
}

// ---- 3. read the stanzas ------------------------------------------------------------------------

const PRIORITY_RANK = { required: 0, important: 1, standard: 2, optional: 3, extra: 4 };

function parseRelations(value) {
  if (!value) return [];
  return value
    .split(',')
    .map((group) =>
      group
        .split('|')
        .map((alt) => alt.replace(/\(.*?\)/g, '').replace(/\[.*?\]/g, '').replace(/<.*?>/g, '').trim())
        .map((alt) => alt.replace(/:(any|native|amd64)$/, ''))
        .filter(Boolean),
    )
    .filter((g) => g.length > 0);
}

const packages = new Map();
const indexes = [];
for (const suite of SUITES) {
  const file = indexFile(suite);
  if (!file) {
    console.error(`note: no index for ${suite} main; skipped`);
    continue;
  }
  let count = 0;
  for (const stanza of catFile(file).split(/\n\n+/)) {
    const fields = {};
    for (const line of stanza.split('\n')) {
      if (line === '' || line[0] === ' ' || line[0] === '\t') continue;
      const colon = line.indexOf(':');
      if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
    }
    const name = fields.Package;
    if (!name) continue;
    count++;
    const previous = packages.get(name);
    if (previous && compareVersions(previous.version, fields.Version) >= 0) continue;
    const depends = parseRelations(fields.Depends);
    const preDepends = parseRelations(fields['Pre-Depends']);
    packages.set(name, {
      version: fields.Version,
      suite,
      kib: fields['Installed-Size'] === undefined ? null : Number(fields['Installed-Size']),
      essential: fields.Essential === 'yes',
      priority: fields.Priority ?? 'optional',
      depends,
      preDepends,
      recommends: parseRelations(fields.Recommends),
      provides: [...new Set(parseRelations(fields.Provides).map((g) => g[0]))].filter((v) => v !== name),
      // ships Python modules, so py3compile writes .pyc files at install time: the interpreter's
      // own packages, python3-*, and what depends on the interpreter (not -dev/-doc/-dbg packages)
      python:
        !/-(dev|doc|dbg|examples)$/.test(name) &&
        (/^(python3(\.\d+)?(-minimal)?|libpython3(\.\d+)?-(stdlib|minimal))$/.test(name) ||
          name.startsWith('python3-') ||
          [...depends, ...preDepends].some((g) => g.some((a) => /^python3(\.\d+)?(:any)?$/.test(a)))),
      // uses debconf, so installing it rewrites debconf's cache (templates.dat, config.dat)
      debconf: [...depends, ...preDepends].some((g) => g.some((a) => a === 'debconf' || a === 'debconf-2.0')),
    });
  }
  indexes.push({ suite, component: 'main', architecture: 'amd64', file, packages: count, ...releaseInfo(suite) });
}

// ---- 4. providers, in the order apt prefers them ----------------------------------------------

const providers = new Map();
for (const [name, p] of packages) {
  for (const v of p.provides) {
    if (!providers.has(v)) providers.set(v, []);
    providers.get(v).push(name);
  }
}
const providerRank = (n) => {
  const p = packages.get(n);
  return (p.essential ? 0 : 10) + (PRIORITY_RANK[p.priority] ?? 9);
};
for (const list of providers.values()) list.sort((a, b) => providerRank(a) - providerRank(b) || (a < b ? -1 : a > b ? 1 : 0));

const isReal = (n) => packages.has(n);
const exists = (n) => isReal(n) || providers.has(n);
const soleProvider = (n) => (!isReal(n) && providers.get(n)?.length === 1 ? providers.get(n)[0] : n);

function simplify(groups, self, soft) {
  const seen = new Set();
  const out = [];
  for (const g of groups) {
    let alts = [...new Set(g.filter(exists).map(soleProvider))];
    if (alts.length === 0) {
      if (soft) continue;
      alts = [g[0]];
    }
    if (alts.length === 1 && alts[0] === self) continue;
    const key = alts.join('|');
    if (!seen.has(key)) {
      seen.add(key);
      out.push(alts);
    }
  }
  return out;
}
for (const [name, p] of packages) {
  p.preDepends = simplify(p.preDepends, name, false);
  p.depends = simplify(p.depends, name, false).filter((g) => !(g.length === 1 && p.preDepends.some((h) => h.length === 1 && h[0] === g[0])));
  p.recommends = simplify(p.recommends, name, true);
}

// ---- 5. the minimal base: what debootstrap --variant=minbase installs (Essential and
// Priority: required packages, apt, and their dependencies), which every Debian image has
const minbase = new Set();
{
  // like apt: the roots are marked first, so a root satisfies an alternative before its first choice
  const todo = [...packages].filter(([, p]) => p.essential || p.priority === 'required').map(([n]) => n);
  // debootstrap installs usr-is-merged itself on merged-/usr systems (bookworm's default)
  todo.push('apt', 'usr-is-merged');
  for (const name of todo) minbase.add(name);
  while (todo.length > 0) {
    const p = packages.get(todo.pop());
    for (const g of [...p.preDepends, ...p.depends]) {
      if (g.some((a) => minbase.has(a) || (providers.get(a) ?? []).some((q) => minbase.has(q)))) continue;
      const first = g.find((a) => isReal(a)) ?? providers.get(g[0])?.[0];
      if (first && !minbase.has(first)) {
        minbase.add(first);
        todo.push(first);
      }
    }
  }
}

// ---- 6. transitive reduction of single-name hard dependencies ---------------------------------

const hard = new Map();
for (const [name, p] of packages) {
  hard.set(name, [...new Set([...p.preDepends, ...p.depends].filter((g) => g.length === 1 && isReal(g[0])).map((g) => g[0]))]);
}
// strongly connected components (Tarjan, iterative)
const scc = new Map();
{
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  let next = 0;
  let component = 0;
  for (const start of [...packages.keys()].sort()) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const v = top[0];
      const edges = hard.get(v);
      if (top[1] < edges.length) {
        const w = edges[top[1]++];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
      } else {
        work.pop();
        if (work.length > 0) {
          const u = work[work.length - 1][0];
          low.set(u, Math.min(low.get(u), low.get(v)));
        }
        if (low.get(v) === index.get(v)) {
          let w;
          do {
            w = stack.pop();
            onStack.delete(w);
            scc.set(w, component);
          } while (w !== v);
          component++;
        }
      }
    }
  }
}
const reachMemo = new Map();
function reach(from) {
  let seen = reachMemo.get(from);
  if (seen) return seen;
  seen = new Set();
  const todo = [from];
  while (todo.length > 0) {
    for (const w of hard.get(todo.pop())) {
      if (!seen.has(w)) {
        seen.add(w);
        todo.push(w);
      }
    }
  }
  reachMemo.set(from, seen);
  return seen;
}
let droppedHard = 0;
let droppedRecommends = 0;
for (const [name, p] of packages) {
  const direct = hard.get(name);
  const via = direct.filter((y) => scc.get(y) !== scc.get(name));
  const covered = (x) => via.some((y) => y !== x && scc.get(y) !== scc.get(x) && reach(y).has(x));
  const keep = (g) => !(g.length === 1 && isReal(g[0]) && covered(g[0]));
  const before = p.depends.length + p.preDepends.length;
  p.depends = p.depends.filter(keep);
  p.preDepends = p.preDepends.filter(keep);
  droppedHard += before - p.depends.length - p.preDepends.length;
  const installedAnyway = reach(name);
  const recBefore = p.recommends.length;
  p.recommends = p.recommends.filter((g) => !g.some((a) => installedAnyway.has(a)));
  droppedRecommends += recBefore - p.recommends.length;
}

// ---- 7. write ---------------------------------------------------------------------------------

// Every name a line refers to gets a line: real packages, virtual names with several providers,
// and the few names nothing provides (kept so the resolver can say they are missing). Virtual
// names someone may type on an `apt-get install` line get a line too (apt picks a sole provider
// itself); the machine-made ones are left out: Rust crate features (librust-*), Haskell and OCaml
// ABI hashes, Go and Node module aliases.
const MACHINE_MADE = /^(librust-|libghc-|golang-|node-)|\+|-ocaml-|^lib.*-(?=[a-z]*\d)[a-z0-9]{5}$/;
const names = new Set(packages.keys());
for (const p of packages.values()) for (const g of [...p.depends, ...p.preDepends, ...p.recommends]) for (const a of g) names.add(a);
for (const v of providers.keys()) if (!MACHINE_MADE.test(v)) names.add(v);
const sorted = [...names].sort();
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ref = new Map(
  sorted.map((n, i) => {
    let s = '';
    let x = i;
    do {
      s = DIGITS[x % 62] + s;
      x = Math.floor(x / 62);
    } while (x > 0);
    return [n, s];
  }),
);
const refs = (groups) => groups.map((g) => g.map((a) => ref.get(a)).join('|')).join(',');

const outFile = join(outDir, `apt-${SUITE}.txt.br`);
const sourceFile = join(outDir, `apt-${SUITE}.source.json`);
const main = indexes.find((i) => i.suite === SUITE);
const lines = [
  '#dockerlens-apt-table 1 names=front refs=index',
  `#release debian ${SUITE}`,
  `#date ${new Date(main.date).toISOString().slice(0, 10)}`,
];
let previous = '';
let virtualCount = 0;
for (const name of sorted) {
  let shared = 0;
  while (shared < 35 && shared < previous.length && shared < name.length && previous[shared] === name[shared]) shared++;
  previous = name;
  const head = shared.toString(36) + name.slice(shared);
  const p = packages.get(name);
  const by = (providers.get(name) ?? []).filter((n) => n !== name);
  if (!p) {
    virtualCount++;
    lines.push(by.length > 0 ? `${head}\t\t\t\t\t\t${by.map((n) => ref.get(n)).join(',')}` : head);
    continue;
  }
  const flags =
    (p.essential ? 'e' : '') +
    (p.priority === 'required' ? 'r' : p.priority === 'important' ? 'i' : '') +
    (minbase.has(name) ? 'b' : '') +
    (p.python ? 'p' : '') +
    (p.debconf ? 'd' : '');
  const fields = [head, p.kib === null ? '?' : String(p.kib), flags, refs(p.depends), refs(p.preDepends), refs(p.recommends), by.map((n) => ref.get(n)).join(',')];
  while (fields.length > 2 && fields[fields.length - 1] === '') fields.pop();
  lines.push(fields.join('\t'));
}
const text = lines.join('\n') + '\n';
const compressed = zlib.brotliCompressSync(Buffer.from(text, 'utf8'), {
  params: {
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: text.length,
  },
});
// The generation date stays when the table did not change (SOURCE_DATE_EPOCH, when set, fixes it).
const unchanged = existsSync(outFile) && existsSync(sourceFile) && readFileSync(outFile).equals(compressed);
const generated = process.env.SOURCE_DATE_EPOCH
  ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).toISOString().slice(0, 10)
  : unchanged
    ? JSON.parse(readFileSync(sourceFile, 'utf8')).generated
    : new Date().toISOString().slice(0, 10);
writeFileSync(outFile, compressed);

const source = {
  table: `apt-${SUITE}.txt.br`,
  generatedBy: SCRIPT,
  generated,
  distribution: 'debian',
  release: SUITE,
  mirror: [...new Set(indexes.map((i) => i.file.split('_dists_')[0].replace(/_/g, '/')))].join(', '),
  components: ['main'],
  architecture: 'amd64',
  indexes: indexes.map(({ suite, archive, component, architecture, packages: count, codename, version, date: d }) => ({
    suite,
    archive,
    codename,
    version,
    component,
    architecture,
    date: d,
    packages: count,
  })),
  packageCount: packages.size,
  virtualNames: virtualCount,
  minimalBase: { packages: minbase.size, note: 'flag b: Essential and Priority: required packages, apt, usr-is-merged and their dependencies (what debootstrap --variant=minbase installs; on 2026-11-26 the same 88 packages as debian:bookworm)' },
  bytes: { text: Buffer.byteLength(text), brotli: compressed.length },
  compression: 'brotli (node:zlib brotliDecompressSync)',
  reduction: { droppedHardDependencies: droppedHard, droppedRecommends },
  omitted:
    'contrib, non-free and non-free-firmware are not included; neither are other architectures. Versions, version constraints, Conflicts/Breaks and Suggests are dropped.',
  otherReleases:
    'Only Debian bookworm is bundled: other releases (Debian trixie, Ubuntu jammy/noble) are approximated by this bookworm table, although names, sizes and dependencies differ between releases. When this file was first generated (2026-11-26) the trixie index was fetchable from deb.debian.org and archive.ubuntu.com answered for jammy/noble, so tables for them could be built the same way; this script reads only what apt-get update keeps for the machine\'s own release.',
  format: 'described in server/src/service/sizes/aptTable.ts',
};
writeFileSync(sourceFile, JSON.stringify(source, null, 2) + '\n');
console.error(
  `${packages.size} packages, ${virtualCount} virtual names; ${Buffer.byteLength(text)} bytes of text, ${compressed.length} brotli; dropped ${droppedHard} redundant hard dependencies and ${droppedRecommends} recommends`,
);
