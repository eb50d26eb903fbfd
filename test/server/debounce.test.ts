/**
 * The debounce after an edit follows what the last analysis cost: cheap files publish almost at
 * once, expensive ones wait up to the setting, and a document never analysed waits the setting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adaptiveDelay, MIN_DEBOUNCE_MS } from '../../server/src/debounce';

test('a cheap analysis is published almost at once, never below the floor that coalesces a burst of keys', () => {
  assert.equal(adaptiveDelay(3, 200), MIN_DEBOUNCE_MS);
  assert.equal(adaptiveDelay(0, 200), MIN_DEBOUNCE_MS);
  assert.equal(adaptiveDelay(20, 200), 40);
});

test('an expensive analysis waits up to the setting, and the setting is a ceiling even when it is below the floor', () => {
  assert.equal(adaptiveDelay(150, 200), 200);
  assert.equal(adaptiveDelay(5_000, 200), 200);
  assert.equal(adaptiveDelay(3, 0), 0, 'debounceMs 0 means no wait at all');
});

test('a document with no analysis yet waits the setting', () => {
  assert.equal(adaptiveDelay(undefined, 200), 200);
  assert.equal(adaptiveDelay(Number.NaN, 200), 200);
});
