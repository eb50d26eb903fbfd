import { DockerfileParser, type Arg, type Dockerfile, type Env, type From, type Instruction, type Property } from 'dockerfile-ast';
import { INSTRUCTIONS } from '../data/instructions';
import { capText, type Cap } from './caps';
import type { Directive, FlagInfo, HeredocInfo, InstructionInfo, Range } from '../types';

/**
 * Turns Dockerfile text into plain records of its instructions, read from dockerfile-ast's tree,
 * working around its quirks:
 * - a BOM is dropped (VS Code never shows it; the CLI reads it from disk);
 * - an unterminated heredoc swallows the rest of the file: we blank the heredoc body up to the
 *   next line that starts with a known instruction keyword and parse again, so the rest is still
 *   analysed (positions are kept, only characters are blanked);
 * - `# check=` and unknown directives are read by us, dockerfile-ast only knows syntax/escape.
 * The tree itself is dropped once read: records are all the analysis needs, and they can be kept
 * per instruction across edits (./chunks.ts).
 */
export interface ParsedDockerfile {
  /** lines as parsed (heredoc recovery may have blanked some) */
  lines: string[];
  escapeChar: string;
  instructions: ParsedInstruction[];
  directives: Directive[];
  unterminatedHeredocs: { name: string; range: Range; resumedAt: number | null }[];
  /** what was left out of a text past the analysis's bounds (./caps.ts) */
  caps: Cap[];
  /**
   * For each instruction, its record before it was placed in the document (./chunks.ts): the same
   * object for as long as the instruction's text is unchanged, wherever edits move it.
   */
  unplaced?: readonly ParsedInstruction[];
}

/** What the analysis reads of one instruction, as plain data: its text fields as InstructionInfo has them, and the parts the analysis resolves. */
export interface ParsedInstruction extends Pick<InstructionInfo, 'keyword' | 'range' | 'keywordRange' | 'text' | 'args' | 'flags' | 'heredocs'> {
  /** FROM: the image reference (null when there is none) */
  imageRange?: Range | null;
  /** FROM: the stage name after AS */
  stageNameRange?: Range | null;
  /** ENV: each pair's name and value (quotes and escapes resolved, variables not expanded) */
  envPairs?: { name: string; value: string }[];
  /** ARG: each name declared, with its default as written (null: no default) */
  argDeclarations?: { name: string; value: string | null; range: Range }[];
}

const KEYWORD_LINE = new RegExp(`^\\s*(${Object.keys(INSTRUCTIONS).join('|')})(\\s|$)`, 'i');
const MAX_RECOVERIES = 50;
/**
 * Each recovery parses the whole text again, and dockerfile-ast is slow on the swallowed rest of
 * the file (every body word is scanned as a flag), so many broken heredocs in a big file would
 * cost seconds. The first recovery is always made; further ones only while the characters
 * re-parsed stay under this budget (a 1,000-character file still gets all 50).
 */
const RECOVERY_BUDGET_CHARS = 50_000;

export function parseDockerfile(input: string): ParsedDockerfile {
  const capped = capText(withoutBom(input));
  return parseCapped(capped.text, capped.caps);
}

