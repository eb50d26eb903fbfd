/**
 * Diagnostics in Korean: every structural rule and every practice rule words its message and its
 * quick fix's title in Korean when the editor speaks Korean, and stays word for word the same in
 * English (the CLI and its JSON).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile, diagnose, estimateSizes, PRACTICES, RULES } from '../../server/src/service';
import { scanContext } from '../../server/src/service/sizes/context';
import { createIgnore } from '../../server/src/service/sizes/dockerignore';
import { aptService } from '../../server/src/service/sizes/aptService';
import { memoryContext } from '../memoryContext';
import { aptTable, scenarios, TREE } from '../sizeScenarios';

const HANGUL = /[\uAC00-\uD7A3]/;

test('every structural rule has its message in English and Korean', () => {
  for (const [name, spec] of Object.entries(RULES)) {
    const message = (spec.message as (...args: unknown[]) => { en: string; ko: string })('x', 1);
    assert.ok(message.en && !HANGUL.test(message.en), `${name}: ${message.en}`);
    assert.match(message.ko, HANGUL, `${name}: ${message.ko}`);
  }
});

/** Dockerfiles that trip every practice rule and a few structural ones. */
const TRIPS = [
  'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm install\nRUN npm run build\n',
  'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl git\nRUN rm -rf /var/lib/apt/lists/*\n',
  'FROM python:3.12-slim\nRUN pip install flask\nADD app.sh /app.sh\nARG NPM_TOKEN\nENV DB_PASSWORD=x\n',
  'FROM busybox\nRUN true\n',
  'FROM alpine:3.22 AS a\nFROM alpine:3.22 AS a\nCOPY --from=7 /x /y\nCOPY --from=later /x /y\nFROM $NOPE:1 AS later\nRUN cat <<EOF\nnever closed\n',
];

test('every diagnostic and quick-fix title is Korean in Korean and unchanged in English', async () => {
  const reader = memoryContext(TREE);
  const snapshot = await scanContext(reader, { ignore: createIgnore(String(TREE['.dockerignore'])) });
  const texts = [...TRIPS, ...(await scenarios()).map((s) => s.text)];
  const codes = new Set<string>();
  for (const text of texts) {
    const model = estimateSizes(analyzeDockerfile(text), {
      apt: aptService(aptTable()),
      copyFromContext: () => ({ size: { bytes: 5e6, low: 5e6, high: 5e6, compressed: null, source: 'exact', detail: 'x' }, content: 'source-text', writes: [], notes: [], inputs: ['.'] }),
    });
    const english = diagnose(model, text, {}, snapshot);
    assert.deepEqual(diagnose(model, text, {}, snapshot, 'en'), english);
    const korean = diagnose(model, text, {}, snapshot, 'ko');
    assert.deepEqual(korean.map((d) => [d.code, d.range]), english.map((d) => [d.code, d.range]), 'the same findings in both languages');
    for (const d of korean) {
      codes.add(d.code);
      assert.match(d.message, HANGUL, `${d.code}: ${d.message}`);
      if (d.fix) assert.match(d.fix.title, HANGUL, `${d.code} fix: ${d.fix.title}`);
      assert.equal('localizedMessage' in d, false, 'diagnoses carry one language');
    }
  }
  for (const rule of PRACTICES) assert.ok(codes.has(rule.code), `${rule.code} was not tripped`);
  for (const code of ['DL-G001', 'DL-G003', 'DL-G006', 'DL-G007', 'DL-G008', 'DL-P001']) assert.ok(codes.has(code), `${code} was not tripped: ${[...codes].join(' ')}`);
});
