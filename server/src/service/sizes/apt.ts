import { COMPRESSION } from '../data/compression';
import { AptResolver, type AptMark, type AptPackage, type AptReason, type AptResolverEntry as Entry, type AptTable } from './aptTable';
import type { SimpleCommand } from './shell';
import { detailOf, type SizeFigure } from './types';
import { packageKey, packageNames, type LayerWrite } from './waste';
import { list, message, NoteList, plural, whatOf, type Message, type MessageValue } from './messages';
import { entry, exact, note as noteText, ranged, unknown, type PartBreakdown } from './breakdownEntries';
import { aptCaches } from './aptCaches';
import { inMountNote, type MountedPath } from './mounts';

export type { AptReason } from './aptTable';

/**
 * apt-get/apt/dpkg in a RUN: which packages it installs, from a bundled Debian index, and how many
 * bytes that leaves in the layer. The closure is apt's own rule (Pre-Depends + Depends, plus
 * Recommends unless turned off), minus what the base image already has; its bytes are the
 * packages' Installed-Size. DESIGN §4 found that sum within ±1% of real layers in 8 of 10 cases;
 * what it misses is added here as ranges: .pyc files, dpkg/debconf state, the apt lists. The
 * constants below were measured on 2026-11-26 by installing into copies of a debootstrap minbase
 * root (the same 88 packages as debian:bookworm, with the image's apt configuration) and summing
 * the new and changed files, hard links once: over 14 installs (16–152 packages) the estimate came
 * within −10%…+4% of the real bytes, each inside its range.
 */

/**
 * `apt-get update` lists: bookworm + bookworm-updates + bookworm-security main amd64, as the
 * official image's apt configuration stores them (docker-gzip-indexes: kept compressed, which apt
 * 2.6 does as lz4). Measured 2026-11-26 after `apt-get update` on a Debian 12 machine with that
 * configuration: 19,871,628 bytes (the bookworm Packages.lz4 alone 18.8 MB). DESIGN §4 measured
 * ~20 MB in real builds. The security index grows over a release's life: the range allows it.
 */
export const APT_LISTS = { best: 19_871_628, low: 19.0e6, high: 22e6 };
/**
 * dpkg's database (status, info/*.list, *.md5sums…), apt's extended_states and the dpkg/apt logs
 * one RUN writes. Measured 2026-11-26 on debian:bookworm-equivalent roots (debootstrap minbase with
 * the image's apt configuration), 10 installs of 16–152 packages: 0.6 MB for 16 packages up to
 * 3.4 MB for 152, i.e. ~0.4 MB + 20 KB per package.
 */
export const DPKG_STATE = { base: 0.4e6, perPackage: 0.02e6, lowFactor: 0.7, highFactor: 1.5 };
/**
 * debconf's templates.dat and config.dat are rewritten whenever a package that uses debconf is
 * installed: 1.54–1.68 MB in every measured install that had one, none otherwise.
 */
export const DEBCONF_CACHE = { best: 1.6e6, low: 1.2e6, high: 2.2e6 };
/** Files that maintainer scripts or triggers generate, measured in the same installs. */
export const POSTINST_FILES: Readonly<Record<string, number>> = {
  'shared-mime-info': 2.68e6, // /usr/share/mime caches (update-mime-database)
  'ca-certificates': 0.24e6, // /etc/ssl/certs: the hashed links and ca-certificates.crt
  'ca-certificates-java': 0.17e6, // /etc/ssl/certs/java/cacerts
  fontconfig: 0.19e6, // /var/cache/fontconfig
};
/**
 * .pyc files that py3compile writes after unpacking Python packages: not in Installed-Size, and
 * no file lists are bundled, so a share of the Installed-Size of packages flagged as shipping
 * Python modules. Measured 2026-11-26 (same roots): the python3 stack 54%, python3+pip 73%,
 * requests/yaml/jinja2 60%, ansible-core 64%, numpy 52% (.pyc = 1.12–1.31× the .py bytes).
 * DESIGN §4's "+12–20% of the .py bytes" did not hold on these installs.
 */
export const PYC_SHARE = { best: 0.6, low: 0.45, high: 0.8 };
/**
 * Bytes on disk per byte of Installed-Size. Installed-Size rounds every file up to a KiB and
 * counts directories, so the files themselves measured 93–100% of it (hard links once) in the
 * installs above; DESIGN §4 found the sum within ±1% of real layers in 8 of 10 cases.
 */
export const ON_DISK_SHARE = { best: 0.97, low: 0.93, high: 1.02 };
/**
 * Packages of the base that an install upgrades because a new package needs their newer version
 * (perl from bookworm-security needs the same perl-base): +0–9% in the installs measured; which
 * ones depends on the base image's age, so it widens the range only.
 */
