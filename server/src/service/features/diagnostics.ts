import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import type { Severity } from '../types';
import type { Diagnosis } from '../rules/check';

export const DIAGNOSTIC_SOURCE = 'dockerlens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** LSP diagnostics from diagnoses (see rules/check.ts); `data.rule` lets code actions find the fix. */
export function diagnostics(diagnoses: readonly Diagnosis[]): Diagnostic[] {
  return diagnoses.map((p) => ({
    range: p.range,
    severity: SEVERITY[p.severity],
    code: p.code,
    source: DIAGNOSTIC_SOURCE,
    message: p.message,
    ...(p.unnecessary ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    data: { rule: p.rule, ...(p.fix ? { fixable: true } : {}) },
  }));
}
