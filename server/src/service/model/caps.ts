import { INSTRUCTIONS } from '../data/instructions';

/**
 * Bounds on what is analysed of one Dockerfile, applied to the text before it is parsed. A cloned
 * repository may hold a Dockerfile of any size; past these bounds the analysis would only spend
 * seconds and gigabytes on text no build can use: an image holds at most 127 layers, and of 3,000
 * real Dockerfiles (test/corpus) the longest has 73 instructions and its longest instruction
 * 6.4 kB. The parts beyond a bound are blanked (their lines stay, empty, so every position
 * before them is unchanged) and a `Cap` says what was left out, for a diagnostic.
 */
export const MAX_INSTRUCTIONS = 10_000;
/** characters of one instruction, its continuation lines and heredoc bodies included */
export const MAX_INSTRUCTION_CHARS = 64 * 1024;

export interface Cap {
  kind: 'instructions' | 'instruction-length';
  /** 0-based line: the first instruction left out, or the instruction cut short */
  line: number;
  /** the bound that was reached */
  limit: number;
}

export interface CappedText {
  text: string;
  caps: Cap[];
}

const LINE_BREAK = /\r\n|\r|\n/;
const ESCAPE_DIRECTIVE = /^#\s*escape\s*=\s*(\S)/i;
const DIRECTIVE = /^#\s*[a-zA-Z][a-zA-Z0-9_-]*\s*=/;
const HEREDOC_MARKER = /<<(-?)(["']?)([A-Za-z_][\w.-]*)\2/g;

/** The text as the analysis reads it: unchanged unless it passes a bound. */
export function capText(text: string): CappedText {
  if (text.length <= MAX_INSTRUCTION_CHARS && !hasMoreLinesThan(text, MAX_INSTRUCTIONS)) return { text, caps: [] };
  const parts = text.split(/(\r\n|\r|\n)/); // lines at even indexes, their breaks at odd ones
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 2) lines.push(parts[i]!);
  const escape = escapeOf(lines);
  const caps: Cap[] = [];
  let count = 0;
  let changed = false;
  for (let i = 0; i < lines.length; ) {
    const trimmed = lines[i]!.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    if (count === MAX_INSTRUCTIONS) {
      caps.push({ kind: 'instructions', line: i, limit: MAX_INSTRUCTIONS });
      for (let j = i; j < lines.length; j++) lines[j] = '';
      changed = true;
      break;
    }
    count++;
    const extent = instructionExtent(lines, i, escape);
    if (extent.chars > MAX_INSTRUCTION_CHARS) {
      cutInstruction(lines, i, extent.end, escape);
      caps.push({ kind: 'instruction-length', line: i, limit: MAX_INSTRUCTION_CHARS });
      changed = true;
    }
    i = extent.end + 1;
  }
  if (!changed) return { text, caps };
  for (let i = 0; i < lines.length; i++) parts[2 * i] = lines[i]!;
  return { text: parts.join(''), caps };
}

function hasMoreLinesThan(text: string, count: number): boolean {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) if (++lines > count) return true;
  return text.includes('\r') && text.split(LINE_BREAK).length > count;
}

/** The escape character the file's directives choose (only at its top, before any other line). */
function escapeOf(lines: readonly string[]): string {
  for (const line of lines) {
    const m = ESCAPE_DIRECTIVE.exec(line);
    if (m) return m[1]!;
    if (!DIRECTIVE.test(line)) break;
  }
  return '\\';
}

interface Extent {
  /** last line of the instruction (its last continuation line or heredoc delimiter) */
  end: number;
  chars: number;
  /** heredocs opened and not closed by `end` */
  open: { name: string; dash: boolean }[];
}

/**
 * Where the instruction starting at `start` ends, read as the parser reads it: continuation lines
 * (comment and blank lines inside them skipped), then each heredoc's body up to its delimiter.
 * `last` stops the reading early (for a cut instruction: the heredocs still open there).
 */
function instructionExtent(lines: readonly string[], start: number, escape: string, last = lines.length - 1): Extent {
  const keyword = /^\s*([A-Za-z]+)/.exec(lines[start]!)?.[1]?.toUpperCase() ?? '';
  const heredocs = INSTRUCTIONS[keyword]?.heredocs === true;
  const open: Extent['open'] = [];
  let chars = 0;
  let i = start;
  for (;;) {
    const line = lines[i]!;
    chars += line.length + 1;
    if (heredocs) for (const m of line.matchAll(HEREDOC_MARKER)) open.push({ name: m[3]!, dash: m[1] === '-' });
    if (i >= last || !line.trimEnd().endsWith(escape)) break;
    i++;
    while (i < last && /^\s*(#.*)?$/.test(lines[i]!)) chars += lines[i++]!.length + 1;
  }
  while (open.length > 0 && i < last) {
    const body = lines[++i]!;
    chars += body.length + 1;
    if ((open[0]!.dash ? body.replace(/^\t+/, '') : body) === open[0]!.name) open.shift();
  }
  return { end: i, chars, open };
}

/**
 * Cuts the instruction on lines [start, end] to MAX_INSTRUCTION_CHARS: the line where the bound
 * falls is shortened (without a trailing escape, which would join the next line), the lines after
 * it are blanked, and the heredocs still open at the cut get their delimiter lines back so the
 * parser reads the rest of the file as before.
 */
function cutInstruction(lines: string[], start: number, end: number, escape: string): void {
  let used = 0;
  let at = start;
  while (at < end && used + lines[at]!.length + 1 <= MAX_INSTRUCTION_CHARS) used += lines[at++]!.length + 1;
  let kept = lines[at]!.slice(0, Math.max(0, MAX_INSTRUCTION_CHARS - used)).trimEnd();
  while (kept.endsWith(escape)) kept = kept.slice(0, -1).trimEnd();
  lines[at] = kept;
  for (let j = at + 1; j <= end; j++) lines[j] = '';
  const { open } = instructionExtent(lines, start, escape, at);
  for (let j = 0; j < open.length && at + 1 + j <= end; j++) lines[at + 1 + j] = open[j]!.name;
}
