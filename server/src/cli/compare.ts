import type { DockerfileModel } from '../service';
import { describeStage } from '../service/model/graph';
import { instructionSummary } from '../service/model/display';
import type { Alignment } from '../service/compare/align';
import type { BuiltImage } from '../service/compare/image';
import type { LastBuildResult } from '../service/compare/lastBuild';
import type { CompareRow } from '../service/compare/sizes';
import { formatBytes, formatShort } from '../service/features/sizeText';
import type { SizeFigure } from '../service/sizes/types';

/**
 * `dockerlens compare <Dockerfile> --image <ref|path>`: the prediction beside a real build, per
 * layer and for the image, with the error; which instructions the image's history does not record
 * as written now; and which layers the next build reuses (their built size is exact) and which it
 * makes anew (still estimated).
 */
export interface CompareReport {
  schemaVersion: 2;
  dockerfile: string;
  image: { name: string; id: string | null; created: string | null; platform: string | null; source: BuiltImage['source']; layers: number; historyEntries: number };
  target: { stage: number; name: string | null } | null;
  alignment: { verdict: Alignment['verdict']; baseEntries: number; problems: string[] };
  rows: ReportRow[];
  total: {
    predicted: Figure | null;
    actual: { bytes: number | null; compressed: number | null };
    error: { bytes: number; percent: number | null } | null;
    unmeasuredLayers: number;
    /** the image as the next build would make it: built sizes where reused, estimates elsewhere */
    nextBuild: Figure | null;
  };
  nextBuild: { exact: number; estimated: number };
  estimatorErrors: { estimator: string; predicted: number; actual: number }[];
  notes: string[];
}

type Figure = Pick<SizeFigure, 'bytes' | 'low' | 'high' | 'compressed' | 'source' | 'detail' | 'unknownParts'>;

export interface ReportRow {
  kind: CompareRow['kind'];
  stage: number | null;
  layer: number | null;
  /** the instruction's index in its stage (0: the FROM) */
  instructionIndex: number | null;
  line: number | null;
  keyword: string | null;
  instruction: string | null;
  match: CompareRow['match'];
  estimator: string | null;
  predicted: Figure | null;
  actual: { bytes: number | null; compressed: number | null } | null;
  error: { bytes: number; percent: number | null } | null;
  inRange: boolean | null;
  /** the next build reuses the built layer (its size is exact) */
  reused: boolean | null;
  /** why the next build makes it anew */
  reason: string | null;
  /** the image's history text for the row's entries */
  createdBy: string[];
}

export function compareReport(file: string, original: DockerfileModel, result: LastBuildResult, image: BuiltImage): CompareReport {
  const { model, alignment, comparison, prediction } = result;
  const target = original.stages[original.target];
  const rows: ReportRow[] = comparison.rows.map((row) => {
    const stage = row.stage === null ? undefined : original.stages[row.stage];
    const info = stage && row.instruction !== null ? stage.instructions[row.instruction] : undefined;
    const step = row.stage === null || row.instruction === null ? undefined : prediction.stages[row.stage]?.steps.find((s) => s.instruction === row.instruction);
    const built = stage && row.instruction !== null ? model.stages[stage.index]!.layers.find((l) => l.instruction === row.instruction && l.kind !== 'stage')?.built : undefined;
    return {
      kind: row.kind,
      stage: row.stage,
      layer: row.layer,
      instructionIndex: row.instruction,
      line: info ? info.range.start.line + 1 : null,
      keyword: info?.keyword ?? null,
      instruction: info ? info.text : null,
      match: row.match,
      estimator: row.estimator,
      predicted: row.predicted ? figure(row.predicted) : null,
      actual: row.actual,
      error: row.error,
      inRange: row.inRange,
      // rows the model predicts no layer for (a WORKDIR that exists) have no figure to reuse
      reused: step && row.kind !== 'unmatched' && row.layer !== null ? built?.current ?? false : null,
      reason: step && !step.reused ? step.reason ?? null : null,
      createdBy: row.history.map((h) => image.history[h]!.createdBy),
    };
  });
  const { lastBuild } = result;
  return {
    schemaVersion: 2,
    dockerfile: file,
    image: { name: image.name, id: image.id, created: image.created, platform: image.platform, source: image.source, layers: image.layers.length, historyEntries: image.history.length },
    target: target ? { stage: target.index, name: target.name ?? null } : null,
    alignment: { verdict: alignment.verdict, baseEntries: alignment.baseEntries, problems: alignment.problems },
    rows,
    total: {
      predicted: comparison.total.predicted ? figure(comparison.total.predicted) : null,
      actual: comparison.total.actual,
      error: comparison.total.error,
      unmeasuredLayers: comparison.total.unmeasuredLayers,
      nextBuild: model.image ? figure(model.image.total) : null,
    },
    nextBuild: { exact: lastBuild.exact, estimated: lastBuild.estimated },
    estimatorErrors: lastBuild.errors,
    notes: lastBuild.notes,
  };
}

