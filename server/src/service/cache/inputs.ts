import { say, type Locale, type Text } from '../explain';
import type { InstructionInfo, Layer, Stage } from '../types';

/**
 * What a step's cache key depends on, in words: "reused on the next build unless …". For COPY/ADD
 * the files it reads; for RUN its text, the layers below and the build args it sees.
 */
const WORDS = {
  unless: { en: 'Cache: reused on the next build unless {what} changes', ko: '캐시: {what}이(가) 바뀌지 않으면 다음 빌드에서 재사용' },
  unlessPlural: { en: 'Cache: reused on the next build unless {what} change', ko: '캐시: {what}이(가) 바뀌지 않으면 다음 빌드에서 재사용' },
  thisLine: { en: 'this instruction', ko: '이 명령' },
  below: { en: 'a layer below', ko: '아래 레이어' },
  files: { en: 'the files it copies ({files})', ko: '복사하는 파일({files})' },
  wholeContext: {
    en: 'any file of the build context (this Dockerfile too, unless .dockerignore leaves it out)',
    ko: '빌드 컨텍스트의 어떤 파일이든 (.dockerignore로 빼지 않았다면 이 Dockerfile도)',
  },
  args: { en: 'build args {args}', ko: '빌드 인자 {args}' },
  env: { en: 'ENV/USER/WORKDIR above it', ko: '위의 ENV/USER/WORKDIR' },
  stage: { en: 'the output of stage {stage}', ko: '스테이지 {stage}의 결과' },
  metadataEnv: {
    en: 'Cache: no cache step of its own; changing it rebuilds the RUN steps after it',
    ko: '캐시: 자체 캐시 단계 없음; 바꾸면 이후 RUN 단계가 다시 빌드됨',
  },
  metadataFree: {
    en: 'Cache: no cache step of its own; changing it rebuilds nothing',
    ko: '캐시: 자체 캐시 단계 없음; 바꿔도 다시 빌드되는 것 없음',
  },
} satisfies Record<string, Text>;

const ENVIRONMENT = new Set(['ENV', 'ARG', 'USER', 'WORKDIR', 'SHELL']);

export function cacheInputsText(info: InstructionInfo, layer: Layer | undefined, stage: Stage, locale: Locale): string | undefined {
  if (info.keyword === 'FROM') return undefined;
  if (!layer || layer.kind !== 'filesystem') return ENVIRONMENT.has(info.keyword) ? WORDS.metadataEnv[locale] : WORDS.metadataFree[locale];
  const parts = [WORDS.thisLine[locale], WORDS.below[locale]];
  if (info.keyword === 'RUN') {
    if ((info.argsInScope ?? []).length > 0) parts.push(say(WORDS.args, locale, { args: info.argsInScope!.join(', ') }));
    parts.push(WORDS.env[locale]);
  }
  const from = stage.dependencies.find((d) => d.instruction === info.index && d.stage !== undefined);
  if (from) parts.push(say(WORDS.stage, locale, { stage: `'${from.reference}'` }));
  if ((info.keyword === 'COPY' || info.keyword === 'ADD') && !from && layer.inputs) {
    if (layer.inputs.some((p) => p === '' || p === '.')) parts.push(WORDS.wholeContext[locale]);
    else parts.push(say(WORDS.files, locale, { files: `${layer.inputs.slice(0, 4).join(', ')}${layer.inputs.length > 4 ? ', …' : ''}` }));
  }
  const what = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} ${locale === 'ko' ? '또는' : 'or'} ${parts[parts.length - 1]}`;
  return say(WORDS.unlessPlural, locale, { what });
}
