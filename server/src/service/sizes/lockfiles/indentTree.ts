/**
 * A tolerant reader for the indentation-shaped lockfiles: yarn classic (`key value`), yarn berry
 * and pnpm-lock (a YAML subset: block maps, block sequences, one-line `[a, b]` / `{a: b}`, quoted
 * scalars). It never throws: what it cannot read is skipped and counted in `skipped`. Anchors,
 * multi-line strings and other YAML features lockfiles do not use are read as plain text.
 */
export type TreeValue = string | string[] | TreeMap;
export interface TreeMap {
  [key: string]: TreeValue;
}

export interface ReadTree {
  root: TreeMap;
  /** lines that were neither a key nor a list item */
  skipped: number;
}

export function readIndentTree(text: string): ReadTree {
  const root: TreeMap = Object.create(null) as TreeMap;
  // open containers by indentation: a map's keys sit deeper than its frame, a list's items at it
  const stack: Frame[] = [{ indent: -1, map: root }];
  // a key whose value is on the next lines
  let pending: { indent: number; parent: TreeMap; key: string } | undefined;
  let skipped = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    let indent = 0;
    while (indent < raw.length && raw.charCodeAt(indent) === 32) indent++;
    const line = raw.slice(indent);
    if (line === '' || line[0] === '#' || line === '---') continue;
    const item = line === '-' || line.startsWith('- ');
    if (pending && (indent > pending.indent || (item && indent === pending.indent))) {
      if (item) {
        const list: string[] = [];
        pending.parent[pending.key] = list;
        stack.push({ indent, list });
      } else {
        const map = Object.create(null) as TreeMap;
        pending.parent[pending.key] = map;
        stack.push({ indent: pending.indent, map });
      }
    }
    pending = undefined;
    while (stack.length > 1) {
      const top = stack[stack.length - 1]!;
      if (top.list ? indent < top.indent || (indent === top.indent && !item) : indent <= top.indent) stack.pop();
      else break;
    }
    const top = stack[stack.length - 1]!;
    if (top.list) {
      if (item && indent === top.indent) top.list.push(unquote(line.slice(1).trim()));
      else skipped++;
      continue;
    }
    const parsed = splitKey(line);
    if (!parsed || !top.map) {
      skipped++;
      continue;
    }
    const { key, value } = parsed;
    if (value === '') pending = { indent, parent: top.map, key };
    else top.map[key] = inline(value);
  }
  return { root, skipped };
}

interface Frame {
  indent: number;
  map?: TreeMap;
  list?: string[];
}

/** `key: value` (YAML), `key value` (yarn classic) or `key:` opening a block. */
function splitKey(line: string): { key: string; value: string } | undefined {
  let key: string;
  let rest: string;
  if (line[0] === '"' || line[0] === "'") {
    const close = closingQuote(line, line[0]);
    if (close < 0) return undefined;
    // yarn classic: `"a@^1", "a@^2":` names one entry by several descriptors
    if (line[close + 1] === ',' && line.endsWith(':')) return { key: splitFlow(line.slice(0, -1)).map(unquote).join(', '), value: '' };
    key = unquote(line.slice(0, close + 1));
    rest = line.slice(close + 1);
    if (rest.startsWith(':')) rest = rest.slice(1);
  } else {
    const space = line.indexOf(' ');
    let colon = line.indexOf(': ');
    if (colon < 0 && line.endsWith(':')) colon = line.length - 1;
    if (colon >= 0 && (space < 0 || colon < space || line[colon + 1] === ' ')) {
      key = line.slice(0, colon);
      rest = line.slice(colon + 1);
    } else if (space > 0) {
      key = line.slice(0, space);
      rest = line.slice(space);
    } else return undefined;
  }
  const value = stripComment(rest.trim());
  key = key.trim();
  return key ? { key, value } : undefined;
}

function closingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\' && quote === '"') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

function stripComment(value: string): string {
  if (value[0] === '"' || value[0] === "'") return value;
  const hash = value.indexOf(' #');
  return hash >= 0 ? value.slice(0, hash).trimEnd() : value;
}

function unquote(value: string): string {
  if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') {
    try {
      return JSON.parse(value) as string;
    } catch {
      return value.slice(1, -1);
    }
  }
  if (value.length >= 2 && value[0] === "'" && value[value.length - 1] === "'") return value.slice(1, -1).replace(/''/g, "'");
  return value;
}

/** A one-line value: `[a, b]`, `{a: b, c: d}` (one level), or a scalar. */
function inline(value: string): TreeValue {
  if (value.startsWith('[') && value.endsWith(']')) return splitFlow(value.slice(1, -1)).map(unquote);
  if (value.startsWith('{') && value.endsWith('}')) {
    const map = Object.create(null) as TreeMap;
    for (const part of splitFlow(value.slice(1, -1))) {
      const parsed = splitKey(part);
      if (parsed) map[parsed.key] = unquote(parsed.value);
    }
    return map;
  }
  return unquote(value);
}

function splitFlow(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(from, i).trim());
      from = i + 1;
    }
  }
  const last = body.slice(from).trim();
  if (last) parts.push(last);
  return parts;
}

export const isMap = (value: TreeValue | undefined): value is TreeMap => typeof value === 'object' && value !== null && !Array.isArray(value);
export const text = (value: TreeValue | undefined): string => (typeof value === 'string' ? value : '');
