import type { InstructionInfo } from '../types';

/**
 * One line for an instruction: keyword, flags, arguments, and for heredocs the body's first line.
 * Continuations are joined and long text is cut with an ellipsis.
 */
export function instructionSummary(info: InstructionInfo, max = 90): string {
  const flags = info.flags.map((f) => (f.value === null ? `--${f.name}` : `--${f.name}=${f.value}`));
  const body = info.heredocs.length > 0 ? info.text.split('\n')[1] ?? '' : '';
  const flat = [info.keyword, ...flags, info.args, body].filter(Boolean).join(' ').replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
