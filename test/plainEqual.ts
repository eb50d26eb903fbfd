/**
 * assert.deepStrictEqual for the plain data the core returns, faster: node 20's deep-equal spends
 * most of its time on per-object key bookkeeping, which made the random-edit test compare models
 * more than it analysed them. Plain objects and arrays are compared here with the same strictness
 * (Object.is on values, same prototype, same own enumerable keys, holes apart from undefined);
 * anything else (a Map, a Date, symbol keys) goes to util.isDeepStrictEqual. On a difference
 * assert.deepStrictEqual runs and reports it as usual.
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null || proto === Array.prototype) && Object.getOwnPropertySymbols(value).length === 0;
}

export function samePlainData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (!isPlain(a) || !isPlain(b)) return isDeepStrictEqual(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a) && a.length !== (b as unknown[]).length) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  for (const key of keysA) {
    if (!Object.prototype.propertyIsEnumerable.call(b, key)) return false;
    if (!samePlainData(recordA[key], recordB[key])) return false;
  }
  return true;
}

/** assert.deepStrictEqual(actual, expected, message), with the fast path above. */
export function assertSamePlainData(actual: unknown, expected: unknown, message: string): void {
  if (samePlainData(actual, expected)) return;
  assert.deepStrictEqual(actual, expected, message);
  assert.fail(`${message}: differs as plain data although deepStrictEqual accepts it`);
}
