import ignoreFactory from '@balena/dockerignore';

/**
 * `.dockerignore` as Docker reads it. Lines are cleaned the way the Docker CLI and BuildKit clean
 * them, literal patterns take Docker's plain string paths (exact, `prefix**`, `**suffix`), and
 * wildcard patterns are matched by @balena/dockerignore, one library matcher per pattern. Around
 * the library this module fixes where it differs from Docker:
 *
 * - it matches case-insensitively by default (Docker is case-sensitive): we pass `ignorecase: false`;
 * - it escapes only `.` and `$` before building its regular expression, so `+ ( ) | { }` act as
 *   regex operators (`c++` throws, `a|b` matches anything starting with `a`): we wrap
 *   them in a one-character class first;
 * - it checks a pattern against one parent prefix only (the old, buggy Docker behaviour), so
 *   `x/**b` missed `x/y/b/c`: we keep each path's per-pattern result and hand it to the children,
 *   so a pattern that matches any ancestor covers everything below it, as Docker does now;
 * - `**foo` (a leading `**` and a literal rest) is a plain suffix test in Docker (`**.log` matches
 *   `a/x.log`); the library reads `**.log` as a file named `.log` at any depth: literal patterns
 *   never reach the library;
 * - a lone `!` and malformed patterns (`[a`, a trailing `\`) make `docker build` fail; the library
 *   drops the first and throws on the second when matching: we report both in `errors`;
 * - a pattern starting with `#` after cleaning (`/#x`) would be read by the library as a comment,
 *   and `!!x` as a second negation: the first character goes in as a class;
 * - the library keeps every path it was asked about in a cache that never shrinks: its matchers
 *   are rebuilt every 20,000 queries;
 * - a UTF-8 byte-order mark on the first line is dropped, as Docker does.
 *
 * Matching follows `MatchesOrParentMatches` semantics: a path is excluded when the last pattern
 * that matches it or one of its parent directories is not an exception. (BuildKit's walker skips
 * evaluating patterns that cannot change the running result and so, in contrived files that repeat
 * a pattern after an exception of it, may re-include a little more than this; we follow the rule.)
 * Files and directories match alike: a trailing `/` is cleaned away, so `logs/` also excludes a
 * file named `logs`. `Dockerfile` and `.dockerignore` can be excluded like any file: BuildKit still
 * reads them, but COPY/ADD do not see them.
 */

export interface IgnoreState {
  /** excluded by the patterns */
  readonly ignored: boolean;
  /** indices of the patterns that match this path or one of its parent directories */
  readonly matched: readonly number[];
}

export interface DockerIgnore {
  /** the patterns in effect, cleaned as Docker cleans them (exceptions keep their `!`) */
  readonly patterns: string[];
  /** problems that make `docker build` fail (the offending patterns are left out) */
  readonly errors: string[];
  /** some pattern is an exception (`!`): excluded directories may have to be walked */
  readonly hasExceptions: boolean;
  /**
   * Whether the build leaves `path` (posix, relative to the context root) out of the context.
   * `isDirectory` does not change Docker's answer; it is part of the question for callers' sake.
   */
  ignores(path: string, isDirectory?: boolean): boolean;
  /** The state of a path, from the states of its parent directories (cached). */
  stateOf(path: string): IgnoreState;
  /**
   * The state of `path` at `depth` components, given its parent directory's state (undefined for
   * a top-level entry). Walkers use this to test each pattern once per path.
   */
  match(path: string, depth: number, parent: IgnoreState | undefined): IgnoreState;
  /**
   * Whether an excluded directory must still be walked because an exception could re-include
   * something inside it (Docker walks into it then too). False for directories that are not
   * excluded: walk those anyway.
   */
  descendInto(directory: string, state: IgnoreState): boolean;
}

type Kind = 'exact' | 'prefix' | 'suffix' | 'regexp';

interface Rule {
  exclusion: boolean;
  /** the cleaned pattern without its `!` */
  pattern: string;
  kind: Kind;
  /** components of every path the pattern can match, when that is fixed */
  depth: number | null;
  /** fewest components of a path the pattern can match */
  minDepth: number;
  /** text every matching path starts with */
  literalPrefix: string;
  test(path: string): boolean;
  /** matchers for the first n components, for descendInto (fixed-depth wildcard patterns) */
  heads?: Map<number, Rule | null>;
}

