#!/usr/bin/env node
// Compares the apt estimator's resolver (server/src/service/sizes/apt.ts over the bundled table)
// with `apt-get install -s` on a Debian 12 machine, for a list of install commands and two
// "already installed" sets: this machine's dpkg database, and the debian:bookworm image's package
// list (simulated with a dpkg status file built from the apt indexes, via Dir::State::status).
// Not part of `npm test`: it needs apt, the bookworm lists (apt-get update) and the data below.
//
// Usage: node scripts/check-apt-resolver.mjs [--base-packages file] [--image debian:bookworm] [--json]
//   --base-packages  the transcribed image package lists (default ../shared/data/base-packages.json)
//   --image          which image of that file to simulate (default debian:bookworm)
// Bytes on both sides are Installed-Size × 1024: ours from the bundled table, apt's from
// `apt-cache show` of the exact versions apt would install; "upgrades" are packages apt would
// upgrade in place (the estimator does not count those).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const basePackagesFile = resolve(root, option('--base-packages', '../shared/data/base-packages.json'));
const imageKey = option('--image', 'debian:bookworm');
const asJson = args.includes('--json');

export const COMMANDS = [
  'apt-get install -y curl',
  'apt-get install -y --no-install-recommends curl',
  'apt-get install -y curl ca-certificates git',
  'apt-get install -y build-essential',
  'apt-get install -y python3 python3-pip',
  'apt-get install -y openjdk-17-jre-headless',
  'apt-get install -y nginx',
  'apt-get install -y postgresql-client',
  'apt-get install -y imagemagick',
  'apt-get install -y --no-install-recommends imagemagick',
  // alternatives and virtual packages: mail-transport-agent, awk, java, mysql
  'apt-get install -y mailutils',
  'apt-get install -y php-cli',
  'apt-get install -y default-mysql-client',
  'apt-get install -y --no-install-recommends default-jdk-headless maven',
  'apt-get install -y vim gnupg sudo locales',
  'apt-get install -y --no-install-recommends texlive-latex-base',
];

// ---- our side: bundle the estimator into a temporary CommonJS file ----------------------------
const work = mkdtempSync(join(tmpdir(), 'apt-check-'));
const esbuild = createRequire(import.meta.url)(join(root, 'node_modules/esbuild'));
const entry = join(work, 'entry.ts');
writeFileSync(
  entry,
  [
    `export { parseAptTable } from ${JSON.stringify(join(root, 'server/src/service/sizes/aptTable'))};`,
    `export { estimateAptRun } from ${JSON.stringify(join(root, 'server/src/service/sizes/apt'))};`,
    `export { splitCommands } from ${JSON.stringify(join(root, 'server/src/service/sizes/shell'))};`,
  ].join('\n'),
);
await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: join(work, 'estimator.cjs'), logLevel: 'warning' });
const { parseAptTable, estimateAptRun, splitCommands } = createRequire(import.meta.url)(join(work, 'estimator.cjs'));
const table = parseAptTable(zlib.brotliDecompressSync(readFileSync(join(root, 'server/src/service/data/apt-bookworm.txt.br'))).toString('utf8'));

const ours = (command, installed) => {
  const result = estimateAptRun(splitCommands(command), { table, installed, listsPresent: true });
  return new Map(result.packages.map((p) => [p.name, p.bytes ?? 0]));
};

// ---- apt's side ---------------------------------------------------------------------------------
const sh = (cmd, argv, extra = {}) => execFileSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28, ...extra });

function installedSizes(pairs) {
  const sizes = new Map();
  for (let i = 0; i < pairs.length; i += 200) {
    const out = sh('apt-cache', ['show', '--no-all-versions', ...pairs.slice(i, i + 200).map(([n, v]) => `${n}=${v}`)]);
    for (const stanza of out.split(/\n\n+/)) {
      const name = stanza.match(/^Package: (.*)$/m)?.[1];
      const kib = stanza.match(/^Installed-Size: (\d+)$/m)?.[1];
      if (name && !sizes.has(name)) sizes.set(name, Number(kib ?? 0) * 1024);
    }
  }
  return sizes;
}

