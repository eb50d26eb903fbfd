// Bundles the client, the server and the CLI into dist/ (never committed). With --tests, also
// transpiles tests and benchmarks file by file into out/ for node's test runner. With --package
// (npm run package): a production bundle (minified, source maps in separate files that
// .vscodeignore leaves out) in a staging folder of its own, out/vsix/, so that a development
// build running at the same time cannot leak into the package; then the .vsix through
// @vscode/vsce, failing above MAX_VSIX_BYTES.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const packaging = process.argv.includes('--package');
const production = packaging || process.argv.includes('--production');
const withTests = process.argv.includes('--tests');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? 'external' : 'inline',
  logLevel: 'warning',
};

function listTs(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : listTs(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function listData(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listData(p);
    return /\.(json|gz|txt|br)$/.test(e.name) ? [p] : [];
  });
}

async function main(dist = 'dist') {
  const builds = [
    esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: path.join(dist, 'client.js'), external: ['vscode'] }),
    esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: path.join(dist, 'server.js') }),
    // the thread that analyses big documents, started by the server from beside its own file
    esbuild.build({ ...common, entryPoints: ['server/src/analysisWorker.ts'], outfile: path.join(dist, 'analysisWorker.js') }),
    esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: path.join(dist, 'cli.js'), banner: { js: '#!/usr/bin/env node' } }),
    // The message checks for the webview, the same code the extension runs: a plain script that
    // defines one global, loaded by the panel before media/layers.js (and by the webview tests).
    esbuild.build({
      ...common,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      globalName: WEBVIEW_CHECKS_GLOBAL,
      // No file-level "use strict" (tsconfig's strict adds one): a classic script's top-level var is
      // a global either way in a browser, but not when the webview tests eval a strict script.
      tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
      sourcemap: production ? false : 'inline',
      entryPoints: ['protocol/webviewMessages.ts'],
      outfile: path.join(dist, WEBVIEW_CHECKS),
    }),
  ];
  if (withTests) {
    const entryPoints = [...listTs('test'), ...listTs('bench'), ...listTs('server/src'), ...listTs('protocol')];
    builds.push(esbuild.build({ ...common, bundle: false, sourcemap: 'inline', entryPoints, outdir: 'out', outbase: '.' }));
    // The server as the package ships it, for the tests that measure its memory.
    builds.push(esbuild.build({ ...common, minify: true, sourcemap: false, entryPoints: ['server/src/server.ts'], outfile: path.join(PRODUCTION_SERVER, 'server.js') }));
    builds.push(esbuild.build({ ...common, minify: true, sourcemap: false, entryPoints: ['server/src/analysisWorker.ts'], outfile: path.join(PRODUCTION_SERVER, 'analysisWorker.js') }));
    fs.mkdirSync(path.join(PRODUCTION_SERVER, 'data'), { recursive: true });
    for (const file of RUNTIME_DATA) fs.copyFileSync(file, path.join(PRODUCTION_SERVER, 'data', path.basename(file)));
    // Unbundled tests require data files (JSON tables) next to the transpiled sources.
    for (const file of listData('server/src')) {
      fs.mkdirSync(path.join('out', path.dirname(file)), { recursive: true });
      fs.copyFileSync(file, path.join('out', file));
    }
  }
  await Promise.all(builds);
  // Data the bundles read from disk at run time (the rest is imported into the bundles).
  fs.mkdirSync(path.join(dist, 'data'), { recursive: true });
  for (const file of RUNTIME_DATA) fs.copyFileSync(file, path.join(dist, 'data', path.basename(file)));
}

/** The webview's bundled message checks, under dist/ (the panel allows dist/media as a local root). */
const WEBVIEW_CHECKS = path.join('media', 'webviewMessages.js');
const WEBVIEW_CHECKS_GLOBAL = 'DockerlensMessages';

const RUNTIME_DATA = ['server/src/service/data/apt-bookworm.txt.br'];

const PRODUCTION_SERVER = path.join('out', 'production');

const MAX_VSIX_BYTES = 1.5 * 1024 * 1024;

const STAGING = path.join('out', 'vsix');

/** What the package may hold besides dist/; .vscodeignore (copied too) decides what it does. */
function stagedSources() {
  const fixed = ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'syntaxes', 'media', 'l10n'];
  const nls = fs.readdirSync('.').filter((name) => /^package\.nls.*\.json$/.test(name));
  return [...fixed, ...nls].filter((name) => fs.existsSync(name));
}

async function packageVsix() {
  fs.rmSync(STAGING, { recursive: true, force: true });
  fs.mkdirSync(STAGING, { recursive: true });
  for (const name of stagedSources()) fs.cpSync(name, path.join(STAGING, name), { recursive: true });
  await main(path.join(STAGING, 'dist'));
  const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  const packagePath = path.resolve(`${manifest.name}-${manifest.version}.vsix`);
  const { createVSIX } = require('@vscode/vsce');
  // Everything the extension runs is bundled into dist/: no node_modules in the package. There is
  // no public repository to name yet, so vsce is told not to ask for one.
  await createVSIX({ cwd: STAGING, packagePath, dependencies: false, allowMissingRepository: true });
  const size = fs.statSync(packagePath).size;
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  console.log(`${path.basename(packagePath)}: ${size} bytes (${mb(size)}; limit ${mb(MAX_VSIX_BYTES)})`);
  if (size > MAX_VSIX_BYTES) throw new Error(`${path.basename(packagePath)} is ${mb(size)}, above the ${mb(MAX_VSIX_BYTES)} limit`);
}

async function run() {
  if (packaging) await packageVsix();
  else await main();
}

run().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