const EMPTY: readonly number[] = [];
const NOT_IGNORED: IgnoreState = { ignored: false, matched: EMPTY };
/** library matchers are rebuilt after this many queries, to drop their path cache */
const LIBRARY_CACHE_LIMIT = 20_000;
const BOM = '\uFEFF';

export function createIgnore(text: string): DockerIgnore {
  const { patterns, errors } = readPatterns(text);
  const rules: Rule[] = [];
  const kept: string[] = [];
  for (const line of patterns) {
    const exclusion = line.startsWith('!');
    const pattern = exclusion ? line.slice(1) : line;
    if (exclusion && pattern === '') {
      errors.push('"!" alone is not a valid exception: docker build fails with "illegal exclusion pattern"');
      continue;
    }
    if (isBadPattern(pattern)) {
      errors.push(`"${line}" is not a valid pattern: docker build fails with "syntax error in pattern"`);
      continue;
    }
    rules.push(compileRule(pattern, exclusion));
    kept.push(line);
  }
  return new Matcher(kept, errors, rules);
}

/**
 * The ignore files BuildKit looks for, first found wins: `<Dockerfile path>.dockerignore` next to
 * the Dockerfile (e.g. `docker/build.Dockerfile.dockerignore`), then `.dockerignore` at the
 * context root. `dockerfilePath` is posix, as the build names it.
 */
export function dockerignoreFor(dockerfilePath: string): string[] {
  const name = dockerfilePath.replace(/\\/g, '/').replace(/^\.\//, '');
  return name === '' ? ['.dockerignore'] : [`${name}.dockerignore`, '.dockerignore'];
}

class Matcher implements DockerIgnore {
  readonly hasExceptions: boolean;
  private readonly states = new Map<string, IgnoreState>();

  constructor(readonly patterns: string[], readonly errors: string[], private readonly rules: Rule[]) {
    this.hasExceptions = rules.some((r) => r.exclusion);
  }

  ignores(path: string, _isDirectory = false): boolean {
    return this.stateOf(path).ignored;
  }

  stateOf(path: string): IgnoreState {
    const clean = cleanPath(path).replace(/^\/+/, '');
    if (clean === '.' || clean === '' || this.rules.length === 0) return NOT_IGNORED;
    const cached = this.states.get(clean);
    if (cached) return cached;
    const slash = clean.lastIndexOf('/');
    const parent = slash < 0 ? undefined : this.stateOf(clean.slice(0, slash));
    const state = this.match(clean, countComponents(clean), parent);
    if (this.states.size > 10_000) this.states.clear();
    this.states.set(clean, state);
    return state;
  }

  match(path: string, depth: number, parent: IgnoreState | undefined): IgnoreState {
    const rules = this.rules;
    if (rules.length === 0) return NOT_IGNORED;
    const inherited = parent?.matched ?? EMPTY;
    let matched: number[] | null = null;
    let next = 0;
    for (let k = 0; k < rules.length; k++) {
      let hit: boolean;
      if (next < inherited.length && inherited[next] === k) {
        hit = true;
        next++;
      } else {
        const rule = rules[k]!;
        // the library may also try parents; none of them matched (or k would be inherited)
        hit = (rule.depth === null ? depth >= rule.minDepth : depth === rule.depth) && rule.test(path);
        if (hit && matched === null) matched = inherited.slice(0, next);
      }
      if (hit && matched !== null && matched[matched.length - 1] !== k) matched.push(k);
    }
    const list = matched ?? inherited;
    if (list.length === 0) return parent && !parent.ignored ? parent : NOT_IGNORED;
    const ignored = !rules[list[list.length - 1]!]!.exclusion;
    if (parent && list === inherited && parent.ignored === ignored) return parent;
    return { ignored, matched: list };
  }

  descendInto(directory: string, state: IgnoreState): boolean {
    if (!state.ignored || !this.hasExceptions) return false;
    const rules = this.rules;
    let winner = -1;
    for (const k of state.matched) if (!rules[k]!.exclusion) winner = k;
    const dir = `${directory}/`;
    const depth = countComponents(directory);
    for (let k = winner + 1; k < rules.length; k++) {
      const rule = rules[k]!;
      if (!rule.exclusion) continue;
      const lit = rule.literalPrefix;
      // every match starts with `lit`; paths inside the directory start with `dir`
      if (!(dir.startsWith(lit) || lit.startsWith(dir))) continue;
      if (rule.depth === null) return true;
      if (rule.depth <= depth) continue;
      const head = headRule(rule, depth);
      if (head === null || head.test(directory)) return true;
    }
    return false;
  }
}

/** A rule for the first `n` components of a fixed-depth pattern; null when it cannot be built. */
function headRule(rule: Rule, n: number): Rule | null {
  rule.heads ??= new Map();
  let head = rule.heads.get(n);
  if (head === undefined) {
    const parts = rule.pattern.split('/');
    const text = parts.slice(0, n).join('/');
    head = /(^|[^\\])(\\\\)*\\$/.test(text) || isBadPattern(text) ? null : compileRule(text, false);
    rule.heads.set(n, head);
  }
  return head;
}

// ---------------------------------------------------------------------------------------------
// Reading the file

/** The lines of a .dockerignore as Docker keeps them: comments and blanks out, paths cleaned. */
function readPatterns(text: string): { patterns: string[]; errors: string[] } {
  const patterns: string[] = [];
  const lines = (text.startsWith(BOM) ? text.slice(1) : text).split('\n');
  for (let raw of lines) {
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    // only a `#` in the very first column starts a comment (` # x` is a pattern)
    if (raw.startsWith('#')) continue;
    let pattern = raw.trim();
    if (pattern === '') continue;
    const exclusion = pattern.startsWith('!');
    if (exclusion) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(exclusion ? `!${pattern}` : pattern);
  }
  return { patterns, errors: [] };
}

/** Go's path.Clean: no empty or `.` elements, `..` resolved where it can be, no trailing slash. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

function countComponents(path: string): number {
  let n = 1;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Patterns

/**
 * How Docker matches a pattern: a plain string comparison when it has no wildcard (`exact`), a
 * prefix test for a literal followed by a final `**`, a suffix test for `**` followed by a
 * literal, otherwise a regular expression.
 */
function classify(pattern: string): Kind {
  let kind: Kind = 'exact';
  for (let i = 0, step = 0; i < pattern.length; step++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      i += 2;
      if (pattern[i] === '/') i++;
      kind = i >= pattern.length && kind === 'exact' ? 'prefix' : 'regexp';
      if (step === 0) kind = 'suffix';
    } else if (ch === '*' || ch === '?' || ch === '[' || ch === ']') {
      kind = 'regexp';
      i++;
    } else if (ch === '\\') {
      if (i + 1 < pattern.length) kind = 'regexp';
      i += 2;
    } else {
      i++;
    }
  }
  return kind;
}

