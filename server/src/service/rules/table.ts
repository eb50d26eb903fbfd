import type { Problem, Range, Severity } from '../types';
import type { Text } from '../explain';

/**
 * Structural rules of the stage graph and parse, as data: a stable code, a default severity and
 * the message in English and Korean. Codes never change meaning; tests name rules by `rule`, not
 * by message text.
 */
interface RuleSpec<A extends unknown[]> {
  code: string;
  severity: Severity;
  unnecessary?: boolean;
  message: (...args: A) => Text;
}

const rule = <A extends unknown[]>(spec: RuleSpec<A>) => spec;

export const RULES = {
  'unknown-stage': rule({
    code: 'DL-G001',
    severity: 'error',
    message: (ref: string, count: number) => ({
      en: `Stage index ${ref} does not exist: this Dockerfile has ${count} stage${count === 1 ? '' : 's'} (0–${count - 1}).`,
      ko: `스테이지 인덱스 ${ref}: 없는 스테이지입니다. 이 Dockerfile의 스테이지는 ${count}개입니다 (0–${count - 1}).`,
    }),
  }),
  'stage-or-image': rule({
    code: 'DL-G002',
    severity: 'warning',
    message: (ref: string) => ({
      en: `No stage is named '${ref}', so the builder pulls the image 'docker.io/library/${ref}' instead. Misspelt stage name?`,
      ko: `이름이 '${ref}'인 스테이지가 없어 빌더가 대신 이미지 'docker.io/library/${ref}'를 가져옵니다. 스테이지 이름을 잘못 쓰지 않았나요?`,
    }),
  }),
  'later-stage-reference': rule({
    code: 'DL-G003',
    severity: 'error',
    message: (ref: string, stage: number) => ({
      en: `'${ref}' is stage ${stage}, defined later in the file: BuildKit only reads from stages defined before the current one, so the build fails.`,
      ko: `'${ref}': 파일에서 더 뒤에 정의된 스테이지 ${stage}입니다. BuildKit은 현재 스테이지보다 앞에 정의된 스테이지만 읽으므로 빌드가 실패합니다.`,
    }),
  }),
  'self-reference': rule({
    code: 'DL-G004',
    severity: 'error',
    message: (ref: string) => ({
      en: `A stage cannot read from itself ('${ref}').`,
      ko: `스테이지는 자기 자신('${ref}')을 읽을 수 없습니다.`,
    }),
  }),
  'stage-cycle': rule({
    code: 'DL-G005',
    severity: 'error',
    message: (path: string) => ({
      en: `Circular dependency between stages: ${path}. The build fails.`,
      ko: `스테이지 사이에 순환 의존이 있습니다: ${path}. 빌드가 실패합니다.`,
    }),
  }),
  'duplicate-stage-name': rule({
    code: 'DL-G006',
    severity: 'error',
    message: (name: string, first: number) => ({
      en: `Stage name '${name}' is already used by stage ${first}; the build fails. Stage names are compared without case.`,
      ko: `스테이지 이름 '${name}': 스테이지 ${first}에서 이미 쓰고 있어 빌드가 실패합니다. 스테이지 이름은 대소문자를 가리지 않고 비교합니다.`,
    }),
  }),
  'unused-stage': rule({
    code: 'DL-G007',
    severity: 'hint',
    unnecessary: true,
    message: (stage: string, target: string) => ({
      en: `Stage ${stage} is not needed to build the target ${target}: BuildKit skips it, so its layers are never built.`,
      ko: `스테이지 ${stage}: 타깃 ${target} 빌드에 필요 없습니다. BuildKit이 건너뛰므로 이 스테이지의 레이어는 빌드되지 않습니다.`,
    }),
  }),
  'unresolved-from-arg': rule({
    code: 'DL-G008',
    severity: 'warning',
    message: (names: string, resolved: string) => ({
      en: `${names} ha${names.includes(',') ? 've' : 's'} no value here (declare it with ARG before the first FROM, with a default or a --build-arg): the base image resolves to '${resolved}'.`,
      ko: `${names}: 여기서는 값이 없습니다 (첫 FROM 앞에서 ARG로 선언하고 기본값을 주거나 --build-arg로 넘기세요). 그래서 베이스 이미지는 '${resolved}'입니다.`,
    }),
  }),
  'empty-base-image': rule({
    code: 'DL-G009',
    severity: 'error',
    message: (raw: string) => ({
      en: `The base image '${raw}' expands to nothing: the build fails. Give its ARG a default.`,
      ko: `베이스 이미지 '${raw}': 값이 비어서 빌드가 실패합니다. 그 ARG에 기본값을 주세요.`,
    }),
  }),
  'unknown-target': rule({
    code: 'DL-G010',
    severity: 'error',
    message: (target: string) => ({
      en: `The target stage '${target}' does not exist; analysing the last stage instead.`,
      ko: `타깃 스테이지 '${target}': 없는 스테이지라 마지막 스테이지를 대신 분석합니다.`,
    }),
  }),
  'unterminated-heredoc': rule({
    code: 'DL-P001',
    severity: 'error',
    message: (name: string, resumed: number | null) => ({
      en: `Heredoc '${name}' is never closed by a line '${name}': the build fails.` +
        (resumed === null ? ' The rest of the file is read as its body.' : ` Analysis resumes at line ${resumed + 1}.`),
      ko: `heredoc '${name}': '${name}' 줄로 닫히지 않아 빌드가 실패합니다.` +
        (resumed === null ? ' 파일의 나머지가 모두 그 본문으로 읽힙니다.' : ` ${resumed + 1}번째 줄부터 다시 분석합니다.`),
    }),
  }),
  'analysis-capped': rule({
    code: 'DL-P002',
    severity: 'warning',
    message: (kind: 'instructions' | 'instruction-length', limit: number) => kind === 'instructions'
      ? {
          en: `Analysis stops here: this file has more than ${limit.toLocaleString('en-US')} instructions, far past what any image can hold (127 layers). The instructions from this line on are not analysed or sized.`,
          ko: `분석을 여기서 멈춥니다. 이 파일의 인스트럭션은 ${limit.toLocaleString('en-US')}개를 넘어 어떤 이미지도 담을 수 없는 수(레이어 127개)를 훨씬 넘습니다. 이 줄부터의 인스트럭션은 분석하지도, 크기를 재지도 않습니다.`,
        }
      : {
          en: `This instruction is longer than ${Math.round(limit / 1024)} kB: only its first ${Math.round(limit / 1024)} kB are analysed, so its flags, words, heredocs and size may be incomplete.`,
          ko: `이 인스트럭션은 ${Math.round(limit / 1024)} kB보다 깁니다. 앞의 ${Math.round(limit / 1024)} kB만 분석하므로 플래그, 단어, heredoc, 크기가 빠질 수 있습니다.`,
        },
  }),
  'expansion-too-long': rule({
    code: 'DL-P003',
    severity: 'warning',
    message: (name: string, max: number) => ({
      en: `${name} expands to more than ${max} characters (does it repeat itself, like ARG X=\${X}\${X}?): the value is cut there, so whatever uses it is shown from the cut value.`,
      ko: `${name}: 펼친 값이 ${max}자를 넘습니다 (ARG X=\${X}\${X}처럼 자기 자신을 되풀이하나요?). 값을 거기서 잘랐으므로 이 값을 쓰는 곳은 잘린 값으로 보여 줍니다.`,
    }),
  }),
} as const;

export type RuleName = keyof typeof RULES;

export function problem<K extends RuleName>(
  name: K,
  range: Range,
  ...args: Parameters<(typeof RULES)[K]['message']>
): Problem {
  const spec = RULES[name] as RuleSpec<unknown[]>;
  const message = spec.message(...args);
  return {
    code: spec.code,
    rule: name,
    severity: spec.severity,
    message: message.en,
    localizedMessage: message,
    range,
    ...(spec.unnecessary ? { unnecessary: true } : {}),
  };
}
