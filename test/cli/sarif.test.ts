/**
 * `dockerlens check --format sarif|github`: SARIF 2.1.0 that validates against the official schema
 * (test/fixtures/sarif, see SOURCE.md there), every result's rule described in tool.driver.rules,
 * locations relative to the repository root, fingerprints that survive lines moving; GitHub
 * workflow annotations escaped so a message cannot end its command or start another.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import AjvDraft04 from 'ajv-draft-04';
import { runCli } from '../../server/src/cli';
import { ruleCatalog, undescribedRules } from '../../server/src/service/rules/catalog';

const ROOT = path.resolve(__dirname, '../../..');
const validateSarif = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false })
  .compile(JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object);

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; name: string; shortDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex?: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

const work = mkdtempSync(path.join(os.tmpdir(), 'dockerlens-sarif-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A repository (a `.git` folder is all repositoryPath looks for) with a Dockerfile in a subfolder. */
function repository(name: string, dockerfile: string): string {
  const repo = path.join(work, name);
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'services/api'), { recursive: true });
  const file = path.join(repo, 'services/api/Dockerfile');
  writeFileSync(file, dockerfile);
  return file;
}

async function sarif(file: string, ...extra: string[]): Promise<{ code: number; log: SarifLog }> {
  const result = await runCli(['check', file, '--format', 'sarif', '--no-context', ...extra]);
  return { code: result.code, log: JSON.parse(result.stdout) as SarifLog };
}

const FINDINGS = [
  'FROM debian',
  'RUN apt-get update',
  'RUN apt-get install -y curl',
  'ENV DB_PASSWORD=hunter2',
  'COPY --from=5 /a /b',
  '',
].join('\n');

describe('check --format sarif', () => {
  it('validates against the SARIF 2.1.0 schema, on every example and on a file with errors', async () => {
    const files = ['apt-waste', 'multi-stage', 'node-app'].map((name) => path.join(ROOT, 'examples', name, 'Dockerfile'));
    files.push(repository('errors', FINDINGS));
    for (const file of files) {
      const { log } = await sarif(file);
      assert.ok(validateSarif(log), `${file}: ${JSON.stringify(validateSarif.errors?.slice(0, 3))}`);
      assert.equal(log.version, '2.1.0');
      assert.ok(log.runs[0]!.results.length > 0, `${file} has findings`);
    }
    // the validator is not a rubber stamp: a log without its driver's name is refused
    const { log } = await sarif(files[0]!);
    delete (log.runs[0]!.tool.driver as { name?: string }).name;
    assert.equal(validateSarif(log), false);
  });

  it('describes every rule the product has, and every result names one of them', async () => {
    assert.deepEqual(undescribedRules(), []);
    const { code, log } = await sarif(repository('rules', FINDINGS));
    assert.equal(code, 1, 'DL-G001 is an error: check fails as it does in text');
    const run = log.runs[0]!;
    const ids = run.tool.driver.rules.map((r) => r.id);
    assert.deepEqual(ids, ruleCatalog().map((r) => r.code));
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of run.tool.driver.rules) {
      assert.match(rule.id, /^DL-[A-Z]\d{3}$/);
      assert.ok(rule.shortDescription.text.length > 10 && rule.help.text.length > 5, rule.id);
      assert.match(rule.name, /^[A-Z][A-Za-z]+$/);
    }
    const byCode = new Map(run.results.map((r) => [r.ruleId, r]));
    for (const code of ['DL-G001', 'DL-C002', 'DL-R001', 'DL-R002']) assert.ok(byCode.has(code), `${code} in ${[...byCode.keys()].join(' ')}`);
    for (const result of run.results) {
      assert.ok(ids.includes(result.ruleId));
      assert.equal(run.tool.driver.rules[result.ruleIndex!]!.id, result.ruleId);
    }
    assert.equal(byCode.get('DL-G001')!.level, 'error');
    assert.equal(byCode.get('DL-C002')!.level, 'warning');
    assert.equal(byCode.get('DL-R002')!.level, 'note');
  });

  it('places results relative to the repository root, on the instruction, 1-based', async () => {
    const { log } = await sarif(repository('places', FINDINGS));
    const secret = log.runs[0]!.results.find((r) => r.ruleId === 'DL-R001')!;
    const location = secret.locations[0]!.physicalLocation;
    assert.equal(location.artifactLocation.uri, 'services/api/Dockerfile');
    assert.deepEqual(location.region, { startLine: 4, startColumn: 1, endLine: 4, endColumn: 'ENV DB_PASSWORD=hunter2'.length + 1 });
  });

  it('keeps each fingerprint when lines move, and tells repeated findings apart', async () => {
    const before = (await sarif(repository('fp-before', FINDINGS))).log.runs[0]!.results;
    const moved = (await sarif(repository('fp-after', `# a comment on top\n\n${FINDINGS}`))).log.runs[0]!.results;
    const print = (rs: typeof before) => new Map(rs.map((r) => [`${r.ruleId}:${r.message.text}`, r.partialFingerprints['dockerlens/v1']]));
    assert.deepEqual(print(moved), print(before));
    assert.notDeepEqual(moved.map((r) => r.locations[0]!.physicalLocation.region.startLine), before.map((r) => r.locations[0]!.physicalLocation.region.startLine));

    const twice = (await sarif(repository('fp-twice', 'FROM alpine:3.22\nRUN a\nRUN a\nRUN a\n'))).log.runs[0]!.results.filter((r) => r.ruleId === 'DL-C003');
    assert.equal(twice.length, 2);
    assert.notEqual(twice[0]!.partialFingerprints['dockerlens/v1'], twice[1]!.partialFingerprints['dockerlens/v1']);
  });
});

