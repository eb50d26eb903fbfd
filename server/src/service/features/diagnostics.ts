import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import type { DockerfileModel, Severity } from '../types';

export const DIAGNOSTIC_SOURCE = 'dockerlens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function diagnostics(model: DockerfileModel): Diagnostic[] {
  return model.problems.map((p) => ({
    range: p.range,
    severity: SEVERITY[p.severity],
    code: p.code,
    source: DIAGNOSTIC_SOURCE,
    message: p.message,
    ...(p.unnecessary ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    data: { rule: p.rule },
  }));
}
