import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeDockerfile, type DockerfileModel } from '../../server/src/service';
import { readBuildContext, sizeModel } from '../../server/src/sizing';
import { PACKAGE_GUESS } from '../../server/src/service/sizes/lockedInstall';

/**
 * Locked installs end to end on the host side: a real build context on disk, the lockfile read
 * through the context reader, sizes from the workspace's own node_modules / virtualenv.
 */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockerlens-lock-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const LOCK = JSON.stringify({
  lockfileVersion: 3,
  packages: {
    '': { name: 'app' },
    'node_modules/express': { version: '4.21.0', resolved: 'https://registry.npmjs.org/express/-/express-4.21.0.tgz' },
    'node_modules/express/node_modules/debug': { version: '2.6.9', resolved: 'https://registry.npmjs.org/debug/-/debug-2.6.9.tgz' },
    'node_modules/ms': { version: '2.1.3', resolved: 'https://registry.npmjs.org/ms/-/ms-2.1.3.tgz' },
    'node_modules/typescript': { version: '5.9.3', dev: true, resolved: 'https://registry.npmjs.org/typescript/-/typescript-5.9.3.tgz' },
    'node_modules/@esbuild/linux-arm64': { version: '0.25.0', optional: true, os: ['linux'], cpu: ['arm64'], resolved: 'https://registry.npmjs.org/@esbuild/linux-arm64/-/linux-arm64-0.25.0.tgz' },
  },
});

async function runLayer(dir: string, dockerfile: string, options: { platform?: string } = {}) {
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  const context = await readBuildContext(dir, path.join(dir, 'Dockerfile'));
  const model: DockerfileModel = await sizeModel(analyzeDockerfile(dockerfile), context, options);
  const stage = model.stages[model.target]!;
  const layer = stage.layers.find((l) => l.kind === 'filesystem' && stage.instructions[l.instruction]!.keyword === 'RUN')!;
  return layer;
}

const packages = (layer: Awaited<ReturnType<typeof runLayer>>) => (layer.breakdown?.entries ?? []).filter((e) => e.kind === 'package').map((e) => e.name).sort();

