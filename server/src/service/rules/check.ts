import type { DockerfileModel, Problem, Severity } from '../types';
import { checkPractices, type Fix } from './practices';
import type { ContextSnapshot } from '../sizes/context';
import type { Locale } from '../explain';

/**
 * All diagnostics of a Dockerfile: the model's structural problems and the practice rules, with
 * the user's per-code severity ("off" disables) and inline ignore comments applied:
 * `# dockerlens-ignore` on the line above an instruction silences every rule there,
 * `# dockerlens-ignore DL-S001 DL-C002` only those codes.
 */
export type RuleSetting = Severity | 'off';

/** A problem of the model or a practice finding, with its quick fix when one is safe. */
export interface Diagnosis extends Problem {
  fix?: Fix;
}

const IGNORE = /^\s*#\s*dockerlens-ignore\b:?\s*(.*)$/i;

export function diagnose(model: DockerfileModel, text: string, settings: Record<string, RuleSetting> = {}, context?: ContextSnapshot, locale: Locale = 'en'): Diagnosis[] {
  const lines = text.split(/\r\n|\r|\n/);
  const all: Diagnosis[] = [...model.problems.map((p) => inLocale(p, locale)), ...checkPractices(model, text, context, locale)];
  const out: Diagnosis[] = [];
  for (const d of all) {
    const setting = settings[d.code] ?? settings[d.rule];
    if (setting === 'off') continue;
    if (ignored(lines, d.range.start.line, d.code)) continue;
    out.push(setting ? { ...d, severity: setting } : d);
  }
  // in file order, so lists and reports read top to bottom
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
}

/** A problem of the model with its message in the locale (and without the other languages). */
function inLocale({ localizedMessage, ...problem }: Problem, locale: Locale): Problem {
  return { ...problem, message: localizedMessage?.[locale] ?? problem.message };
}

function ignored(lines: string[], line: number, code: string): boolean {
  // The comment may sit above the instruction, past other comment lines.
  for (let l = line - 1; l >= 0; l--) {
    const text = lines[l] ?? '';
    const m = IGNORE.exec(text);
    if (m) {
      const codes = m[1]!.split(/[\s,]+/).filter(Boolean);
      return codes.length === 0 || codes.some((c) => c.toUpperCase() === code.toUpperCase());
    }
    if (!/^\s*#/.test(text)) return false;
  }
  return false;
}
