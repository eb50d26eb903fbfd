import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BuildContexts, type ContextState } from '../../server/src/contexts';

/** A BuildContexts whose change events can be awaited, with a deadline instead of sleeps. */
function harness() {
  const waiters: (() => void)[] = [];
  const log: string[] = [];
  const contexts = new BuildContexts({
    changed: () => waiters.splice(0).forEach((w) => w()),
    log: (m) => log.push(m),
  });
  const nextChange = () =>
    new Promise<void>((resolve, reject) => {
      // a hang guard, generous so that a busy machine never reaches it
      const timer = setTimeout(() => reject(new Error(`no context change within 120 s; log: ${log.join(' | ')}`)), 120_000);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return { contexts, nextChange, log };
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockerlens-ctx-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const ready = (state: ContextState) => {
  assert.equal(state.status, 'ready');
  return (state as Extract<ContextState, { status: 'ready' }>).context.snapshot;
};

test('a Dockerfile folder is scanned once, off the request, then kept fresh from file events', async () => {
  const dir = folder({ Dockerfile: 'FROM scratch\n', 'a.txt': 'aaaa', '.dockerignore': '*.log\n' });
  const { contexts, nextChange } = harness();
  try {
    const dockerfile = path.join(dir, 'Dockerfile');
    const changed = nextChange();
    assert.equal(contexts.use('file:///doc', dockerfile).status, 'scanning');
    await changed;
    const first = ready(contexts.use('file:///doc', dockerfile));
    assert.deepEqual(first.files.map((f) => f.path).sort(), ['.dockerignore', 'Dockerfile', 'a.txt']);

    writeFileSync(path.join(dir, 'b.txt'), 'bb');
    writeFileSync(path.join(dir, 'c.log'), 'ignored');
    const updated = nextChange();
    contexts.filesChanged([path.join(dir, 'b.txt'), path.join(dir, 'c.log'), '/elsewhere/x']);
    await updated;
    const second = ready(contexts.use('file:///doc', dockerfile));
    assert.deepEqual(second.files.map((f) => f.path).sort(), ['.dockerignore', 'Dockerfile', 'a.txt', 'b.txt']);
    assert.ok(contexts.use('file:///doc', dockerfile).version > 1);
  } finally {
    contexts.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a changed .dockerignore means a full re-read with the new patterns', async () => {
  const dir = folder({ Dockerfile: 'FROM scratch\n', 'a.txt': 'a', 'b.md': 'b' });
  const { contexts, nextChange } = harness();
  try {
    const dockerfile = path.join(dir, 'Dockerfile');
    let changed = nextChange();
    contexts.use('file:///doc', dockerfile);
    await changed;
    writeFileSync(path.join(dir, '.dockerignore'), '*.md\n');
    changed = nextChange();
    contexts.filesChanged([path.join(dir, '.dockerignore')]);
    await changed; // scanning again
    if (contexts.use('file:///doc', dockerfile).status === 'scanning') {
      changed = nextChange();
      await changed;
    }
    const files = ready(contexts.use('file:///doc', dockerfile)).files.map((f) => f.path).sort();
    assert.deepEqual(files, ['.dockerignore', 'Dockerfile', 'a.txt']);
  } finally {
    contexts.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder that cannot be read fails with a reason, and closing the last user drops it', async () => {
  const { contexts, nextChange } = harness();
  const missing = path.join(tmpdir(), 'dockerlens-no-such-folder-x', 'Dockerfile');
  const changed = nextChange();
  contexts.use('file:///doc', missing);
  await changed;
  const state = contexts.use('file:///doc', missing);
  assert.equal(state.status, 'failed');
  contexts.close('file:///doc');
  // a new use starts over: the dropped entry is not reused
  assert.equal(contexts.use('file:///doc2', missing).status, 'scanning');
  contexts.dispose();
});

test('peek: a closed Dockerfile of a folder shares the context an open one read, and never starts a scan', async () => {
  const dir = folder({ Dockerfile: 'FROM scratch\n', 'Dockerfile.worker': 'FROM scratch\n', 'a.txt': 'a' });
  const { contexts, nextChange } = harness();
  try {
    assert.equal(contexts.peek(path.join(dir, 'Dockerfile.worker')), undefined, 'nothing read yet');
    const changed = nextChange();
    contexts.use('file:///doc', path.join(dir, 'Dockerfile'));
    await changed;
    const peeked = contexts.peek(path.join(dir, 'Dockerfile.worker'));
    assert.ok(peeked);
    assert.ok(peeked.snapshot.files.some((f) => f.path === 'a.txt'));
    assert.equal(contexts.peek(path.join(tmpdir(), 'elsewhere', 'Dockerfile')), undefined);
  } finally {
    contexts.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
