import { diagnose, type Diagnosis, type DockerfileModel, type Severity } from '../service';
import { formatBytes, formatCompressed, formatFigure } from '../service/features/sizeText';
import type { ParsedOptions } from './options';
import type { ContextSnapshot } from '../service/sizes/context';
import { hasUnknown, type UnknownPart } from '../service/sizes/types';

/**
 * `dockerlens check`: every diagnostic, the image's size and wasted space, and thresholds in the
 * manner of dive's CI rules. Exit 1 when a finding reaches --fail-on or a threshold is crossed.
 */
const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export interface CheckReport {
  schemaVersion: 2;
  file: string;
  diagnostics: { code: string; rule: string; severity: Severity; line: number; endLine: number; message: string; fixable: boolean }[];
  image: { bytes: number | null; compressed: number | null; source: string; wastedBytes: number; efficiency: number; unknownParts?: UnknownPart[] } | null;
  thresholds: { name: string; limit: number; actual: number | null; passed: boolean }[];
  passed: boolean;
}

/** The findings `check` reports, in every format. */
export function checkFindings(model: DockerfileModel, text: string, context?: ContextSnapshot): Diagnosis[] {
  return diagnose(model, text, {}, context);
}

export function check(model: DockerfileModel, findings: Diagnosis[], file: string, options: ParsedOptions): CheckReport {
  const diagnostics = findings.map((d) => ({
    code: d.code, rule: d.rule, severity: d.severity, line: d.range.start.line + 1, endLine: d.range.end.line + 1, message: d.message, fixable: d.fix !== undefined,
  }));
  const image = model.image
    ? {
        bytes: model.image.total.bytes, compressed: model.image.total.compressed, source: model.image.total.source, wastedBytes: model.image.wasted.bytes, efficiency: model.image.wasted.efficiency,
        // the English words only, as the rest of the report
        ...(model.image.total.unknownParts ? { unknownParts: model.image.total.unknownParts.map(({ message: _, ...u }) => u) } : {}),
      }
    : null;
  const thresholds: CheckReport['thresholds'] = [];
  if (options.lowestEfficiency !== undefined) {
    const actual = image?.efficiency ?? null;
    thresholds.push({ name: 'lowest-efficiency', limit: options.lowestEfficiency, actual, passed: actual !== null && actual >= options.lowestEfficiency });
  }
  if (options.highestWastedBytes !== undefined) {
    const actual = image?.wastedBytes ?? null;
    thresholds.push({ name: 'highest-wasted-bytes', limit: options.highestWastedBytes, actual, passed: actual !== null && actual <= options.highestWastedBytes });
  }
  if (options.maxImageBytes !== undefined) {
    const actual = image?.bytes ?? null;
    // a part not known could take the image over the limit: only a whole figure can pass
    const whole = model.image !== undefined && !hasUnknown(model.image.total);
    thresholds.push({ name: 'max-image-size', limit: options.maxImageBytes, actual, passed: whole && actual !== null && actual <= options.maxImageBytes });
  }
  const failing = options.failOn === 'never' ? [] : diagnostics.filter((d) => RANK[d.severity] <= RANK[options.failOn as Severity]);
  return { schemaVersion: 2, file, diagnostics, image, thresholds, passed: failing.length === 0 && thresholds.every((t) => t.passed) };
}

export function formatCheck(report: CheckReport, model: DockerfileModel, failOn: ParsedOptions['failOn']): string {
  const out: string[] = [report.file];
  if (report.diagnostics.length === 0) out.push('  no findings');
  for (const d of report.diagnostics) out.push(`  line ${d.line}  ${d.severity.padEnd(11)} ${d.code}  ${d.message}${d.fixable ? '  [quick fix in the editor]' : ''}`);
  if (model.image) {
    const compressed = formatCompressed(model.image.total);
    out.push('', `Image: ${formatFigure(model.image.total)}${compressed ? `, ${compressed}` : ''}`);
    out.push(`Wasted: ${formatBytes(model.image.wasted.bytes)} · efficiency ${(model.image.wasted.efficiency * 100).toFixed(1)}%`);
  }
  for (const t of report.thresholds) {
    const shown = (n: number | null) => (n === null ? 'not known' : t.name === 'lowest-efficiency' ? `${(n * 100).toFixed(1)}%` : formatBytes(n));
    const partly = t.name === 'max-image-size' && model.image !== undefined && hasUnknown(model.image.total);
    out.push(`${t.passed ? 'PASS' : 'FAIL'}  ${t.name}: ${partly && t.actual ? `≥ ${shown(t.actual)} + unknown` : shown(t.actual)} (limit ${shown(t.limit)})`);
  }
  out.push('', report.passed ? 'Result: PASS' : `Result: FAIL${failOn !== 'never' && report.diagnostics.some((d) => RANK[d.severity] <= RANK[failOn as Severity]) ? ` (findings at ${failOn} or worse)` : ''}`);
  return out.join('\n');
}