/** parseDockerfile of text already through capText (which left out `caps`). */
export function parseCapped(capped: string, caps: Cap[]): ParsedDockerfile {
  let text = capped;
  const lines = text.split(/\r\n|\r|\n/);
  const unterminated: ParsedDockerfile['unterminatedHeredocs'] = [];
  let ast = parseTree(text);
  let reparsed = 0;
  for (let attempt = 0; ; attempt++) {
    const open = findUnterminatedHeredoc(ast);
    if (!open) break;
    const { instruction, name, markerRange } = open;
    if (attempt >= MAX_RECOVERIES || (attempt > 0 && reparsed + text.length > RECOVERY_BUDGET_CHARS)) {
      // no more recovery: this heredoc's body runs to the end of the file, as the builder reads it
      unterminated.push({ name, range: markerRange, resumedAt: null });
      break;
    }
    const startLine = markerRange.start.line;
    // `<<\` + newline + `EOF`: an escaped newline can split the marker over several lines
    const markerEndLine = markerRange.end.line;
    const endLine = instruction.getRange().end.line;
    let resumedAt: number | null = null;
    for (let line = markerEndLine + 1; line <= endLine; line++) {
      if (KEYWORD_LINE.test(lines[line] ?? '')) {
        resumedAt = line;
        break;
      }
    }
    unterminated.push({ name, range: markerRange, resumedAt });
    const work = text.split(/(\r\n|\r|\n)/); // keeps separators at odd indexes
    const lineAt = (n: number) => 2 * n;
    for (let line = startLine; line <= markerEndLine; line++) {
      const marker = work[lineAt(line)] ?? '';
      const from = line === startLine ? markerRange.start.character : 0;
      const to = line === markerEndLine ? markerRange.end.character : marker.length;
      work[lineAt(line)] = marker.slice(0, from) + ' '.repeat(Math.max(0, to - from)) + marker.slice(to);
    }
    const lastBlank = resumedAt === null ? endLine : resumedAt - 1;
    for (let line = markerEndLine + 1; line <= lastBlank; line++) work[lineAt(line)] = '';
    text = work.join('');
    reparsed += text.length;
    ast = parseTree(text);
  }
  const parsedLines = text.split(/\r\n|\r|\n/);
  const escapeChar = ast.getEscapeCharacter();
  return {
    lines: parsedLines,
    escapeChar,
    instructions: ast.getInstructions().map((instruction) => readInstruction(instruction, parsedLines, lines, escapeChar)),
    directives: readDirectives(lines),
    unterminatedHeredocs: unterminated,
    caps,
  };
}

/** Parses text that starts at rest (line 0, or the line of an instruction) with a known escape character. */
export function parseTree(text: string): Dockerfile {
  return DockerfileParser.parse(text);
}

/**
 * One instruction's record. `lines` are the lines as parsed, `sourceLines` as written (they differ
 * only where heredoc recovery blanked a body).
 */
export function readInstruction(instruction: Instruction, lines: string[], sourceLines: string[], escapeChar: string): ParsedInstruction {
  const keyword = instruction.getKeyword().toUpperCase();
  const range = instruction.getRange();
  const record: ParsedInstruction = {
    keyword,
    range,
    keywordRange: instruction.getInstructionRange(),
    text: textOf(sourceLines, range),
    args: argumentText(instruction, lines, escapeChar),
    flags: flagsOf(instruction),
    heredocs: heredocInfo(instruction),
  };
  if (keyword === 'FROM') {
    record.imageRange = (instruction as From).getImageRange();
    record.stageNameRange = (instruction as From).getBuildStageRange();
  } else if (keyword === 'ENV') {
    record.envPairs = (instruction as Env).getProperties().map((p) => ({ name: p.getName(), value: p.getValue() ?? '' }));
  } else if (keyword === 'ARG') {
    record.argDeclarations = argDeclarations(instruction as Arg);
  }
  return record;
}

/** `ARG A=1 B`: the names and defaults as written. */
function argDeclarations(instruction: Arg): NonNullable<ParsedInstruction['argDeclarations']> {
  const withProperties = instruction as Arg & { getProperties?: () => Property[] };
  const parsed = typeof withProperties.getProperties === 'function' ? withProperties.getProperties() : instruction.getProperty() ? [instruction.getProperty()!] : [];
  // dockerfile-ast reads `ARG A B` like the legacy `ENV A B` (A = "B"); BuildKit declares A and B.
  if (parsed.length === 1 && parsed[0]!.getValue() !== null && parsed[0]!.getAssignmentOperator() === null) {
    return instruction.getPropertyArguments().map((a) => {
      const word = a.getValue();
      const eq = word.indexOf('=');
      return { name: eq < 0 ? word : word.slice(0, eq), value: eq < 0 ? null : word.slice(eq + 1), range: a.getRange() };
    });
  }
  return parsed.map((p) => ({ name: p.getName(), value: p.getValue(), range: p.getRange() }));
}

export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function findUnterminatedHeredoc(ast: Dockerfile) {
  for (const instruction of ast.getInstructions()) {
    for (const heredoc of heredocsOf(instruction)) {
      if (heredoc.getDelimiterRange() === null) {
        const start = heredoc.getStartRange();
        const nameRange = heredoc.getNameRange();
        return { instruction, name: heredoc.getName(), markerRange: { start: start.start, end: nameRange.end } };
      }
    }
  }
  return undefined;
}

