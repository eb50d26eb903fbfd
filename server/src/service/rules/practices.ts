import { predictRebuild } from '../cache/predict';
import { formatBytes } from '../features/sizeText';
import { runScript, splitCommands, type SimpleCommand } from '../sizes/shell';
import type { DockerfileModel, InstructionInfo, Layer, Range, Severity, Stage } from '../types';
import type { ContextSnapshot } from '../sizes/context';
import type { ContextFile } from '../sizes/types';
import { layerNumbered, layerOfInstruction } from '../model/layerIndex';

/**
 * Size and cache advice, each rule as data: a stable code, a default severity, and a check that
 * returns findings with a message that puts a number on the cost and, where a change is safe,
 * the edit that fixes it. Codes: DL-S… cost bytes, DL-C… cost cache reuse, DL-R… reproducibility
 * or safety.
 */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  code: string;
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  fix?: Fix;
}

interface Step {
  stage: Stage;
  info: InstructionInfo;
  layer: Layer | undefined;
  commands: SimpleCommand[];
}

interface PracticeRule {
  code: string;
  rule: string;
  severity: Severity;
  check(model: DockerfileModel, steps: Step[], lines: string[], context: ContextSnapshot | undefined): Omit<Finding, 'code' | 'rule' | 'severity'>[];
}

const INSTALLS: { test: (argv: string[]) => boolean; manifests: string }[] = [
  { test: (a) => a[0] === 'npm' && ['ci', 'install', 'i'].includes(a[1] ?? ''), manifests: 'package.json package-lock.json*' },
  { test: (a) => a[0] === 'yarn' && (a.length === 1 || a[1] === 'install'), manifests: 'package.json yarn.lock' },
  { test: (a) => a[0] === 'pnpm' && ['install', 'i'].includes(a[1] ?? ''), manifests: 'package.json pnpm-lock.yaml' },
  { test: (a) => /^pip[0-9.]*$/.test(a[0] ?? '') && a[1] === 'install' && (a.includes('-r') || a.includes('--requirement')), manifests: 'requirements*.txt' },
  { test: (a) => a[0] === 'go' && a[1] === 'mod' && a[2] === 'download', manifests: 'go.mod go.sum' },
  { test: (a) => a[0] === 'bundle' && (a.length === 1 || a[1] === 'install'), manifests: 'Gemfile Gemfile.lock' },
  { test: (a) => a[0] === 'composer' && a[1] === 'install', manifests: 'composer.json composer.lock' },
];

const isApt = (a: string[]) => a[0] === 'apt-get' || a[0] === 'apt';
const isShellForm = (info: InstructionInfo) => info.heredocs.length === 0 && !info.args.trim().startsWith('[');
const copiesWholeContext = (info: InstructionInfo) => info.keyword === 'COPY' && !info.flags.some((f) => f.name === 'from') && /^\.\/?\s/.test(info.args.trim());