export const BASE_UPGRADES_SHARE = 0.08;
/**
 * What `apt-get purge/remove/autoremove` of packages an earlier layer installed writes: dpkg's
 * status rewritten (with status-old), the dpkg/apt logs copied up with a few lines more,
 * ld.so.cache; the packages' files and their dpkg info files become whiteouts (no content).
 * Measured 2026-12-08 (accuracy fixture apt-purge-autoremove, buildah on the debootstrap base):
 * purging gcc + libc6-dev + make with --auto-remove removed 42 packages and wrote 274.5 kB of
 * files (status and status-old 77 kB each, dpkg.log 83 kB, apt logs 24 kB) plus 814 whiteouts.
 * status grows with the base's package list (node:22 has ~4× debian's): the range allows it.
 */
export const DPKG_REMOVAL = { base: 0.12e6, perPackage: 0.0037e6, lowFactor: 0.5, highFactor: 4 };
/** `apt-get upgrade` with the base's package list unknown: at most about a Debian base (116.6 MB). */
export const UPGRADE_UNKNOWN_BASE = 120e6;

export interface AptContext {
  table: AptTable;
  /** packages the base image (and earlier layers) already have; undefined when unknown */
  installed?: ReadonlySet<string>;
  /** an earlier layer already ran apt-get update and kept the lists */
  listsPresent?: boolean;
  /** apt's marks of the packages earlier RUNs of the stage installed (for autoremove) */
  marks?: ReadonlyMap<string, AptMark>;
  /** an earlier RUN of the stage removed docker-clean: apt keeps its downloads */
  keepsArchives?: boolean;
  /** the RUN's mounts: what they hold is not in the layer */
  mounted?: MountedPath;
}

export interface AptInstalledPackage {
  name: string;
  /** Installed-Size in bytes; null when the table does not know the package or its size */
  bytes: number | null;
  reason: AptReason;
  /** the package whose Depends/Recommends brought this one in */
  pulledBy?: string;
}

export interface AptRunEstimate {
  size: SizeFigure;
  /** packages this RUN leaves installed, requested ones first, then by size */
  packages: AptInstalledPackage[];
  /** what the Recommends would have added had they not been turned off */
  skippedByNoRecommends: { name: string; bytes: number | null }[];
  notes: string[];
  /** the notes as messages, index-aligned */
  noteMessages: Message[];
  /** bytes of apt lists this layer adds (0 when removed in the same RUN or not updated here) */
  listsBytes: number;
  /** the lists are present after this RUN (for the next RUN's `listsPresent`) */
  leavesLists: boolean;
  /** packages of earlier layers this RUN removes (for the installed set of later RUNs) */
  removed: string[];
  /** packages this RUN marks manual (requested), installed or already there: autoremove keeps them */
  manual: string[];
  /** files left that a later layer could delete */
  writes: LayerWrite[];
  /** what the figure adds to the packages' Installed-Size, each with its range */
  extras: { pyc: Range3; state: Range3; lists: Range3 };
  /** apt-get update wrote lists that the same RUN removes */
  listsRemoved: boolean;
  /** docker-clean is gone after this RUN: later RUNs keep their downloads too */
  keepsArchives: boolean;
  /** what stays in /var/cache/apt, or what the same RUN cleans (breakdown entries) */
  caches: { entries: PartBreakdown['entries']; removed: PartBreakdown['entries'] };
}

type Range3 = { best: number; low: number; high: number };

const APT_TOOLS = new Set(['apt-get', 'apt', 'aptitude']);
const WRAPPERS = new Set(['sudo', 'env', 'nice', 'time', 'eatmydata', 'nohup', 'command', 'exec']);
/** shell words that can stand before a command once `;` and newlines have split the script */
const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!']);
/** apt-get options that take the next word as their value */
const OPTIONS_WITH_VALUE = new Set(['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release', '-a', '--host-architecture']);
const DPKG_ACTIONS = new Set(['-i', '--install', '--unpack', '-R', '--recursive', '-r', '--remove', '-P', '--purge', '--add-architecture']);
const removesLists = (path: string) =>
  path.startsWith('/var/lib/apt/lists') && (path.replace(/\/+$/, '') === '/var/lib/apt/lists' || path.startsWith('/var/lib/apt/lists/*'));