type HeredocCarrier = Instruction & { getHeredocs(): ReturnType<Instruction['getHeredocs']> };

/**
 * dockerfile-ast recomputes heredocs (and the arguments under them) on every call; the tree never
 * changes, and recovery, `argumentText` and `heredocInfo` each ask, so the answer is kept.
 */
const heredocCache = new WeakMap<Instruction, ReturnType<HeredocCarrier['getHeredocs']>>();

export function heredocsOf(instruction: Instruction): ReturnType<HeredocCarrier['getHeredocs']> {
  const spec = INSTRUCTIONS[instruction.getKeyword()];
  if (!spec?.heredocs) return [];
  let heredocs = heredocCache.get(instruction);
  if (heredocs) return heredocs;
  try {
    heredocs = (instruction as HeredocCarrier).getHeredocs();
  } catch {
    // dockerfile-ast 0.7.1 throws on an escape followed by a lone CR (`RUN \<CR>#c<LF>`): it
    // takes the CR for a CRLF and skips the next character. No heredocs is the safe reading.
    heredocs = [];
  }
  heredocCache.set(instruction, heredocs);
  return heredocs;
}

export function heredocInfo(instruction: Instruction): HeredocInfo[] {
  return heredocsOf(instruction).map((h) => {
    const end = h.getDelimiterRange() ?? h.getContentRange() ?? h.getNameRange();
    return { name: h.getName(), range: { start: h.getStartRange().start, end: end.end }, terminated: h.getDelimiterRange() !== null };
  });
}

const DIRECTIVE_LINE = /^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$/;

/** Parser directives: `# key=value` comment lines at the very top, before anything else. */
export function readDirectives(lines: string[]): Directive[] {
  const directives: Directive[] = [];
  for (let line = 0; line < lines.length; line++) {
    const m = DIRECTIVE_LINE.exec(lines[line]!);
    if (!m) break;
    directives.push({
      name: m[1]!.toLowerCase(),
      value: m[2]!,
      range: { start: { line, character: 0 }, end: { line, character: lines[line]!.length } },
    });
  }
  return directives;
}

/** The text of a range, from the (possibly recovered) source lines. */
export function textOf(lines: string[], range: Range): string {
  if (range.start.line === range.end.line) return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  const out = [(lines[range.start.line] ?? '').slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line; l++) out.push(lines[l] ?? '');
  out.push((lines[range.end.line] ?? '').slice(0, range.end.character));
  return out.join('\n');
}

/** `--name=value` flags with their `a=b,c=d` options. */
export function flagsOf(instruction: Instruction): FlagInfo[] {
  const withFlags = instruction as Instruction & { getFlags?: () => import('dockerfile-ast').Flag[] };
  if (typeof withFlags.getFlags !== 'function') return [];
  return withFlags.getFlags().map((flag) => {
    const options: Record<string, string | null> = {};
    for (const option of flag.getOptions()) options[option.getName().toLowerCase()] = option.getValue();
    return { name: flag.getName().toLowerCase(), value: flag.getValue(), options, range: flag.getRange() };
  });
}

/**
 * The argument text after the flags, as written but with continuations joined and comment lines
 * inside continuations dropped; for heredoc instructions, only the part before the first body.
 */
export function argumentText(instruction: Instruction, lines: string[], escapeChar: string): string {
  const bodies = heredocsOf(instruction).map((h) => h.getContentRange()?.start.line ?? Infinity);
  const firstBody = Math.min(Infinity, ...bodies);
  const args = instruction.getArguments().filter((a) => a.getRange().start.line < firstBody);
  if (args.length === 0) return '';
  const raw = textOf(lines, { start: args[0]!.getRange().start, end: args[args.length - 1]!.getRange().end });
  const joined: string[] = [];
  for (const [i, line] of raw.split('\n').entries()) {
    if (i > 0 && /^\s*#/.test(line)) continue;
    joined.push(line);
  }
  const esc = escapeChar.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return joined.join('\n').replace(new RegExp(`${esc}[ \\t]*\\n`, 'g'), '').replace(/\n/g, ' ').trim();
}