const figure = (f: SizeFigure): Figure => ({ bytes: f.bytes, low: f.low, high: f.high, compressed: f.compressed, source: f.source, detail: f.detail, ...(f.unknownParts ? { unknownParts: f.unknownParts.map(({ message: _, ...u }) => u) } : {}) });

/** layers under this many bytes show their error in bytes */
const SMALL = 100_000;

const SOURCE_SHORT: Record<SizeFigure['source'], string> = { exact: 'exact', bundled: 'bundled', registry: 'registry', engine: 'engine', estimate: 'estimate', unknown: '?', partial: 'partial' };

const VERDICT: Record<Alignment['verdict'], string> = {
  aligned: 'aligned: every instruction is recorded in the image as written now',
  changed: 'changed: the image was built from an earlier version of this file',
  unrelated: 'does not align: the image was built from another file (or another target); sizes are listed but not used',
};

export function formatCompare(report: CompareReport, model: DockerfileModel): string {
  const target = model.stages[model.target];
  const built = report.image.created ? `, built ${report.image.created.replace('T', ' ').slice(0, 16)}` : '';
  const out = [
    `${report.dockerfile} vs ${report.image.name} (${report.image.source}${built})${target ? `  (target: stage ${describeStage(target)})` : ''}`,
    `Alignment: ${VERDICT[report.alignment.verdict]}`,
    '',
  ];
  const header = ['layer', 'line', 'instruction', 'predicted', 'source', 'actual', 'error', 'next build'];
  const table = report.rows.map((row) => [
    row.kind === 'base' ? '0' : row.layer === null ? '-' : String(row.layer),
    row.line === null ? '-' : String(row.line),
    instructionText(row, model),
    row.kind === 'layer' && row.layer === null ? 'no layer' : row.predicted ? shortFigure(row.predicted) : '-',
    row.predicted && row.layer !== null ? SOURCE_SHORT[row.predicted.source] : '',
    row.actual ? (row.actual.bytes === null ? '?' : formatBytes(row.actual.bytes)) : 'not built',
    errorText(row.error, row.actual?.bytes ?? null),
    nextBuildText(row),
  ]);
  const right = [false, true, false, true, false, true, true, false];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  out.push(line(header), ...table.map(line), '');
  const t = report.total;
  const predicted = t.predicted ? shortFigure(t.predicted) : '?';
  out.push(`Image: predicted ${predicted}, built ${t.actual.bytes === null ? '?' : formatBytes(t.actual.bytes)}${t.error ? ` (error ${errorText(t.error)})` : ''}${t.actual.compressed !== null ? `, ${formatBytes(t.actual.compressed)} compressed` : ''}`);
  if (t.nextBuild) out.push(`Next build: ${shortFigure(t.nextBuild)} (${report.nextBuild.exact} layer${report.nextBuild.exact === 1 ? '' : 's'} exact from this build, ${report.nextBuild.estimated} estimated)`);
  out.push('', report.alignment.problems.length === 0 ? 'Did not align: nothing' : 'Did not align:');
  for (const problem of report.alignment.problems) out.push(`  ${problem}`);
  for (const note of report.notes) out.push(`Note: ${note}`);
  return out.join('\n');
}

function instructionText(row: ReportRow, model: DockerfileModel): string {
  if (row.kind === 'unmatched') return `(image) ${oneLine(row.createdBy[0] ?? '', 46)}`;
  const info = row.stage === null || row.instructionIndex === null ? undefined : model.stages[row.stage]?.instructions[row.instructionIndex];
  return info ? instructionSummary(info, 48) : '-';
}

function nextBuildText(row: ReportRow): string {
  if (row.kind === 'unmatched') return 'not in the file now';
  if (row.match === 'added') return 'new: estimate';
  if (row.layer === null) return 'no layer predicted';
  if (row.reused) return 'reused: exact';
  return row.reason ? `rebuilds: ${row.reason}` : 'estimate';
}

function shortFigure(f: Figure): string {
  return formatShort({ ...f });
}

/** Percent of the built size, or bytes where the layer is too small for a percentage to mean much. */
function errorText(error: { bytes: number; percent: number | null } | null, actual: number | null = null): string {
  if (!error) return '';
  if (error.percent === null || (actual !== null && actual < SMALL)) return `${error.bytes > 0 ? '+' : ''}${formatBytes(error.bytes)}`;
  const p = error.percent;
  return `${p > 0 ? '+' : ''}${Math.abs(p) >= 100 ? p.toFixed(0) : p.toFixed(1)}%`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
