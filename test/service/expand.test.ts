import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandVariables, MAX_EXPANSION_CHARS, referencedVariables } from '../../server/src/service/model/expand';
import { analyzeDockerfile } from '../../server/src/service/model/analyze';

const vars = (values: Record<string, string>) => (name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined);

test('$VAR and ${VAR} expand; unknown names expand to nothing and are reported once', () => {
  const e = expandVariables('$A/${A}/$MISSING/${MISSING}', vars({ A: 'x' }));
  assert.equal(e.value, 'x/x//');
  assert.deepEqual(e.unresolved, ['MISSING']);
});

test('${VAR:-word} treats empty as unset, ${VAR-word} only unset', () => {
  const lookup = vars({ EMPTY: '', SET: 'v' });
  assert.equal(expandVariables('${EMPTY:-d}', lookup).value, 'd');
  assert.equal(expandVariables('${EMPTY-d}', lookup).value, '');
  assert.equal(expandVariables('${UNSET-d}', lookup).value, 'd');
  assert.equal(expandVariables('${SET:-d}', lookup).value, 'v');
  assert.deepEqual(expandVariables('${UNSET:-d}', lookup).unresolved, []);
});

test('${VAR:+word} and ${VAR+word}', () => {
  const lookup = vars({ EMPTY: '', SET: 'v' });
  assert.equal(expandVariables('${SET:+yes}', lookup).value, 'yes');
  assert.equal(expandVariables('${EMPTY:+yes}', lookup).value, '');
  assert.equal(expandVariables('${EMPTY+yes}', lookup).value, 'yes');
  assert.equal(expandVariables('${UNSET+yes}', lookup).value, '');
});

test('defaults nest and expand lazily', () => {
  const lookup = vars({ B: 'b' });
  assert.equal(expandVariables('${A:-${B}-x}', lookup).value, 'b-x');
  assert.equal(expandVariables('${A:-${C:-z}}', lookup).value, 'z');
  // the default of a set variable is not evaluated, so its names are not unresolved
  assert.deepEqual(expandVariables('${B:-$NOPE}', lookup).unresolved, []);
});

test('${VAR:?msg} reports an unset name as unresolved', () => {
  const e = expandVariables('${REQUIRED:?set it}', vars({}));
  assert.equal(e.value, '');
  assert.deepEqual(e.unresolved, ['REQUIRED']);
});

test('quotes are removed; single quotes and the escape character stop expansion', () => {
  const lookup = vars({ A: 'x' });
  assert.equal(expandVariables('"$A y"', lookup).value, 'x y');
  assert.equal(expandVariables("'$A'", lookup).value, '$A');
  assert.equal(expandVariables('\\$A', lookup).value, '$A');
  assert.equal(expandVariables('`$A', lookup, '`').value, '$A');
});

test('an unclosed brace is kept as written', () => {
  assert.equal(expandVariables('a${B', vars({ B: 'x' })).value, 'a${B');
});

test('referencedVariables lists names in order, once each', () => {
  assert.deepEqual(referencedVariables('$A ${B:-$C} $A ${D}'), ['A', 'B', 'C', 'D']);
});

test('the model expands FROM with the same rules (quotes and nested defaults)', () => {
  const m = analyzeDockerfile('ARG REG\nARG NAME=api\nFROM "${REG:-ghcr.io}/${ORG:-acme}/${NAME}:${TAG:-${NAME}-latest}"\n');
  const base = m.stages[0]!.base;
  assert.equal(base.kind, 'image');
  if (base.kind !== 'image') return;
  assert.equal(base.resolved, 'ghcr.io/acme/api:api-latest');
  assert.equal(base.registry, 'ghcr.io');
  assert.deepEqual(m.problems, []);
});

test('expansion is capped: a value that doubles itself stops at MAX_EXPANSION_CHARS and says it was cut', () => {
  const lookup = vars({ X: 'ab'.repeat(MAX_EXPANSION_CHARS / 2) });
  const e = expandVariables('${X}${X}-$X', lookup);
  assert.equal(e.value.length, MAX_EXPANSION_CHARS);
  assert.equal(e.truncated, true);
  assert.equal(expandVariables('${X}', lookup).truncated, undefined, 'exactly the cap is not cut');
  assert.equal(expandVariables('${Y:-${X}${X}}', lookup).value.length, MAX_EXPANSION_CHARS, 'nested defaults are capped too');
});

test('ARG X=${X}${X} and ENV Y=${Y}${Y} sixty times: the model is built, with DL-P003 on the lines that were cut', () => {
  const text = ['ARG X=ab', ...Array(60).fill('ARG X=${X}${X}'), 'FROM alpine:3.22', 'ENV Y=a', ...Array(60).fill('ENV Y=${Y}${Y}'), 'WORKDIR /$Y$Y$Y', 'RUN echo $Y'].join('\n');
  const model = analyzeDockerfile(text);
  const cut = model.problems.filter((p) => p.rule === 'expansion-too-long');
  assert.ok(cut.length > 0);
  assert.ok(cut.every((p) => p.code === 'DL-P003' && p.severity === 'warning'));
  // after the k-th doubling (0-based line k) X holds 2 · 2^k characters: past 65,536 at k = 16
  assert.equal(cut[0]!.range.start.line, 16);
  assert.ok(cut.some((p) => /^Y expands to more than 65536 characters/.test(p.message)));
  assert.ok(model.globalArgs.every((a) => (a.value ?? '').length <= MAX_EXPANSION_CHARS));
  assert.ok(model.stages[0]!.instructions.every((i) => (i.workdir ?? '').length <= MAX_EXPANSION_CHARS + 1));
});
