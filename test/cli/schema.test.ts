/**
 * The documented JSON: every `--json` output (explain, check, diff) carries its schemaVersion and
 * validates against its schema in schema/ (draft 2020-12), on the examples and on the diff
 * scenarios; outputs broken on purpose do not.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import { runCli } from '../../server/src/cli';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = readdirSync(path.join(ROOT, 'examples')).map((name) => path.join(ROOT, 'examples', name, 'Dockerfile'));

interface Scenario {
  name: string;
  before: Record<string, string>;
  after: Record<string, string | null>;
  buildArgs?: Record<string, string>;
  beforeBuildArgs?: Record<string, string>;
}
const SCENARIOS = (JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/diff/scenarios.json'), 'utf8')) as { scenarios: Scenario[] }).scenarios;

function schema(name: string): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  return ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema', `${name}.schema.json`), 'utf8')) as object);
}

function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
  const ok = validate(value);
  assert.ok(ok, `${what}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
}

function writeTree(dir: string, files: Record<string, string | null>): void {
  for (const [file, text] of Object.entries(files)) {
    if (text === null) continue;
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

async function json(args: string[]): Promise<Record<string, unknown>> {
  const result = await runCli([...args, '--json']);
  assert.ok(result.code === 0 || result.code === 1, `${args.join(' ')}: exit ${result.code}: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
  assert.equal(parsed['schemaVersion'], SCHEMA_VERSIONS[args[0]!], args.join(' '));
  return parsed;
}

/** explain and check became 2 when figures could be `partial` (a floor and the parts not known) */
const SCHEMA_VERSIONS: Record<string, number> = { explain: 2, check: 2, diff: 1, compare: 2 };

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-schema-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('JSON schemas', () => {
  const explain = schema('explain');
  const check = schema('check');
  const diff = schema('diff');

  it('explain --json on the examples and the scenarios validates', async () => {
    for (const file of EXAMPLES) {
      const out = await json(['explain', file]);
      assertValid(explain, out, file);
      const layers = out['layers'] as Array<{ kind: string; line: number; endLine: number }>;
      assert.ok(layers.some((l) => l.kind === 'base') && layers.some((l) => l.kind === 'filesystem') && layers.some((l) => l.kind === 'metadata'), file);
      assert.ok(layers.every((l) => l.line >= 1 && l.endLine >= l.line), file);
    }
    for (const [i, scenario] of SCENARIOS.entries()) {
      const dir = path.join(tmp, `explain${i}`);
      writeTree(dir, { ...scenario.before, ...scenario.after });
      assertValid(explain, await json(['explain', path.join(dir, 'Dockerfile')]), scenario.name);
    }
  });

  it('explain and check --json of an image with parts not known: partial figures with their unknown parts validate', async () => {
    const dir = path.join(tmp, 'partial');
    writeTree(dir, { Dockerfile: 'FROM registry.example.com/team/base:1\nARG URL\nRUN curl -fsSL "$URL" -o /x.tgz && tar -xzf /x.tgz -C /opt\nRUN useradd app\n' });
    const out = await json(['explain', path.join(dir, 'Dockerfile')]) as { layers: Array<{ line: number; size: { source: string; bytes: number | null; unknownParts?: Array<Record<string, unknown>> } }>; model: { image: { total: { source: string; high: number | null; unknownParts: Array<Record<string, unknown>> } } } };
    assertValid(explain, out, 'partial explain');
    const total = out.model.image.total;
    assert.equal(total.source, 'partial');
    assert.equal(total.high, null);
    assert.deepEqual(total.unknownParts, [
      { stage: 0, what: 'base image registry.example.com/team/base:1' },
      { stage: 0, layer: 1, line: 3, keyword: 'RUN', what: 'download $URL' },
    ], 'English words only: the messages are left out');
    const download = out.layers.find((l) => l.line === 3)!;
    assert.deepEqual([download.size.source, download.size.bytes, download.size.unknownParts?.length], ['unknown', null, 1]);
    const checked = await json(['check', path.join(dir, 'Dockerfile'), '--max-image-size', '10GB']) as { image: { source: string; unknownParts: unknown[] }; thresholds: Array<{ passed: boolean }> };
    assertValid(check, checked, 'partial check');
    assert.equal(checked.image.source, 'partial');
    assert.equal(checked.image.unknownParts.length, 2);
    assert.equal(checked.thresholds[0]!.passed, false, 'a part not known could take the image over any limit');
    const broken = structuredClone(out) as any;
    broken.model.image.total.unknownParts[0].line = 0;
    assert.equal(explain(broken), false, 'an unknown part on line 0');
  });

  it('explain --json layers match the model: numbers, kinds and 1-based lines', async () => {
    const out = await json(['explain', path.join(ROOT, 'examples/multi-stage/Dockerfile')]) as { layers: Array<{ stage: number; layer: number | null; kind: string; keyword: string; line: number; endLine: number }> };
    const build = out.layers.filter((l) => l.stage === 0).map((l) => [l.layer, l.kind, l.keyword, l.line, l.endLine]);
    assert.deepEqual(build, [
      [0, 'base', 'FROM', 4, 4],
      [1, 'filesystem', 'WORKDIR', 5, 5],
      [2, 'filesystem', 'RUN', 6, 8],
      [3, 'filesystem', 'COPY', 9, 9],
      [null, 'metadata', 'ARG', 10, 10],
      [4, 'filesystem', 'RUN', 11, 12],
    ]);
  });

  it('explain --json: packages a later layer purges are wasted items with their list, and validate', async () => {
    const dir = path.join(tmp, 'purge');
    writeTree(dir, { Dockerfile: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y --auto-remove make\n' });
    const out = await json(['explain', path.join(dir, 'Dockerfile')]) as any;
    assertValid(explain, out, 'purge');
    const item = out.model.image.wasted.items[0];
    assert.equal(item.path, 'apt packages');
    assert.deepEqual(item.packages.list.map((p: { name: string }) => p.name), ['make']);
    const broken = structuredClone(out);
    broken.model.image.wasted.items[0].packages.list[0].bytes = -1;
    assert.equal(explain(broken), false, 'negative package bytes');
    delete broken.model.image.wasted.items[0].packages.list[0].bytes;
    assert.equal(explain(broken), false, 'a package without bytes');
  });

  it('check --json on the examples (with thresholds) validates', async () => {
    for (const file of EXAMPLES) {
      assertValid(check, await json(['check', file]), file);
      assertValid(check, await json(['check', file, '--max-image-size', '1MB', '--lowest-efficiency', '0.9', '--highest-wasted-bytes', '1kB', '--fail-on', 'hint']), file);
    }
  });

  it('diff --json on every scenario and on the examples validates', async () => {
    for (const [i, scenario] of SCENARIOS.entries()) {
      const beforeDir = path.join(tmp, `diff${i}`, 'before');
      const afterDir = path.join(tmp, `diff${i}`, 'after');
      writeTree(beforeDir, scenario.before);
      writeTree(afterDir, { ...scenario.before, ...scenario.after });
      const args = [
        ...Object.entries(scenario.buildArgs ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
        ...Object.entries(scenario.beforeBuildArgs ?? {}).flatMap(([k, v]) => ['--before-build-arg', `${k}=${v}`]),
      ];
      assertValid(diff, await json(['diff', '--before', beforeDir, '--after', afterDir, ...args, '--fail-on-rebuild-bytes', '1MB']), scenario.name);
    }
    for (const file of EXAMPLES) {
      const dir = path.dirname(file);
      assertValid(diff, await json(['diff', '--before', dir, '--after', dir]), file);
    }
  });

  it('diff --json between git revisions validates', async () => {
    const repo = path.join(tmp, 'repo');
    const env = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' });
    writeTree(repo, { Dockerfile: 'FROM alpine:3.22\nCOPY a.txt /a.txt\n', 'a.txt': 'one\n' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'one');
    writeTree(repo, { 'a.txt': 'two\n' });
    assertValid(diff, await json(['diff', 'HEAD', path.join(repo, 'Dockerfile')]), 'rev vs worktree');
    git('commit', '-q', '-am', 'two');
    assertValid(diff, await json(['diff', 'HEAD~1', 'HEAD', path.join(repo, 'Dockerfile')]), 'rev1 vs rev2');
  });

  it('outputs broken on purpose fail validation', async () => {
    const dir = path.join(tmp, 'broken');
    writeTree(dir, { Dockerfile: 'FROM alpine:3.22\nRUN echo hi > /hi\nCOPY a.txt /a.txt\nCMD ["sh"]\n', 'a.txt': 'a\n' });
    const other = path.join(tmp, 'broken2');
    writeTree(other, { Dockerfile: 'FROM alpine:3.22\nRUN echo hi > /hi\nCOPY a.txt /a.txt\nCMD ["sh"]\n', 'a.txt': 'b\n' });
    const good = await json(['diff', '--before', dir, '--after', other]);
    assertValid(diff, good, 'the unbroken diff');
    const breakages: Array<[string, (o: any) => void]> = [
      ['schemaVersion missing', (o) => delete o.schemaVersion],
      ['schemaVersion 2', (o) => (o.schemaVersion = 2)],
      ['reused as a string', (o) => (o.stages[0].steps[1].reused = 'yes')],
      ['a rebuilt step without a reason', (o) => (o.stages[0].steps.find((s: { reused: boolean }) => !s.reused).reason = null)],
      ['a 0-based line', (o) => (o.stages[0].steps[0].line = 0)],
      ['negative bytes', (o) => (o.totals.rebuiltBytes = -1)],
      ['an unknown side kind', (o) => (o.after.kind = 'tarball')],
    ];
    for (const [what, breakIt] of breakages) {
      const copy = structuredClone(good);
      breakIt(copy);
      assert.equal(diff(copy), false, what);
    }

    const explained = await json(['explain', path.join(dir, 'Dockerfile')]);
    assertValid(explain, explained, 'the unbroken explain');
    const copyLayer = (o: any) => o.layers.find((l: { keyword: string }) => l.keyword === 'COPY');
    assert.equal(copyLayer(explained).breakdown.entries[0].name, 'a.txt', 'the COPY layer carries its breakdown');
    for (const [what, breakIt] of [
      ['an unknown layer kind', (o: any) => (o.layers[0].kind = 'weird')],
      ['a size without its source', (o: any) => delete o.layers[1].size.source],
      ['layers missing', (o: any) => delete o.layers],
      ['a breakdown entry without its source', (o: any) => delete copyLayer(o).breakdown.entries[0].source],
      ['an unknown breakdown flag', (o: any) => (copyLayer(o).breakdown.entries[0].flags = ['huge'])],
      ['a breakdown note in one language only', (o: any) => (copyLayer(o).breakdown.entries[0].note = { en: 'x' })],
      ['negative bytes left out', (o: any) => (copyLayer(o).breakdown.more = { entries: 1, bytes: -5 })],
    ] as Array<[string, (o: any) => void]>) {
      const copy = structuredClone(explained);
      breakIt(copy);
      assert.equal(explain(copy), false, what);
    }

    const checked = await json(['check', path.join(dir, 'Dockerfile')]);
    assertValid(check, checked, 'the unbroken check');
    const copy = structuredClone(checked) as any;
    copy.passed = 'true';
    assert.equal(check(copy), false, 'passed as a string');
  });
});
