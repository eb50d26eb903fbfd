import { execFileSync } from 'node:child_process';

/**
 * Named pipes for hostile-input tests (node has no mkfifo of its own). NO_MKFIFO is the one-line
 * skip reason where the mkfifo tool is missing, else false.
 */
export const NO_MKFIFO: string | false = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'mkfifo is not installed: named-pipe cases not run';
  }
})();

export function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}