/** Files a build context should not put into an image: what they are, and why not. */
const UNWANTED: { test: (path: string) => boolean; name: (path: string) => string; why: string }[] = [
  { test: (p) => p === '.git' || p.startsWith('.git/') || p.includes('/.git/'), name: () => '.git/', why: 'the repository history' },
  { test: (p) => /(^|\/)node_modules\//.test(p), name: () => 'node_modules/', why: 'installed dependencies the image should install itself' },
  { test: (p) => /(^|\/)\.env(\.[\w-]+)?$/.test(p) && !p.endsWith('.example'), name: (p) => p, why: 'environment files often hold secrets' },
  { test: (p) => /(^|\/)(id_rsa|id_ed25519|id_ecdsa)(\.pub)?$|\.(pem|key|p12|pfx)$/.test(p), name: (p) => p, why: 'private keys' },
];

/**
 * The context's files of each UNWANTED kind, in snapshot order, found once per snapshot: the rule
 * runs on every edit, and testing 100,000 paths four times took ~15 ms each time.
 */
const unwantedBySnapshot = new WeakMap<ContextSnapshot, ContextFile[][]>();
function unwantedFiles(context: ContextSnapshot): ContextFile[][] {
  let found = unwantedBySnapshot.get(context);
  if (!found) {
    found = UNWANTED.map((kind) => context.files.filter((file) => kind.test(file.path)));
    unwantedBySnapshot.set(context, found);
  }
  return found;
}

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i;
/** Names about a secret rather than holding one: where it lives, when it expires, who issues it. */
const SECRET_METADATA = /(_FILE|_PATH|_DIR|_URI|_URL|_HOST|_PORT|_TIME|_TTL|_EXPIRATION|_EXPIRY|_ISSUER|_EMAIL|_NAME|_LENGTH)$/i;

/** `ENV DB_PASSWORD=x`, `ARG NPM_TOKEN`: a secret-looking name with a value (or one to come from --build-arg). */
function looksSecret(args: string): boolean {
  const [name = '', ...rest] = args.split(/[\s=]/);
  if (!SECRET_NAME.test(name) || SECRET_METADATA.test(name)) return false;
  const value = rest.join(' ').trim().replace(/^["']|["']$/g, '');
  return !args.includes('=') && rest.length === 0 ? true : value !== '';
}

export const PRACTICES: readonly PracticeRule[] = [
  {
    code: 'DL-C001',
    rule: 'source-before-install',
    severity: 'warning',
    check(model, steps, lines) {
      const out: ReturnType<PracticeRule['check']> = [];
      for (const copy of steps.filter((s) => copiesWholeContext(s.info))) {
        const later = steps.filter((s) => s.stage === copy.stage && s.info.index > copy.info.index && s.info.keyword === 'RUN');
        const install = later.find((s) => s.commands.some((c) => INSTALLS.some((i) => i.test(c.argv))));
        if (!install || !copy.layer) continue;
        const manifests = INSTALLS.find((i) => install.commands.some((c) => i.test(c.argv)))!.manifests;
        // what a change of any copied file costs: the same as a change of the COPY itself
        const prediction = predictRebuild(model, { editedLines: [copy.info.range.start.line] }).stages[copy.stage.index]!;
        const rebuilt = prediction.steps.filter((s) => !s.reused && s.layer !== undefined);
        const bytes = rebuilt.reduce((sum, s) => sum + (layerNumbered(copy.stage, s.layer!)?.size?.bytes ?? 0), 0);
        const span = rebuilt.length > 0 ? `layers ${rebuilt[0]!.layer}–${rebuilt[rebuilt.length - 1]!.layer}` : 'the layers after it';
        const between = steps.filter((s) => s.stage === copy.stage && s.info.index > copy.info.index && s.info.index < install.info.index && s.layer);
        const fix = between.length === 0 && isShellForm(install.info)
          ? {
              title: `Copy ${manifests} and install before copying the sources`,
              edits: [
                { range: lineStart(copy.info.range), newText: `COPY ${manifests} ./\n${lines.slice(install.info.range.start.line, install.info.range.end.line + 1).join('\n')}\n` },
                { range: wholeLines(install.info.range, lines), newText: '' },
              ],
            }
          : undefined;
        out.push({
          range: copy.info.range,
          message: `COPY of the whole context before the dependency install on line ${install.info.range.start.line + 1}: any source edit rebuilds ${span} (${formatBytes(bytes)}), dependencies included. Copy ${manifests} first and install, then copy the sources.`,
          ...(fix ? { fix } : {}),
        });
      }
      return out;
    },
  },
  {
    code: 'DL-C002',
    rule: 'apt-update-alone',
    severity: 'warning',
    check(_model, steps, lines) {
      return steps.flatMap((step, i) => {
        const updates = step.commands.some((c) => isApt(c.argv) && c.argv.includes('update'));
        const installs = step.commands.some((c) => isApt(c.argv) && c.argv.includes('install'));
        if (!updates || installs) return [];
        const next = steps[i + 1];
        const mergeable = next && next.stage === step.stage && next.info.keyword === 'RUN' && isShellForm(next.info) && isShellForm(step.info) && next.commands.some((c) => isApt(c.argv) && c.argv.includes('install'));
        return [{
          range: step.info.range,
          message: '`apt-get update` in a RUN of its own is cached by its text forever: later installs read a stale package index (and can fail once the mirror moves on). Run update and install in the same RUN.',
          ...(mergeable ? {
            fix: {
              title: 'Merge with the install on the next RUN',
              edits: [
                { range: { start: next!.info.keywordRange.end, end: next!.info.keywordRange.end }, newText: ` ${step.info.args} &&` },
                { range: wholeLines(step.info.range, lines), newText: '' },
              ],
            },
          } : {}),
        }];
      });
    },
  },
  {
    code: 'DL-S001',
    rule: 'apt-install-recommends',
    severity: 'information',
    check(_model, steps) {
      return steps.flatMap((step) => {
        const saving = step.layer?.facts?.aptRecommendsBytes;
        if (!saving || saving < 1e6) return [];
        const install = step.commands.find((c) => isApt(c.argv) && c.argv.includes('install'))!;
        return [{
          range: step.info.range,
          message: `apt installs recommended packages too: --no-install-recommends would leave out ${formatBytes(saving)} (estimated from the bundled Debian index).`,
          ...(isShellForm(step.info) ? { fix: insertAfterWord(step.info, `${install.argv[0]}`, 'install', ' --no-install-recommends', 'Add --no-install-recommends') } : {}),
        }];
      });
    },
  },
  {
    code: 'DL-S002',
    rule: 'apt-lists-left',
    severity: 'warning',
    check(_model, steps) {
      return steps.flatMap((step) => {
        const bytes = step.layer?.facts?.aptListsBytes;
        if (!bytes) return [];
        return [{
          range: step.info.range,
          message: `apt-get update leaves ${formatBytes(bytes)} of package lists in this layer: remove /var/lib/apt/lists/* in the same RUN (deleting them in a later layer saves nothing).`,
          ...(isShellForm(step.info) ? { fix: { title: 'Remove the apt lists in the same RUN', edits: [{ range: atEnd(step.info.range), newText: ' \\\n    && rm -rf /var/lib/apt/lists/*' }] } } : {}),
        }];
      });
    },
  },
  {
    code: 'DL-S003',
    rule: 'pip-cache-left',
    severity: 'information',
    check(_model, steps) {
      return steps.flatMap((step) => {
        const part = step.layer?.notes?.find((n) => n.startsWith("pip's download cache stays"));
        if (!part) return [];
        const pip = step.commands.find((c) => /^pip[0-9.]*$/.test(c.argv[0] ?? '') || /^python[0-9.]*$/.test(c.argv[0] ?? ''))!;
        return [{
          range: step.info.range,
          message: "pip keeps its download cache in the layer (/root/.cache/pip), often a third of the installed size: add --no-cache-dir or use a cache mount.",
          ...(isShellForm(step.info) && pip ? { fix: insertAfterWord(step.info, pip.argv[0]!, 'install', ' --no-cache-dir', 'Add --no-cache-dir') } : {}),
        }];
      });
    },
  },
  {
    code: 'DL-S004',
    rule: 'npm-cache-left',
    severity: 'information',
    check(_model, steps) {
      return steps.flatMap((step) => {
        if (!step.layer?.notes?.some((n) => /^the (npm|yarn|pnpm) cache stays in the layer/.test(n))) return [];
        const npm = step.commands.some((c) => c.argv[0] === 'npm');
        return [{
          range: step.info.range,
          message: 'The package manager\'s cache stays in this layer (about a third of what it installs): clean it in the same RUN or use --mount=type=cache.',
          ...(npm && isShellForm(step.info) ? { fix: { title: 'Clean the npm cache in the same RUN', edits: [{ range: atEnd(step.info.range), newText: ' \\\n    && npm cache clean --force' }] } } : {}),
        }];
      });
    },
  },
  {
    code: 'DL-S005',
    rule: 'removed-in-later-layer',
    severity: 'warning',
    check(model, steps) {
      return (model.image?.wasted.items ?? []).filter((w) => w.bytes >= 1e6).flatMap((w) => {
        const remover = steps.find((s) => s.stage.index === w.stage && s.layer?.number === w.removedBy) ?? steps.find((s) => s.layer?.number === w.removedBy);
        if (!remover) return [];
        return [{
          range: remover.info.range,
          message: w.how === 'deleted'
            ? `Deletes ${w.path} (${w.what}, ${formatBytes(w.bytes)}) written by layer ${w.layer}: the bytes stay in that layer and every pull still downloads them. Delete in the same RUN that creates them.`
            : `Rewrites ${w.path} (${formatBytes(w.bytes)}) written by layer ${w.layer}: both copies are shipped. Give files their final content, owner and mode where they are written.`,
        }];
      });
    },
  },
  {
    code: 'DL-S006',
    rule: 'add-where-copy',
    severity: 'information',
    check(_model, steps) {
      // A variable source may hold a URL or an archive: ADD may be meant, so say nothing.
      return steps.filter((s) => s.info.keyword === 'ADD' && !s.info.args.includes('$') && !/https?:\/\/|git@|\.(tar|tgz|tar\.\w+|txz|tbz2?)(\s|$)/.test(s.info.args) && s.info.heredocs.length === 0).map((s) => ({
        range: s.info.keywordRange,
        message: 'ADD of plain local files: COPY does the same without ADD\'s archive unpacking and URL fetching, which can surprise.',
        fix: { title: 'Use COPY', edits: [{ range: s.info.keywordRange, newText: 'COPY' }] },
      }));
    },
  },
  {
    code: 'DL-C003',
    rule: 'consecutive-runs',
    severity: 'hint',
    check(_model, steps, lines) {
      const out: ReturnType<PracticeRule['check']> = [];
      for (let i = 1; i < steps.length; i++) {
        const [a, b] = [steps[i - 1]!, steps[i]!];
        if (a.stage !== b.stage || a.info.keyword !== 'RUN' || b.info.keyword !== 'RUN' || b.info.index !== a.info.index + 1) continue;
        if (!isShellForm(a.info) || !isShellForm(b.info) || a.info.flags.length > 0 || b.info.flags.length > 0) continue;
        out.push({
          range: b.info.range,
          message: `This RUN follows another RUN directly: one layer instead of two saves a layer's overhead, and files one writes and the other deletes would never be stored.`,
          fix: {
            title: 'Merge into the RUN above',
            edits: [
              { range: atEnd(a.info.range), newText: ` \\\n    && ${lines.slice(b.info.range.start.line, b.info.range.end.line + 1).join('\n').replace(/^\s*RUN\s+/i, '')}` },
              { range: wholeLines(b.info.range, lines), newText: '' },
            ],
          },
        });
      }
      return out;
    },
  },
  {
    code: 'DL-S007',
    rule: 'context-unwanted-files',
    severity: 'warning',
    check(_model, steps, _lines, context) {
      if (!context) return [];
      const out: ReturnType<PracticeRule['check']> = [];
      for (const step of steps) {
        const inputs = step.layer?.inputs ?? [];
        if (!(step.info.keyword === 'COPY' || step.info.keyword === 'ADD') || inputs.length === 0) continue;
        const found: string[] = [];
        const unwanted = unwantedFiles(context);
        for (const [k, kind] of UNWANTED.entries()) {
          let bytes = 0;
          let files = 0;
          const names = new Set<string>();
          for (const file of unwanted[k]!) {
            if (!inputs.some((i) => i === '' || i === '.' || file.path === i || file.path.startsWith(`${i}/`))) continue;
            bytes += file.size;
            files++;
            if (names.size < 2) names.add(kind.name(file.path));
          }
          if (files > 0) found.push(`${[...names].join(', ')}${files > 1 ? ` (${files} files, ${formatBytes(bytes)})` : ` (${formatBytes(bytes)})`}: ${kind.why}`);
        }
        if (found.length === 0) continue;
        out.push({
          range: step.info.range,
          message: `This copies what .dockerignore should leave out — ${found.join('; ')}. Add them to .dockerignore.`,
        });
      }
      return out;
    },
  },
  {
    code: 'DL-R001',
    rule: 'secret-in-arg-or-env',
    severity: 'warning',
    check(_model, steps) {
      return steps.filter((s) => (s.info.keyword === 'ARG' || s.info.keyword === 'ENV') && looksSecret(s.info.args)).map((s) => ({
        range: s.info.range,
        message: `${s.info.keyword} values are stored in the image (its config and history), readable by anyone who can pull it. Pass secrets with RUN --mount=type=secret instead.`,
      }));
    },
  },
  {
    code: 'DL-R002',
    rule: 'unpinned-base',
    severity: 'information',
    check(model) {
      return model.stages.flatMap((stage) => {
        if (stage.base.kind !== 'image' || stage.base.digest) return [];
        const tag = stage.base.tag;
        if (tag && tag !== 'latest') return [];
        return [{
          range: stage.instructions[0]!.range,
          message: `${stage.base.display} ${tag ? 'is :latest' : 'has no tag (so :latest)'}: it moves when upstream publishes, so builds are not reproducible and the cached base changes under you. Pin a version tag (or a digest).`,
        }];
      });
    },
  },
];

export function checkPractices(model: DockerfileModel, text: string, context?: ContextSnapshot): Finding[] {
  const lines = text.split(/\r\n|\r|\n/);
  const steps: Step[] = [];
  for (const stage of model.stages) {
    if (!stage.used) continue; // unused stages are reported once, as unused
    for (const info of stage.instructions.slice(1)) {
      const layer = layerOfInstruction(stage, info.index);
      steps.push({ stage, info, layer, commands: info.keyword === 'RUN' ? splitCommands(runScript(info)) : [] });
    }
  }
  return PRACTICES.flatMap((rule) => rule.check(model, steps, lines, context).map((f) => ({ ...f, code: rule.code, rule: rule.rule, severity: rule.severity })));
}

function lineStart(range: Range): Range {
  return { start: { line: range.start.line, character: 0 }, end: { line: range.start.line, character: 0 } };
}

/** From the start of the first line to the start of the line after the last: deletes lines cleanly. */
function wholeLines(range: Range, lines: string[]): Range {
  const end = range.end.line + 1 < lines.length ? { line: range.end.line + 1, character: 0 } : { line: range.end.line, character: lines[range.end.line]!.length };
  return { start: { line: range.start.line, character: 0 }, end };
}

function atEnd(range: Range): Range {
  return { start: range.end, end: range.end };
}

/** Inserts text right after `verb` of the first `command … verb` in the instruction's text. */
function insertAfterWord(info: InstructionInfo, command: string, verb: string, insert: string, title: string): Fix | undefined {
  const lines = info.text.split('\n');
  const pattern = new RegExp(`\\b${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b[^\\n&;|]*?\\b${verb}\\b`);
  for (let i = 0; i < lines.length; i++) {
    const m = pattern.exec(lines[i]!);
    if (!m) continue;
    const line = info.range.start.line + i;
    const character = (i === 0 ? info.range.start.character : 0) + m.index + m[0].length;
    return { title, edits: [{ range: { start: { line, character }, end: { line, character } }, newText: insert }] };
  }
  return undefined;
}
