import type { InstructionInfo, Stage } from '../types';

/**
 * What a history entry's `created_by` says, and whether it records a given instruction. The forms
 * come from real builds (Docker Engine 20.10, BuildKit's Dockerfile frontend, and the classic
 * builder that buildah/podman also write):
 *   RUN /bin/sh -c apt-get update # buildkit          RUN |2 A=1 B= /bin/sh -c make # buildkit
 *   RUN |1 A=1 sh -c echo hi # buildkit  (exec form)    COPY a.txt ./ # buildkit  (flags dropped)
 *   WORKDIR /srv/app   ENV K=v   LABEL k=v   EXPOSE map[8080/tcp:{}]   VOLUME [/data]
 *   CMD ["-c" "cat x"]   HEALTHCHECK &{["CMD-SHELL" "…"] "30s" …}   SHELL [/bin/sh -ec]
 *   /bin/sh -c #(nop)  ENV K=v   /bin/sh -c #(nop) COPY file:3a… in /app   /bin/sh -c make
 */
export interface HistoryText {
  /** upper-case keyword; '' for entries that name none (imports, bare base layers) */
  keyword: string;
  /** the rest, without the keyword and BuildKit's ` # buildkit` mark */
  body: string;
  /** RUN: the build args BuildKit recorded (`|N K=V …`), name → value */
  buildArgs?: Record<string, string>;
  /** classic builder forms (`#(nop)`, `COPY file:<hash> in <dest>`) */
  classic?: true;
}

const KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR', 'ENV', 'LABEL', 'ARG', 'USER', 'EXPOSE', 'VOLUME', 'CMD', 'ENTRYPOINT', 'SHELL', 'STOPSIGNAL', 'HEALTHCHECK', 'ONBUILD', 'MAINTAINER']);

export function readHistory(createdBy: string, argNames: readonly string[] = []): HistoryText {
  let text = createdBy.trim().replace(/\s+# buildkit$/, '');
  if (text === '') return { keyword: '', body: '' };
  const nop = /^\/bin\/sh -c #\(nop\)\s*(\S+)\s*([\s\S]*)$/.exec(text);
  if (nop) return { keyword: nop[1]!.toUpperCase(), body: nop[2]!.trim(), classic: true };
  const first = /^(\S+)\s*([\s\S]*)$/.exec(text)!;
  let keyword = first[1]!.toUpperCase();
  if (KEYWORDS.has(keyword)) text = first[2]!;
  else keyword = 'RUN'; // the classic builder records a RUN as the bare shell command
  if (keyword !== 'RUN') return { keyword, body: text };
  const recorded = /^\|(\d+)\s+/.exec(text);
  if (!recorded) return { keyword, body: text, ...(first[1] === 'RUN' ? {} : { classic: true as const }) };
  const { args, rest } = readArgPairs(text.slice(recorded[0].length), Number(recorded[1]), argNames);
  return { keyword, body: rest, buildArgs: args };
}

/**
 * `A=1 B=two words /bin/sh -c …` with `count` pairs: a value runs to the next ` NAME=` of a known
 * name (values may hold spaces), the last one to the next space.
 */
function readArgPairs(text: string, count: number, names: readonly string[]): { args: Record<string, string>; rest: string } {
  const args: Record<string, string> = {};
  let at = 0;
  for (let i = 0; i < count; i++) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(text.slice(at));
    if (!m) break;
    const start = at + m[0].length;
    let end = -1;
    if (i < count - 1) {
      for (const name of names) {
        const hit = text.indexOf(` ${name}=`, start);
        if (hit >= 0 && (end < 0 || hit < end)) end = hit;
      }
    }
    if (end < 0) end = text.indexOf(' ', start) < 0 ? text.length : text.indexOf(' ', start);
    args[m[1]!] = text.slice(start, end);
    at = end + 1;
  }
  return { args, rest: text.slice(Math.min(at, text.length)) };
}

export type EntryMatch = 'same' | 'edited';

/**
 * Whether a history entry records this instruction as written now: 'same', 'edited' (same
 * keyword, other text), or null (another instruction). Values BuildKit expands (`$VAR`) match
 * anything; quotes and JSON punctuation are not compared.
 */
