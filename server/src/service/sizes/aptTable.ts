/**
 * The apt package table: what the apt estimator knows about each Debian package (installed size,
 * dependencies, recommends, who provides a name), parsed from the bundled text, and apt's
 * dependency closure over it (AptResolver). Pure: the host reads and decompresses the file
 * (`data/apt-bookworm.txt.br`, brotli; scripts/build-apt-table.mjs writes it) and passes the text in.
 *
 * Format (UTF-8, one line per name, `\n` ends lines):
 *
 *     #dockerlens-apt-table 1 names=front refs=index     first line; both keys optional
 *     #release debian bookworm                           other `#` lines before the first name
 *     #date 2026-07-11                                   the index's Date
 *     name TAB installedKiB TAB flags TAB depends TAB pre-depends TAB recommends TAB provided-by
 *
 * - names=plain (the default) writes each name in full; names=front writes the number of leading
 *   characters shared with the previous line's name as one base-36 digit, then the rest.
 * - installedKiB is Installed-Size (KiB), `?` when the index gives none, and empty for a name no
 *   package has (a virtual name, or a name nothing provides).
 * - flags: `e` Essential: yes, `r` Priority: required, `i` Priority: important, `b` in the minimal
 *   base (what `debootstrap --variant=minbase` installs: every Debian image has it), `p` ships
 *   Python modules (its .pyc files are compiled after unpacking, so they are not in Installed-Size),
 *   `d` uses debconf (installing it rewrites debconf's cache).
 * - depends, pre-depends, recommends: groups separated by `,`, alternatives within a group by `|`,
 *   version constraints and `:any` dropped. provided-by: the packages that provide this name,
 *   the one apt prefers first.
 * - refs=name (the default) writes names; refs=index writes the base-62 (0-9a-zA-Z) number of the
 *   referenced name's line, counting from 0 at the first name line.
 * - Trailing empty fields may be left out.
 */

export interface AptPackage {
  name: string;
  /** Installed-Size × 1024; null when the index has no Installed-Size */
  installedBytes: number | null;
  essential: boolean;
  /** Priority: required (every debootstrapped Debian has these) */
  required: boolean;
  important: boolean;
  /** in the minimal base every Debian image has (debootstrap minbase: the 88 packages of debian:bookworm) */
  minbase: boolean;
  /** ships Python modules: the .pyc files written at install time are not in installedBytes */
  python: boolean;
  /** uses debconf: installing it rewrites debconf's cache files */
  debconf: boolean;
  depends: readonly (readonly string[])[];
  preDepends: readonly (readonly string[])[];
  recommends: readonly (readonly string[])[];
}

