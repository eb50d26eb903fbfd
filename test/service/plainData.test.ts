/**
 * samePlainData, which the size memo uses to tell whether a re-sized stage left what later stages
 * read as it was: that state holds file trees whose folders point to their parent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { samePlainData } from '../../server/src/service/plainData';

interface Folder {
  name: string;
  parent: Folder | undefined;
  folders: Map<string, Folder>;
  bytes: number;
}

function tree(leafBytes: number): Folder {
  const root: Folder = { name: '', parent: undefined, folders: new Map(), bytes: 0 };
  const app: Folder = { name: 'app', parent: root, folders: new Map(), bytes: 0 };
  const lib: Folder = { name: 'lib', parent: app, folders: new Map(), bytes: leafBytes };
  root.folders.set('app', app);
  app.folders.set('lib', lib);
  return root;
}

test('trees with parent links: equal when built alike, unequal when a leaf differs, without looping', () => {
  assert.equal(samePlainData(tree(10), tree(10)), true);
  assert.equal(samePlainData(tree(10), tree(11)), false);
  assert.equal(samePlainData({ effects: [{ tree: tree(10) }] }, { effects: [{ tree: tree(10) }] }), true);
  assert.equal(samePlainData(tree(10).folders.get('app'), tree(11).folders.get('app')), false, 'a subtree reaches its parent and its sibling values');
});

test('plain values, Sets and Maps by content; functions only when the same one', () => {
  const f = () => 1;
  assert.equal(samePlainData({ a: [1, NaN], s: new Set(['x']), m: new Map([['k', { v: 1 }]]) }, { a: [1, NaN], s: new Set(['x']), m: new Map([['k', { v: 1 }]]) }), true);
  assert.equal(samePlainData({ m: new Map([['k', { v: 1 }]]) }, { m: new Map([['k', { v: 2 }]]) }), false);
  assert.equal(samePlainData({ f }, { f }), true);
  assert.equal(samePlainData({ f }, { f: () => 1 }), false);
  assert.equal(samePlainData({ a: 1 }, { a: 1, b: undefined }), false);
});