function compileRule(pattern: string, exclusion: boolean): Rule {
  const kind = classify(pattern);
  const slashes = countComponents(pattern) - 1;
  if (kind === 'exact') {
    return { exclusion, pattern, kind, depth: slashes + 1, minDepth: slashes + 1, literalPrefix: pattern, test: (p) => p === pattern };
  }
  if (kind === 'prefix') {
    const prefix = pattern.slice(0, -2);
    return { exclusion, pattern, kind, depth: null, minDepth: countComponents(prefix), literalPrefix: prefix, test: (p) => p.startsWith(prefix) };
  }
  if (kind === 'suffix') {
    const suffix = pattern.slice(2);
    const bare = suffix.startsWith('/') ? suffix.slice(1) : null;
    return { exclusion, pattern, kind, depth: null, minDepth: 1, literalPrefix: '', test: (p) => p.endsWith(suffix) || p === bare };
  }
  const variable = pattern.includes('**') || pattern.includes('[');
  const firstWild = pattern.search(/[*?[\\]/);
  // every match also ends with the text after the last wildcard (less a `/` that `**/` may eat):
  // a cheap test before the library's
  const tail = pattern.slice(Math.max(...['*', '?', ']', '\\'].map((c) => pattern.lastIndexOf(c))) + 1).replace(/^\//, '');
  const library = wildcardMatcher(pattern);
  return {
    exclusion,
    pattern,
    kind,
    depth: variable ? null : slashes + 1,
    minDepth: 1,
    literalPrefix: firstWild < 0 ? pattern : pattern.slice(0, firstWild),
    test: tail === '' ? library : (p) => p.endsWith(tail) && library(p),
  };
}

/**
 * One wildcard pattern as one regular expression, compiled once, the way Docker's patternmatcher
 * compiles it: `**` any text (and the slash after it), `*` and `?` anything but `/`, classes and
 * escapes as written, `. + ( ) | { } $` literal. A matcher per pattern that keeps no state, so a
 * .dockerignore of thousands of lines over thousands of paths costs patterns × paths regex tests
 * and no memory per path (the library keeps every path it was asked about, per pattern). A
 * pattern JavaScript cannot compile goes to the library.
 */
function wildcardMatcher(pattern: string): (path: string) => boolean {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') i++;
      source += i + 1 >= pattern.length ? '.*' : '(.*/)?';
    } else if (ch === '*') {
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '\\') {
      source += i + 1 < pattern.length ? `\\${pattern[++i]}` : '\\\\';
    } else if (ch === '[' || ch === ']') {
      source += ch;
    } else {
      source += ch.replace(/[.+()|{}$]/, '\\$&');
    }
  }
  // every match holds the pattern's longest literal run (less the slashes a `**` may take): a
  // substring test rules out most paths before the expression runs
  // (classes left out: their contents are not literal)
  const literal = pattern.includes('[') ? '' : pattern.split(/[*?\\]+/).reduce((a, b) => (b.length > a.length ? b : a), '').replace(/^\/+|\/+$/g, '');
  try {
    const regex = new RegExp(`${source}$`);
    return literal.length < 3 ? (path) => regex.test(path) : (path) => path.includes(literal) && regex.test(path);
  } catch {
    return libraryMatcher(pattern);
  }
}