export interface AptTable {
  /** e.g. "debian bookworm" */
  release: string;
  /** date of the index the table was built from (YYYY-MM-DD), or '' */
  date: string;
  /** number of real packages */
  packageCount: number;
  /** a real package of that name */
  get(name: string): AptPackage | undefined;
  /** packages that provide `name` (other than a package of that name), preferred first */
  providers(name: string): readonly string[];
  /** the table has a line for the name (a package, or a virtual name) */
  knows(name: string): boolean;
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGIT_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUE[DIGITS.charCodeAt(i)] = i;
const NONE: readonly never[] = Object.freeze([]);
const LF = 10;
const TAB = 9;
const HASH = 35;

export class AptTableFormatError extends Error {}

/**
 * Parses the table (its UTF-8 bytes, or its text). The table stays as the bytes it was given, with
 * the decoded names packed in one more buffer and a hash index over them: 63,666 names as
 * strings in a Map held ~10 MB of the server's heap for a table of which an analysis reads a few
 * hundred entries. A package's fields are decoded the first time it is asked for.
 */
export function parseAptTable(source: string | Uint8Array): AptTable {
  const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  const utf8 = new TextDecoder();
  const lineEnd = (from: number) => {
    const at = bytes.indexOf(LF, from);
    return at < 0 ? bytes.length : at;
  };

  let frontCoded = false;
  let indexRefs = false;
  let release = '';
  let date = '';
  let pos = 0;
  let headerLines = 0;
  for (; pos < bytes.length && bytes[pos] === HASH; pos = lineEnd(pos) + 1, headerLines++) {
    const line = utf8.decode(bytes.subarray(pos, lineEnd(pos)));
    if (line.startsWith('#dockerlens-apt-table')) {
      frontCoded = /\bnames=front\b/.test(line);
      indexRefs = /\brefs=index\b/.test(line);
    } else if (line.startsWith('#release ')) release = line.slice(9).trim();
    else if (line.startsWith('#date ')) date = line.slice(6).trim();
  }

  // One entry per name line: where its other fields lie in `bytes`, and its name, decoded, in `names`.
  let count = 0;
  for (let at = pos; at < bytes.length; at = lineEnd(at) + 1) if (bytes[at] !== LF && bytes[at] !== HASH) count++;
  const restStart = new Int32Array(count);
  const restEnd = new Int32Array(count);
  const nameStart = new Int32Array(count + 1);
  let names = new Uint8Array(Math.max(64, bytes.length - pos));
  let namesLength = 0;
  let packageCount = 0;
  let n = 0;
  for (let at = pos, line = headerLines; at < bytes.length; at = lineEnd(at) + 1, line++) {
    if (bytes[at] === LF || bytes[at] === HASH) continue;
    const end = lineEnd(at);
    let tab = bytes.indexOf(TAB, at);
    if (tab < 0 || tab > end) tab = end;
    let headStart = at;
    let shared = 0;
    if (frontCoded) {
      shared = tab > at ? base36(bytes[at]!) : -1;
      const previous = n > 0 ? nameStart[n]! - nameStart[n - 1]! : 0;
      if (shared < 0 || shared > previous) throw new AptTableFormatError(`bad name on table line ${line + 1}`);
      headStart = at + 1;
    }
    const length = shared + (tab - headStart);
    if (namesLength + length > names.length) {
      const grown = new Uint8Array(Math.max(names.length * 2, namesLength + length));
      grown.set(names.subarray(0, namesLength));
      names = grown;
    }
    if (shared > 0) names.copyWithin(namesLength, nameStart[n - 1]!, nameStart[n - 1]! + shared);
    names.set(bytes.subarray(headStart, tab), namesLength + shared);
    namesLength += length;
    restStart[n] = tab < end ? tab + 1 : end;
    restEnd[n] = end;
    if (restStart[n]! < end && bytes[restStart[n]!] !== TAB) packageCount++;
    n++;
    nameStart[n] = namesLength;
  }
  names = names.slice(0, namesLength);

  // Open addressing over the names; a later line of the same name wins, as it did in a Map.
  const slots = new Int32Array(1 << Math.max(4, Math.ceil(Math.log2(count * 2 + 1)))).fill(-1);
  const mask = slots.length - 1;
  const slotOf = (hash: number, matches: (entry: number) => boolean): number => {
    let slot = hash & mask;
    while (slots[slot] !== -1 && !matches(slots[slot]!)) slot = (slot + 1) & mask;
    return slot;
  };
  for (let i = 0; i < count; i++) {
    const hash = hashBytes(names, nameStart[i]!, nameStart[i + 1]!);
    slots[slotOf(hash, (j) => sameBytes(names, nameStart[j]!, nameStart[j + 1]!, names, nameStart[i]!, nameStart[i + 1]!))] = i;
  }
  // Names asked for, by string: the few hundred an analysis uses are looked up once.
  const asked = new Map<string, number>();
  const indexOf = (name: string): number => {
    let i = asked.get(name);
    if (i === undefined) {
      if (asked.size >= 10_000) asked.clear();
      const key = new TextEncoder().encode(name);
      i = slots[slotOf(hashBytes(key, 0, key.length), (j) => sameBytes(names, nameStart[j]!, nameStart[j + 1]!, key, 0, key.length))]!;
      asked.set(name, i);
    }
    return i;
  };
  const nameAt = (i: number) => utf8.decode(names.subarray(nameStart[i]!, nameStart[i + 1]!));

  const decodeRef = (ref: string): string => {
    if (!indexRefs) return ref;
    let value = 0;
    for (let i = 0; i < ref.length; i++) {
      const d = DIGIT_VALUE[ref.charCodeAt(i)] ?? -1;
      if (d < 0) return ref;
      value = value * 62 + d;
    }
    return value < count ? nameAt(value) : ref;
  };
  const decodeGroups = (field: string | undefined): readonly (readonly string[])[] =>
    field ? field.split(',').map((group) => group.split('|').map(decodeRef)) : NONE;

  const packages = new Map<number, AptPackage | null>();
  const providerLists = new Map<number, readonly string[]>();
  const fieldsOf = (i: number) => utf8.decode(bytes.subarray(restStart[i]!, restEnd[i]!)).split('\t');

  const get = (name: string): AptPackage | undefined => {
    const i = indexOf(name);
    if (i < 0) return undefined;
    let p = packages.get(i);
    if (p === undefined) {
      const f = fieldsOf(i);
      const size = f[0] ?? '';
      if (size === '') p = null;
      else {
        const flags = f[1] ?? '';
        const kib = size === '?' ? NaN : Number(size);
        p = {
          name,
          installedBytes: Number.isFinite(kib) ? kib * 1024 : null,
          essential: flags.includes('e'),
          required: flags.includes('r'),
          important: flags.includes('i'),
          minbase: flags.includes('b'),
          python: flags.includes('p'),
          debconf: flags.includes('d'),
          depends: decodeGroups(f[2]),
          preDepends: decodeGroups(f[3]),
          recommends: decodeGroups(f[4]),
        };
      }
      packages.set(i, p);
    }
    return p ?? undefined;
  };

  const providers = (name: string): readonly string[] => {
    const i = indexOf(name);
    if (i < 0) return NONE;
    let list = providerLists.get(i);
    if (list === undefined) {
      const field = fieldsOf(i)[5];
      list = field ? field.split(',').map(decodeRef) : NONE;
      providerLists.set(i, list);
    }
    return list;
  };

  return { release, date, packageCount, get, providers, knows: (name) => indexOf(name) >= 0 };
}

/** parseInt(c, 36) for one character code; -1 when it is no base-36 digit. */
function base36(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return -1;
}

/** FNV-1a */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

function sameBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

export type AptReason = 'requested' | 'dependency' | 'recommended';

export interface AptResolverEntry {
  name: string;
  /** Installed-Size in bytes; null when unknown */
  bytes: number | null;
  reason: AptReason;
  /** the package whose Depends/Recommends brought this one in */
  pulledBy?: string;
}

/**
 * apt's closure over a table, as one RUN builds it up: what it has added, which packages of
 * earlier layers it removed. Unsatisfied groups take their first alternative apt can install (a
 * virtual name: its preferred provider); a group is satisfied by any alternative, or a provider of
 * one, that is installed or added. Requested packages are marked before their dependencies are
 * followed, as apt does.
 */
/** apt's mark of an installed package: named on a command line, or pulled in (autoremove may take it). */
export type AptMark = 'manual' | 'auto';

export class AptResolver {
  readonly added = new Map<string, AptResolverEntry>();
  readonly removedBase = new Set<string>();
  readonly missing = new Map<string, string>();
  /**
   * @param base what is installed before this RUN (the base image and earlier RUNs)
   * @param marks apt's mark for each package earlier RUNs of the stage installed; the base image's
   *   packages are not in it and count as manual (debootstrap marks nothing automatic)
   */
  constructor(
    readonly table: AptTable,
    readonly base: ReadonlySet<string> | undefined,
    readonly marks: ReadonlyMap<string, AptMark> = new Map(),
  ) {}

