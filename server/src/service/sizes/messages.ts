import { say, type Locale, type Text } from '../explain';

/**
 * Everything the size engine says about a figure, a layer or wasted bytes, in English and Korean.
 * An estimator builds a Message (an id of this catalog and the values to fill in) and keeps the
 * English rendering as the `detail`/note/`what` string the CLI, the JSON schemas and the rules
 * read; hovers, lenses and the panels `describe` the message in the user's language. Values may be
 * messages themselves (a clause that is there or not) or lists of them, so a sentence put together
 * from parts is translated part by part, never by pattern-matching English.
 *
 * `{s}` is the English plural ending; Korean counts with 개 and leaves it out. Sizes are
 * formatted before they go in (formatBytes: the same decimal units in both languages).
 */
export const SIZE_TEXT = {
  // ---- where a figure comes from, in general ---------------------------------------------------
  contextNotRead: { en: 'the build context has not been read', ko: '빌드 컨텍스트를 아직 읽지 않았습니다' },
  contextWasNotRead: { en: 'the build context was not read', ko: '빌드 컨텍스트를 읽지 않았습니다' },
  contextNotOnDisk: { en: 'not a file on disk: the build context is unknown', ko: '디스크의 파일이 아니어서 빌드 컨텍스트를 알 수 없습니다' },
  contextReading: { en: 'reading the build context…', ko: '빌드 컨텍스트를 읽는 중…' },
  contextFailed: { en: 'the build context could not be read: {reason}', ko: '빌드 컨텍스트를 읽을 수 없습니다: {reason}' },
  contextNotForClosed: {
    en: 'the build context is not read for images that are not open',
    ko: '열려 있지 않은 이미지는 빌드 컨텍스트를 읽지 않습니다',
  },

  /** figures summed into one (combine.ts): their details one after the other */
  joined: { en: '{parts}', ko: '{parts}' },

  // ---- the size pass (estimate.ts) -------------------------------------------------------------
  parentNotSized: { en: 'the parent stage has no size', ko: '부모 스테이지의 크기를 알 수 없습니다' },
  scratch: { en: 'scratch: an empty filesystem', ko: 'scratch: 빈 파일시스템' },
  noOwnLayers: { en: 'no own layers', ko: '자체 레이어 없음' },
  ownLayers: { en: '{count} own layer{s}{unknown}', ko: '자체 레이어 {count}개{unknown}' },
  ownSizesUnknown: { en: ': sizes not known', ko: ': 크기를 알 수 없음' },
  ownSizesPartly: { en: ': some sizes not known', ko: ': 일부 크기를 알 수 없음' },
  baseAndOwn: { en: 'base + own layers', ko: '베이스 + 자체 레이어' },
  inMount: {
    en: '{what}: held by the {type} mount at {target}, not stored in this layer (stored there it would add about {size})',
    ko: '{what}: {target}의 {type} 마운트에 있어 이 레이어에 들어가지 않습니다 (레이어에 남았다면 약 {size})',
  },
  nodeModules: { en: 'node_modules installed by this RUN', ko: '이 RUN이 설치한 node_modules' },
  copiedUpBy: { en: '{what}, copied up by {command}', ko: '{what} ({command}으로 복사해 올림)' },
  copiedUpSize: {
    en: 'changing owner or mode copies {size} of files from earlier layers into this one',
    ko: '소유자나 권한을 바꾸면 이전 레이어의 파일 {size}가 이 레이어로 복사됩니다',
  },
  copiedUpNote: {
    en: "chown/chmod here copies {size} of earlier layers' files into this layer: set owner and mode where they are written (COPY --chown/--chmod) instead",
    ko: '여기서 chown/chmod를 하면 이전 레이어의 파일 {size}가 이 레이어로 복사됩니다: 대신 파일을 쓰는 곳에서 소유자와 권한을 지정하세요 (COPY --chown/--chmod)',
  },
  workdirEntry: { en: 'a new directory entry (BuildKit writes ~32 bytes)', ko: '새 디렉터리 항목 (BuildKit이 약 32바이트를 씀)' },
  stageDefinedLater: {
    en: 'the source stage is defined later in the file: the build fails',
    ko: '원본 스테이지가 파일에서 더 뒤에 정의되어 있어 빌드가 실패합니다',
  },
  imageFiles: {
    en: 'files from the image {image}: its contents are not in the bundled data',
    ko: '이미지 {image}의 파일: 그 내용은 내장 데이터에 없습니다',
  },
  sourceStageNotSized: { en: 'the source stage is not sized', ko: '원본 스테이지의 크기를 알 수 없습니다' },
  stageCopiedExact: {
    en: 'files stage {stage} copied from the build context into {paths}',
    ko: '빌드 컨텍스트에서 스테이지 {stage}의 {paths}에 복사된 파일',
  },
  stageWrote: { en: 'estimated: what stage {stage} wrote under {paths}', ko: '추정: 스테이지 {stage}에서 {paths} 아래에 쓴 내용' },
  stageProduced: {
    en: 'estimated: what stage {stage} produced under {paths} (not known before its build)',
    ko: '추정: 스테이지 {stage}에서 {paths} 아래에 만든 내용 (빌드 전에는 알 수 없음)',
  },
  filesFromStage: { en: 'files from stage {stage}', ko: '스테이지 {stage}의 파일' },

  // ---- RUN (run.ts) ----------------------------------------------------------------------------
  downloads: {
    en: "downloads {urls}: a remote file's size is known only once fetched",
    ko: '{urls} 다운로드: 원격 파일의 크기는 받아 봐야 알 수 있습니다',
  },
  smallChanges: {
    en: 'estimated: only commands known to change a few small files (users, links, modes, configuration)',
    ko: '추정: 작은 파일 몇 개만 바꾸는 것으로 알려진 명령뿐 (사용자, 링크, 권한, 설정)',
  },
  unknownDownload: { en: 'download {urls}', ko: '{urls} 다운로드' },
  keyDownload: {
    en: 'signing key {urls}: estimated from the keys and keyrings of a Debian system (280 B–72.6 kB each)',
    ko: '서명 키 {urls}: Debian 시스템의 키와 키링 크기로 추정 (하나에 280 B–72.6 kB)',
  },
  commandsNotKnown: {
    en: '{commands}: not a command the size estimate knows, so what it writes is not known',
    ko: '{commands}: 크기 추정이 아는 명령이 아니어서 무엇을 쓰는지 알 수 없습니다',
  },
  unknownCommands: { en: 'files written by {commands}', ko: '{commands} 명령이 쓴 파일' },
  unknownMore: { en: 'and {count} more', ko: '외 {count}개' },

  // ---- apk (apk.ts) ----------------------------------------------------------------------------
  apkDelEarlier: {
    en: 'apk del removes {count} package{s} an earlier layer installed ({names}): their files stay in that layer, shipped as waste',
    ko: 'apk del이 이전 레이어가 설치한 패키지 {count}개({names})를 지웁니다: 그 파일은 그 레이어에 그대로 남아 낭비로 실려 나갑니다',
  },
  apkPackageFiles: { en: 'files of the apk package {name} and what it pulls in', ko: 'apk 패키지 {name}과 그것이 끌어온 것의 파일' },
  apkDeletesOnly: {
    en: 'estimated: apk del removes {count} package{s} of earlier layers ({names}): this layer holds whiteouts and the apk database, their bytes stay in the layers that added them',
    ko: '추정: apk del이 이전 레이어의 패키지 {count}개({names})를 제거합니다: 이 레이어에는 화이트아웃과 apk 데이터베이스만 있고, 그 바이트는 추가한 레이어에 그대로 남습니다',
  },
  pipUninstall: {
    en: 'estimated: pip uninstall removes {names}: this layer holds whiteouts only, the files stay in the layers that installed them',
    ko: '추정: pip uninstall이 {names}를 제거합니다: 이 레이어에는 화이트아웃만 있고, 파일은 설치한 레이어에 그대로 남습니다',
  },
  pipPackageFiles: { en: 'files of the pip package {name} and its dependencies', ko: 'pip 패키지 {name}과 그 의존성의 파일' },
  npmPrune: {
    en: 'estimated: npm prune removes the devDependencies from {path}: this layer holds whiteouts and npm\'s lock file, what an earlier layer installed stays there',
    ko: '추정: npm prune이 {path}에서 devDependencies를 지웁니다: 이 레이어에는 화이트아웃과 npm 잠금 파일만 있고, 이전 레이어가 설치한 것은 거기에 그대로 남습니다',
  },
  npmPruneDev: {
    en: 'devDependencies npm prune removes (about {best}% of node_modules, {low}–{high}%: the lockfile is not read)',
    ko: 'npm prune이 지우는 devDependencies (node_modules의 약 {best}%, {low}–{high}%: 잠금 파일은 읽지 않음)',
  },
  apkDelSameRun: { en: 'apk del in the same RUN: those packages leave no bytes behind', ko: '같은 RUN의 apk del: 그 패키지들은 아무 바이트도 남기지 않습니다' },
  apkUpgrade: { en: 'apk upgrade: upgraded packages add an unknown amount', ko: 'apk upgrade: 업그레이드된 패키지가 얼마나 늘릴지 알 수 없습니다' },
  apkNotInTable: { en: 'not in the bundled table (size guessed): {names}', ko: '내장 표에 없어 크기를 어림했습니다: {names}' },
  apkIndexStays: {
    en: 'the APK index stays in /var/cache/apk: add --no-cache to leave it out',
    ko: 'APK 인덱스가 /var/cache/apk에 남습니다: --no-cache를 붙이면 남지 않습니다',
  },
  apkDetail: {
    en: 'estimated: apk adds {count} requested package{s}{names} with sizes from official Alpine images (bundled, mid-2026) plus an allowance for dependencies (no Alpine index here: wide range){index}',
    ko: '추정: apk 설치, 요청한 패키지 {count}개{names}, 크기는 공식 Alpine 이미지에서 잰 값 (내장 데이터, 2026년 중반)에 의존성 몫을 더한 것 (Alpine 인덱스가 없어 범위가 넓음){index}',
  },
  apkIndexPart: { en: '; + APK index cache', ko: '; + APK 인덱스 캐시' },
  apkIndexCache: { en: 'APK index cache', ko: 'APK 인덱스 캐시' },

  // ---- pip, npm, yarn, pnpm (languagePackages.ts) ----------------------------------------------
  pipCacheStays: {
    en: "pip's download cache stays in /root/.cache/pip: add --no-cache-dir or a cache mount",
    ko: 'pip 다운로드 캐시가 /root/.cache/pip에 남습니다: --no-cache-dir를 붙이거나 캐시 마운트를 쓰세요',
  },
  pipDetail: {
    en: 'estimated: pip installs {what} (no PyPI data bundled: about 3 MB a package, wide range){cache}',
    ko: '추정: pip 설치, {what} (PyPI 데이터가 내장되지 않아 패키지당 약 3 MB, 범위가 넓음){cache}',
  },
  pipFromRequirements: { en: 'from requirements', ko: '요구사항 파일의 패키지' },
  pipCachePart: { en: ' + pip cache', ko: ' + pip 캐시' },
  pipCache: { en: 'pip download cache', ko: 'pip 다운로드 캐시' },
  nodeDetail: {
    en: 'estimated: {manager} installs {what} (no registry data bundled yet: wide range){cache}',
    ko: '추정: {manager} 설치, {what} (레지스트리 데이터가 아직 내장되지 않아 범위가 넓음){cache}',
  },
  nodePackageJson: { en: 'the dependencies of package.json', ko: 'package.json의 의존성' },
  nodeCachePart: { en: ' + {manager} cache', ko: ' + {manager} 캐시' },
  nodeCache: { en: '{manager} cache', ko: '{manager} 캐시' },
  nodeCacheStays: {
    en: 'the {manager} cache stays in the layer ({path}): clean it in the same RUN or use a cache mount',
    ko: '{manager} 캐시가 레이어에 남습니다 ({path}): 같은 RUN에서 지우거나 캐시 마운트를 쓰세요',
  },

  // ---- lockfiles (lockfiles/, lockedInstall.ts) ------------------------------------------------
  lockUnreadable: {
    en: '{file} could not be read ({reason}): the install is a wide guess',
    ko: '{file}을(를) 읽을 수 없습니다 ({reason}): 설치 크기는 넓게 잡은 추정입니다',
  },
  lockUnknownVersion: {
    en: '{file} has lockfile version {version}, which Dockerlens does not know: the install is a wide guess',
    ko: '{file}의 lockfile 버전 {version}은(는) Dockerlens가 모르는 버전입니다: 설치 크기는 넓게 잡은 추정입니다',
  },
  lockPartlyRead: {
    en: '{file}: {count} line{s} could not be read; the packages that could are counted',
    ko: '{file}: {count}줄을 읽지 못했습니다; 읽은 패키지만 셉니다',
  },
  requirementsIncluded: {
    en: '{file} includes {files}, which is not read: its packages are not counted',
    ko: '{file}이(가) {files}을(를) 포함하지만 읽지 않았습니다: 그 패키지는 세지 않았습니다',
  },
  lockDevUnknown: {
    en: '{file} does not say which packages are for development and package.json was not copied with it: all are counted',
    ko: '{file}에는 개발용 패키지 표시가 없고 package.json이 함께 복사되지 않았습니다: 모두 셉니다',
  },
  lockDetail: {
    en: '{manager} installs {count} package{s} listed in {file}: {sources}{cache}',
    ko: '{manager}이(가) {file}에 적힌 패키지 {count}개를 설치: {sources}{cache}',
  },
  pipLockDetail: {
    en: 'pip installs {count} package{s} its requirements files list, sized package by package{cache}',
    ko: 'pip이 요구사항 파일에 적힌 패키지 {count}개를 설치, 패키지별로 크기를 셈{cache}',
  },
  lockSourceLocal: { en: '{count} measured in the workspace', ko: '{count}개는 작업 공간에서 측정' },
  lockSourceRegistry: { en: '{count} from the registry', ko: '{count}개는 레지스트리 정보' },
  lockSourceGuess: { en: '{count} guessed (about {size} each, wide range)', ko: '{count}개는 추정 (개당 약 {size}, 범위가 넓음)' },

  // ---- builds (buildTools.ts) ------------------------------------------------------------------
  goBuildCache: { en: 'Go build cache', ko: 'Go 빌드 캐시' },
  mavenRepository: { en: 'Maven repository', ko: 'Maven 저장소' },
  gradleCache: { en: 'Gradle cache', ko: 'Gradle 캐시' },
  goModuleCache: { en: 'Go module cache', ko: 'Go 모듈 캐시' },
  buildOutput: { en: '{tool} output', ko: '{tool} 출력물' },
  buildCacheStays: {
    en: 'the {what} stays in the layer ({path}): mount it with --mount=type=cache,target={path}',
    ko: '{what}가 레이어에 남습니다 ({path}): --mount=type=cache,target={path} 캐시 마운트를 쓰세요',
  },
  buildUnknown: {
    en: '{tools}: what a project build writes is not known before it runs',
    ko: '{tools}: 프로젝트 빌드가 무엇을 쓰는지는 실행하기 전에는 알 수 없습니다',
  },
  unknownBuild: { en: 'build output of {tools}', ko: '{tools} 빌드 결과물' },
  buildDetail: {
    en: 'estimated: {tools} (output depends on the project: wide range)',
    ko: '추정: {tools} (결과물이 프로젝트에 따라 달라 범위가 넓음)',
  },

  // ---- apt and dpkg (apt.ts) -------------------------------------------------------------------
  aptListsEarlier: {
    en: 'the apt lists come from an earlier layer: removing them here does not shrink the image',
    ko: 'apt 목록은 이전 레이어에서 왔습니다: 여기서 지워도 이미지는 줄지 않습니다',
  },
  dpkgLocalFiles: {
    en: 'dpkg {action} installs local .deb files ({files}): their size is not in the index',
    ko: 'dpkg {action}: 로컬 .deb 파일({files})을 설치하며, 그 크기는 인덱스에 없습니다',
  },
  unnamed: { en: 'unnamed', ko: '이름 없음' },
  dpkgArchitecture: {
    en: 'dpkg --add-architecture {arch}: packages of another architecture are estimated from amd64 sizes',
    ko: 'dpkg --add-architecture {arch}: 다른 아키텍처의 패키지는 amd64 크기로 추정합니다',
  },
  aptSimulate: { en: '{command} --simulate changes nothing', ko: '{command} --simulate: 아무것도 바꾸지 않습니다' },
  aptCleanNothing: {
    en: '{command}: nothing to clean in official Debian/Ubuntu images (docker-clean deletes the .deb files after every install)',
    ko: '{command}: 공식 Debian/Ubuntu 이미지에는 지울 것이 없습니다 (docker-clean이 설치할 때마다 .deb 파일을 지움)',
  },
  aptNotAName: {
    en: '{command} {word}: not a package name the estimate can follow',
    ko: '{command} {word}: 추정이 따라갈 수 있는 패키지 이름이 아닙니다',
  },
  aptDroppedBroken: {
    en: '{name} is removed too: it depends on a removed package',
    ko: '{name} 패키지도 제거됩니다: 제거된 패키지에 의존합니다',
  },
  aptNotEstimated: {
    en: '{command}: not estimated (the bundled table has no source packages or download sizes)',
    ko: '{command}: 추정하지 않음 (내장 표에는 소스 패키지나 다운로드 크기가 없음)',
  },
  aptInstalledAndRemoved: {
    en: '{name} is installed and removed in the same RUN: it leaves nothing but dpkg state',
    ko: '{name} 패키지는 같은 RUN에서 설치되고 제거됩니다: dpkg 상태 말고는 아무것도 남기지 않습니다',
  },
  aptRemovedEarlier: {
    en: '{name} comes from an earlier layer: removing it here hides its files but does not shrink the image',
    ko: '{name} 패키지는 이전 레이어에서 왔습니다: 여기서 제거하면 파일이 가려질 뿐 이미지는 줄지 않습니다',
  },
  aptAutoremove: {
    en: 'autoremove takes back {count} package{s} this RUN pulled in',
    ko: 'autoremove가 이 RUN이 끌어온 패키지 {count}개를 도로 지웁니다',
  },
  aptAutoremoveLayers: {
    en: 'autoremove removes {count} package{s} earlier layers pulled in ({names}): their files stay in those layers, shipped as waste',
    ko: 'autoremove가 이전 레이어가 끌어온 패키지 {count}개({names})를 지웁니다: 그 파일은 그 레이어에 그대로 남아 낭비로 실려 나갑니다',
  },
  aptAutoremoveEarlier: {
    en: 'autoremove may also remove packages of earlier layers (not known here); that hides them without shrinking the image',
    ko: 'autoremove는 이전 레이어의 패키지도 지울 수 있습니다 (여기서는 알 수 없음): 그러면 패키지가 가려질 뿐 이미지는 줄지 않습니다',
  },
  aptDownloadOnly: {
    en: '--download-only leaves the .deb files in /var/cache/apt/archives (their size is not in the table)',
    ko: '--download-only는 .deb 파일을 /var/cache/apt/archives에 남깁니다 (그 크기는 표에 없음)',
  },
  aptFromInput: {
    en: '{command} reads package names from its input: not known here',
    ko: '{command}: 패키지 이름을 입력에서 읽으므로 여기서는 알 수 없습니다',
  },
  aptFromXargs: { en: '{command} from xargs', ko: 'xargs로 실행한 {command}' },
  aptTargetRelease: {
    en: '-t {release}: estimated with the {index} main sizes',
    ko: '-t {release}: {index} main의 크기로 추정했습니다',
  },
  aptBundledWord: { en: 'bundled', ko: '내장' },
  aptLocalDeb: { en: '{word}: a local .deb file, its size is not in the index', ko: '{word}: 로컬 .deb 파일이라 크기가 인덱스에 없습니다' },
  aptDynamicName: {
    en: '{word}: a package name decided at build time (variable or pattern), not estimated',
    ko: '{word}: 빌드할 때 정해지는 패키지 이름 (변수나 패턴)이라 추정하지 않습니다',
  },
  aptPackageRelease: {
    en: '{name}/{release}: estimated with the {index} main size',
    ko: '{name}/{release}: {index} main의 크기로 추정했습니다',
  },
  aptOtherArch: {
    en: '{name}:{arch}: another architecture, estimated with the amd64 size',
    ko: '{name}:{arch}: 다른 아키텍처라 amd64 크기로 추정했습니다',
  },
  aptAlreadyInstalled: { en: '{name} is already installed in the base image', ko: '{name} 패키지는 이미 베이스 이미지에 설치되어 있습니다' },
  aptReinstalled: {
    en: '{name} is reinstalled: its files are written again in this layer',
    ko: '{name} 패키지를 다시 설치합니다: 그 파일이 이 레이어에 다시 쓰입니다',
  },
  aptWithoutYes: {
    en: '{command} without -y: apt asks before installing the {count} additional package{s} and, with no terminal, aborts the build',
    ko: '-y 없는 {command}: apt가 추가 패키지 {count}개를 설치하기 전에 묻는데, 터미널이 없으므로 빌드를 중단합니다',
  },
  aptTzdata: {
    en: 'tzdata asks for a time zone while installing: unless DEBIAN_FRONTEND=noninteractive is set (ENV, ARG or before apt-get), the build can stop at its prompt',
    ko: 'tzdata는 설치 중에 시간대를 묻습니다: DEBIAN_FRONTEND=noninteractive를 설정하지 않으면 (ENV, ARG 또는 apt-get 앞에서) 빌드가 그 질문에서 멈출 수 있습니다',
  },
  aptVirtualOne: { en: '{name} is a virtual package: apt selects {provider}', ko: '{name}: 가상 패키지이며, apt가 {provider} 패키지를 고릅니다' },
  aptVirtualMany: {
    en: '{name} is a virtual package provided by {providers}: apt refuses to choose; estimated with {provider}',
    ko: '{name}: 여러 패키지({providers})가 제공하는 가상 패키지라 apt가 고르지 않습니다. {provider} 패키지로 추정했습니다',
  },
  aptNotInIndex: {
    en: '{name} is not in the bundled {index} index: from another repository or release, or misspelt (then apt fails with "Unable to locate package"); its size is unknown',
    ko: '{name} 패키지는 내장 {index} 인덱스에 없습니다: 다른 저장소나 릴리스의 패키지이거나 철자가 틀렸습니다 (그러면 apt가 "Unable to locate package"로 실패함). 크기는 알 수 없습니다',
  },
  aptNoInstalledSize: {
    en: 'no Installed-Size in the index for {names}: counted as 0',
    ko: '인덱스에 {names}의 Installed-Size가 없어 0으로 셉니다',
  },
  aptMissingGroup: {
    en: '{by} needs {group}, which the index does not have (apt would fail)',
    ko: '{by} 패키지에 필요한 {group}: 인덱스에 없습니다 (apt가 실패함)',
  },
  aptUpgradeKnownBase: {
    en: "upgrade: the packages it replaces are not known; up to the base's {size} of packages may be rewritten",
    ko: 'upgrade: 어떤 패키지를 교체할지 알 수 없습니다. 베이스 패키지 최대 {size}가 다시 쓰일 수 있습니다',
  },
  aptUpgradeUnknownBase: {
    en: "upgrade: the packages it replaces are not known (nor the base's list); the range allows up to {size}",
    ko: 'upgrade: 어떤 패키지를 교체할지 알 수 없고 베이스의 목록도 모릅니다. 범위를 최대 {size}까지 둡니다',
  },
  aptRecommends: {
    en: '{count} recommended package{s} ({size}) come along: --no-install-recommends leaves them out',
    ko: '권장 패키지 {count}개({size})가 함께 설치됩니다: --no-install-recommends를 쓰면 빠집니다',
  },
  aptRecommendsLeftOut: {
    en: 'already left out by --no-install-recommends: {count} recommended package{s} ({size}) that apt would otherwise install',
    ko: '--no-install-recommends를 이미 써서 권장 패키지 {count}개({size})가 설치되지 않습니다',
  },
  aptCacheStays: {
    en: '{what} stay in the layer ({path}): mount /var/cache/apt with --mount=type=cache or run apt-get clean in the same RUN',
    ko: '{what}이(가) 레이어에 남습니다 ({path}): /var/cache/apt를 --mount=type=cache로 마운트하거나 같은 RUN에서 apt-get clean을 실행하세요',
  },
  aptBaseUnknown: {
    en: "the base image's package list is unknown: packages it probably has (libc6 and the like) are counted, so the figure is an upper bound{low}",
    ko: '베이스 이미지의 패키지 목록을 모릅니다: 베이스에 이미 있을 법한 패키지(libc6 등)까지 세므로 이 수치는 상한입니다{low}',
  },
  aptBaseUnknownLow: {
    en: '; the low end leaves out the {count} package{s} every Debian base has ({size})',
    ko: '. 하한은 모든 Debian 베이스에 있는 패키지 {count}개({size})를 뺀 값입니다',
  },
  aptPyc: {
    en: 'Python packages: +{best}% ({low}–{high}%) of their {size} for .pyc files compiled at install (a share of Installed-Size measured on Debian installs; no file lists are bundled)',
    ko: 'Python 패키지 {size}: 설치할 때 컴파일되는 .pyc 파일로 +{best}% ({low}–{high}%)를 더합니다 (Debian 설치에서 잰 Installed-Size 대비 비율, 파일 목록은 내장되지 않음)',
  },
  aptNoLists: {
    en: 'no apt-get update before this install and no earlier layer kept the lists: on official Debian/Ubuntu images apt fails with "Unable to locate package"',
    ko: '이 설치 전에 apt-get update가 없고 목록을 남긴 이전 레이어도 없습니다: 공식 Debian/Ubuntu 이미지에서는 apt가 "Unable to locate package"로 실패합니다',
  },
  aptListsLeft: {
    en: 'apt-get update leaves {size} of lists in the layer: add `&& rm -rf /var/lib/apt/lists/*` to the same RUN',
    ko: 'apt-get update가 레이어에 목록 {size}를 남깁니다: 같은 RUN에 `&& rm -rf /var/lib/apt/lists/*`를 붙이세요',
  },
  aptUpdatedAgain: {
    en: 'apt-get update runs again: lists the mirror changed since the earlier layer are written again (range from none to all)',
    ko: 'apt-get update를 다시 실행합니다: 이전 레이어 이후 미러에서 바뀐 목록이 다시 쓰입니다 (범위는 하나도 없음부터 전부까지)',
  },
  aptDetail: { en: 'estimated: {parts}', ko: '추정: {parts}' },
  aptIndexOf: { en: 'the bundled {release} index{date}', ko: '내장 {release} 인덱스{date}' },
  aptIndex: { en: 'the bundled apt index', ko: '내장 apt 인덱스' },
  aptInstalls: {
    en: 'apt installs {count} package{s} ({requested} requested, {pulled} pulled in) from {source}',
    ko: 'apt 설치, 패키지 {count}개 (요청 {requested}개, 딸려 온 것 {pulled}개), 출처: {source}',
  },
  aptChangesOnly: { en: 'apt changes packages but adds none the index knows', ko: 'apt가 패키지를 바꾸지만 인덱스가 아는 패키지는 추가하지 않음' },
  aptRemovesOnly: {
    en: 'apt removes {count} package{s} of earlier layers ({names}): this layer holds only whiteouts and dpkg state, their bytes stay in the layers that installed them',
    ko: 'apt가 이전 레이어의 패키지 {count}개({names})를 제거합니다: 이 레이어에는 화이트아웃과 dpkg 상태만 있고, 그 바이트는 설치한 레이어에 그대로 남습니다',
  },
  aptRemovalStatePart: { en: '+dpkg state the removal rewrites ~{size}', ko: '+제거가 다시 쓰는 dpkg 상태 약 {size}' },
  aptPackageFiles: { en: 'files of the apt package {name}', ko: 'apt 패키지 {name}의 파일' },
  removedPackages: { en: '{count} {manager} package{s} a later layer removes: {names}', ko: '뒤 레이어가 제거하는 {manager} 패키지 {count}개: {names}' },
  aptNothingInstalled: { en: 'no packages installed', ko: '설치된 패키지 없음' },
  aptPycPart: { en: '+.pyc ~{size}', ko: '+.pyc 약 {size}' },
  aptStatePart: { en: '+dpkg/debconf state ~{size}', ko: '+dpkg/debconf 상태 약 {size}' },
  aptListsPart: { en: '+apt lists {size} left in the layer', ko: '+레이어에 남은 apt 목록 {size}' },
  aptNotCounted: { en: 'not counted: {items}', ko: '세지 않음: {items}' },
  aptLists: { en: 'apt lists (apt-get update)', ko: 'apt 목록 (apt-get update)' },
  aptArchives: { en: "apt's downloaded packages (.deb)", ko: 'apt가 내려받은 패키지 (.deb)' },
  aptBinCaches: { en: "apt's binary caches (pkgcache.bin)", ko: 'apt 바이너리 캐시 (pkgcache.bin)' },

  // ---- COPY and ADD from the build context (copySize.ts, archive.ts, contextSizes.ts) ------------
  heredocFile: { en: 'heredoc file, {size}', ko: 'heredoc 파일, {size}' },
  remoteGit: {
    en: 'remote git repository: its size is known only when cloned ({source})',
    ko: '원격 git 저장소: 크기는 클론해 봐야 알 수 있습니다 ({source})',
  },
  remoteFile: {
    en: 'remote file: its size is known only when downloaded ({source})',
    ko: '원격 파일: 크기는 받아 봐야 알 수 있습니다 ({source})',
  },
  contextFiles: {
    en: '{count} file{s}, {size} from the build context (after .dockerignore{exclude})',
    ko: '빌드 컨텍스트의 파일 {count}개, {size} (.dockerignore{exclude} 적용 후)',
  },
  contextExcludeToo: { en: ' and --exclude', ko: '와 --exclude' },
  contextPartial: { en: 'at least {detail}: the context scan stopped early', ko: '최소 {detail}: 컨텍스트 스캔이 도중에 멈췄습니다' },
  copyExact: { en: 'exact: {parts}{failing}', ko: '정확: {parts}{failing}' },
  copyEstimate: { en: 'estimate: {parts}{failing}', ko: '추정: {parts}{failing}' },
  copyUnknown: { en: '{parts}{failing}', ko: '{parts}{failing}' },
  copyNothing: { en: 'nothing to copy', ko: '복사할 것 없음' },
  copyFails: {
    en: '; not in the build context, so the build fails: {paths}',
    ko: '; 빌드 컨텍스트에 없어 빌드가 실패합니다: {paths}',
  },
  archiveGuess: { en: 'ADD extracts {name} ({size}): {bound} ({why})', ko: 'ADD로 푸는 {name} ({size}): {bound} ({why})' },
  archiveAtMostItself: { en: 'at most its own size', ko: '최대 그 자체 크기' },
  archiveTimes: { en: '2–6× the archive', ko: '압축 파일의 2–6배' },
  archiveNotRead: { en: 'the archive was not read', ko: '압축 파일을 읽지 않음' },
  archiveNotDecompressed: { en: '{kind} is not decompressed here', ko: '여기서는 {kind} 압축을 풀지 않음' },
  archiveUnreadable: { en: 'ADD extracts {name}, which could not be read: {error}', ko: 'ADD로 풀 {name}: 읽을 수 없습니다 ({error})' },
  archiveNotTar: { en: '{name}, {size} (not a tar archive: copied as is)', ko: '{name}, {size} (tar 압축 파일이 아니라 그대로 복사)' },
  archiveExtrapolated: {
    en: 'ADD extracts {name}: about {size} in {count} file{s}, extrapolated from its first {read}',
    ko: 'ADD로 푸는 {name}: 파일 {count}개에 약 {size}, 앞부분 {read}에서 외삽',
  },
  archiveCounted: {
    en: 'ADD extracts {name}: {count} file{s}, {size} (from its tar headers)',
    ko: 'ADD로 푸는 {name}: 파일 {count}개, {size} (tar 헤더에서 셈)',
  },
  copyUnchanged: {
    en: '{count} file{s} ({size}) an earlier COPY already wrote the same are not stored again (BuildKit leaves unchanged files out of a layer)',
    ko: '앞선 COPY가 똑같이 쓴 파일 {count}개({size})는 다시 저장되지 않습니다 (BuildKit은 바뀌지 않은 파일을 레이어에 넣지 않음)',
  },
  copyMissing: { en: 'not in the build context (the build fails): {paths}', ko: '빌드 컨텍스트에 없어 빌드가 실패합니다: {paths}' },
  copyUnmatched: { en: 'matches nothing: {patterns}', ko: '일치하는 것이 없습니다: {patterns}' },
  contextCopied: { en: 'files copied from the build context', ko: '빌드 컨텍스트에서 복사한 파일' },

  // ---- base images (baseImages.ts) -------------------------------------------------------------
  baseDigestPlatform: { en: 'the digest is the {platform} manifest of {key}', ko: '이 다이제스트는 {key}의 {platform} 매니페스트입니다' },
  baseVariant: { en: '{asked} is not in the bundled data; using {key}, {reason}', ko: '{asked}: 내장 데이터에 없어 {key}의 수치를 씁니다 ({reason})' },
  baseBuiltOn: { en: 'built on {os}', ko: '{os} 기반' },
  baseVersion: { en: 'whose recorded build is version {version}', ko: '기록된 빌드의 버전이 {version}' },
  basePinnedDigest: {
    en: 'the pinned digest {digest}… is not the recorded build; figures are for the recorded {key}',
    ko: '고정한 다이제스트 {digest}…: 기록된 빌드가 아니므로 수치는 기록된 {key} 기준입니다',
  },
  basePlatformMissing: {
    en: '{platform} is not in the bundled data for {key}; figures are for linux/amd64',
    ko: '{key}의 내장 데이터에 {platform} 플랫폼이 없어 수치는 linux/amd64 기준입니다',
  },
  baseNoteSentence: { en: '{note}. ', ko: '{note}. ' },
  baseOrigin: { en: 'from {source} ({commit}, {date})', ko: '출처 {source} ({commit}, {date})' },
  baseLayer: { en: '{note}compressed {compressed} B {origin}; {ratio}', ko: '{note}압축 {compressed} B, {origin}; {ratio}' },
  baseTotal: {
    en: '{notes}{key} {platform}: {count} layer{s}, {compressed} B compressed {origin}; {onDisk}',
    ko: '{notes}{key} {platform}: 레이어 {count}개, 압축 {compressed} B, {origin}; {onDisk}',
  },
  baseRatioMeasured: { en: 'on disk ≈ {ratio} measured for {key}{where}{build}', ko: '디스크 ≈ {ratio} ({key}에서 잰 값{where}){build}' },
  baseOnAmd64: { en: ' on linux/amd64', ko: ', linux/amd64 기준' },
  baseOtherBuild: { en: ' (possibly another build of the tag)', ko: ' (같은 태그의 다른 빌드일 수 있음)' },
  baseRatioMedian: { en: 'on disk ≈ {ratio} ({of})', ko: '디스크 ≈ {ratio} ({of})' },
  baseMedianAll: {
    en: 'median of all {count} measured images; none measured for this kind of base, {range}',
    ko: '측정한 이미지 {count}개 전체의 중앙값; 이런 종류의 베이스는 측정한 것이 없음, {range}',
  },
  baseMedianFamily: { en: 'median of {count} measured {family} images, {range}', ko: '측정한 {family} 이미지 {count}개의 중앙값, {range}' },
  baseRange: { en: 'range {min}–{max}×', ko: '범위 {min}–{max}×' },
  familyDebian: { en: 'Debian/Ubuntu-based', ko: 'Debian/Ubuntu 기반' },
  familyAlpine: { en: 'Alpine-based', ko: 'Alpine 기반' },
  familyMeasured: { en: 'measured', ko: '측정된' },
  baseMeasuredBuild: { en: 'on disk {size} measured for this build ({source})', ko: '디스크 {size}, 이 빌드에서 잰 값 ({source})' },
  baseMeasuredTag: {
    en: 'on disk {size} measured for {key} ({source}; possibly another build of the tag), range from the {family} ratios {min}–{max}×',
    ko: '디스크 {size}, {key}에서 잰 값 ({source}; 같은 태그의 다른 빌드일 수 있음), 범위는 {family} 비율 {min}–{max}×',
  },
  baseOtherRegistry: {
    en: 'images from {registry} are not in the bundled data (only Docker Hub official images are)',
    ko: '{registry}의 이미지는 내장 데이터에 없습니다 (Docker Hub 공식 이미지만 있음)',
  },
  baseNotOfficial: {
    en: '{repository} is not a Docker official image; only official images are in the bundled data',
    ko: '{repository}: Docker 공식 이미지가 아닙니다. 내장 데이터에는 공식 이미지만 있습니다',
  },
  baseListOnly: {
    en: '{key}: on disk {size} from {source} {file} ({commit}, {created}){where}; its compressed layers are not in the bundled data',
    ko: '{key}: 디스크 {size}, 출처 {source} {file} ({commit}, {created}){where}; 압축된 레이어는 내장 데이터에 없습니다',
  },
  baseListOnlyPlatform: {
    en: ' (measured on linux/amd64; {platform} is not in the bundled data)',
    ko: ' (linux/amd64에서 잰 값; 내장 데이터에 {platform} 플랫폼은 없음)',
  },
  baseUnknown: {
    en: '{image} is not in the bundled data ({images} official images, {tags} tags, {snapshot}); its size is not known.{hint}',
    ko: '{image}: 내장 데이터(공식 이미지 {images}개, 태그 {tags}개, {snapshot})에 없어 크기를 알 수 없습니다.{hint}',
  },
  baseUnresolved: {
    en: "{image}: the base image's name needs build arguments that have no value ({names}), so its size is not known",
    ko: '{image}: 베이스 이미지 이름에 값이 없는 빌드 인자({names})가 들어 있어 크기를 알 수 없습니다',
  },
  baseKnownTags: { en: ' Bundled {name} tags: {tags}.', ko: ' 내장된 {name} 태그: {tags}.' },

  // ---- layers shared between images (cache/shared.ts) ------------------------------------------
  baseImageLayer: { en: 'base image {image}', ko: '베이스 이미지 {image}' },

  // ---- a built image against the file (compare/) -----------------------------------------------
  builtLayer: {
    en: 'measured in the last build{when} ({image}): {size}; its cache key is unchanged, so the next build reuses this layer{ratio}',
    ko: '{image}의 지난 빌드{when}에서 잰 값: {size}. 캐시 키가 그대로여서 다음 빌드는 이 레이어를 재사용합니다{ratio}',
  },
  builtWhen: { en: ' of {date}', ko: ' ({date}에 빌드)' },
  builtCompressedFromRatio: { en: ' (compressed size from the usual ratio)', ko: ' (압축 크기는 보통의 비율로 계산)' },
  noLayerPredicted: { en: 'no layer predicted here', ko: '여기에는 레이어가 생기지 않는다고 예측했습니다' },
  alignTooMany: { en: '{n} instructions against {m} history entries: too many to align', ko: '명령 {n}개와 히스토리 항목 {m}개: 맞춰 보기에는 너무 많습니다' },
  alignWhere: { en: 'line {line} ({instruction}{stage})', ko: '{line}번째 줄 ({instruction}{stage})' },
  alignWhereStage: { en: ', stage {stage}', ko: ', 스테이지 {stage}' },
  alignEdited: { en: '{where}: the image recorded "{recorded}" (changed since the build)', ko: '{where}: 이미지에는 "{recorded}"(으)로 기록되어 있습니다 (빌드 뒤에 바뀜)' },
  alignAdded: { en: '{where}: not in the image (added since the build)', ko: '{where}: 이미지에 없습니다 (빌드 뒤에 추가됨)' },
  alignRemoved: {
    en: 'history entry "{recorded}": no instruction matches (removed since the build, or built from another file)',
    ko: '히스토리 항목 "{recorded}": 맞는 명령이 없습니다 (빌드 뒤에 지웠거나 다른 파일로 빌드함)',
  },
  alignBuildArgs: { en: '{where}: built with other values of {args}', ko: '{where}: {args} 값이 다른 상태로 빌드되었습니다' },
  noText: { en: '(no text)', ko: '(내용 없음)' },
} satisfies Record<string, Text>;

