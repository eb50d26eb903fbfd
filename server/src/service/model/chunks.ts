import type { FlagInfo, HeredocInfo, Range } from '../types';
import { samePlainData } from '../plainData';
import { capText, type Cap } from './caps';
import { parseCapped, parseTree, readDirectives, readInstruction, withoutBom, type ParsedDockerfile, type ParsedInstruction } from './parse';

/**
 * Parsing across edits: the same ParsedDockerfile as parseDockerfile(text), re-parsing only the
 * instructions an edit touched.
 *
 * dockerfile-ast's parser reads the text top to bottom and, between two instructions, holds no
 * state but the escape character: once an instruction (with its continuations and heredoc bodies)
 * has ended, the next line is read afresh. So a text can be cut into chunks at such points ("at
 * rest"), each parsed on its own, and the chunks of the previous version that lie wholly before or
 * after the edited characters are reused. The re-parsed part runs from the last reused chunk
 * before the edit up to the first chunk after it where the new parse is at rest again; when the
 * edit leaves an instruction open (a trailing escape, a heredoc), the part grows until it closes.
 *
 * Where reading a part on its own would differ from reading it in place, parts do not start:
 * dockerfile-ast reads parser directives (and skips a BOM) at the start of any text it is given,
 * so a part starts only at a line that begins with neither `#` nor a BOM; a part after the first is
 * given the file's escape character by a directive line of its own. An unterminated heredoc,
 * whose recovery re-parses the whole text (parse.ts), is left to parseDockerfile.
 */
export class IncrementalParser {
  /**
   * @param partChars how much text one part reads when no reusable chunk ends it: bounds the
   * parser's memory on big files (tests make it small to cut files into many parts)
   */
  constructor(private readonly partChars = 256 * 1024) {}

  private text = '';
  private escapeChar = '\\';
  private chunks: Chunk[] = [];
  private last: ParsedDockerfile | undefined;

  parse(input: string): ParsedDockerfile {
    const { text, caps } = capText(withoutBom(input));
    if (this.last && text === this.text) return this.last;
    const { chunks, escapeChar } = this.chunksOf(text);
    this.text = text;
    this.chunks = chunks;
    this.escapeChar = escapeChar;
    this.last = assemble(text, chunks, escapeChar, caps) ?? parseCapped(text, caps);
    return this.last;
  }

