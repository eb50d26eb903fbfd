import { test } from 'node:test';
import assert from 'node:assert/strict';
import { efficiency, findWaste, removedPaths } from '../../server/src/service/sizes/waste';
import { splitCommands } from '../../server/src/service/sizes/shell';

test('apt lists written in one layer and removed in a later one are wasted', () => {
  const items = findWaste([
    { layer: 1, writes: [{ path: '/var/lib/apt/lists', bytes: 20e6, what: 'apt lists' }], removes: [] },
    { layer: 2, writes: [], removes: ['/var/lib/apt/lists/*'] },
  ]);
  assert.deepEqual(items, [{ layer: 1, path: '/var/lib/apt/lists', what: 'apt lists', bytes: 20e6, removedBy: 2, how: 'deleted' }]);
});

test('a removal inside the same layer is not waste; an unrelated path is not either', () => {
  assert.deepEqual(findWaste([{ layer: 1, writes: [{ path: '/a', bytes: 5, what: 'x' }], removes: ['/a'] }]), []);
  assert.deepEqual(findWaste([
    { layer: 1, writes: [{ path: '/app', bytes: 5, what: 'x' }], removes: [] },
    { layer: 2, writes: [], removes: ['/application'] },
  ]), []);
});

test('removing part of a copied tree counts only the bytes below it, when known', () => {
  const sizes: Record<string, number> = { 'node_modules': 300, docs: 40 };
  const items = findWaste([
    { layer: 1, writes: [{ path: '/app', bytes: 400, what: 'files copied', bytesUnder: (p) => sizes[p] }], removes: [] },
    { layer: 2, writes: [], removes: ['/app/node_modules', '/app/unknown'] },
  ]);
  assert.equal(items.length, 1);
  assert.equal(items[0]!.bytes, 300);
});

test('a later write to the same path overwrites the earlier bytes', () => {
  const items = findWaste([
    { layer: 1, writes: [{ path: '/etc/app.conf', bytes: 100, what: 'config' }], removes: [] },
    { layer: 3, writes: [{ path: '/etc/app.conf', bytes: 120, what: 'config' }], removes: [] },
  ]);
  assert.deepEqual(items.map((i) => [i.layer, i.removedBy, i.how, i.bytes]), [[1, 3, 'overwritten', 100]]);
});

test('globs in removals', () => {
  const items = findWaste([
    { layer: 1, writes: [{ path: '/tmp/build.log', bytes: 7, what: 'log' }, { path: '/tmp/keep.txt', bytes: 9, what: 'x' }], removes: [] },
    { layer: 2, writes: [], removes: ['/tmp/*.log'] },
  ]);
  assert.deepEqual(items.map((i) => i.path), ['/tmp/build.log']);
});

test('removed paths: rm operands resolved against the workdir, and known cleanups', () => {
  const removed = removedPaths(splitCommands('rm -rf build/ /tmp/x "$HOME/y" && apt-get clean && npm cache clean --force'), '/app');
  assert.deepEqual(removed, ['/app/build', '/tmp/x', '/var/cache/apt/archives', '/root/.npm']);
  // a caller that knows whose home it is (the estimators' caches are root's) gets ~ and $HOME too
  assert.deepEqual(removedPaths(splitCommands('rm -rf ~/.cache "$HOME/y" ${HOME}'), '/app', '/root'), ['/root/.cache', '/root/y', '/root']);
});

test('efficiency is the unwasted share, clamped', () => {
  assert.equal(efficiency(100, 25), 0.75);
  assert.equal(efficiency(0, 0), 1);
  assert.equal(efficiency(10, 50), 0);
});
