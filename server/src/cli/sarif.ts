import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Diagnosis } from '../service';
import { ruleCatalog } from '../service/rules/catalog';
import type { Severity } from '../service/types';

/**
 * `dockerlens check --format sarif` (SARIF 2.1.0, as GitHub code scanning reads it) and
 * `--format github` (workflow commands that annotate the pull request's files). Both render the
 * same findings `check` prints; locations are relative to the repository root so that code
 * scanning can place them, and each result has a fingerprint that survives lines moving.
 */

export interface CheckedFile {
  /** path relative to the repository root (or the working folder), with forward slashes */
  uri: string;
  text: string;
  diagnostics: Diagnosis[];
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
const GITHUB_LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

export function toSarif(files: CheckedFile[]): object {
  const rules = ruleCatalog();
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  const results = files.flatMap((file) => {
    const lines = file.text.split(/\r\n|\r|\n/);
    const seen = new Map<string, number>();
    return file.diagnostics.map((d) => {
      const index = ruleIndex.get(d.code);
      return {
        ruleId: d.code,
        ...(index !== undefined ? { ruleIndex: index } : {}),
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: file.uri, uriBaseId: '%SRCROOT%' },
            region: region(d, lines),
          },
        }],
        partialFingerprints: { 'dockerlens/v1': fingerprint(d, file.uri, lines, seen) },
      };
    });
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'Dockerlens',
          rules: rules.map((r) => ({
            id: r.code,
            name: pascal(r.rule),
            shortDescription: { text: r.summary.en },
            fullDescription: { text: `${r.summary.en} ${r.help.en}` },
            help: { text: r.help.en },
            defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            properties: { tags: [r.code.startsWith('DL-S') ? 'size' : r.code.startsWith('DL-C') ? 'build-cache' : r.code.startsWith('DL-R') ? 'reproducibility' : 'correctness'] },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}

/** GitHub Actions workflow commands, one line per finding. */
export function toGithubAnnotations(files: CheckedFile[]): string {
  return files.flatMap((file) => file.diagnostics.map((d) => {
    const properties = [
      `file=${property(file.uri)}`,
      `line=${d.range.start.line + 1}`,
      `endLine=${d.range.end.line + 1}`,
      ...(d.range.start.line === d.range.end.line ? [`col=${d.range.start.character + 1}`, `endColumn=${d.range.end.character + 1}`] : []),
      `title=${property(`${d.code} ${d.rule}`)}`,
    ];
    return `::${GITHUB_LEVEL[d.severity]} ${properties.join(',')}::${data(d.message)}`;
  })).join('\n');
}

function region(d: Diagnosis, lines: string[]): object {
  const { start, end } = d.range;
  // An LSP range may end at column 0 of the next line; SARIF wants the last line it covers.
  const endLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
  const endColumn = endLine === end.line ? end.character + 1 : (lines[endLine]?.length ?? 0) + 1;
  return { startLine: start.line + 1, startColumn: start.character + 1, endLine: endLine + 1, endColumn: Math.max(endColumn, endLine === start.line ? start.character + 2 : 1) };
}

/**
 * Stable while lines move: the rule, the file, the text of the instruction's first line (spaces
 * folded) and which occurrence of that same triple this is.
 */
function fingerprint(d: Diagnosis, uri: string, lines: string[], seen: Map<string, number>): string {
  const text = (lines[d.range.start.line] ?? '').trim().replace(/\s+/g, ' ');
  const key = `${d.code}\0${uri}\0${text}`;
  const n = seen.get(key) ?? 0;
  seen.set(key, n + 1);
  return createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32);
}

const pascal = (rule: string): string => rule.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** Workflow command escaping: data escapes %, CR and LF; properties also : and ,. */
const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * A file's path relative to the repository that holds it (the nearest folder upwards with a
 * `.git`), else relative to the working folder; forward slashes, as SARIF and GitHub want. Only
 * looks for `.git`: runs nothing.
 */
export function repositoryPath(file: string): string {
  const absolute = path.resolve(file);
  for (let dir = path.dirname(absolute); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return path.relative(dir, absolute).split(path.sep).join('/');
    if (path.dirname(dir) === dir) break;
  }
  return path.relative(process.cwd(), absolute).split(path.sep).join('/');
}
