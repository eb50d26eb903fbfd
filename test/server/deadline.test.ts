/**
 * Every socket call has an overall deadline, not an idle timeout that a peer resets by sending a
 * byte now and then. Real servers here (a unix socket for the engine, TCP for the generic GET a
 * registry client will use) answer with headers and then drip one byte at a time, forever; the
 * call must fail with a plain timeout line. The deadline is a small value the test injects; the
 * test's own timeout is only a hang guard.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../server/src/images/engine';
import { boundedGet } from '../../server/src/boundedGet';

const DEADLINE_MS = 300;
const GUARD = { timeout: 60_000 };

/** An HTTP server that sends a 200 with a long body, one byte per tick, until the client leaves. */
function dripServer(): { server: Server; sockets: Set<Socket>; allClosed(): Promise<void> } {
  const sockets = new Set<Socket>();
  let waiters: (() => void)[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    let timer: NodeJS.Timeout | undefined;
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{');
      timer = setInterval(() => socket.write(' '), 20);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
      if (sockets.size === 0) [waiters, waiters = []][0]!.forEach((w) => w());
    });
  });
  const allClosed = () => new Promise<void>((resolve) => (sockets.size === 0 ? resolve() : waiters.push(resolve)));
  return { server, sockets, allClosed };
}

describe('overall deadlines on socket calls', () => {
  let dir: string;
  let unix: ReturnType<typeof dripServer>;
  let tcp: ReturnType<typeof dripServer>;
  let socketPath: string;
  let port: number;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dockerlens-deadline-'));
    socketPath = path.join(dir, 'engine.sock');
    unix = dripServer();
    tcp = dripServer();
    await new Promise<void>((resolve) => unix.server.listen(socketPath, resolve));
    await new Promise<void>((resolve) => tcp.server.listen(0, '127.0.0.1', resolve));
    port = (tcp.server.address() as { port: number }).port;
  });
  after(async () => {
    for (const { server, sockets } of [unix, tcp]) {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('an engine that drips its answer a byte at a time fails with a timeout line', GUARD, async () => {
    const engine = createEngine(socketPath, { deadlineMs: DEADLINE_MS });
    await assert.rejects(engine.ping(), (error: Error) => {
      assert.equal(error.message, `the engine at ${socketPath} did not answer /version in full within ${DEADLINE_MS} ms`);
      return true;
    });
    await assert.rejects(engine.images(), /did not answer \/images\/json in full within/);
  });

  it('the same helper over TCP (what a registry client will use): ETIMEDOUT, and the connection is dropped', GUARD, async () => {
    await assert.rejects(boundedGet({ request: { host: '127.0.0.1', port, path: '/v2/' }, deadlineMs: DEADLINE_MS, maxBytes: 1024 * 1024 }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ETIMEDOUT');
      assert.equal(error.message, `no complete answer within ${DEADLINE_MS} ms`);
      return true;
    });
    // the server sees the client hang up (else this waits until the guard fails the test)
    await tcp.allClosed();
  });

  it('a body over the cap is refused (EFBIG) before the deadline matters', GUARD, async () => {
    await assert.rejects(boundedGet({ request: { host: '127.0.0.1', port, path: '/v2/' }, deadlineMs: 60_000, maxBytes: 4 }), { code: 'EFBIG' });
  });
});
