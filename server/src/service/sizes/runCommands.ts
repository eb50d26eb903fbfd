import { unwrap } from './apt';
import type { SimpleCommand } from './shell';

/**
 * What a command that no estimator sizes does to a RUN layer. Only commands known to write
 * nothing or a few small files (users, links, modes, config edits, keys) may be counted as small
 * changes; anything else (a script, a package manager without an estimator, an installer) writes
 * an amount the product cannot know, and says so rather than guess a few kB.
 */
export type CommandEffect = 'nothing' | 'small' | 'writes';

/** Commands by name (the program's base name): what they leave in the layer. */
const KNOWN: Record<string, Exclude<CommandEffect, 'writes'>> = {
  // the shell itself and commands that only read or print
  ...each('nothing', [
    'cd', 'set', 'export', 'unset', 'true', 'false', ':', 'exit', 'return', 'test', '[', '[[', 'which', 'type', 'hash',
    'ls', 'sleep', 'printenv', 'uname', 'id', 'whoami', 'pwd', 'date', 'umask', 'ulimit', 'source', '.', 'wait', 'trap',
    'shift', 'break', 'continue', 'fi', 'done', 'esac', 'for', 'case', 'in', 'grep', 'egrep', 'head', 'tail', 'wc', 'sort',
    'uniq', 'cut', 'tr', 'yes', 'sync', 'sha256sum', 'sha512sum', 'sha1sum', 'md5sum', 'gpgv', 'stat', 'file', 'diff',
    'locale', 'getent', 'nproc', 'dpkg-query', 'lsb_release', 'read', 'alias', 'seq', 'shuf', 'basename', 'dirname',
    'readlink', 'realpath', 'command',
  ]),
  // users, groups, links, modes, small files and configuration edits (real builds: 2.6–7.7 kB a RUN)
  ...each('small', [
    'useradd', 'groupadd', 'adduser', 'addgroup', 'usermod', 'groupmod', 'userdel', 'groupdel', 'deluser', 'delgroup',
    'chpasswd', 'passwd', 'gpasswd', 'chsh', 'chage', 'ln', 'chmod', 'chown', 'chgrp', 'setcap', 'setfacl', 'mkdir', 'touch',
    'rm', 'rmdir', 'unlink', 'mv', 'echo', 'printf', 'find', 'sed', 'awk', 'jq', 'base64', 'apt-mark', 'openssl', 'ssh-keyscan',
    'cross-build-start', 'cross-build-end', 'tee', 'cat', 'ldconfig', 'update-ca-certificates',
    'a2enmod', 'a2dismod', 'a2ensite', 'a2dissite', 'a2enconf', 'a2disconf', 'phpenmod', 'phpdismod', 'php5enmod',
    'debconf-set-selections', 'dpkg-reconfigure', 'dpkg-divert', 'update-alternatives', 'update-locale', 'update-rc.d',
    'ssh-keygen', 'apt-key', 'gpg', 'crontab', 'dos2unix', 'envsubst', 'git', 'npm', 'yarn', 'pnpm',
  ]),
};

function each<T extends string>(effect: T, names: string[]): Record<string, T> {
  return Object.fromEntries(names.map((n) => [n, effect]));
}

/** Recursive copies (`cp -r`) and git commands that fetch (`git clone`) write what is not known; the rest is small. */
const WRITES_WHEN: Record<string, (args: string[]) => boolean> = {
  cp: (args) => args.some((a) => /^-[a-zA-Z]*[rRa]/.test(a) || a === '--recursive' || a === '--archive'),
  git: (args) => args.some((a) => ['clone', 'fetch', 'pull', 'submodule', 'lfs'].includes(a)),
  // installs are sized by the npm estimator; what else runs (`npm run build`) is a build
  npm: (args) => ['link', 'rebuild'].includes(args[0] ?? ''),
  yarn: () => false,
  pnpm: () => false,
};

/**
 * Commands whose output can be as large as their input: sent to a file (`head -c 1M /dev/urandom >
 * /x`, `cat parts* > big`), they write what is not known. A redirection of anything else (`echo`,
 * `date`, `wc`) writes a few bytes.
 */
const VOLUMINOUS_OUTPUT = new Set(['head', 'tail', 'cat', 'sort', 'uniq', 'cut', 'tr', 'yes', 'seq', 'shuf', 'grep', 'egrep', 'base64', 'find', 'awk', 'sed', 'jq', 'git', 'diff']);

/** Where stdout goes when a command sends it to a file: `> f`, `>> f`, `1>f`, `>f`; not /dev/null or a descriptor. */
function outputFile(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const m = /^(?:1)?>>?(.*)$/.exec(args[i]!);
    if (!m) continue;
    const target = m[1] || args[i + 1] || '';
    if (target && !target.startsWith('&') && target !== '/dev/null' && target !== '/dev/stderr' && target !== '/dev/stdout') return target;
  }
  return undefined;
}

/** The program a command runs, once `sudo`, `env` and shell keywords are stripped. */
export function programOf(argv: string[]): { name: string; args: string[] } {
  const words = unwrap(argv).argv;
  const first = words[0] ?? '';
  return { name: first.slice(first.lastIndexOf('/') + 1), args: words.slice(1) };
}

export function commandEffect(argv: string[]): CommandEffect {
  const { name, args } = programOf(argv);
  if (name === '') return 'nothing';
  // `> file` on its own line: a redirection, not a program
  if (/^[0-9]*[<>]/.test(name)) return 'small';
  // what the command splitter leaves of `2>&1`, `-exec … {} \;` and the like: no program
  if (!/^[A-Za-z_.$~]/.test(name)) return 'nothing';
  if (name === 'cp') return WRITES_WHEN.cp!(args) ? 'writes' : 'small';
  const known = KNOWN[name];
  if (!known) return 'writes';
  if (VOLUMINOUS_OUTPUT.has(name) && outputFile(args) !== undefined) return 'writes';
  const effect = WRITES_WHEN[name]?.(args) ? 'writes' : known;
  // printing into a file is a small change, not nothing
  return effect === 'nothing' && outputFile(args) !== undefined ? 'small' : effect;
}

/** The commands of a script that write files of a size not known, as they would be named (`./install.sh`, `yum`). */
export function unknownWriters(commands: SimpleCommand[], claimed: (argv: string[]) => boolean): string[] {
  const names: string[] = [];
  for (const { argv } of commands) {
    if (claimed(argv) || commandEffect(argv) !== 'writes') continue;
    const { name, args } = programOf(argv);
    // as written (`./install.sh`, not `install.sh`): the program's word in the original command
    const written = argv[argv.length - args.length - 1] ?? name;
    const said = name === 'git' || name === 'npm' ? `${name} ${args[0] ?? ''}`.trim() : written;
    if (!names.includes(said)) names.push(said);
  }
  return names;
}