describe('check --format github', () => {
  it('prints one workflow annotation per finding, then the text report, with the same exit code', async () => {
    const file = repository('github', FINDINGS);
    const text = await runCli(['check', file, '--no-context']);
    const github = await runCli(['check', file, '--no-context', '--format', 'github']);
    assert.equal(github.code, text.code);
    const annotations = github.stdout.split('\n').filter((l) => l.startsWith('::'));
    const findings = text.stdout.split('\n').filter((l) => /^ {2}line \d+/.test(l));
    assert.equal(annotations.length, findings.length);
    assert.ok(github.stdout.endsWith(text.stdout), 'the text report follows the annotations');
    const secret = annotations.find((a) => a.includes('DL-R001'))!;
    assert.match(secret, /^::warning file=services\/api\/Dockerfile,line=4,endLine=4,col=1,endColumn=24,title=DL-R001 secret-in-arg-or-env::ENV values are stored/);
    assert.ok(annotations.find((a) => a.includes('DL-G001'))!.startsWith('::error '));
    assert.ok(annotations.find((a) => a.includes('DL-R002'))!.startsWith('::notice '));
  });

  it('escapes what would end the command or start another: %, CR, LF, and : or , in properties', async () => {
    const dir = path.join(work, 'odd, name: here');
    mkdirSync(path.join(dir, '.git'), { recursive: true });
    const file = path.join(dir, 'Dockerfile');
    // a stage name with a newline cannot be written, but a file name with : and , can; the secret's
    // message quotes nothing of the user's, so check the file property and a message with %
    writeFileSync(file, 'FROM alpine:3.22\nCOPY --from=9 /a /b\n');
    const out = (await runCli(['check', file, '--no-context', '--format', 'github'])).stdout;
    const line = out.split('\n').find((l) => l.startsWith('::error'))!;
    assert.match(line, /^::error file=Dockerfile,/);
    const nested = path.join(dir, 'a,b:c');
    mkdirSync(nested);
    writeFileSync(path.join(nested, 'Dockerfile'), 'FROM alpine:3.22\nCOPY --from=9 /a /b\n');
    const escaped = (await runCli(['check', path.join(nested, 'Dockerfile'), '--no-context', '--format', 'github'])).stdout.split('\n').find((l) => l.startsWith('::error'))!;
    assert.match(escaped, /^::error file=a%2Cb%3Ac\/Dockerfile,/);
    assert.equal(escaped.split('::').length, 3, 'no unescaped :: inside the command');
  });

  it('refuses a format check does not speak', async () => {
    const result = await runCli(['check', 'Dockerfile', '--format', 'markdown']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--format takes text, sarif or github/);
  });
});
