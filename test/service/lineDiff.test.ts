import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editedLines } from '../../server/src/service/cache/lineDiff';

test('unchanged text has no edited lines', () => assert.deepEqual(editedLines('a\nb\n', 'a\nb\n'), []));
test('an edited line', () => assert.deepEqual(editedLines('a\nb\nc', 'a\nB\nc'), [1]));
test('an inserted line', () => assert.deepEqual(editedLines('a\nc', 'a\nb\nc'), [1]));
test('a deleted line marks the line now in its place', () => assert.deepEqual(editedLines('a\nb\nc', 'a\nc'), [1]));
test('two separate edits stay separate', () => assert.deepEqual(editedLines('a\nb\nc\nd\ne', 'A\nb\nc\nd\nE'), [0, 4]));
test('CRLF and LF compare equal line by line', () => assert.deepEqual(editedLines('a\r\nb\r\n', 'a\nb\n'), []));
