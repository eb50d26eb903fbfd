// Bundles the client, the server and the CLI into dist/ (never committed). With --tests, also
// transpiles tests and benchmarks file by file into out/ for node's test runner.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
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
    return /\.(json|gz|txt)$/.test(e.name) ? [p] : [];
  });
}

async function main() {
  const builds = [
    esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
    esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
    esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  ];
  if (withTests) {
    const entryPoints = [...listTs('test'), ...listTs('bench'), ...listTs('server/src'), ...listTs('protocol')];
    builds.push(esbuild.build({ ...common, bundle: false, sourcemap: 'inline', entryPoints, outdir: 'out', outbase: '.' }));
    // Unbundled tests require data files (JSON tables) next to the transpiled sources.
    for (const file of listData('server/src')) {
      fs.mkdirSync(path.join('out', path.dirname(file)), { recursive: true });
      fs.copyFileSync(file, path.join('out', file));
    }
  }
  await Promise.all(builds);
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
