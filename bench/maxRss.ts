/**
 * Preloaded (`node --require`) into a process the bench measures: prints its peak resident set
 * size on stderr as it exits, as `MAXRSS <kilobytes>`.
 */
process.on('exit', () => {
  process.stderr.write(`\nMAXRSS ${process.resourceUsage().maxRSS}\n`);
});