test('npm ci with a package-lock: the packages it names, dev ones left out by --omit=dev, --production or NODE_ENV', async () => {
  const dir = workspace({ 'package.json': '{"name":"app"}', 'package-lock.json': LOCK, '.dockerignore': 'node_modules\n' });
  try {
    const head = 'FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\n';
    const all = await runLayer(dir, `${head}RUN npm ci\n`);
    assert.deepEqual(packages(all), ['debug@2.6.9', 'express@4.21.0', 'ms@2.1.3', 'typescript@5.9.3']);
    assert.match(all.size!.detail, /npm installs 4 packages listed in \/app\/package-lock\.json/);
    for (const line of ['RUN npm ci --omit=dev', 'RUN npm install --production', 'ENV NODE_ENV=production\nRUN npm ci', 'RUN NODE_ENV=production npm ci']) {
      const prod = await runLayer(dir, `${head}${line}\n`);
      assert.deepEqual(packages(prod), ['debug@2.6.9', 'express@4.21.0', 'ms@2.1.3'], line);
    }
    assert.deepEqual(packages(await runLayer(dir, `${head}ENV NODE_ENV=production\nRUN npm ci --include=dev\n`)), packages(all));
    // the arm64-only binary installs only where the build's platform is arm64
    assert.ok(packages(await runLayer(dir, `${head}RUN npm ci --omit=dev\n`, { platform: 'linux/arm64' })).includes('@esbuild/linux-arm64@0.25.0'));
    // nothing installed in the workspace: each package is the per-package range
    const prod = await runLayer(dir, `${head}RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\n`);
    // …plus npm's hidden lockfile, node_modules/.package-lock.json: the entries it installed
    const hidden = Math.round((LOCK.length * 3) / 5);
    assert.equal(prod.size!.bytes, 3 * PACKAGE_GUESS.npm.best + hidden);
    assert.equal(prod.size!.high, 3 * PACKAGE_GUESS.npm.high + Math.round(hidden * 1.2));
    assert.match(prod.size!.detail, /3 guessed/);
    // without the mount the npm cache is counted apart, in the layer
    const cached = await runLayer(dir, `${head}RUN npm ci --omit=dev\n`);
    assert.ok(cached.breakdown!.entries.some((e) => e.kind === 'cache' && e.name === '/root/.npm'));
    assert.ok(cached.size!.bytes! > prod.size!.bytes!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the workspace's own node_modules sizes each package exactly when its version matches", async () => {
  const dir = workspace({
    'package-lock.json': LOCK,
    '.dockerignore': 'node_modules\n',
    'node_modules/express/package.json': '{"version":"4.21.0"}',
    'node_modules/express/index.js': 'x'.repeat(10_000),
    'node_modules/express/lib/router.js': 'y'.repeat(5_000),
    'node_modules/express/node_modules/debug/package.json': '{"version":"2.6.9"}',
    'node_modules/express/node_modules/debug/index.js': 'z'.repeat(3_000),
    // another version than the lockfile's: not measured, guessed
    'node_modules/ms/package.json': '{"version":"2.0.0"}',
    'node_modules/ms/index.js': 'm'.repeat(700),
  });
  try {
    const layer = await runLayer(dir, 'FROM node:22-slim\nWORKDIR /app\nCOPY package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\n');
    const byName = new Map(layer.breakdown!.entries.map((e) => [e.name, e]));
    // express's own files only: its nested node_modules is debug's, counted on its own
    assert.equal(byName.get('express@4.21.0')!.bytes, 15_000 + '{"version":"4.21.0"}'.length);
    assert.equal(byName.get('express@4.21.0')!.source, 'exact');
    assert.equal(byName.get('debug@2.6.9')!.bytes, 3_000 + '{"version":"2.6.9"}'.length);
    assert.equal(byName.get('ms@2.1.3')!.source, 'estimate');
    assert.match(layer.size!.detail, /2 measured in the workspace, 1 guessed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed lockfile gives a one-line note and the wide fallback, never a throw', async () => {
  const dir = workspace({ 'package-lock.json': '{"lockfileVersion": 3, "packages": {"node_modules/a": {"vers' });
  try {
    const layer = await runLayer(dir, 'FROM node:22-slim\nWORKDIR /app\nCOPY package-lock.json ./\nRUN npm ci\n');
    assert.equal(layer.noteMessages?.[0]?.id, 'lockUnreadable');
    assert.equal(layer.notes!.filter((n) => n.includes('package-lock.json')).length, 1);
    assert.match(layer.size!.detail, /the dependencies of package\.json/);
    assert.ok(layer.size!.high! > 500e6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pip install -r: pinned packages sized from a local virtualenv (RECORD), the rest per package', async () => {
  const dir = workspace({
    'requirements.txt': 'flask==3.0.3\nrequests>=2\n',
    '.dockerignore': '.venv\n',
    '.venv/lib/python3.12/site-packages/flask-3.0.3.dist-info/RECORD': 'flask/__init__.py,sha256=a,2000\nflask/__pycache__/__init__.cpython-312.pyc,,1500\nflask-3.0.3.dist-info/RECORD,,\n',
  });
  try {
    const layer = await runLayer(dir, 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n');
    const byName = new Map(layer.breakdown!.entries.map((e) => [e.name, e]));
    assert.equal(byName.get('flask@3.0.3')!.bytes, 3500);
    assert.equal(byName.get('flask@3.0.3')!.source, 'exact');
    assert.equal(byName.get('requests')!.source, 'estimate');
    assert.match(layer.size!.detail, /pip installs 2 packages/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('poetry install --only main and uv sync --no-dev size the packages their lockfile lists', async () => {
  const dir = workspace({
    'poetry.lock': '[[package]]\nname = "flask"\nversion = "3.0.3"\ncategory = "main"\n\n[[package]]\nname = "pytest"\nversion = "8.0.0"\ncategory = "dev"\n',
    'uv.lock': 'version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n\n[[package]]\nname = "idna"\nversion = "3.7"\n',
  });
  try {
    const poetry = await runLayer(dir, 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY poetry.lock .\nRUN poetry install --only main\n');
    assert.deepEqual(packages(poetry), ['flask@3.0.3']);
    assert.match(poetry.size!.detail, /poetry installs 1 package listed in \/srv\/poetry\.lock/);
    const uv = await runLayer(dir, 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY uv.lock .\nRUN uv sync --no-dev\n');
    assert.deepEqual(packages(uv), ['idna@3.7']);
    // without its lockfile in the image, poetry's install is not claimed by the package estimator
    const bare = await runLayer(dir, 'FROM python:3.12-slim\nWORKDIR /srv\nRUN poetry install\n');
    assert.deepEqual(packages(bare), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