function aptSimulate(command, statusFile) {
  const argv = command.split(/\s+/).slice(1); // drop "apt-get"
  const extra = statusFile ? ['-o', `Dir::State::status=${statusFile}`] : [];
  const out = sh('apt-get', ['-s', ...extra, ...argv], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LANG: 'C' } });
  const installs = [];
  const upgrades = [];
  for (const line of out.split('\n')) {
    const m = line.match(/^Inst (\S+) (\[(\S+)\] )?\((\S+) /);
    if (!m) continue;
    (m[2] ? upgrades : installs).push([m[1].replace(/:amd64$/, ''), m[4]]);
  }
  const sizes = installedSizes(installs);
  return { packages: new Map(installs.map(([n]) => [n, sizes.get(n) ?? 0])), upgrades: upgrades.map(([n]) => n) };
}

// debian:bookworm's dpkg status, from the index stanzas of its packages (the versions it lists
// where the index still has them, the candidate otherwise)
function buildStatus(names, versions) {
  const pinned = (list) => sh('apt-cache', ['show', '--no-all-versions', ...list], { stdio: ['ignore', 'pipe', 'ignore'] });
  const byName = new Map();
  const collect = (text) => {
    for (const stanza of text.split(/\n\n+/)) {
      const name = stanza.match(/^Package: (.*)$/m)?.[1];
      if (name && !byName.has(name)) byName.set(name, stanza);
    }
  };
  for (const name of names) {
    try {
      collect(pinned([`${name}=${versions[name]}`]));
    } catch {
      collect(pinned([name])); // that version is gone from the index: its candidate stands in
    }
  }
  const keep = /^(Package|Version|Architecture|Essential|Priority|Multi-Arch|Provides|Depends|Pre-Depends|Recommends|Conflicts|Breaks|Replaces|Installed-Size|Source): /;
  const stanzas = [...byName.values()].map((stanza) => {
    const fields = stanza.split(/\n(?=\S)/).filter((f) => keep.test(f));
    return fields.join('\n').replace(/^(Package: .*)$/m, '$1\nStatus: install ok installed');
  });
  const file = join(work, 'status');
  writeFileSync(file, stanzas.join('\n\n') + '\n');
  return file;
}

const machine = new Set(sh('dpkg-query', ['-W', '-f=${Package}\n']).split('\n').filter(Boolean));
const image = JSON.parse(readFileSync(basePackagesFile, 'utf8')).images[imageKey];
if (!image) throw new Error(`${imageKey} is not in ${basePackagesFile}`);
const imageSet = new Set(Object.keys(image.packages));
const statusFile = buildStatus([...imageSet].sort(), image.packages);

const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
const rows = [];
for (const command of COMMANDS) {
  for (const [label, installed, status] of [
    ['this machine', machine, undefined],
    [imageKey, imageSet, statusFile],
  ]) {
    const mine = ours(command, installed);
    const apt = aptSimulate(command, status);
    const onlyOurs = [...mine.keys()].filter((n) => !apt.packages.has(n));
    const onlyApt = [...apt.packages.keys()].filter((n) => !mine.has(n));
    rows.push({
      command: command.replace(/^apt-get install -y /, ''),
      base: label,
      ours: mine.size,
      apt: apt.packages.size,
      same: mine.size - onlyOurs.length,
      oursBytes: sum(mine),
      aptBytes: sum(apt.packages),
      upgrades: apt.upgrades.length,
      onlyOurs,
      onlyApt,
    });
  }
}
rmSync(work, { recursive: true, force: true });

if (asJson) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const mb = (b) => (b / 1e6).toFixed(2);
  console.log('| command | base | pkgs ours | pkgs apt | common | MB ours | MB apt | Δ bytes | apt upgrades | differences |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const delta = r.aptBytes === 0 ? (r.oursBytes === 0 ? '0%' : '∞') : `${(((r.oursBytes - r.aptBytes) / r.aptBytes) * 100).toFixed(2)}%`;
    const diff = [...r.onlyOurs.map((n) => `+${n}`), ...r.onlyApt.map((n) => `−${n}`)].join(' ') || '—';
    console.log(`| ${r.command} | ${r.base} | ${r.ours} | ${r.apt} | ${r.same} | ${mb(r.oursBytes)} | ${mb(r.aptBytes)} | ${delta} | ${r.upgrades} | ${diff} |`);
  }
}