const HOST_ARCHES = new Set(['amd64', 'all', 'any', 'native']);

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Strips `sudo`, `env VAR=x`, `xargs` and the like; says whether operands come from stdin. */
export function unwrap(argv: string[]): { argv: string[]; fromInput: boolean } {
  let i = 0;
  let fromInput = false;
  while (i < argv.length) {
    const word = argv[i]!;
    const base = word.slice(word.lastIndexOf('/') + 1);
    if (SHELL_KEYWORDS.has(word)) {
      i++;
    } else if (WRAPPERS.has(base)) {
      i++;
      while (i < argv.length && (argv[i]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!))) {
        if (base === 'sudo' && (argv[i] === '-u' || argv[i] === '-g')) i++;
        i++;
      }
    } else if (base === 'xargs') {
      fromInput = true;
      i++;
      while (i < argv.length && argv[i]!.startsWith('-')) {
        if (/^-[aInLPsdE]$/.test(argv[i]!)) i++;
        i++;
      }
    } else break;
  }
  const rest = argv.slice(i);
  if (rest.length > 0) rest[0] = rest[0]!.slice(rest[0]!.lastIndexOf('/') + 1);
  return { argv: rest, fromInput };
}

interface AptCommand {
  verb: string;
  operands: string[];
  /** undefined: apt's default (on) */
  recommends: boolean | undefined;
  assumeYes: boolean;
  simulate: boolean;
  downloadOnly: boolean;
  purge: boolean;
  autoRemove: boolean;
  reinstall: boolean;
  targetRelease?: string;
}

const truthy = (v: string) => /^(1|true|yes|on)$/i.test(v.replace(/^"|"$/g, ''));

/** `apt-get [options] verb [options] operands`: options may come anywhere. */
function parseAptArgs(args: string[]): AptCommand {
  const cmd: AptCommand = { verb: '', operands: [], recommends: undefined, assumeYes: false, simulate: false, downloadOnly: false, purge: false, autoRemove: false, reinstall: false };
  const setOption = (option: string) => {
    const eq = option.indexOf('=');
    const key = (eq < 0 ? option : option.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? '' : option.slice(eq + 1);
    if (key === 'apt::install-recommends') cmd.recommends = truthy(value);
    else if (key === 'apt::get::assume-yes') cmd.assumeYes = truthy(value);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      cmd.operands.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      if (cmd.verb === '') cmd.verb = a;
      else cmd.operands.push(a);
      continue;
    }
    if (OPTIONS_WITH_VALUE.has(a)) {
      const value = args[++i] ?? '';
      if (a === '-o' || a === '--option') setOption(value);
      else if (a === '-t' || a === '--target-release' || a === '--default-release') cmd.targetRelease = value;
      continue;
    }
    if (a.startsWith('--')) {
      const [name, value] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      switch (name) {
        case '--no-install-recommends':
          cmd.recommends = false;
          break;
        case '--install-recommends':
          cmd.recommends = true;
          break;
        case '--yes':
        case '--assume-yes':
        case '--force-yes':
          cmd.assumeYes = true;
          break;
        case '--simulate':
        case '--just-print':
        case '--dry-run':
        case '--recon':
        case '--no-act':
          cmd.simulate = true;
          break;
        case '--download-only':
          cmd.downloadOnly = true;
          break;
        case '--purge':
          cmd.purge = true;
          break;
        case '--auto-remove':
        case '--autoremove':
          cmd.autoRemove = true;
          break;
        case '--reinstall':
          cmd.reinstall = true;
          break;
        case '--option':
          if (value !== undefined) setOption(value);
          break;
        case '--target-release':
        case '--default-release':
          if (value !== undefined) cmd.targetRelease = value;
          break;
        case '--quiet':
          if (value !== undefined && Number(value) >= 2) cmd.assumeYes = true;
          break;
      }
      continue;
    }
    // short options, possibly combined (-yq, -qqy) or with an attached value (-oAPT::…=false, -q=2)
    if (a.startsWith('-o') && a.length > 2) {
      setOption(a.slice(2).replace(/^=/, ''));
      continue;
    }
    if (a.startsWith('-t') && a.length > 2) {
      cmd.targetRelease = a.slice(2).replace(/^=/, '');
      continue;
    }
    if (/^-q=\d+$/.test(a)) {
      if (Number(a.slice(3)) >= 2) cmd.assumeYes = true;
      continue;
    }
    const letters = a.slice(1);
    if (letters.includes('y')) cmd.assumeYes = true;
    if ((letters.match(/q/g) ?? []).length >= 2) cmd.assumeYes = true; // quiet level 2 implies -y
    if (letters.includes('s')) cmd.simulate = true;
    if (letters.includes('d')) cmd.downloadOnly = true;
  }
  return cmd;
}

type Operand =
  | { kind: 'package'; name: string; remove: boolean; release?: string; arch?: string; version?: string }
  | { kind: 'file'; text: string }
  | { kind: 'dynamic'; text: string };

