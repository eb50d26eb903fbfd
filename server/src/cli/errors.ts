/** File errors in a few plain words, for CLI messages. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const syscall = error instanceof Error && 'syscall' in error;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  // node's own messages name the absolute path and the syscall: say what it is instead
  if (code === 'ELOOP' && syscall) return 'a symlink loop (or a symlink that is not followed)';
  if (code === 'ENXIO' && syscall) return 'a socket (or a device with nothing behind it), not a regular file: not read';
  return error instanceof Error ? error.message : String(error);
}
