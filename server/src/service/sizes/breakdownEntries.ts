import { sayEach, type Text } from '../explain';
import type { BreakdownEntry, BreakdownEntryKind, LayerBreakdown } from './breakdown';
import type { SizeSource } from './types';

/**
 * Building blocks of layer breakdowns: entries with their figure and source, the words the
 * estimators attach to them (every language), and the cap that keeps a list bounded.
 */
export const NOTES = {
  deletedLater: { en: 'deleted by layer {layer}, yet still shipped in this one', ko: '레이어 {layer}에서 지워지지만 이 레이어에는 그대로 실려 나감' },
  overwrittenLater: { en: 'overwritten by layer {layer}: both copies are shipped', ko: '레이어 {layer}에서 덮어씀: 두 벌 모두 실려 나감' },
  heredoc: { en: 'written from the heredoc', ko: 'heredoc 내용으로 씀' },
  archive: { en: 'an archive ADD unpacks here', ko: 'ADD가 여기에 푸는 압축 파일' },
  remote: { en: 'fetched at build time: its size is known only then', ko: '빌드할 때 내려받음: 크기는 그때야 알 수 있음' },
  fromStage: { en: 'written by layer {layer} of stage {stage}', ko: '스테이지 {stage}의 레이어 {layer}가 씀' },
  fromStageUnknown: { en: 'what stage {stage} produces there is not known before its build', ko: '스테이지 {stage}가 거기에 만드는 것은 빌드 전에는 알 수 없음' },
  aptLists: { en: "apt-get update's package lists, left in the layer", ko: 'apt-get update가 받은 패키지 목록이 레이어에 남음' },
  aptListsRemoved: { en: 'apt-get update wrote them and the same RUN removes them', ko: 'apt-get update가 쓰고 같은 RUN에서 지움' },
  aptArchives: { en: 'downloaded .deb files: docker-clean was removed, so apt keeps them', ko: '내려받은 .deb 파일: docker-clean을 지워서 apt가 남겨 둠' },
  aptBinCaches: { en: "apt's binary caches (pkgcache.bin, srcpkgcache.bin): docker-clean was removed", ko: 'apt 바이너리 캐시 (pkgcache.bin, srcpkgcache.bin): docker-clean을 지워서 생김' },
  aptCacheCleaned: { en: 'apt-get clean removes them in the same RUN', ko: '같은 RUN에서 apt-get clean이 지움' },
  aptPyc: { en: '.pyc files compiled at install (a share of the Python packages)', ko: '설치 때 컴파일되는 .pyc 파일 (Python 패키지 크기의 일부)' },
  aptState: { en: 'dpkg and debconf state the install writes', ko: '설치가 쓰는 dpkg·debconf 상태 파일' },
  aptRemovalState: {
    en: 'dpkg state the removal rewrites (status, logs); the removed files are whiteouts, no bytes',
    ko: '제거가 다시 쓰는 dpkg 상태 (status, 로그); 지운 파일은 바이트 없는 화이트아웃',
  },
  removedPackage: { en: 'installed by layer {layer}: removed here, its bytes stay there', ko: '레이어 {layer}가 설치: 여기서 제거해도 바이트는 거기에 남음' },
  apkDependencies: { en: 'libraries the requested packages pull in: an allowance (no Alpine index is bundled)', ko: '요청한 패키지가 끌어오는 라이브러리: 여유분 추정 (Alpine 인덱스 없음)' },
  apkPackage: { en: 'size seen in official Alpine images', ko: '공식 Alpine 이미지에서 본 크기' },
  apkUnknown: { en: 'not in the bundled table: size guessed', ko: '내장 표에 없음: 크기는 추정' },
  apkIndex: { en: 'the APK index left in /var/cache/apk', ko: '/var/cache/apk에 남은 APK 인덱스' },
  apkIndexRemoved: { en: 'the APK index, removed by the same RUN', ko: '같은 RUN에서 지운 APK 인덱스' },
  apkDatabase: { en: 'the apk database (/lib/apk/db)', ko: 'apk 데이터베이스 (/lib/apk/db)' },
  pipPackage: { en: 'about 3 MB a package with its dependencies: no PyPI data is bundled', ko: '의존성 포함 패키지당 약 3 MB: PyPI 데이터 없음' },
  pipRequirements: { en: 'the packages {file} lists: the file is not read here', ko: '{file}에 적힌 패키지: 파일은 여기서 읽지 않음' },
  pipCache: { en: "pip's download cache, left in the layer", ko: '레이어에 남은 pip 다운로드 캐시' },
  pipCacheRemoved: { en: "pip's download cache, removed by the same RUN", ko: '같은 RUN에서 지운 pip 다운로드 캐시' },
  nodeDependencies: { en: 'the dependencies of package.json: no registry data is bundled', ko: 'package.json의 의존성: 레지스트리 데이터 없음' },
  nodePackage: { en: 'no registry data is bundled: a wide range', ko: '레지스트리 데이터 없음: 범위가 넓음' },
  nodeCache: { en: 'the {manager} cache, left in the layer', ko: '레이어에 남은 {manager} 캐시' },
  nodeCacheRemoved: { en: 'the {manager} cache, cleaned by the same RUN', ko: '같은 RUN에서 지운 {manager} 캐시' },
  lockLocal: { en: 'installed in the workspace at the same version: measured', ko: '작업 공간에 같은 버전이 설치되어 있어 측정함' },
  lockRegistry: { en: "the registry's published unpacked size", ko: '레지스트리에 공개된 압축 해제 크기' },
  lockTarball: { en: "the registry's tarball size × {ratio} (installed ÷ tarball, measured)", ko: '레지스트리의 tarball 크기 × {ratio} (설치 크기 ÷ tarball, 측정값)' },
  lockGuess: { en: 'no size known for this version: a per-package range', ko: '이 버전의 크기를 몰라 패키지당 범위로 추정' },
  buildOutput: { en: '{tool} output', ko: '{tool} 결과물' },
  buildProject: { en: 'what {tool} writes depends on the project', ko: '{tool}이 쓰는 것은 프로젝트에 따라 다름' },
  download: { en: 'downloaded at build time: its size is known only once fetched', ko: '빌드할 때 내려받음: 받아 봐야 크기를 앎' },
  smallChanges: { en: 'a few small file changes: only commands known to write small files', ko: '작은 파일 변경 몇 개: 작은 파일만 쓰는 것으로 알려진 명령뿐' },
  keyDownload: { en: 'a signing key: a few kB', ko: '서명 키: 몇 kB' },
  commandWrites: { en: 'a command the size estimate does not know: what it writes is not known', ko: '크기 추정이 모르는 명령: 무엇을 쓰는지 알 수 없음' },
  copiedUp: { en: "earlier layers' files copied up by chown/chmod", ko: 'chown/chmod 때문에 이 레이어로 다시 복사된 이전 레이어의 파일' },
} satisfies Record<string, Text>;