function parseOperand(word: string, verbRemoves: boolean): Operand {
  if (word.includes('$') || word.includes('`')) return { kind: 'dynamic', text: word };
  if (word.endsWith('.deb') || word.startsWith('./') || word.startsWith('/') || word.startsWith('../')) return { kind: 'file', text: word };
  let name = word;
  let remove = verbRemoves;
  let version: string | undefined;
  let release: string | undefined;
  let arch: string | undefined;
  const eq = name.indexOf('=');
  if (eq > 0) {
    version = name.slice(eq + 1);
    name = name.slice(0, eq);
  }
  const slash = name.indexOf('/');
  if (slash > 0) {
    release = name.slice(slash + 1);
    name = name.slice(0, slash);
  }
  const colon = name.indexOf(':');
  if (colon > 0) {
    arch = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  // glob or regex patterns select packages by name at build time (versions may contain * and ~)
  if (/[*?[\]^~$|()]/.test(name)) return { kind: 'dynamic', text: word };
  // `apt-get install foo-` removes foo; `apt-get remove foo+` installs it
  if (!verbRemoves && name.endsWith('-') && name.length > 1) {
    remove = true;
    name = name.slice(0, -1);
  } else if (verbRemoves && name.endsWith('+') && name.length > 1) {
    remove = false;
    name = name.slice(0, -1);
  }
  return { kind: 'package', name, remove, ...(release ? { release } : {}), ...(arch ? { arch } : {}), ...(version ? { version } : {}) };
}

/**
 * Estimates what the apt/dpkg commands of one RUN add to its layer; undefined when the RUN has no
 * apt-get/apt/dpkg work.
 */
export function estimateAptRun(commands: SimpleCommand[], context: AptContext): AptRunEstimate | undefined {
  const { table } = context;
  const run = new AptResolver(table, context.installed, context.marks);
  const notes = new NoteList(true);
  const note = (said: Message) => notes.add(said);
  const skipped = new Map<string, number | null>();
  const unknownParts: MessageValue[] = [];
  const manual = new Set<string>();
  let work = false;
  let changesPackages = false;
  let upgrade = false;
  let lists: 'absent' | 'earlier' | 'here' = context.listsPresent ? 'earlier' : 'absent';
  let listsRemoved = false;
  const dropLists = () => {
    if (lists === 'here') listsRemoved = true;
    lists = 'absent';
  };
  let updatedAgain = false;
  let recommendsDefault: boolean | undefined;
  let installsWithoutLists = false;
  let keepsArchives = context.keepsArchives ?? false;
  let cleaned = false;
  // what a mount holds is not in the layer (mounts.ts)
  const listsMount = context.mounted?.('/var/lib/apt/lists');

  for (const command of commands) {
    const { argv, fromInput } = unwrap(command.argv);
    const tool = argv[0] ?? '';

    // apt.conf written in this RUN: APT::Install-Recommends "false";
    if ((tool === 'echo' || tool === 'printf') && argv.some((a) => /APT::Install-Recommends/i.test(a))) {
      const text = argv.join(' ');
      recommendsDefault = !/Install-Recommends\W+(0|false|no|off)/i.test(text);
      continue;
    }
    if (tool === 'rm' && argv.slice(1).some((a) => a.endsWith('/apt.conf.d/docker-clean'))) {
      keepsArchives = true;
      continue;
    }
    if (tool === 'rm' && argv.slice(1).some(removesLists)) {
      if (lists === 'earlier') note(message('aptListsEarlier'));
      dropLists();
      continue;
    }
    if (tool === 'find' && argv.some((a) => a.startsWith('/var/lib/apt/lists')) && argv.some((a) => a === '-delete' || a === 'rm')) {
      dropLists();
      continue;
    }

    if (tool === 'dpkg') {
      const args = argv.slice(1);
      const action = args.find((a) => DPKG_ACTIONS.has(a));
      const operands = args.filter((a) => !a.startsWith('-'));
      if (action === '-i' || action === '--install' || action === '--unpack' || action === '-R' || action === '--recursive') {
        work = true;
        changesPackages = true;
        unknownParts.push(`dpkg ${action} ${operands.join(' ')}`.trim());
        note(message('dpkgLocalFiles', { action, files: operands.join(', ') || message('unnamed') }));
      } else if (action === '-r' || action === '--remove' || action === '-P' || action === '--purge') {
        work = true;
        changesPackages = true;
        for (const name of operands) removePackage(name);
      } else if (action === '--add-architecture') {
        note(message('dpkgArchitecture', { arch: operands.join(' ') }));
      }
      continue;
    }

    if (!APT_TOOLS.has(tool)) continue;
    const cmd = parseAptArgs(argv.slice(1));
    const verb = cmd.verb;
    if (cmd.simulate) {
      work = true;
      note(message('aptSimulate', { command: `${tool} ${verb}` }));
      continue;
    }
    switch (verb) {
      case 'update':
        work = true;
        if (lists === 'earlier') updatedAgain = true;
        lists = 'here';
        break;
      case 'clean':
      case 'autoclean':
        work = true;
        if (keepsArchives) cleaned = true;
        else note(message('aptCleanNothing', { command: `${tool} ${verb}` }));
        break;
      case 'dist-clean':
        work = true;
        dropLists();
        break;
      case 'upgrade':
      case 'dist-upgrade':
      case 'full-upgrade':
        work = true;
        changesPackages = true;
        upgrade = true;
        if (cmd.operands.length > 0) installPackages(cmd, tool, fromInput);
        break;
      case 'install':
      case 'reinstall':
        work = true;
        if (verb === 'reinstall') cmd.reinstall = true;
        installPackages(cmd, tool, fromInput);
        break;
      case 'remove':
      case 'purge':
      case 'autopurge':
        work = true;
        changesPackages = true;
        for (const word of cmd.operands) {
          const op = parseOperand(word, true);
          if (op.kind !== 'package') {
            note(message('aptNotAName', { command: `${tool} ${verb}`, word }));
            continue;
          }
          if (op.remove) removePackage(op.name);
          else installOne(op.name, cmd.recommends ?? recommendsDefault ?? true, cmd, tool);
        }
        for (const dropped of run.dropBroken()) note(message('aptDroppedBroken', { name: dropped }));
        if (cmd.autoRemove || verb === 'autopurge') autoRemove();
        break;
      case 'autoremove':
        work = true;
        changesPackages = true;
        autoRemove();
        break;
      case 'build-dep':
      case 'source':
      case 'download':
      case 'satisfy':
        work = true;
        changesPackages = verb !== 'source' && verb !== 'download';
        unknownParts.push(`${tool} ${verb}`);
        note(message('aptNotEstimated', { command: `${tool} ${verb}` }));
        break;
      default:
        break; // show, policy, search, list, mark…: read-only
    }
  }

  function removePackage(name: string): void {
    if (run.added.delete(name)) {
      note(message('aptInstalledAndRemoved', { name }));
    } else if (context.installed === undefined || run.have(name)) {
      run.removedBase.add(name);
      note(message('aptRemovedEarlier', { name }));
    }
  }

  function autoRemove(): void {
    const before = new Set(run.added.keys());
    const gone = run.autoRemove();
    const here = gone.filter((n) => before.has(n));
    const earlier = gone.filter((n) => !before.has(n));
    if (here.length > 0) note(message('aptAutoremove', { count: here.length, s: plural(here.length) }));
    if (earlier.length > 0) note(message('aptAutoremoveLayers', { count: earlier.length, s: plural(earlier.length), names: packageNames(earlier) }));
    if (context.installed === undefined) note(message('aptAutoremoveEarlier'));
  }

  function installPackages(cmd: AptCommand, tool: string, fromInput: boolean): void {
    if (lists === 'absent' && context.listsPresent === false && !listsMount) installsWithoutLists = true;
    if (cmd.downloadOnly) {
      unknownParts.push(`${tool} ${cmd.verb} --download-only`);
      note(message('aptDownloadOnly'));
      return;
    }
    if (fromInput) {
      unknownParts.push(message('aptFromXargs', { command: `${tool} ${cmd.verb}` }));
      note(message('aptFromInput', { command: `${tool} ${cmd.verb}` }));
    }
    if (cmd.targetRelease) note(message('aptTargetRelease', { release: cmd.targetRelease, index: table.release || message('aptBundledWord') }));
    const recommends = cmd.recommends ?? recommendsDefault ?? true;
    const requested: string[] = [];
    for (const word of cmd.operands) {
      const op = parseOperand(word, false);
      if (op.kind === 'file') {
        changesPackages = true;
        unknownParts.push(word);
        note(message('aptLocalDeb', { word }));
        continue;
      }
      if (op.kind === 'dynamic') {
        changesPackages = true;
        unknownParts.push(word);
        note(message('aptDynamicName', { word }));
        continue;
      }
      if (op.remove) {
        changesPackages = true;
        removePackage(op.name);
        continue;
      }
      if (op.release) note(message('aptPackageRelease', { name: op.name, release: op.release, index: table.release || message('aptBundledWord') }));
      if (op.arch && !HOST_ARCHES.has(op.arch)) note(message('aptOtherArch', { name: op.name, arch: op.arch }));
      const name = pickPackage(op.name);
      if (name === undefined) continue;
      if (run.have(name) && !cmd.reinstall) {
        if (!run.added.has(name)) note(message('aptAlreadyInstalled', { name }));
        manual.add(name);
        continue;
      }
      if (cmd.reinstall && run.have(name) && !run.added.has(name)) note(message('aptReinstalled', { name }));
      run.mark(name, 'requested');
      requested.push(name);
      changesPackages = true;
    }
    const before = new Set(run.added.keys());
    const shadow = recommends ? undefined : run.clone();
    for (const name of requested) run.resolve(name, recommends);
    if (shadow) {
      for (const name of requested) shadow.resolve(name, true);
      for (const [name, entry] of shadow.added) if (!run.added.has(name)) skipped.set(name, entry.bytes);
    }
    const extra = [...run.added.keys()].filter((n) => !before.has(n)).length;
    if (extra > 0 && !cmd.assumeYes && tool !== 'aptitude') {
      note(message('aptWithoutYes', { command: `${tool} ${cmd.verb}`, count: extra, s: plural(extra) }));
    }
    if (run.added.has('tzdata') && !before.has('tzdata') && !setsNoninteractive(commands)) {
      note(message('aptTzdata'));
    }
  }

  function installOne(name: string, recommends: boolean, cmd: AptCommand, tool: string): void {
    installPackages({ ...cmd, verb: 'install', operands: [name], recommends }, tool, false);
  }

  /** The package apt installs for a name on its command line. */
  function pickPackage(name: string): string | undefined {
    if (table.get(name)) return name;
    const providers = table.providers(name);
    if (providers.length === 1) {
      note(message('aptVirtualOne', { name, provider: `${providers[0]}` }));
      return providers[0];
    }
    if (providers.length > 1) {
      const present = providers.find((p) => run.have(p));
      if (present) return present;
      note(message('aptVirtualMany', { name, providers: `${providers.slice(0, 4).join(', ')}${providers.length > 4 ? ', …' : ''}`, provider: `${providers[0]}` }));
      return providers[0];
    }
    unknownParts.push(name);
    run.added.set(name, { name, bytes: null, reason: 'requested' });
    note(message('aptNotInIndex', { name, index: table.release || 'apt' }));
    return undefined;
  }

  if (!work) return undefined;

  // ---- figures -----------------------------------------------------------------------------
  const entries = [...run.added.values()];
  const known = entries.filter((e) => e.bytes !== null);
  const packageBytes = known.reduce((s, e) => s + e.bytes!, 0);
  const pkgOf = (e: Entry): AptPackage | undefined => table.get(e.name);
  const pythonBytes = known.filter((e) => pkgOf(e)?.python).reduce((s, e) => s + e.bytes!, 0);
  const baseLike = context.installed === undefined ? known.filter((e) => pkgOf(e)?.minbase || pkgOf(e)?.essential || pkgOf(e)?.required) : [];
  const baseLikeBytes = baseLike.reduce((s, e) => s + e.bytes!, 0);
  const sizeUnknown = entries.filter((e) => e.bytes === null && table.get(e.name));
  if (sizeUnknown.length > 0) note(message('aptNoInstalledSize', { names: sizeUnknown.map((e) => e.name).join(', ') }));
  for (const [group, by] of run.missing) note(message('aptMissingGroup', { by: `${by}`, group: `${group}` }));

  const removed = [...run.removedBase];
  const changed = changesPackages || entries.length > 0;
  const state = changed ? stateFigure(entries, removed, table) : { best: 0, low: 0, high: 0 };
  const pyc = { best: pythonBytes * PYC_SHARE.best, low: pythonBytes * PYC_SHARE.low, high: pythonBytes * PYC_SHARE.high };
  // lists written into a mount are not in the layer: say where they went and what they would cost
  const listsHere = lists === 'here' && !listsMount;
  if (lists === 'here' && listsMount) note(inMountNote(message('aptLists'), listsMount, APT_LISTS.best));
  const caches = aptCaches({ keeps: keepsArchives, packageBytes, ranApt: changesPackages || lists === 'here', cleaned, ...(context.mounted ? { mounted: context.mounted } : {}) });
  for (const said of caches.notes) note(said);
  const listsBytes = listsHere ? APT_LISTS.best : 0;
  const listsRange = listsHere ? { best: APT_LISTS.best, low: updatedAgain ? 0 : APT_LISTS.low, high: APT_LISTS.high } : { best: 0, low: 0, high: 0 };
  let upgradeHigh = 0;
  if (upgrade) {
    if (context.installed) {
      for (const name of context.installed) upgradeHigh += table.get(name)?.installedBytes ?? 0;
      note(message('aptUpgradeKnownBase', { size: mb(upgradeHigh) }));
    } else {
      upgradeHigh = UPGRADE_UNKNOWN_BASE;
      note(message('aptUpgradeUnknownBase', { size: mb(upgradeHigh) }));
    }
  }

  const upgradesShare = context.installed ? BASE_UPGRADES_SHARE : 0;
  const best = packageBytes * ON_DISK_SHARE.best + pyc.best + state.best + listsRange.best + caches.range.best;
  const low = (packageBytes - baseLikeBytes) * ON_DISK_SHARE.low + pyc.low + state.low + listsRange.low + caches.range.low;
  const high =
    unknownParts.length > 0 ? null : packageBytes * (ON_DISK_SHARE.high + upgradesShare) + pyc.high + state.high + listsRange.high + upgradeHigh + caches.range.high;
  const compressed = Math.round(
    ((packageBytes - pythonBytes) * ON_DISK_SHARE.best) / COMPRESSION['debian-packages'].best +
      (pythonBytes * ON_DISK_SHARE.best + pyc.best) / COMPRESSION['python-packages'].best +
      state.best / COMPRESSION['mixed'].best +
      listsRange.best / COMPRESSION['apt-lists'].best +
      caches.compressed,
  );

  // ---- words -------------------------------------------------------------------------------
  const requestedCount = entries.filter((e) => e.reason === 'requested').length;
  const recommended = entries.filter((e) => e.reason === 'recommended');
  if (recommended.length > 0) {
    const bytes = recommended.reduce((s, e) => s + (e.bytes ?? 0), 0);
    note(message('aptRecommends', { count: recommended.length, s: plural(recommended.length), size: mb(bytes) }));
  }
  if (skipped.size > 0) {
    const bytes = [...skipped.values()].reduce((s: number, b) => s + (b ?? 0), 0);
    note(message('aptRecommendsLeftOut', { count: skipped.size, s: plural(skipped.size), size: mb(bytes) }));
  }
  if (context.installed === undefined && entries.length > 0) {
    note(message('aptBaseUnknown', {
      low: baseLike.length > 0 ? message('aptBaseUnknownLow', { count: baseLike.length, s: plural(baseLike.length), size: mb(baseLikeBytes) }) : '',
    }));
  }
  if (pythonBytes > 0) note(message('aptPyc', { best: Math.round(PYC_SHARE.best * 100), low: Math.round(PYC_SHARE.low * 100), high: Math.round(PYC_SHARE.high * 100), size: mb(pythonBytes) }));
  if (installsWithoutLists) note(message('aptNoLists'));
  if (listsHere) note(message('aptListsLeft', { size: mb(APT_LISTS.best) }));
  if (updatedAgain) note(message('aptUpdatedAgain'));

  const source = table.release
    ? message('aptIndexOf', { release: table.release.replace(/^debian /, 'Debian '), date: table.date ? ` (${table.date})` : '' })
    : message('aptIndex');
  let what: Message;
  if (entries.length > 0) {
    what = message('aptInstalls', { count: entries.length, s: plural(entries.length), requested: requestedCount, pulled: entries.length - requestedCount, source });
  } else if (removed.length > 0) {
    what = message('aptRemovesOnly', { count: removed.length, s: plural(removed.length), names: packageNames(removed) });
  } else if (changed) {
    what = message('aptChangesOnly');
  } else {
    what = message('aptNothingInstalled');
  }
  const extras: Message[] = [];
  if (pyc.best > 0) extras.push(message('aptPycPart', { size: mb(pyc.best) }));
  if (state.best > 0) extras.push(message(entries.length === 0 && removed.length > 0 ? 'aptRemovalStatePart' : 'aptStatePart', { size: mb(state.best) }));
  if (listsHere) extras.push(message('aptListsPart', { size: mb(APT_LISTS.best) }));
  if (unknownParts.length > 0) extras.push(message('aptNotCounted', { items: list([...unknownParts.slice(0, 3), ...(unknownParts.length > 3 ? ['…'] : [])], ', ') }));
  const said = message('aptDetail', { parts: list([what, ...extras], '; ') });

  const order: Record<AptReason, number> = { requested: 0, dependency: 1, recommended: 2 };
  const packages: AptInstalledPackage[] = entries
    .map((e) => ({ ...e }))
    .sort((a, b) => order[a.reason] - order[b.reason] || (b.bytes ?? 0) - (a.bytes ?? 0) || (a.name < b.name ? -1 : 1));
  const size: SizeFigure = {
    bytes: Math.round(best),
    low: Math.round(Math.min(low, best)),
    high: high === null ? null : Math.round(Math.max(high, best)),
    compressed,
    source: 'estimate',
    ...detailOf(said),
  };
  return {
    size,
    packages,
    skippedByNoRecommends: [...skipped].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0)),
    notes: notes.notes,
    noteMessages: notes.messages,
    listsBytes,
    leavesLists: lists !== 'absent' && !listsMount,
    removed,
    manual: [...new Set([...entries.filter((e) => e.reason === 'requested').map((e) => e.name), ...manual])].filter((n) => run.have(n)),
    writes: [
      ...(listsHere ? [{ path: '/var/lib/apt/lists', bytes: listsBytes, ...whatOf(message('aptLists')) }] : []),
      ...packageWrites(known, table),
      ...caches.writes,
    ],
    extras: { pyc, state, lists: listsRange },
    listsRemoved: listsRemoved && !listsHere && !listsMount,
    keepsArchives,
    caches: { entries: caches.entries, removed: caches.removed },
  };
}