export type MessageId = keyof typeof SIZE_TEXT;

/** A value filled into a message: words as they are, a number, a clause, or a list of them. */
export type MessageValue = string | number | Message | MessageList;

export interface Message {
  id: MessageId;
  values?: Record<string, MessageValue>;
}

/** Items said one after the other with a separator (`; ` between the parts of a figure, `, ` in lists). */
export interface MessageList {
  join: string;
  items: MessageValue[];
}

export function message(id: MessageId, values?: Record<string, MessageValue>): Message {
  return values ? { id, values } : { id };
}

export function list(items: MessageValue[], join: string): MessageList {
  return { join, items };
}

/** The English plural ending for a count (Korean counts with 개 and ignores it). */
export const plural = (n: number): string => (n === 1 ? '' : 's');

/** A message in a language; undefined when it is not one of this catalog (data from elsewhere). */
export function sayMessage(said: Message, locale: Locale): string | undefined {
  const text = isMessage(said) ? SIZE_TEXT[said.id] : undefined;
  if (!text) return undefined;
  const values: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(said.values ?? {})) {
    const rendered = valueText(value, locale);
    if (rendered === undefined) return undefined;
    values[key] = rendered;
  }
  return say(text, locale, values);
}

function valueText(value: MessageValue, locale: Locale): string | number | undefined {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (value && typeof value === 'object' && 'items' in value && Array.isArray(value.items)) {
    const items = value.items.map((item) => valueText(item, locale));
    return items.includes(undefined) ? undefined : items.join(typeof value.join === 'string' ? value.join : ', ');
  }
  return sayMessage(value as Message, locale);
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as Message).id === 'string' && Object.hasOwn(SIZE_TEXT, (value as Message).id);
}

