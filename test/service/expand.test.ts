import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandVariables, referencedVariables } from '../../server/src/service/model/expand';
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
