#!/usr/bin/env node
// Regenerates server/src/service/data/apk-packages.json, the apk estimator's table, from the
// facts transcribed from docker-library/repo-info into ../shared/data/apk-packages.json.
// Usage: node scripts/build-apk-table.mjs [shared-data-folder]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sharedData = resolve(root, process.argv[2] ?? '../shared/data');
const input = JSON.parse(readFileSync(join(sharedData, 'apk-packages.json'), 'utf8'));

const packages = {};
for (const name of Object.keys(input.packages).sort()) {
  const p = input.packages[name];
  packages[name] = [p.installedBytes, p.alpine];
}
// Packages every recorded Alpine image has: the bare alpine base.
const imageLists = Object.values(input.images).map((i) => new Set(i.packages));
const inEvery = Object.keys(packages).filter((n) => imageLists.every((s) => s.has(n)));

const out = {
  source: {
    repository: input.source.repository,
    transcribed: 'shared/data/apk-packages.json (repos/<image>/local/<tag>.md files, mid-2026)',
    generatedBy: 'scripts/build-apk-table.mjs',
    note: 'installed sizes as apk prints them (rounded to B, KiB or MiB); no dependency information',
  },
  packages,
  inEveryImage: inEvery,
};
const file = join(root, 'server/src/service/data/apk-packages.json');
writeFileSync(file, `${JSON.stringify(out)}\n`);
console.log(`${file}: ${Object.keys(packages).length} packages, ${JSON.stringify(out).length} bytes`);