  have(name: string): boolean {
    return this.added.has(name) || (this.base !== undefined && this.base.has(name) && !this.removedBase.has(name));
  }

  satisfied(group: readonly string[]): boolean {
    return group.some((a) => this.have(a) || this.table.providers(a).some((p) => this.have(p)));
  }

  /** apt's choice for an unsatisfied group: the first alternative it can install. */
  choose(group: readonly string[]): string | undefined {
    for (const a of group) {
      if (this.table.get(a)) return a;
      const providers = this.table.providers(a);
      if (providers.length > 0) return providers[0];
    }
    return undefined;
  }

  mark(name: string, reason: AptReason, pulledBy?: string): void {
    const p = this.table.get(name);
    this.added.set(name, { name, bytes: p ? p.installedBytes : null, reason, ...(pulledBy ? { pulledBy } : {}) });
  }

  /** Marks the dependencies (and recommends) of a package marked for install, depth first. */
  resolve(name: string, recommends: boolean): void {
    const p = this.table.get(name);
    if (!p) return;
    const follow = (groups: readonly (readonly string[])[], reason: AptReason) => {
      for (const group of groups) {
        if (this.satisfied(group)) continue;
        const choice = this.choose(group);
        if (choice === undefined) {
          if (reason !== 'recommended') this.missing.set(group.join(' | '), name);
          continue;
        }
        this.mark(choice, reason, name);
        this.resolve(choice, recommends);
      }
    };
    follow(p.preDepends, 'dependency');
    follow(p.depends, 'dependency');
    if (recommends) follow(p.recommends, 'recommended');
  }

