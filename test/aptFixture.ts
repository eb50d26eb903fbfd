import { parseAptTable, type AptTable } from '../server/src/service/sizes/aptTable';

/** A table in the readable format: name, KiB, flags, depends, pre-depends, recommends, provided-by. */
export const aptTable = (...lines: string[]): AptTable => parseAptTable(['#release debian test', '#date 2026-01-01', ...lines].join('\n'));

/**
 * A small apt world for resolver tests: `app` depends on libfoo (which needs libc, Priority:
 * required) and an MTA (a virtual name with two providers), pre-depends on setup and recommends
 * docs (which depends on helper); providers, a cycle, a Python package, a package without a size
 * and one with a missing dependency.
 */
export const MINI_APT = aptTable(
  'app\t100\t\tlibfoo,mta|mail-transport-agent\tsetup\tdocs',
  'libfoo\t50\t\tlibc',
  'libc\t1000\tr',
  'setup\t10',
  'docs\t200\t\thelper',
  'helper\t5',
  'mta\t30',
  'mail-transport-agent\t\t\t\t\t\tpostfix,exim',
  'postfix\t400',
  'exim\t300',
  'awk\t\t\t\t\t\tmawk,gawk',
  'mawk\t40',
  'gawk\t90',
  'needs-awk\t1\t\tawk',
  'ping\t2\t\tpong',
  'pong\t3\t\tping',
  'py-tool\t1000\tp\tlibc',
  'sizeless\t?',
  'broken\t1\t\tnowhere',
);
