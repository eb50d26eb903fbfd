import type { EffectReason } from './types';

/**
 * The words the product uses to explain layers, in English and Korean, keyed by stable ids.
 * `{name}` placeholders are filled by `say`. One table serves hovers, the CLI and the webview.
 */
export type Locale = 'en' | 'ko';

/** A text in every language the product speaks. */
export type Text = Record<Locale, string>;

export const EFFECT_TEXT: Record<EffectReason, Text> = {
  'runs-command': {
    en: 'filesystem layer: every file this command writes, changes or deletes',
    ko: '파일시스템 레이어: 이 명령이 쓰거나 바꾸거나 지운 모든 파일',
  },
  'copies-files': {
    en: 'filesystem layer: the files copied into the image',
    ko: '파일시스템 레이어: 이미지 안으로 복사한 파일',
  },
  'adds-files': {
    en: 'filesystem layer: the files added (local tar archives are unpacked)',
    ko: '파일시스템 레이어: 추가한 파일 (로컬 tar 압축 파일은 풀린 채로 들어감)',
  },
  'workdir-creates': {
    en: 'filesystem layer: creates the directory `{path}` (a few bytes)',
    ko: '파일시스템 레이어: 디렉터리 `{path}`를 만듦 (몇 바이트)',
  },
  'workdir-exists': {
    en: '`{path}` already exists, so nothing is written; only the working directory in the image config changes',
    ko: '`{path}`가 이미 있어서 아무것도 쓰지 않음; 이미지 설정의 작업 디렉터리만 바뀜',
  },
  'workdir-root': {
    en: '`/` always exists: only the working directory in the image config changes',
    ko: '`/`는 항상 있음: 이미지 설정의 작업 디렉터리만 바뀜',
  },
  'sets-metadata': {
    en: 'sets image metadata only (the image config), no files',
    ko: '이미지 메타데이터(설정)만 바꿈, 파일은 없음',
  },
  'declares-arg': {
    en: 'declares a build argument: its value is in the environment of the later RUN steps of this stage',
    ko: '빌드 인자 선언: 이 스테이지의 이후 RUN 단계 환경에 값이 들어감',
  },
  'global-arg': {
    en: 'a global build argument, usable in FROM lines; declare it again with ARG inside a stage to use it there',
    ko: '전역 빌드 인자: FROM 줄에서 쓸 수 있음; 스테이지 안에서 쓰려면 그 안에서 ARG로 다시 선언',
  },
  'base-image': {
    en: 'starts the stage from the image `{image}`: its read-only layers are the bottom of this image',
    ko: '이미지 `{image}`에서 스테이지를 시작: 그 읽기 전용 레이어가 이 이미지의 맨 아래가 됨',
  },
  'base-stage': {
    en: 'starts the stage from stage {parent}: it inherits all of that stage\'s layers',
    ko: '스테이지 {parent}에서 시작: 그 스테이지의 레이어를 모두 물려받음',
  },
  'base-scratch': {
    en: 'starts the stage from `scratch`: an empty filesystem with no layers',
    ko: '`scratch`에서 시작: 레이어가 없는 빈 파일시스템',
  },
  'onbuild-trigger': {
    en: 'stored in the image config; runs only when another Dockerfile builds FROM this image',
    ko: '이미지 설정에 저장됨; 다른 Dockerfile이 이 이미지를 FROM으로 빌드할 때만 실행',
  },
  'unknown-instruction': {
    en: 'not a Dockerfile instruction: the builder rejects it',
    ko: 'Dockerfile 명령이 아님: 빌더가 거부함',
  },
};