  clone(): AptResolver {
    const copy = new AptResolver(this.table, this.base, this.marks);
    for (const [k, v] of this.added) copy.added.set(k, v);
    for (const r of this.removedBase) copy.removedBase.add(r);
    return copy;
  }

  /**
   * Removes packages whose hard dependencies are no longer satisfied, as apt does: those of this
   * RUN and those earlier RUNs installed (the base image's own packages are left alone: the table
   * may not know every relation they rely on).
   */
  dropBroken(): string[] {
    const dropped: string[] = [];
    const broken = (name: string) => {
      const p = this.table.get(name);
      return p !== undefined && [...p.preDepends, ...p.depends].some((g) => !this.satisfied(g) && this.choose(g) !== undefined);
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (const [name] of this.added) {
        if (!broken(name)) continue;
        this.added.delete(name);
        dropped.push(name);
        changed = true;
      }
      for (const [name] of this.marks) {
        if (!this.have(name) || this.added.has(name) || !broken(name)) continue;
        this.removedBase.add(name);
        dropped.push(name);
        changed = true;
      }
    }
    return dropped;
  }

  /**
   * `autoremove`: automatically installed packages (pulled in by this RUN or by earlier ones) that
   * no manually installed package still needs through its Depends, Pre-Depends or Recommends
   * (apt keeps what Recommends name by default). Returns them; those of earlier RUNs are then
   * in removedBase.
   */
  autoRemove(): string[] {
    const keep = new Set<string>();
    const todo: string[] = [...this.added.values()].filter((e) => e.reason === 'requested').map((e) => e.name);
    if (this.base) for (const b of this.base) if (!this.removedBase.has(b) && this.marks.get(b) !== 'auto') todo.push(b);
    while (todo.length > 0) {
      const name = todo.pop()!;
      if (keep.has(name)) continue;
      keep.add(name);
      const p = this.table.get(name);
      if (!p) continue;
      for (const group of [...p.preDepends, ...p.depends, ...p.recommends]) {
        for (const a of group) {
          if (this.have(a) && !keep.has(a)) todo.push(a);
          for (const provider of this.table.providers(a)) if (this.have(provider) && !keep.has(provider)) todo.push(provider);
        }
      }
    }
    const candidates = [...this.added.keys(), ...[...this.marks].filter(([n, mark]) => mark === 'auto' && !this.added.has(n) && this.have(n)).map(([n]) => n)];
    const removed = candidates.filter((n) => !keep.has(n));
    for (const n of removed) {
      if (!this.added.delete(n)) this.removedBase.add(n);
    }
    return removed;
  }
}