export function matchEntry(info: InstructionInfo, entry: HistoryText): EntryMatch | null {
  if (entry.keyword !== info.keyword) return null;
  const compare = COMPARE[info.keyword] ?? sameWords;
  return compare(info, entry) ? 'same' : 'edited';
}

type Compare = (info: InstructionInfo, entry: HistoryText) => boolean;

const flat = (text: string) => text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
/** Quotes dropped, JSON brackets and commas as spaces: `["-c", "x y"]` and `["-c" "x y"]` read alike. */
const words = (text: string) => flat(text.replace(/["']/g, '').replace(/[[\],]/g, ' '));

/** The command a RUN runs as BuildKit records it: exec-form words joined by spaces. */
export function runCommand(info: InstructionInfo): string {
  const text = info.args.trim();
  if (text.startsWith('[')) {
    try {
      const argv: unknown = JSON.parse(text);
      if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) return argv.join(' ');
    } catch {
      // not JSON: the shell runs it as written
    }
  }
  return text;
}

/** A pattern from expected text in which `$VAR` / `${VAR…}` stand for whatever BuildKit expanded. */
function pattern(expected: string): RegExp {
  const parts = expected.split(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

const sameWords: Compare = (info, entry) => pattern(words(info.args)).test(words(entry.body));

const COMPARE: Record<string, Compare> = {
  RUN: (info, entry) => {
    const command = flat(runCommand(info));
    const body = flat(entry.body);
    return body === command || body.endsWith(` ${command}`) || (info.heredocs.length > 0 && body.includes(flat(info.args)));
  },
  COPY: (info, entry) => copied(info, entry),
  ADD: (info, entry) => copied(info, entry),
  ENV: (info, entry) => pattern(words(pairs(info.args))).test(words(entry.body)),
  LABEL: (info, entry) => pattern(words(info.args)).test(words(entry.body)),
  EXPOSE: (info, entry) => ports(info.args) === ports(entry.body),
  VOLUME: (info, entry) => pattern(words(info.args)).test(words(entry.body)),
  // shell-form CMD/ENTRYPOINT are recorded with the shell before them
  CMD: (info, entry) => endsWithWords(info.args, entry.body),
  ENTRYPOINT: (info, entry) => endsWithWords(info.args, entry.body),
  HEALTHCHECK: (info, entry) => words(entry.body).includes(words(info.args.replace(/^(--\S+\s+)*(CMD\s+)?/i, ''))),
};

/** COPY/ADD: BuildKit drops the flags (what `args` already leaves out); the classic form names only the destination. */
function copied(info: InstructionInfo, entry: HistoryText): boolean {
  if (entry.classic) {
    const dest = / in (\S+)\s*$/.exec(entry.body)?.[1];
    const written = info.args.trim().split(/\s+/).pop() ?? '';
    return dest !== undefined && pattern(written).test(dest);
  }
  return pattern(flat(info.args)).test(flat(entry.body));
}

/** `ENV A b` (the legacy form) is recorded as `A=b`. */
function pairs(args: string): string {
  const text = args.trim();
  const m = /^([^\s=]+)\s+(.*)$/s.exec(text);
  return m && !m[1]!.includes('=') && !/^\S+=/.test(text) ? `${m[1]}=${m[2]}` : text;
}

function ports(text: string): string {
  return [...new Set(words(text.replace(/map|\{\}|:/g, ' ')).split(' ').filter(Boolean).map((p) => (p.includes('/') ? p : `${p}/tcp`)))].sort().join(' ');
}

function endsWithWords(expected: string, recorded: string): boolean {
  const e = words(expected);
  const r = words(recorded);
  return e === r || r.endsWith(` ${e}`) || pattern(e).test(r);
}

/** The build args a RUN sees now, as BuildKit would record them (`|N K=V`): name → value. */
export function argsSeen(info: InstructionInfo, stage: Stage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of info.argsInScope ?? []) out[name] = stage.args.find((a) => a.name === name)?.value ?? '';
  return out;
}
