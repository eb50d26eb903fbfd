/**
 * How the extension starts the language server (client/src/ctx.ts), shared with the tests and
 * benches that measure it. Measured on the stress test (50 documents, 1,000 edits, a 10 MB
 * Dockerfile, a 100,000-file build context: test/server/stress.test.ts), these bring what the
 * server holds afterwards from ~90 MB to ~73 MB (the minified bundle; the peak is ~200 MB):
 * - `--max-semi-space-size=2`: a young generation of at most 4 MB instead of 32 MB. It costs
 *   analyses that allocate a lot: ~5% on a 1,000-instruction file, ~35% on the 10 MB one
 *   (--max-semi-space-size=4 costs ~6% there but leaves ~80 MB);
 * - `--expose-gc` with `--compact-on-every-full-gc`: the server asks for a full, compacting GC
 *   after heavy transient work (server/src/memory.ts), which hands emptied pages back to the
 *   system; V8's own memory reducer waits for seconds of idleness an editor rarely leaves;
 * - glibc's malloc: one arena, and blocks from 32 KB up mapped on their own, so what a 10 MB
 *   message or a folder walk allocated natively goes back when freed instead of staying in a
 *   heap that cannot shrink. Other C libraries ignore these variables.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2', '--expose-gc', '--compact-on-every-full-gc'];

export const SERVER_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_MMAP_THRESHOLD_: '32768',
  MALLOC_TRIM_THRESHOLD_: '131072',
};