  /** The chunks of `text`: reused from the previous version where the edit allows. */
  private chunksOf(text: string): { chunks: Chunk[]; escapeChar: string } {
    const old = this.text;
    const previous = this.chunks;
    let prefix = 0;
    const shortest = Math.min(old.length, text.length);
    while (prefix < shortest && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix < shortest - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;

    // Chunks before the edit: unchanged text, at rest at their end (the last chunk of the old text
    // may not be: it ran to the end of the file), and a part may start right after them.
    const kept: Chunk[] = [];
    for (const chunk of previous) {
      if (end(chunk) > prefix || end(chunk) >= old.length) break;
      kept.push(chunk);
    }
    while (kept.length > 0 && !safeStart(text, end(kept[kept.length - 1]!))) kept.pop();

    // Chunks after the edit, at their new offsets: each a candidate place for the new parse to end.
    const shift = text.length - old.length;
    const after = previous.filter((c) => c.start >= old.length - suffix && isLineStart(text, c.start + shift));
    const candidates = after.map((c) => c.start + shift);
    const reuseFrom = (index: number): Chunk[] => previous.slice(previous.indexOf(after[index]!)).map((c) => ({ ...c, start: c.start + shift }));
    // Chunks the edit touched: an instruction read again to the same record (a comment typed
    // after it) keeps its record object, so the stage it belongs to is not walked again.
    const touched = new Map<string, Chunk>();
    for (let i = kept.length; i < previous.length && previous[i]!.start < old.length - suffix; i++) {
      const chunk = previous[i]!;
      if (chunk.instruction) touched.set(chunk.instruction.text, chunk);
    }

    let escapeChar = this.escapeChar;
    const chunks = [...kept];
    let from = kept.length > 0 ? end(kept[kept.length - 1]!) : 0;
    // the edit's end in the new text: the part reaches at least there
    let reach = text.length - suffix;
    let next = -1;
    for (;;) {
      // The first part is always read: it holds the directives, and reading any text skips a BOM at its start.
      next = candidates.findIndex((c) => c >= Math.max(from, reach) && c > 0);
      const to = next >= 0 ? candidates[next]! : boundedEnd(text, Math.max(from + this.partChars, reach));
      if (to === from && next >= 0) return { chunks: chunks.concat(reuseFrom(next)), escapeChar };
      let part = parsePart(text, from, to, from === 0 ? undefined : escapeChar, touched);
      if (from === 0 && part.escapeChar !== escapeChar) {
        // another escape character reads every line differently: nothing read before is reusable
        escapeChar = part.escapeChar;
        candidates.length = 0;
        next = -1;
        touched.clear();
        part = parsePart(text, from, to, undefined, touched);
      }
      if (to === text.length) return { chunks: chunks.concat(part.chunks), escapeChar };
      if (part.atRest && next >= 0) return { chunks: chunks.concat(part.chunks, reuseFrom(next)), escapeChar };
      if (part.atRest && safeStart(text, to)) {
        chunks.push(...part.chunks);
        from = to;
        continue;
      }
      if (part.atRest) {
        // the next part cannot start at `to` (a comment or a BOM): read on, twice as far
        reach = to + (to - from) + 1;
        continue;
      }
      // The last instruction runs on past `to`: keep the chunks before it, read on from its line
      // with at least twice the text, so an open heredoc costs a linear amount of parsing.
      const open = part.chunks[part.chunks.length - 1]!;
      const reopen = part.chunks.length > 1 && safeStart(text, open.start);
      if (reopen) chunks.push(...part.chunks.slice(0, -1));
      reach = to + (to - from);
      if (reopen) from = open.start;
    }
  }
}

interface Chunk {
  /** offset of its first line in the text */
  start: number;
  length: number;
  /** the next chunk starts this many lines below this one's first line */
  lineBreaks: number;
  /** its instruction, positions counted from the chunk's first line; none for lines without one */
  instruction?: ParsedInstruction;
  /** the instruction placed in the document, for the line it was last placed at */
  placed?: { line: number; instruction: ParsedInstruction };
}

function end(chunk: Chunk): number {
  return chunk.start + chunk.length;
}

/** A line starts at `offset` in `text` (a CR LF pair is one line break). */
function isLineStart(text: string, offset: number): boolean {
  if (offset === 0 || offset === text.length) return true;
  const before = text.charCodeAt(offset - 1);
  return before === LF || (before === CR && text.charCodeAt(offset) !== LF);
}

/** A part may start here: the start of the text, or a line read the same on its own (see above). */
function safeStart(text: string, offset: number): boolean {
  if (offset === 0) return true;
  if (offset >= text.length || !isLineStart(text, offset) || text.charCodeAt(offset) === BOM) return false;
  let i = offset;
  while (i < text.length && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  return text.charCodeAt(i) !== HASH;
}

/** The first line at or after `at` where a part may stop and the next one start; else the end. */
function boundedEnd(text: string, at: number): number {
  for (let i = Math.max(0, at - 1); i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== LF && c !== CR) continue;
    const lineStart = c === CR && text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    if (lineStart >= at && safeStart(text, lineStart)) return lineStart;
  }
  return text.length;
}

interface Part {
  chunks: Chunk[];
  escapeChar: string;
  /** the parser is between instructions at the part's end */
  atRest: boolean;
}

/**
 * Parses text[from, to) on its own: one chunk per instruction (lines before the first one join
 * it, comment and blank lines after an instruction stay with it). `escapeChar` undefined: the
 * part starts the file and reads its own directives.
 */
function parsePart(text: string, from: number, to: number, escapeChar: string | undefined, touched: ReadonlyMap<string, Chunk>): Part {
  const body = text.slice(from, to);
  const prefix = escapeChar !== undefined && escapeChar !== '\\' ? `# escape=${escapeChar}\n` : '';
  const prefixLines = prefix ? 1 : 0;
  const source = prefix + body;
  const tree = parseTree(source);
  const escape = tree.getEscapeCharacter();
  const lines = source.split(/\r\n|\r|\n/);
  const starts = lineStarts(body);
  const lastLine = prefixLines + starts.length - 1;
  const instructions = tree.getInstructions();
  const chunks: Chunk[] = [];
  if (instructions.length === 0) {
    chunks.push({ start: from, length: to - from, lineBreaks: starts.length - 1 });
    return { chunks, escapeChar: escape, atRest: true };
  }
  const firstLines = instructions.map((instruction, i) => (i === 0 ? prefixLines : instruction.getRange().start.line));
  instructions.forEach((instruction, i) => {
    const firstLine = firstLines[i]!;
    const nextLine = firstLines[i + 1] ?? lastLine;
    const start = from + starts[firstLine - prefixLines]!;
    const finish = i + 1 < instructions.length ? from + starts[nextLine - prefixLines]! : to;
    const record = moved(readInstruction(instruction, lines, lines, escape), -firstLine, same);
    const before = touched.get(record.text);
    const kept = before?.instruction !== undefined && samePlainData(before.instruction, record) ? before : undefined;
    chunks.push({
      start,
      length: finish - start,
      lineBreaks: nextLine - firstLine,
      instruction: kept?.instruction ?? moved(record, 0, copy),
      ...(kept?.placed ? { placed: kept.placed } : {}),
    });
  });
  const open = instructions[instructions.length - 1]!.getRange().end.line === lastLine && to < text.length;
  return { chunks, escapeChar: escape, atRest: !open };
}

/** Offsets where each line of `text` starts (the first is 0; a final line break starts an empty line). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) starts.push(i + 1);
    else if (c === CR) {
      if (text.charCodeAt(i + 1) === LF) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The document's ParsedDockerfile from its chunks; undefined when a heredoc is left open. */
function assemble(text: string, chunks: Chunk[], escapeChar: string, caps: Cap[]): ParsedDockerfile | undefined {
  const instructions: ParsedInstruction[] = [];
  const unplaced: ParsedInstruction[] = [];
  let line = 0;
  for (const chunk of chunks) {
    if (chunk.instruction) {
      if (chunk.instruction.heredocs.some((h) => !h.terminated)) return undefined;
      if (chunk.placed?.line !== line) chunk.placed = { line, instruction: moved(chunk.instruction, line, same) };
      instructions.push(chunk.placed.instruction);
      unplaced.push(chunk.instruction);
    }
    line += chunk.lineBreaks;
  }
  const lines = text.split(/\r\n|\r|\n/);
  return { lines, escapeChar, instructions, directives: readDirectives(lines), unterminatedHeredocs: [], caps, unplaced };
}

/** The record with every position `lines` lines further down, and its strings passed through `text`. */
function moved(record: ParsedInstruction, lines: number, text: (s: string) => string): ParsedInstruction {
  if (lines === 0 && text === same) return record;
  const range = (r: Range): Range => ({ start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } });
  const orNull = (s: string | null) => (s === null ? null : text(s));
  const out: ParsedInstruction = {
    ...record,
    keyword: text(record.keyword),
    range: range(record.range),
    keywordRange: range(record.keywordRange),
    text: text(record.text),
    args: text(record.args),
    flags: record.flags.map((f): FlagInfo => ({
      name: text(f.name),
      value: orNull(f.value),
      options: text === same ? f.options : Object.fromEntries(Object.entries(f.options).map(([k, v]) => [text(k), orNull(v)])),
      range: range(f.range),
    })),
    heredocs: record.heredocs.map((h): HeredocInfo => ({ name: text(h.name), range: range(h.range), terminated: h.terminated })),
  };
  if (record.imageRange !== undefined) out.imageRange = record.imageRange && range(record.imageRange);
  if (record.stageNameRange !== undefined) out.stageNameRange = record.stageNameRange && range(record.stageNameRange);
  if (record.envPairs) out.envPairs = record.envPairs.map((p) => ({ name: text(p.name), value: text(p.value) }));
  if (record.argDeclarations) out.argDeclarations = record.argDeclarations.map((a) => ({ name: text(a.name), value: orNull(a.value), range: range(a.range) }));
  return out;
}

function same(s: string): string {
  return s;
}

/**
 * A flat copy of a string: chunks outlive the version of the document they were parsed from,
 * and V8 keeps a substring as a view of the whole string. Flattening a concatenation copies the
 * characters.
 */
function copy(s: string): string {
  return s.length < 13 ? s : (` ${s}`).slice(1);
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const BOM = 0xfeff;