/**
 * dpkg, apt and debconf state one RUN writes: the install's per-package state, debconf's cache when
 * a package uses it, files maintainer scripts generate; and for packages of earlier layers it
 * removes, what a removal rewrites (the removed files themselves become whiteouts, no bytes).
 */
function stateFigure(entries: readonly Entry[], removed: readonly string[], table: AptTable): Range3 {
  // a RUN that only removes packages writes the removal's state, not an install's
  const dpkgBest = entries.length > 0 || removed.length === 0 ? DPKG_STATE.base + DPKG_STATE.perPackage * entries.length : 0;
  const removal = removed.length > 0 ? DPKG_REMOVAL.base + DPKG_REMOVAL.perPackage * removed.length : 0;
  const debconf = entries.some((e) => table.get(e.name)?.debconf) ? DEBCONF_CACHE : { best: 0, low: 0, high: 0 };
  const generated = entries.reduce((s, e) => s + (POSTINST_FILES[e.name] ?? 0), 0);
  return {
    best: dpkgBest + removal + debconf.best + generated,
    low: dpkgBest * DPKG_STATE.lowFactor + removal * DPKG_REMOVAL.lowFactor + debconf.low + generated * 0.8,
    high: dpkgBest * DPKG_STATE.highFactor + removal * DPKG_REMOVAL.highFactor + debconf.high + generated * 1.25,
  };
}

