/**
 * Variable expansion as BuildKit's shell lexer does it for FROM, COPY --from and friends:
 * `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`, `${VAR+word}`, `${VAR:?msg}`,
 * quotes removed, the escape character protecting the next character. Pattern operators
 * (`#`, `%`, `/`) expand to the plain value and are reported as unsupported.
 */

export type Lookup = (name: string) => string | undefined;

export interface Expansion {
  value: string;
  /** names used without a value and without a default */
  unresolved: string[];
  /** the value reached MAX_EXPANSION_CHARS and was cut there */
  truncated?: true;
}

/**
 * The longest value an expansion gives. No real ARG or ENV comes close; `ARG X=${X}${X}` sixty
 * times over would want 2^60 characters and end the process with "Invalid string length".
 */
export const MAX_EXPANSION_CHARS = 64 * 1024;

interface Found {
  unresolved: string[];
  truncated: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export function expandVariables(text: string, lookup: Lookup, escapeChar = '\\'): Expansion {
  const found: Found = { unresolved: [], truncated: false };
  const value = expandWord(text, lookup, escapeChar, found, 0);
  return { value, unresolved: [...new Set(found.unresolved)], ...(found.truncated ? { truncated: true as const } : {}) };
}

function expandWord(text: string, lookup: Lookup, escapeChar: string, found: Found, depth: number): string {
  const unresolved = found.unresolved;
  let out = '';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    if (out.length > MAX_EXPANSION_CHARS) {
      found.truncated = true;
      return out.slice(0, MAX_EXPANSION_CHARS);
    }
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else out += ch;
      continue;
    }
    if (ch === escapeChar && i + 1 < text.length) {
      out += text[++i];
      continue;
    }
    if (ch === '"') {
      quote = quote === '"' ? null : '"';
      continue;
    }
    if (ch === "'" && quote === null) {
      quote = "'";
      continue;
    }
    if (ch !== '$') {
      out += ch;
      continue;
    }
    const next = text[i + 1];
    if (next === '{') {
      const close = findClosingBrace(text, i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      out += expandBraced(text.slice(i + 2, close), lookup, escapeChar, found, depth);
      i = close;
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      const name = text.slice(i + 1, j);
      const v = lookup(name);
      if (v === undefined) unresolved.push(name);
      out += v ?? '';
      i = j - 1;
    } else {
      out += ch;
    }
  }
  if (out.length > MAX_EXPANSION_CHARS) {
    found.truncated = true;
    return out.slice(0, MAX_EXPANSION_CHARS);
  }
  return out;
}

function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function expandBraced(inner: string, lookup: Lookup, escapeChar: string, found: Found, depth: number): string {
  const unresolved = found.unresolved;
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(inner);
  if (!match) return '';
  const name = match[1]!;
  const rest = match[2]!;
  const value = lookup(name);
  // Nested words (defaults) are expanded lazily; cap the depth against pathological input.
  const word = (w: string) => (depth > 20 ? w : expandWord(w, lookup, escapeChar, found, depth + 1));
  const op = /^(:?[-+?])(.*)$/s.exec(rest);
  if (rest === '') {
    if (value === undefined) unresolved.push(name);
    return value ?? '';
  }
  if (op) {
    const [, operator, operand] = op as unknown as [string, string, string];
    const unsetOrEmpty = value === undefined || value === '';
    switch (operator) {
      case ':-': return unsetOrEmpty ? word(operand) : value!;
      case '-': return value === undefined ? word(operand) : value;
      case ':+': return unsetOrEmpty ? '' : word(operand);
      case '+': return value === undefined ? '' : word(operand);
      default: // :? and ?: the build fails when unset
        if (value === undefined || (operator === ':?' && value === '')) unresolved.push(name);
        return value ?? '';
    }
  }
  // ${VAR#pattern}, ${VAR%pattern}, ${VAR/a/b}: keep the plain value.
  if (value === undefined) unresolved.push(name);
  return value ?? '';
}

/** Names referenced by `$X` / `${X...}` in a text, in order, without duplicates. */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g)) names.add((m[1] ?? m[2])!);
  return [...names];
}
