/**
 * A cloned repository that tries every way its config can make git run a program: a clean/smudge
 * filter and a long-running filter process from `.gitattributes`, a textconv driver,
 * `diff.external`, a pager, the fsmonitor hook, hooks both in `.git/hooks` and in
 * `core.hooksPath` (`post-index-change` among them), `log.showSignature` with a signed commit and
 * `gpg.program`, ssh/askpass/credential/proxy programs, and an `include.path` that sets the same
 * again. Each program leaves a file named after its role in `markers` (outside the repository)
 * and passes its input through, so git keeps working if it runs one. Built with the real git.
 *
 * The working tree then differs from HEAD: `app.txt` has new bytes of the same size (only a hash
 * sees it), `keep.txt` was rewritten with the same bytes and a new time (git's stat data is stale:
 * `git diff` would refresh the index there), `new.txt` is untracked.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const HOSTILE_DOCKERFILE = 'FROM scratch\nCOPY keep.txt /keep.txt\nCOPY app.txt /app.txt\nCOPY new.txt /new.txt\n';

export interface HostileRepo {
  repo: string;
  dockerfile: string;
  markers: string;
  /** the repository's programs (to name one in an environment variable too) */
  programs: string;
  /** files left in `markers`: empty unless something the repository configures ran */
  ran(): string[];
  /** every file under `.git` with its bytes' hash and mtime, to compare before and after */
  gitState(): Map<string, string>;
}

export function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const HOOKS = ['post-index-change', 'pre-commit', 'post-commit', 'post-checkout', 'reference-transaction', 'pre-auto-gc', 'post-rewrite', 'fsmonitor-watchman'];

/** A shell script that records its run and copies stdin to stdout (a filter still filters). */
function marker(dir: string, role: string, markers: string): string {
  const file = path.join(dir, role);
  writeFileSync(file, `#!/bin/sh\n: > '${path.join(markers, role)}'\ncat\nexit 0\n`);
  chmodSync(file, 0o755);
  return file;
}

export function createHostileRepo(root: string): HostileRepo {
  const repo = path.join(root, 'repo');
  const markers = path.join(root, 'markers');
  const programs = path.join(root, 'programs');
  const hooks = path.join(root, 'hooks');
  for (const dir of [repo, markers, programs, hooks]) mkdirSync(dir, { recursive: true });
  const run = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgSign=false', ...args], { cwd: repo, stdio: 'pipe' });
  run('init', '-q');
  writeFileSync(path.join(repo, 'Dockerfile'), HOSTILE_DOCKERFILE);
  writeFileSync(path.join(repo, 'app.txt'), 'version one\n');
  writeFileSync(path.join(repo, 'keep.txt'), 'unchanged\n');
  writeFileSync(path.join(repo, '.gitattributes'), '* filter=x diff=t\n*.txt filter=p\n');
  run('add', '.');
  run('commit', '-qm', 'first');
  // a signed commit on top: `git log` runs gpg.program for it when log.showSignature is on
  const tree = run('rev-parse', 'HEAD^{tree}').toString().trim();
  const parent = run('rev-parse', 'HEAD').toString().trim();
  const signed = `tree ${tree}\nparent ${parent}\nauthor t <t@example.invalid> 1700000000 +0000\ncommitter t <t@example.invalid> 1700000000 +0000\n` +
    'gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQ==\n -----END PGP SIGNATURE-----\n\nsigned\n';
  const commit = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: repo, input: signed }).toString().trim();
  run('update-ref', 'HEAD', commit);

  // Only now the hostile config (setting it up ran none of it): appended as text, not by git.
  const p = (role: string) => marker(programs, role, markers);
  for (const hook of HOOKS) {
    marker(hooks, hook, markers);
    marker(path.join(repo, '.git', 'hooks'), hook, markers);
  }
  writeFileSync(path.join(root, 'included.config'), [
    '[core]', `\tfsmonitor = ${p('included-fsmonitor')}`, `\tpager = ${p('included-pager')}`,
    '[filter "x"]', `\tclean = ${p('included-clean')}`, '',
  ].join('\n'));
  const config = [
    '[core]', `\tfsmonitor = ${p('fsmonitor')}`, `\thooksPath = ${hooks}`, `\tpager = ${p('pager')}`, `\tsshCommand = ${p('ssh')}`,
    `\taskPass = ${p('askpass')}`, `\tgitProxy = ${p('proxy')}`, `\teditor = ${p('editor')}`, '\tuntrackedCache = true',
    '[filter "x"]', `\tclean = ${p('clean')}`, `\tsmudge = ${p('smudge')}`, '\trequired = true',
    '[filter "p"]', `\tprocess = ${p('process')}`,
    '[diff]', `\texternal = ${p('external-diff')}`,
    '[diff "t"]', `\ttextconv = ${p('textconv')}`,
    '[pager]', `\tlog = ${p('pager')}`, `\tdiff = ${p('pager')}`,
    '[log]', '\tshowSignature = true',
    '[gpg]', `\tprogram = ${p('gpg')}`,
    '[credential]', `\thelper = ${p('credential')}`,
    '[include]', `\tpath = ${path.join(root, 'included.config')}`, '',
  ].join('\n');
  writeFileSync(path.join(repo, '.git', 'config'), `${readFileSync(path.join(repo, '.git', 'config'), 'utf8')}${config}`);

  writeFileSync(path.join(repo, 'app.txt'), 'version two\n');
  writeFileSync(path.join(repo, 'keep.txt'), 'unchanged\n');
  const later = new Date(Date.now() + 60_000);
  utimesSync(path.join(repo, 'keep.txt'), later, later);
  writeFileSync(path.join(repo, 'new.txt'), 'untracked\n');

  return {
    repo,
    dockerfile: path.join(repo, 'Dockerfile'),
    markers,
    programs,
    ran: () => readdirSync(markers).sort(),
    gitState: () => {
      const state = new Map<string, string>();
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else state.set(path.relative(repo, full), `${statSync(full).mtimeMs}:${readFileSync(full).toString('base64')}`);
        }
      };
      walk(path.join(repo, '.git'));
      return state;
    },
  };
}

/** Paths under `.git` added, removed or changed (bytes or time) between two gitState() calls. */
export function changedIn(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
}
