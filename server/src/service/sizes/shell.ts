import type { InstructionInfo } from '../types';

/**
 * Just enough of a POSIX shell reader for the size estimators: a RUN's script split into simple
 * commands (argv words, with leading `VAR=value` assignments apart). Quotes are honoured,
 * `&&`, `||`, `;`, `|`, `&`, newlines and parentheses separate commands, `#` starts a comment,
 * and `$(...)`/backticks are kept inside their word. It never throws.
 */
export interface SimpleCommand {
  argv: string[];
  env: Record<string, string>;
}

const SEPARATORS = new Set([';', '&', '|', '\n', '(', ')', '{', '}']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

export function splitCommands(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(toCommand(words));
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (ch === '\\' && i + 1 < script.length) {
      const next = script[++i]!;
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      continue;
    }
    if (ch === "'" || ch === '"') {
      const close = findQuoteEnd(script, i + 1, ch);
      word += script.slice(i + 1, close).replace(ch === '"' ? /\\(["\\$`])/g : /$^/, '$1');
      inWord = true;
      i = close;
      continue;
    }
    if (ch === '$' && (script[i + 1] === '(' || script[i + 1] === '{')) {
      const close = findParenEnd(script, i + 2, script[i + 1] === '(' ? '()' : '{}');
      word += script.slice(i, close + 1);
      inWord = true;
      i = close;
      continue;
    }
    if (ch === '#' && !inWord) {
      while (i < script.length && script[i] !== '\n') i++;
      endCommand();
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      continue;
    }
    if (SEPARATORS.has(ch)) {
      endCommand();
      continue;
    }
    word += ch;
    inWord = true;
  }
  endCommand();
  return commands;
}

function toCommand(words: string[]): SimpleCommand {
  const env: Record<string, string> = {};
  let start = 0;
  while (start < words.length && ASSIGNMENT.test(words[start]!)) {
    const w = words[start]!;
    env[w.slice(0, w.indexOf('='))] = w.slice(w.indexOf('=') + 1);
    start++;
  }
  return { argv: words.slice(start), env };
}

function findQuoteEnd(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === quote) return i;
  }
  return text.length;
}

function findParenEnd(text: string, from: number, pair: '()' | '{}'): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === pair[0]) depth++;
    else if (text[i] === pair[1] && --depth === 0) return i;
  }
  return text.length;
}

/**
 * The shell script a RUN executes: its heredoc bodies when it has any, the exec-form words when
 * written as JSON, otherwise its arguments.
 */
export function runScript(info: InstructionInfo): string {
  if (info.heredocs.length > 0) {
    const lines = info.text.split('\n');
    const bodies: string[] = [];
    const firstLine = info.range.start.line;
    // Bodies follow one another: `RUN <<A <<B` reads A's body, then B's after A's delimiter (a
    // heredoc's range starts at its marker, so each body starts after the previous one ended).
    let previousEnd = 0;
    for (const heredoc of info.heredocs) {
      const from = Math.max(heredoc.range.start.line - firstLine + 1, previousEnd);
      const to = heredoc.terminated ? heredoc.range.end.line - firstLine : lines.length;
      bodies.push(lines.slice(from, to).join('\n'));
      previousEnd = to + 1;
    }
    // `RUN <<EOF` runs the body; `RUN python3 <<EOF` feeds it to a program: the words before count too
    const before = info.args.replace(/<<-?["']?\w+["']?/g, '').trim();
    return [before, ...bodies].filter(Boolean).join('\n');
  }
  const text = info.args.trim();
  if (text.startsWith('[')) {
    try {
      const argv: unknown = JSON.parse(text);
      if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) return (argv as string[]).map(quoteWord).join(' ');
    } catch {
      // not JSON: BuildKit runs it through the shell
    }
  }
  return text;
}

function quoteWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `-y`, `--no-install-recommends`, `-qq`: the options of a command, and its other words. */
export function splitOptions(argv: string[]): { options: string[]; operands: string[] } {
  const options: string[] = [];
  const operands: string[] = [];
  for (const a of argv) (a.startsWith('-') && a.length > 1 ? options : operands).push(a);
  return { options, operands };
}