/** One @balena/dockerignore matcher for one wildcard pattern, fed a text it reads as Docker does. */
function libraryMatcher(pattern: string): (path: string) => boolean {
  const text = forLibrary(pattern);
  const build = () => ignoreFactory({ ignorecase: false }).add(text);
  let matcher = build();
  let calls = 0;
  return (path) => {
    if (++calls > LIBRARY_CACHE_LIMIT) {
      matcher = build();
      calls = 0;
    }
    return matcher.ignores(path);
  };
}

const REGEX_OPERATORS = new Set(['+', '(', ')', '|', '{', '}']);

/**
 * Docker escapes `. + ( ) | { } $` before compiling a pattern to a regular expression; the library
 * escapes only `.` and `$`. Outside character classes the others go in as one-character classes
 * (`[+]`), which mean the same on every platform. A leading `!` or `#` goes in as a class too, so
 * the library reads neither an exception nor a comment.
 */
function forLibrary(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      out += ch + pattern[++i];
    } else if (inClass) {
      out += ch;
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
      if (pattern[i + 1] === '^') out += pattern[++i];
    } else if (REGEX_OPERATORS.has(ch) || (i === 0 && (ch === '!' || ch === '#'))) {
      out += `[${ch}]`;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Go's filepath.Match syntax check, which Docker runs on every pattern: a class must be closed
 * and hold at least one character or range, `-` and `]` must be escaped where they would start a
 * range end, and a pattern cannot end with a lone `\`.
 */
export function isBadPattern(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      if (i + 1 >= pattern.length) return true;
      i++;
    } else if (ch === '[') {
      i++;
      if (pattern[i] === '^') i++;
      let ranges = 0;
      for (;;) {
        if (i >= pattern.length) return true;
        if (pattern[i] === ']' && ranges > 0) break;
        const lo = classChar(pattern, i);
        if (lo < 0) return true;
        i = lo;
        if (pattern[i] === '-') {
          const hi = classChar(pattern, i + 1);
          if (hi < 0) return true;
          i = hi;
        }
        ranges++;
      }
    }
  }
  return false;
}

/** Index after one (possibly escaped) character of a class, or -1 when the class is malformed. */
function classChar(pattern: string, i: number): number {
  if (i >= pattern.length || pattern[i] === '-' || pattern[i] === ']') return -1;
  if (pattern[i] === '\\') i++;
  if (i >= pattern.length) return -1;
  const code = pattern.codePointAt(i)!;
  const next = i + (code > 0xffff ? 2 : 1);
  return next >= pattern.length ? -1 : next;
}