export const PHRASES = {
  layerOf: { en: 'Layer {number} of stage {stage}', ko: '스테이지 {stage}의 레이어 {number}' },
  noLayer: { en: 'No layer', ko: '레이어 없음' },
  stageStart: { en: 'Stage {stage}', ko: '스테이지 {stage}' },
  inImage: { en: 'This stage is the target: its layers are the image.', ko: '이 스테이지가 타깃: 이 레이어들이 곧 이미지.' },
  feedsTarget: {
    en: 'Built for the target, but only what {targets} copies or inherits from it reaches the image.',
    ko: '타깃을 위해 빌드되지만, {targets}가 복사하거나 물려받는 것만 이미지에 들어감.',
  },
  notBuilt: {
    en: 'Not built for target {target}: BuildKit skips this stage.',
    ko: '타깃 {target}에는 필요 없음: BuildKit이 이 스테이지를 건너뜀.',
  },
  sizeLater: { en: 'Size: not known yet', ko: '크기: 아직 모름' },
  size: { en: 'Size', ko: '크기' },
  baseSize: { en: 'Base image', ko: '베이스 이미지' },
  baseLayerSource: {
    en: '{key} has {count} layer{s} in the bundled docker-library/repo-info data ({date})',
    ko: '내장 docker-library/repo-info 데이터의 {key} 레이어 {count}개 ({date})',
  },
  stageTotal: { en: 'Stage total', ko: '스테이지 합계' },
  lensLayer: { en: 'Layer {number}', ko: '레이어 {number}' },
  lensTotal: { en: '{size} in all', ko: '합계 {size}' },
  lensTarget: { en: 'target image', ko: '타깃 이미지' },
  lensCached: { en: 'cached', ko: '캐시됨' },
  lensRebuilds: { en: 'rebuilds: {reason}', ko: '다시 빌드: {reason}' },
  nextBuildReused: { en: 'Next build (compared with {baseline}): reused from the cache', ko: '다음 빌드 ({baseline} 기준): 캐시에서 재사용' },
  nextBuildRebuilt: { en: 'Next build (compared with {baseline}): rebuilds, because {reason}', ko: '다음 빌드 ({baseline} 기준): 다시 빌드, 이유: {reason}' },
  lensUnused: { en: 'not built for the target', ko: '타깃 빌드에 쓰이지 않음' },
  baselineHead: { en: 'the last commit (git HEAD)', ko: '마지막 커밋 (git HEAD)' },
  baselineRevision: { en: 'revision {revision}', ko: '리비전 {revision}' },
  scanBegin: { en: 'reading the build context {root}', ko: '빌드 컨텍스트 {root} 읽는 중' },
  scanFiles: { en: 'reading the build context: {count} files', ko: '빌드 컨텍스트 읽는 중: 파일 {count}개' },
  lastBuild: { en: 'Last build: {actual} (predicted {predicted})', ko: '지난 빌드: {actual} (예측 {predicted})' },
  lastBuildRebuilds: {
    en: 'Last build: {actual} (predicted {predicted}); the next build makes this layer anew: {reason}',
    ko: '지난 빌드: {actual} (예측 {predicted}); 다음 빌드에서 이 레이어를 새로 만듦: {reason}',
  },
  lastBuildUnavailable: { en: 'Last build ({image}) not read: {problem}', ko: '지난 빌드({image})를 읽지 못함: {problem}' },
  moreNotes: { en: '(+{count} more in the layer tree)', ko: '(레이어 트리에 {count}개 더)' },
  rootFilesystem: { en: 'root filesystem', ko: '루트 파일시스템' },
} satisfies Record<string, Text>;

/** What the cache prediction compares with, in the user's language (English: as the server named it). */
export function baselineText(cache: { baseline: string; revision?: string }, locale: Locale): string {
  if (locale === 'en') return cache.baseline;
  return cache.revision !== undefined ? say(PHRASES.baselineRevision, locale, { revision: cache.revision }) : say(PHRASES.baselineHead, locale);
}

export function say(text: Text, locale: Locale, values: Record<string, string | number> = {}): string {
  const parts = placeholders(text[locale]);
  let said = parts[0]!;
  // odd parts are placeholder names: a name without a value stays as written
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    said += `${name in values ? String(values[name]) : `{${name}}`}${parts[i + 1]}`;
  }
  return said;
}

/** Texts cut at their `{placeholders}` once: the size pass says a figure's detail for every layer it sizes. */
const cut = new Map<string, readonly string[]>();
function placeholders(text: string): readonly string[] {
  let parts = cut.get(text);
  if (!parts) {
    // texts come from the catalogs; the bound only guards against data that carries its own
    if (cut.size >= 4_096) cut.clear();
    cut.set(text, (parts = text.split(/\{(\w+)\}/)));
  }
  return parts;
}

/** A text with its placeholders filled in every language, for data that carries its own words. */
export function sayEach(text: Text, values: Record<string, string | number> = {}): Text {
  return { en: say(text, 'en', values), ko: say(text, 'ko', values) };
}

export function toLocale(language: string | undefined): Locale {
  return language?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
