import { predictRebuild } from '../cache/predict';
import { formatBytes } from '../features/sizeText';
import { runScript, splitCommands, type SimpleCommand } from '../sizes/shell';
import type { DockerfileModel, InstructionInfo, Layer, Range, Severity, Stage } from '../types';
import type { ContextSnapshot } from '../sizes/context';
import type { ContextFile } from '../sizes/types';
import { layerNumbered, layerOfInstruction } from '../model/layerIndex';
import { sayEach, type Locale, type Text } from '../explain';
import { packageNames } from '../sizes/waste';
import { describeWhat } from '../sizes/messages';
import { UNINTENDED, unintendedPath, type UnintendedKind } from '../data/unintendedFiles';
import { pinnedBase } from '../sizes/baseImages';

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

/** A finding as a rule words it: its message and its fix's title in every language. */
interface Said {
  range: Range;
  message: Text;
  fix?: { title: Text; edits: TextEdit[] };
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
  check(model: DockerfileModel, steps: Step[], lines: string[], context: ContextSnapshot | undefined): Said[];
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

/**
 * The context's files DL-S007 warns about, with their kind, in snapshot order, found once per
 * snapshot: the rule runs on every edit, and testing 100,000 paths took ~15 ms each time.
 */
const unintendedBySnapshot = new WeakMap<ContextSnapshot, { file: ContextFile; kind: UnintendedKind; name: string }[]>();
function unintendedFiles(context: ContextSnapshot): { file: ContextFile; kind: UnintendedKind; name: string }[] {
  let found = unintendedBySnapshot.get(context);
  if (!found) {
    found = context.files.flatMap((file) => {
      const what = unintendedPath(file.path, (kind) => kind.warn);
      return what ? [{ file, ...what }] : [];
    });
    unintendedBySnapshot.set(context, found);
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
        const span: Text = rebuilt.length > 0
          ? { en: `layers ${rebuilt[0]!.layer}–${rebuilt[rebuilt.length - 1]!.layer}`, ko: `레이어 ${rebuilt[0]!.layer}–${rebuilt[rebuilt.length - 1]!.layer}` }
          : { en: 'the layers after it', ko: '그 뒤의 레이어' };
        const between = steps.filter((s) => s.stage === copy.stage && s.info.index > copy.info.index && s.info.index < install.info.index && s.layer);
        const fix = between.length === 0 && isShellForm(install.info)
          ? {
              title: { en: `Copy ${manifests} and install before copying the sources`, ko: `소스보다 먼저 ${manifests} 복사 후 설치` },
              edits: [
                { range: lineStart(copy.info.range), newText: `COPY ${manifests} ./\n${lines.slice(install.info.range.start.line, install.info.range.end.line + 1).join('\n')}\n` },
                { range: wholeLines(install.info.range, lines), newText: '' },
              ],
            }
          : undefined;
        out.push({
          range: copy.info.range,
          message: {
            en: `COPY of the whole context before the dependency install on line ${install.info.range.start.line + 1}: any source edit rebuilds ${span.en} (${formatBytes(bytes)}), dependencies included. Copy ${manifests} first and install, then copy the sources.`,
            ko: `${install.info.range.start.line + 1}번째 줄의 의존성 설치보다 먼저 컨텍스트 전체를 COPY합니다: 소스를 하나만 고쳐도 ${span.ko} 전체(${formatBytes(bytes)})가 의존성까지 다시 빌드됩니다. 먼저 ${manifests} 파일을 복사해 설치한 뒤 소스를 복사하세요.`,
          },
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
          message: {
            en: '`apt-get update` in a RUN of its own is cached by its text forever: later installs read a stale package index (and can fail once the mirror moves on). Run update and install in the same RUN.',
            ko: '`apt-get update`만 하는 RUN은 명령 텍스트가 같으면 언제까지나 캐시에서 재사용됩니다: 이후의 설치가 오래된 패키지 인덱스를 읽고, 미러가 바뀌면 실패할 수도 있습니다. update와 install을 같은 RUN에서 실행하세요.',
          },
          ...(mergeable ? {
            fix: {
              title: { en: 'Merge with the install on the next RUN', ko: '다음 RUN의 설치와 합치기' },
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
          message: {
            en: `apt installs recommended packages too: --no-install-recommends would leave out ${formatBytes(saving)} (estimated from the bundled Debian index).`,
            ko: `apt가 권장 패키지도 설치합니다: --no-install-recommends를 쓰면 ${formatBytes(saving)}가 빠집니다 (내장 Debian 인덱스로 추정).`,
          },
          ...(isShellForm(step.info)
            ? { fix: insertAfterWord(step.info, `${install.argv[0]}`, 'install', ' --no-install-recommends', { en: 'Add --no-install-recommends', ko: '--no-install-recommends 추가' }) }
            : {}),
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
          message: {
            en: `apt-get update leaves ${formatBytes(bytes)} of package lists in this layer: remove /var/lib/apt/lists/* in the same RUN (deleting them in a later layer saves nothing).`,
            ko: `apt-get update가 이 레이어에 패키지 목록 ${formatBytes(bytes)}를 남깁니다: 같은 RUN에서 /var/lib/apt/lists/*를 지우세요 (뒤의 레이어에서 지우면 아무것도 줄지 않음).`,
          },
          ...(isShellForm(step.info) ? { fix: { title: { en: 'Remove the apt lists in the same RUN', ko: '같은 RUN에서 apt 목록 지우기' }, edits: [{ range: atEnd(step.info.range), newText: ' \\\n    && rm -rf /var/lib/apt/lists/*' }] } } : {}),
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
          message: {
            en: "pip keeps its download cache in the layer (/root/.cache/pip), often a third of the installed size: add --no-cache-dir or use a cache mount.",
            ko: 'pip 다운로드 캐시가 레이어에 남습니다 (/root/.cache/pip, 흔히 설치한 크기의 3분의 1): --no-cache-dir를 붙이거나 캐시 마운트를 쓰세요.',
          },
          ...(isShellForm(step.info) && pip ? { fix: insertAfterWord(step.info, pip.argv[0]!, 'install', ' --no-cache-dir', { en: 'Add --no-cache-dir', ko: '--no-cache-dir 추가' }) } : {}),
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
          message: {
            en: 'The package manager\'s cache stays in this layer (about a third of what it installs): clean it in the same RUN or use --mount=type=cache.',
            ko: '패키지 관리자의 캐시가 이 레이어에 남습니다 (설치한 양의 약 3분의 1): 같은 RUN에서 지우거나 --mount=type=cache를 쓰세요.',
          },
          ...(npm && isShellForm(step.info) ? { fix: { title: { en: 'Clean the npm cache in the same RUN', ko: '같은 RUN에서 npm 캐시 지우기' }, edits: [{ range: atEnd(step.info.range), newText: ' \\\n    && npm cache clean --force' }] } } : {}),
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
        if (w.packages) {
          const values = { count: w.packages.list.length, manager: w.packages.manager, names: packageNames(w.packages.list.map((p) => p.name)), size: formatBytes(w.bytes), layer: w.layer };
          return [{ range: remover.info.range, message: sayEach(REMOVED_PACKAGES, values) }];
        }
        return [{
          range: remover.info.range,
          message: w.how === 'deleted'
            ? {
                en: `Deletes ${w.path} (${w.what}, ${formatBytes(w.bytes)}) written by layer ${w.layer}: the bytes stay in that layer and every pull still downloads them. Delete in the same RUN that creates them.`,
                ko: `레이어 ${w.layer}에서 쓴 ${w.path}(${describeWhat(w, 'ko')}, ${formatBytes(w.bytes)})를 지웁니다: 그 바이트는 그 레이어에 남아 pull할 때마다 내려받습니다. 만드는 RUN에서 함께 지우세요.`,
              }
            : {
                en: `Rewrites ${w.path} (${formatBytes(w.bytes)}) written by layer ${w.layer}: both copies are shipped. Give files their final content, owner and mode where they are written.`,
                ko: `레이어 ${w.layer}에서 쓴 ${w.path}(${formatBytes(w.bytes)})를 다시 씁니다: 두 벌 모두 전송됩니다. 파일을 쓰는 곳에서 최종 내용, 소유자, 권한을 정하세요.`,
              },
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
        message: {
          en: 'ADD of plain local files: COPY does the same without ADD\'s archive unpacking and URL fetching, which can surprise.',
          ko: '일반 로컬 파일을 ADD합니다: COPY도 같은 일을 하며, 뜻밖일 수 있는 ADD의 압축 풀기와 URL 가져오기가 없습니다.',
        },
        fix: { title: { en: 'Use COPY', ko: 'COPY 사용' }, edits: [{ range: s.info.keywordRange, newText: 'COPY' }] },
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
          message: {
            en: `This RUN follows another RUN directly: one layer instead of two saves a layer's overhead, and files one writes and the other deletes would never be stored.`,
            ko: '이 RUN은 바로 앞의 RUN에 이어집니다: 둘을 한 레이어로 합치면 레이어 하나만큼의 오버헤드가 줄고, 한쪽이 쓰고 다른 쪽이 지우는 파일은 아예 저장되지 않습니다.',
          },
          fix: {
            title: { en: 'Merge into the RUN above', ko: '위의 RUN과 합치기' },
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
        const inside = (path: string) => inputs.some((i) => i === '' || i === '.' || path === i || path.startsWith(`${i}/`));
        const byKind = new Map<UnintendedKind, { bytes: number; files: number; names: Set<string> }>();
        for (const { file, kind, name } of unintendedFiles(context)) {
          if (!inside(file.path)) continue;
          const tally = byKind.get(kind) ?? { bytes: 0, files: 0, names: new Set<string>() };
          tally.bytes += file.size;
          tally.files++;
          if (tally.names.size < 2) tally.names.add(name);
          byKind.set(kind, tally);
        }
        const found = UNINTENDED.flatMap((kind): Text[] => {
          const tally = byKind.get(kind);
          if (!tally) return [];
          const what = [...tally.names].join(', ');
          const size = formatBytes(tally.bytes);
          return [{
            en: `${what}${tally.files > 1 ? ` (${tally.files} files, ${size})` : ` (${size})`}: ${kind.why.en}`,
            ko: `${what}${tally.files > 1 ? ` (파일 ${tally.files}개, ${size})` : ` (${size})`}: ${kind.why.ko}`,
          }];
        });
        if (found.length === 0) continue;
        out.push({
          range: step.info.range,
          message: {
            en: `This copies what .dockerignore should leave out — ${found.map((f) => f.en).join('; ')}. Add them to .dockerignore.`,
            ko: `.dockerignore로 빼야 할 것을 복사합니다 — ${found.map((f) => f.ko).join('; ')}. .dockerignore에 추가하세요.`,
          },
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
        message: {
          en: `${s.info.keyword} values are stored in the image (its config and history), readable by anyone who can pull it. Pass secrets with RUN --mount=type=secret instead.`,
          ko: `${s.info.keyword} 값은 이미지(설정과 이력)에 저장되어 이미지를 pull할 수 있는 누구나 읽을 수 있습니다. 비밀 값은 대신 RUN --mount=type=secret으로 넘기세요.`,
        },
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
        const fix = pinFix(stage);
        return [{
          range: stage.instructions[0]!.range,
          message: {
            en: `${stage.base.display} ${tag ? 'is :latest' : 'has no tag (so :latest)'}: it moves when upstream publishes, so builds are not reproducible and the cached base changes under you. Pin a version tag (or a digest).`,
            ko: `${stage.base.display}: ${tag ? ':latest 태그입니다' : '태그가 없습니다 (:latest와 같음)'}. 업스트림이 새로 게시할 때마다 바뀌므로 빌드를 재현할 수 없고, 캐시된 베이스도 모르는 사이에 바뀝니다. 버전 태그(또는 다이제스트)로 고정하세요.`,
          },
          ...(fix ? { fix } : {}),
        }];
      });
    },
  },
];

/**
 * DL-R002's fix: the versioned tag (else the digest) that `latest` was in the bundled data, written
 * in place of the reference. Only for a reference written without variables, so the edit replaces
 * exactly what the user typed; the title says how old the data is, since `latest` has moved since.
 */
function pinFix(stage: Stage): Said['fix'] {
  const base = stage.base;
  if (base.kind !== 'image' || base.unresolvedVariables.length > 0 || base.raw !== base.resolved) return undefined;
  const pin = pinnedBase(base);
  if (!pin) return undefined;
  const from = stage.instructions[0]!;
  const line = from.text.split('\n')[0]!;
  const at = new RegExp(`(?<=[ \t])${base.raw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[ \t]|$)`).exec(line);
  if (!at) return undefined;
  const name = base.raw.replace(/:latest$/, '');
  const character = from.range.start.character + at.index;
  const range = { start: { line: from.range.start.line, character }, end: { line: from.range.start.line, character: character + base.raw.length } };
  if (pin.tag) {
    return {
      title: { en: `Pin to ${pin.tag} (latest in the bundled data of ${pin.date})`, ko: `${pin.tag}로 고정 (번들 데이터 ${pin.date} 기준 latest)` },
      edits: [{ range, newText: `${name}:${pin.tag.slice(pin.tag.indexOf(':') + 1)}` }],
    };
  }
  return {
    title: { en: `Pin to the digest latest had on ${pin.date} (bundled data)`, ko: `${pin.date}의 latest 다이제스트로 고정 (번들 데이터)` },
    edits: [{ range, newText: `${name}@${pin.digest}` }],
  };
}

export function checkPractices(model: DockerfileModel, text: string, context?: ContextSnapshot, locale: Locale = 'en'): Finding[] {
  const lines = text.split(/\r\n|\r|\n/);
  const steps: Step[] = [];
  for (const stage of model.stages) {
    if (!stage.used) continue; // unused stages are reported once, as unused
    for (const info of stage.instructions.slice(1)) {
      const layer = layerOfInstruction(stage, info.index);
      steps.push({ stage, info, layer, commands: info.keyword === 'RUN' ? splitCommands(runScript(info)) : [] });
    }
  }
  return PRACTICES.flatMap((rule) => rule.check(model, steps, lines, context).map(({ range, message, fix }) => ({
    range,
    message: message[locale],
    ...(fix ? { fix: { title: fix.title[locale], edits: fix.edits } } : {}),
    code: rule.code,
    rule: rule.rule,
    severity: rule.severity,
  })));
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
function insertAfterWord(info: InstructionInfo, command: string, verb: string, insert: string, title: Text): Said['fix'] {
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

/** DL-S005 for packages a later layer removes (apt-get purge/autoremove, apk del, pip uninstall, npm prune). */
const REMOVED_PACKAGES: Text = {
  en: 'Removes {count} {manager} packages ({names}, {size}) installed by layer {layer}: their files stay in that layer and every pull still downloads them. Remove them in the same RUN that installs them.',
  ko: '레이어 {layer}에서 설치한 {manager} 패키지 {count}개({names}, {size})를 제거합니다: 그 파일은 그 레이어에 남아 pull할 때마다 내려받습니다. 설치하는 RUN에서 함께 제거하세요.',
};