export type NoteId = keyof typeof NOTES;

/** Entries named by what they are rather than by a path or a package: `name` takes the English, `label` every language. */
export const ENTRY_LABELS = {
  fileChanges: { en: 'file changes', ko: '파일 변경' },
  dependencies: { en: 'dependencies', ko: '의존성' },
} satisfies Record<string, Text>;

/** A note from the table with its placeholders filled. */
export function note(id: NoteId, values: Record<string, string | number> = {}): Text {
  return sayEach(NOTES[id], values);
}

interface Figure {
  bytes: number | null;
  low: number | null;
  high: number | null;
  source: SizeSource;
}

/** An entry with a figure and its source; `extra` adds the role, flags, note… */
export function entry(kind: BreakdownEntryKind, name: string, figure: Figure, extra: Partial<BreakdownEntry> = {}): BreakdownEntry {
  return { kind, name, bytes: figure.bytes, low: figure.low, high: figure.high, source: figure.source, ...extra };
}

/** An exact figure: measured or read from data. */
export const exact = (bytes: number, source: SizeSource = 'exact'): Figure => ({ bytes, low: bytes, high: bytes, source });

/** A heuristic: best, low and high rounded (high null: no upper bound). */
export const ranged = (best: number, low: number, high: number | null): Figure => ({
  bytes: Math.round(best),
  low: Math.round(Math.min(low, best)),
  high: high === null ? null : Math.round(Math.max(high, best)),
  source: 'estimate',
});

export const unknown: Figure = { bytes: null, low: null, high: null, source: 'unknown' };

/** Largest first; entries of unknown size last; ties by name, so the order is stable. */
export function largestFirst(a: BreakdownEntry, b: BreakdownEntry): number {
  return (b.bytes ?? -1) - (a.bytes ?? -1) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The `limit` largest entries, and what is left out summed in `more`. */
export function capped(entries: BreakdownEntry[], limit: number): { entries: BreakdownEntry[]; more?: { entries: number; bytes: number } } {
  const sorted = [...entries].sort(largestFirst);
  if (sorted.length <= limit) return { entries: sorted };
  const rest = sorted.slice(limit);
  return { entries: sorted.slice(0, limit), more: { entries: rest.length, bytes: rest.reduce((sum, e) => sum + (e.bytes ?? 0), 0) } };
}

/** What one RUN estimator itemises of its part of a layer. */
export interface PartBreakdown {
  entries: BreakdownEntry[];
  /** what the same RUN writes and removes again: not in the layer */
  removed?: BreakdownEntry[];
  withoutRecommends?: LayerBreakdown['withoutRecommends'];
}
