import { getHeapStatistics } from 'node:v8';

/**
 * Gives memory back after heavy transient work: a big document analysed or closed, a build
 * context read or dropped. V8 keeps the pages its heap grew to until its memory reducer runs, and
 * that waits for seconds of idleness an editor rarely leaves; a full GC with compaction (the
 * extension starts the server with --expose-gc and --compact-on-every-full-gc,
 * protocol/serverLaunch.ts) empties and returns them at once.
 *
 * A caller that just dropped a lot (`garbage`) gets the GC right after the current turn of the
 * event loop. Otherwise it runs once the server has been quiet for QUIET_MS, and only when the
 * heap grew well past what the last GC left: a GC pause (~20 ms with a 100,000-file context
 * loaded) never lands among the requests of someone typing. Without --expose-gc (the CLI, a
 * debug launch) this does nothing.
 */
const GROWTH_BYTES = 8 * 1024 * 1024;
const QUIET_MS = 500;

/** A document this long (UTF-16 units) leaves garbage worth a GC when closed. */
export const BIG_DOCUMENT_CHARS = 1024 * 1024;

let settled = getHeapStatistics().total_heap_size;
let quiet: NodeJS.Timeout | undefined;
let soon = false;

export function releaseMemory(garbage = false): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return;
  if (garbage) {
    if (!soon) {
      soon = true;
      setImmediate(() => collect(gc));
    }
    return;
  }
  clearTimeout(quiet);
  quiet = setTimeout(() => {
    if (getHeapStatistics().total_heap_size >= settled + GROWTH_BYTES) collect(gc);
  }, QUIET_MS);
}

function collect(gc: () => void): void {
  soon = false;
  clearTimeout(quiet);
  gc();
  settled = getHeapStatistics().total_heap_size;
}