/**
 * Each installed package as a write of its on-disk bytes (and its .pyc share), so that a later
 * layer's purge or autoremove counts them as waste in this layer.
 */
function packageWrites(known: readonly Entry[], table: AptTable): LayerWrite[] {
  return known.map((e) => {
    const bytes = Math.round(e.bytes! * (ON_DISK_SHARE.best + (table.get(e.name)?.python ? PYC_SHARE.best : 0)));
    return { path: packageKey('apt', e.name), bytes, ...whatOf(message('aptPackageFiles', { name: e.name })), package: { manager: 'apt' as const, name: e.name } };
  });
}

/**
 * An apt RUN's breakdown: each package with its Installed-Size from the bundled index, requested
 * or pulled in (and by which package); what the figure adds on top (.pyc files, dpkg state, the
 * lists); the lists the same RUN removes; and what --no-install-recommends would drop.
 */
export function aptBreakdown(result: AptRunEstimate, dropped: { names: ReadonlySet<string>; bytes: number }): PartBreakdown {
  const packages = result.packages.map((p) =>
    entry('package', p.name, p.bytes === null ? unknown : exact(p.bytes, 'bundled'), {
      manager: 'apt',
      role: p.reason,
      ...(p.pulledBy ? { pulledBy: p.pulledBy } : {}),
      ...(dropped.names.has(p.name) ? { flags: ['recommended' as const] } : {}),
    }),
  );
  const { pyc, state, lists } = result.extras;
  const extras = [
    ...(pyc.best > 0 ? [entry('other', '.pyc', ranged(pyc.best, pyc.low, pyc.high), { note: noteText('aptPyc') })] : []),
    ...(state.best > 0 ? [entry('other', '/var/lib/dpkg', ranged(state.best, state.low, state.high), { note: noteText(result.packages.length === 0 && result.removed.length > 0 ? 'aptRemovalState' : 'aptState') })] : []),
    ...(lists.best > 0 ? [entry('cache', '/var/lib/apt/lists', ranged(lists.best, lists.low, lists.high), { note: noteText('aptLists') })] : []),
  ];
  const removed = [
    ...(result.listsRemoved ? [entry('cache', '/var/lib/apt/lists', ranged(APT_LISTS.best, APT_LISTS.low, APT_LISTS.high), { flags: ['removed-here'], note: noteText('aptListsRemoved') })] : []),
    ...result.caches.removed,
  ];
  return {
    entries: [...packages, ...extras, ...result.caches.entries],
    ...(removed.length > 0 ? { removed } : {}),
    ...(dropped.names.size > 0 ? { withoutRecommends: { packages: dropped.names.size, bytes: dropped.bytes } } : {}),
  };
}

function setsNoninteractive(commands: SimpleCommand[]): boolean {
  return commands.some((c) => c.env['DEBIAN_FRONTEND'] === 'noninteractive' || c.argv.some((a) => a === 'DEBIAN_FRONTEND=noninteractive'));
}