/** The English words of a message: what `detail`, notes and `what` hold. */
export function english(said: Message): string {
  return sayMessage(said, 'en') ?? '';
}

/** A message said in every language, for data that carries its own words (breakdown notes). */
export function textOf(said: Message): Text {
  const en = english(said);
  return { en, ko: sayMessage(said, 'ko') ?? en };
}

/** `what` of a write (and of the waste it becomes) with its message. */
export function whatOf(said: Message): { what: string; whatMessage: Message } {
  return { what: english(said), whatMessage: said };
}

/**
 * Notes in English (what the CLI and the rules read) and the message of each, index-aligned.
 * `unique` drops a note already said (apt repeats itself across commands).
 */
export class NoteList {
  readonly notes: string[] = [];
  readonly messages: Message[] = [];
  constructor(private readonly unique = false) {}
  add(said: Message): void {
    const text = english(said);
    if (this.unique && this.notes.includes(text)) return;
    this.notes.push(text);
    this.messages.push(said);
  }
}

/**
 * English text as the size engine wrote it, in the user's language. The message is used only when
 * it still says what the English says: a detail rewritten without its message keeps its English
 * rather than showing words that no longer fit.
 */
export function describe(englishText: string, said: Message | null | undefined, locale: Locale): string {
  if (!said || locale === 'en') return englishText;
  if (sayMessage(said, 'en') !== englishText) return englishText;
  return sayMessage(said, locale) ?? englishText;
}

/** A figure's detail in the user's language. */
export function describeFigure(figure: { detail: string; message?: Message }, locale: Locale): string {
  return describe(figure.detail, figure.message, locale);
}

/** A layer's notes in the user's language. */
export function describeNotes(layer: { notes?: string[]; noteMessages?: (Message | null)[] }, locale: Locale): string[] {
  return (layer.notes ?? []).map((note, i) => describe(note, layer.noteMessages?.[i], locale));
}

/**
 * A JSON.stringify replacer that leaves the messages out: the CLI speaks English, which `detail`,
 * `notes` and `what` already hold (a problem's `message` is a string and stays).
 */
export function withoutMessages(key: string, value: unknown): unknown {
  return (key === 'message' || /Messages?$/.test(key)) && typeof value === 'object' && value !== null ? undefined : value;
}

/** What wasted (or written) bytes are, in the user's language. */
export function describeWhat(item: { what: string; whatMessage?: Message }, locale: Locale): string {
  return describe(item.what, item.whatMessage, locale);
}
