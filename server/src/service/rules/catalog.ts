import type { Text } from '../explain';
import type { Severity } from '../types';
import { PRACTICES } from './practices';
import { RULES } from './table';

/**
 * Every diagnostic the product can report, with what it is about and what to do, for the places
 * that list rules rather than findings: SARIF's tool.driver.rules, documentation, the config
 * schema. Codes, names and default severities come from the two rule tables; this table adds only
 * the words, and a test fails when a rule has none.
 */
export interface RuleDescription {
  code: string;
  rule: string;
  severity: Severity;
  /** one line: what the rule finds */
  summary: Text;
  /** what to do about it */
  help: Text;
}

const WORDS: Record<string, { summary: Text; help: Text }> = {
  'DL-G001': {
    summary: { en: 'A stage index that does not exist.', ko: '없는 스테이지 인덱스.' },
    help: { en: 'Refer to a stage by a name given with FROM … AS name, or by an index below the number of stages.', ko: 'FROM … AS 이름으로 준 이름이나, 스테이지 수보다 작은 인덱스로 가리키세요.' },
  },
  'DL-G002': {
    summary: { en: 'No stage has this name, so the builder pulls an image of that name.', ko: '이 이름의 스테이지가 없어 빌더가 같은 이름의 이미지를 가져옵니다.' },
    help: { en: 'Check the stage name for a typo; write the full image reference when an image is meant.', ko: '스테이지 이름에 오타가 없는지 보고, 이미지를 뜻했다면 전체 이미지 참조를 쓰세요.' },
  },
  'DL-G003': {
    summary: { en: 'A stage reads from a stage defined later in the file.', ko: '파일에서 더 뒤에 정의된 스테이지를 읽습니다.' },
    help: { en: 'Move the stage that is read above the stage that reads it: BuildKit reads only earlier stages.', ko: '읽히는 스테이지를 읽는 스테이지 위로 옮기세요. BuildKit은 앞선 스테이지만 읽습니다.' },
  },
  'DL-G004': {
    summary: { en: 'A stage reads from itself.', ko: '스테이지가 자기 자신을 읽습니다.' },
    help: { en: 'Copy from another stage, or from the build context.', ko: '다른 스테이지나 빌드 컨텍스트에서 복사하세요.' },
  },
  'DL-G005': {
    summary: { en: 'Stages depend on each other in a cycle.', ko: '스테이지들이 서로를 순환 참조합니다.' },
    help: { en: 'Break the cycle: a stage can only read stages built before it.', ko: '순환을 끊으세요. 스테이지는 자기보다 먼저 빌드되는 스테이지만 읽을 수 있습니다.' },
  },
  'DL-G006': {
    summary: { en: 'Two stages have the same name (compared without case).', ko: '두 스테이지의 이름이 같습니다 (대소문자 무시).' },
    help: { en: 'Give each stage its own name.', ko: '스테이지마다 다른 이름을 주세요.' },
  },
  'DL-G007': {
    summary: { en: 'A stage the target does not need: BuildKit skips it.', ko: '타깃에 필요 없는 스테이지: BuildKit이 건너뜁니다.' },
    help: { en: 'Remove the stage, or build it with --target if it is meant to be built.', ko: '스테이지를 지우거나, 빌드할 생각이라면 --target으로 빌드하세요.' },
  },
  'DL-G008': {
    summary: { en: 'A build argument in FROM has no value.', ko: 'FROM의 빌드 인자에 값이 없습니다.' },
    help: { en: 'Declare the ARG before the first FROM with a default, or pass it with --build-arg.', ko: '첫 FROM 앞에서 ARG를 기본값과 함께 선언하거나 --build-arg로 넘기세요.' },
  },
  'DL-G009': {
    summary: { en: 'The base image expands to nothing.', ko: '베이스 이미지가 빈 값으로 펼쳐집니다.' },
    help: { en: 'Give the ARG used in FROM a default value.', ko: 'FROM에 쓰인 ARG에 기본값을 주세요.' },
  },
  'DL-G010': {
    summary: { en: 'The target stage does not exist.', ko: '타깃 스테이지가 없습니다.' },
    help: { en: 'Name a stage of this Dockerfile as the target.', ko: '이 Dockerfile에 있는 스테이지를 타깃으로 지정하세요.' },
  },
  'DL-P001': {
    summary: { en: 'A heredoc is never closed.', ko: 'heredoc이 닫히지 않습니다.' },
    help: { en: "End the heredoc with a line holding only its delimiter (tab-indented only with <<-).", ko: '구분자만 있는 줄로 heredoc을 끝내세요 (탭 들여쓰기는 <<-일 때만).' },
  },
  'DL-P002': {
    summary: { en: 'Part of the file is too large to analyse and is left out.', ko: '파일의 일부가 분석하기에 너무 커서 빠졌습니다.' },
    help: { en: 'Split the file or the instruction; no real image needs this many instructions or an instruction this long.', ko: '파일이나 명령어를 나누세요. 실제 이미지에는 이렇게 많은 명령어나 이렇게 긴 명령어가 필요 없습니다.' },
  },
  'DL-P003': {
    summary: { en: 'An ARG or ENV value expands past 65,536 characters and is cut.', ko: 'ARG나 ENV 값이 65,536자를 넘게 펼쳐져 잘렸습니다.' },
    help: { en: 'Check for a value that repeats itself (ARG X=${X}${X}); no real build needs a value this long.', ko: '자기 자신을 되풀이하는 값(ARG X=${X}${X})이 없는지 보세요. 실제 빌드에 이렇게 긴 값은 필요 없습니다.' },
  },
  'DL-C001': {
    summary: { en: 'Sources are copied before the dependencies are installed, so any source edit reinstalls them.', ko: '의존성 설치 전에 소스를 복사해서, 소스를 고칠 때마다 의존성을 다시 설치합니다.' },
    help: { en: 'Copy the manifests (package.json and its lockfile, requirements.txt, go.mod…) first, install, then copy the rest.', ko: '매니페스트(package.json과 잠금 파일, requirements.txt, go.mod…)를 먼저 복사해 설치한 뒤 나머지를 복사하세요.' },
  },
  'DL-C002': {
    summary: { en: 'apt-get update in a RUN of its own is cached forever by its text.', ko: 'RUN에 혼자 있는 apt-get update는 그 문자열로 영원히 캐시됩니다.' },
    help: { en: 'Run apt-get update and apt-get install in the same RUN.', ko: 'apt-get update와 apt-get install을 같은 RUN에서 실행하세요.' },
  },
  'DL-C003': {
    summary: { en: 'Two RUNs in a row make two layers where one would do.', ko: '연달은 두 RUN이 하나면 될 레이어를 둘 만듭니다.' },
    help: { en: 'Join them with && when they change together.', ko: '함께 바뀌는 명령이라면 &&로 합치세요.' },
  },
  'DL-S001': {
    summary: { en: 'apt installs recommended packages too.', ko: 'apt가 권장 패키지까지 설치합니다.' },
    help: { en: 'Add --no-install-recommends and name what you need explicitly.', ko: '--no-install-recommends를 붙이고 필요한 것은 직접 적으세요.' },
  },
  'DL-S002': {
    summary: { en: "apt-get update's package lists stay in the layer.", ko: 'apt-get update의 패키지 목록이 레이어에 남습니다.' },
    help: { en: 'Remove /var/lib/apt/lists/* in the same RUN, or keep them in a cache mount.', ko: '같은 RUN에서 /var/lib/apt/lists/*를 지우거나 캐시 마운트에 두세요.' },
  },
  'DL-S003': {
    summary: { en: "pip's download cache stays in the layer.", ko: 'pip의 다운로드 캐시가 레이어에 남습니다.' },
    help: { en: 'Use pip install --no-cache-dir, or a cache mount on the cache folder.', ko: 'pip install --no-cache-dir를 쓰거나 캐시 폴더에 캐시 마운트를 쓰세요.' },
  },
  'DL-S004': {
    summary: { en: "npm's cache stays in the layer.", ko: 'npm 캐시가 레이어에 남습니다.' },
    help: { en: 'Run npm cache clean --force in the same RUN, or use a cache mount on /root/.npm.', ko: '같은 RUN에서 npm cache clean --force를 실행하거나 /root/.npm에 캐시 마운트를 쓰세요.' },
  },
  'DL-S005': {
    summary: { en: 'Files deleted in a later layer still ship in the layer that wrote them.', ko: '뒤 레이어에서 지운 파일이 그 파일을 쓴 레이어에 그대로 실려 갑니다.' },
    help: { en: 'Delete files in the same RUN that creates them, or build them in another stage and copy only the result.', ko: '파일을 만든 같은 RUN에서 지우거나, 다른 스테이지에서 빌드해 결과만 복사하세요.' },
  },
  'DL-S006': {
    summary: { en: 'ADD where COPY does the same.', ko: 'COPY로 충분한 곳에 ADD를 씁니다.' },
    help: { en: 'Use COPY: ADD also fetches URLs and unpacks archives, which a plain copy does not need.', ko: 'COPY를 쓰세요. ADD는 URL을 받고 압축을 풀기도 해서 단순 복사에는 필요 없습니다.' },
  },
  'DL-S007': {
    summary: { en: 'A COPY carries files .dockerignore should leave out (.git, node_modules, .env, keys).', ko: 'COPY가 .dockerignore로 빼야 할 파일(.git, node_modules, .env, 키)을 옮깁니다.' },
    help: { en: 'Add them to .dockerignore.', ko: '.dockerignore에 추가하세요.' },
  },
  'DL-R001': {
    summary: { en: 'A secret-looking value in ARG or ENV is stored in the image.', ko: '비밀처럼 보이는 ARG나 ENV 값이 이미지에 저장됩니다.' },
    help: { en: 'Pass secrets with RUN --mount=type=secret.', ko: '비밀 값은 RUN --mount=type=secret으로 넘기세요.' },
  },
  'DL-R002': {
    summary: { en: 'The base image is :latest or has no tag, so it moves under you.', ko: '베이스 이미지가 :latest이거나 태그가 없어 모르는 사이에 바뀝니다.' },
    help: { en: 'Pin a version tag or a digest.', ko: '버전 태그나 다이제스트로 고정하세요.' },
  },
};

/** Every rule, structural ones first, each with its words (a rule without words is named by its rule name: a test catches it). */
export function ruleCatalog(): RuleDescription[] {
  const all = [
    ...Object.entries(RULES).map(([rule, spec]) => ({ code: spec.code, rule, severity: spec.severity })),
    ...PRACTICES.map((p) => ({ code: p.code, rule: p.rule, severity: p.severity })),
  ];
  return all.map((r) => ({ ...r, ...(WORDS[r.code] ?? { summary: { en: r.rule, ko: r.rule }, help: { en: r.rule, ko: r.rule } }) }));
}

/** Codes of the rule tables that have no words here. */
export function undescribedRules(): string[] {
  return [...Object.values(RULES).map((s) => s.code), ...PRACTICES.map((p) => p.code)].filter((code) => !WORDS[code]);
}
