/**
 * The layers panel's view model: everything the webview shows, computed on the extension side from
 * a DockerfileModel, with every text already in the user's language and every size already in
 * words (through the same sizeText functions as hovers and the CLI, so there is one formatter).
 * The webview only lays these strings out. Pure: no vscode import, so tests load it directly.
 */
import { PHRASES, baselineText, say, type Locale, type Text } from '../server/src/service/explain';
import { describe, describeFigure, describeNotes, describeWhat } from '../server/src/service/sizes/messages';
import { packageNames } from '../server/src/service/sizes/waste';
import { rebuildReason } from '../server/src/service/cache/predict';
import { compressedValue, formatBytes, formatCompact, formatCompressed, formatFigure, formatShort } from '../server/src/service/features/sizeText';
import { hasUnknown } from '../server/src/service/sizes/types';
import { buildBreakdownView, sourceWord, type BreakdownView } from './breakdownView';
import { instructionSummary } from '../server/src/service/model/display';
import { describeStage } from '../server/src/service/model/graph';
import type { DependencyKind, DockerfileModel, InstructionInfo, Layer, LayerKind, SizeFigure, SizeSource, Stage, WastedBytes } from '../server/src/service/types';

export type { Locale };
export { sourceWord };
export type { BreakdownEntryView, BreakdownMoreView, BreakdownPageView, BreakdownView } from './breakdownView';

export type StageRole = 'target' | 'needed' | 'unused';

/** Whether the next build reuses a layer from the cache; 'unknown' without a baseline (git). */
export type CacheState = 'unknown' | 'reused' | 'rebuilt' | 'not-built';

/** An edge of the stage graph as the stage header shows it. */
export interface EdgeView {
  kind: DependencyKind;
  /** the stage at the other end, when it is a stage (an index into `LayersView.stages`) */
  stage?: number;
  /** the other end in words: `'build'`, `#0`, or an external image */
  name: string;
  /** `FROM`, `COPY --from`, `RUN --mount from` */
  kindText: string;
  /** 0-based line of the instruction that reads the other stage (in the reading stage) */
  line: number;
}

export interface WastedMarker {
  /**
   * 'written': this layer holds bytes a later one removes; 'removes': this layer deletes them (a
   * cleanup that came too late); 'overwrites': this layer writes over them (not a cleanup)
   */
  role: 'written' | 'removes' | 'overwrites';
  bytes: number;
  text: string;
}

export interface LayerRowView {
  /** `stage:number`, unique in the view */
  id: string;
  stage: number;
  number: number;
  kind: LayerKind;
  /** `base image`, `from stage 'build'`; empty for the stage's own layers */
  kindText: string;
  /** 0-based line of the instruction that makes the layer */
  line: number;
  /** the instruction on one line, shortened */
  text: string;
  /** short size (`152.9 MB~`, `?`) */
  size: string;
  /** the size with its range and source (`≈ 152.9 MB (143.0 MB–160.1 MB, estimated)`) */
  sizeFull: string;
  /** `4.4 MB compressed`, or empty when unknown */
  compressed: string;
  source: SizeSource | null;
  sourceText: string;
  /** where the figure comes from, as the size engine wrote it */
  detail: string;
  bytes: number | null;
  /** bytes / the largest row of the view, 0..1 (0 when unknown) */
  fraction: number;
  cache: CacheState;
  cacheText: string;
  wasted: WastedMarker[];
  notes: string[];
  /** what the layer is made of, shown when the row is expanded; null when not known */
  breakdown: BreakdownView | null;
  /** the whole row in one sentence, for screen readers */
  label: string;
  /** the layer in the last build, beside the prediction: `built 132.0 MB` and the sentence for its title */
  built?: { badge: string; text: string };
}

export interface StageView {
  index: number;
  /** `'build'` or `#0` */
  name: string;
  /** `Stage 'build'` */
  heading: string;
  /** `FROM golang:1.27 (linux/arm64)` */
  base: string;
  role: StageRole;
  roleText: string;
  /** `3 own layers` */
  ownLayers: string;
  /** `21.4 MB~ in all`, empty when sizes are not known */
  total: string;
  totalFull: string;
  /** 0-based line of the FROM */
  line: number;
  /** stages this stage feeds (they read it) */
  feeds: EdgeView[];
  /** stages and images this stage reads */
  reads: EdgeView[];
  layers: LayerRowView[];
}

export interface StackEntry {
  kind: 'container' | 'layer' | 'base' | 'kernel';
  label: string;
  size: string;
}

export interface RunView {
  heading: string;
  /** top to bottom: the container's read-write layer, the image's layers newest first, the kernel */
  stack: StackEntry[];
  points: string[];
}

export interface ShipFigure {
  label: string;
  value: string;
}

export interface ShipView {
  heading: string;
  figures: ShipFigure[];
  points: string[];
}

export interface LayersView {
  locale: Locale;
  /** `Dockerfile · target: stage 'runtime'` */
  title: string;
  /** the target image's size in words, empty when there is no target */
  summary: string;
  cacheNote: string;
  /** set when there is nothing to draw (no FROM) */
  empty?: string;
  stages: StageView[];
  run: RunView | null;
  ship: ShipView | null;
  /** the last build compared with: what it was, what does not align, how far each estimator was off */
  lastBuild?: string[];
}

/** The webview's own labels (columns, buttons, placeholders), sent once per panel. */
export interface UiStrings {
  treeLabel: string;
  waiting: string;
  notAnalysed: string;
  failed: string;
  feeds: string;
  reads: string;
  noLayers: string;
  colLayer: string;
  colSize: string;
  colCompressed: string;
  colSource: string;
  colInstruction: string;
  size: string;
  compressed: string;
  source: string;
  notes: string;
  cache: string;
  line: string;
  wasted: string;
  lateCleanup: string;
  /** a row's cache badge: the next build reuses it, or makes it anew (the reason on hover) */
  cacheReusedBadge: string;
  cacheRebuiltBadge: string;
  overwrites: string;
  showDetails: string;
  hideDetails: string;
  keyboardHelp: string;
  goToStage: string;
  /** a layer's contents (the breakdown): sorting, filtering, listing on demand */
  sortBy: string;
  sortSize: string;
  sortName: string;
  filterPlaceholder: string;
  filterMatches: string;
  filterNone: string;
  filterUnlisted: string;
  listing: string;
  listMore: string;
  contentsHelp: string;
}

const UI: Record<Locale, UiStrings> = {
  en: {
    treeLabel: 'Stages and their layers',
    waiting: 'Open a Dockerfile to see its layers.',
    notAnalysed: 'Dockerlens does not analyse this file (not a Dockerfile, or turned off).',
    failed: 'The layers could not be computed: {error}',
    feeds: 'feeds →',
    reads: 'reads ←',
    noLayers: 'No filesystem layers in this stage.',
    colLayer: 'Layer',
    colSize: 'Size',
    colCompressed: 'Compressed',
    colSource: 'Source',
    colInstruction: 'Instruction',
    size: 'Size',
    compressed: 'Compressed',
    source: 'Where the figure comes from',
    notes: 'Notes',
    cache: 'Build cache',
    line: 'Line {line}',
    wasted: 'wasted',
    lateCleanup: 'late cleanup',
    cacheReusedBadge: 'cached',
    cacheRebuiltBadge: 'rebuilds',
    overwrites: 'overwrites',
    showDetails: 'Show details',
    hideDetails: 'Hide details',
    keyboardHelp: 'Up and Down move between rows, Enter goes to the instruction, Right and Left open and close details; Right on an open row goes into its contents.',
    goToStage: 'Go to stage {name}',
    sortBy: 'Sort by',
    sortSize: 'Size',
    sortName: 'Name',
    filterPlaceholder: 'Filter by name',
    filterMatches: '{shown} of {total} listed entries match',
    filterNone: 'No listed entry matches.',
    filterUnlisted: 'Folders not listed yet are not searched.',
    listing: 'Listing…',
    listMore: 'Enter or a click lists them',
    contentsHelp: 'In a layer\'s contents: Up and Down move, Right and Left open and close folders, Enter goes to the instruction that brings the entry in, Escape goes back to the layer.',
  },
  ko: {
    treeLabel: '스테이지와 레이어',
    waiting: 'Dockerfile을 열면 레이어를 보여 줍니다.',
    notAnalysed: 'Dockerlens가 이 파일을 분석하지 않습니다 (Dockerfile이 아니거나 꺼져 있음).',
    failed: '레이어를 계산하지 못했습니다: {error}',
    feeds: '전달 →',
    reads: '읽음 ←',
    noLayers: '이 스테이지에는 파일시스템 레이어가 없습니다.',
    colLayer: '레이어',
    colSize: '크기',
    colCompressed: '압축',
    colSource: '출처',
    colInstruction: '명령어',
    size: '크기',
    compressed: '압축 크기',
    source: '수치의 출처',
    notes: '참고',
    cache: '빌드 캐시',
    line: '{line}번째 줄',
    wasted: '낭비',
    lateCleanup: '늦은 정리',
    cacheReusedBadge: '캐시됨',
    cacheRebuiltBadge: '다시 빌드',
    overwrites: '덮어씀',
    showDetails: '자세히 보기',
    hideDetails: '자세히 닫기',
    keyboardHelp: '위/아래 화살표로 행을 옮기고, Enter로 해당 명령어로 이동하며, 오른쪽/왼쪽 화살표로 자세한 내용을 열고 닫습니다. 열린 행에서 오른쪽 화살표를 누르면 그 내용으로 들어갑니다.',
    goToStage: '스테이지 {name}(으)로 이동',
    sortBy: '정렬 기준',
    sortSize: '크기',
    sortName: '이름',
    filterPlaceholder: '이름으로 거르기',
    filterMatches: '{shown}개가 맞습니다 (나열된 항목 {total}개 중)',
    filterNone: '맞는 항목이 없습니다.',
    filterUnlisted: '아직 나열하지 않은 폴더는 찾지 않습니다.',
    listing: '불러오는 중…',
    listMore: 'Enter나 클릭으로 나머지를 봅니다',
    contentsHelp: '레이어 내용에서: 위/아래 화살표로 옮기고, 오른쪽/왼쪽 화살표로 폴더를 열고 닫으며, Enter로 그 항목을 가져온 명령어로 이동하고, Esc로 레이어로 돌아갑니다.',
  },
};

export function uiStrings(locale: Locale): UiStrings {
  return UI[locale];
}

const T = {
  stage: { en: 'Stage {name}', ko: '스테이지 {name}' },
  fromImage: { en: 'FROM {image}', ko: 'FROM {image}' },
  fromStage: { en: 'FROM stage {name}', ko: 'FROM 스테이지 {name}' },
  fromScratch: { en: 'FROM scratch (empty)', ko: 'FROM scratch (빈 이미지)' },
  roleTarget: { en: 'target', ko: '타깃' },
  roleNeeded: { en: 'needed by the target', ko: '타깃에 필요' },
  roleUnused: { en: 'unused: not built', ko: '쓰이지 않음: 빌드되지 않음' },
  ownOne: { en: '1 own layer', ko: '자체 레이어 1개' },
  ownMany: { en: '{count} own layers', ko: '자체 레이어 {count}개' },
  total: { en: '{size} in all', ko: '합계 {size}' },
  edgeFrom: { en: 'FROM', ko: 'FROM' },
  edgeCopy: { en: 'COPY --from', ko: 'COPY --from' },
  edgeMount: { en: 'RUN --mount from', ko: 'RUN --mount from' },
  image: { en: 'image {name}', ko: '이미지 {name}' },
  kindBase: { en: 'base image', ko: '베이스 이미지' },
  stackBase: { en: 'Base image {name} (read-only)', ko: '베이스 이미지 {name} (읽기 전용)' },
  stackStage: { en: 'Every layer of stage {name} (read-only)', ko: '스테이지 {name}의 모든 레이어 (읽기 전용)' },
  kindStage: { en: 'every layer of stage {name}', ko: '스테이지 {name}의 모든 레이어' },
  cacheUnknown: { en: 'cache: no baseline (not a git repository, or an untrusted workspace)', ko: '캐시: 기준 없음 (git 저장소가 아니거나 신뢰하지 않는 작업 영역)' },
  cacheReused: { en: 'cache: reused on the next build', ko: '캐시: 다음 빌드에서 재사용' },
  cacheRebuilt: { en: 'cache: rebuilds, because {reason}', ko: '캐시: 다시 빌드, 이유: {reason}' },
  cacheNotBuilt: { en: 'cache: not built for the target', ko: '캐시: 타깃 빌드에 쓰이지 않음' },
  cacheNote: {
    en: 'Build cache: compared with no baseline. In a git repository of a trusted workspace, each layer shows whether the next build reuses it (compared with the last commit).',
    ko: '빌드 캐시: 비교 기준 없음. 신뢰하는 작업 영역의 git 저장소에서는 각 레이어를 다음 빌드가 재사용하는지 (마지막 커밋 기준) 보여 줍니다.',
  },
  cacheNoteBaseline: {
    en: 'Build cache: compared with {baseline}: next build reuses {reused} layers and rebuilds {rebuilt} ({bytes}, {push} to push).',
    ko: '빌드 캐시: {baseline} 기준, 다음 빌드는 레이어 {reused}개를 재사용하고 {rebuilt}개를 다시 빌드 ({bytes}, 푸시 {push}).',
  },
  title: { en: '{file} · target: stage {name}', ko: '{file} · 타깃: 스테이지 {name}' },
  titleNoTarget: { en: '{file}', ko: '{file}' },
  summary: { en: 'Image: {size}', ko: '이미지: {size}' },
  summaryCompressed: { en: 'Image: {size}, {compressed}', ko: '이미지: {size}, {compressed}' },
  noStages: { en: 'No FROM instruction: nothing to build.', ko: 'FROM 명령어가 없어 빌드할 것이 없습니다.' },
  rowLabel: {
    en: 'Layer {number}, {text}, {size}, {source}, line {line}',
    ko: '레이어 {number}, {text}, {size}, {source}, {line}번째 줄',
  },
  rowWasted: { en: ', wasted bytes', ko: ', 낭비된 바이트 있음' },
  wastedWritten: {
    en: '{path}: {bytes} of {what}, {how} by layer {by}; still stored and shipped in this layer',
    ko: '{path}: {what} {bytes}, 레이어 {by}에서 {how}지만 이 레이어에 그대로 남아 저장되고 전송됩니다',
  },
  wastedRemoves: {
    en: '{how} {path} ({bytes}, written by layer {layer}): the image does not get smaller',
    ko: '레이어 {layer}에서 쓴 {path}({bytes})를 {how}지만 이미지는 작아지지 않습니다',
  },
  wastedPackagesWritten: {
    en: '{count} {manager} packages ({names}): {bytes}, removed by layer {by}; still stored and shipped in this layer',
    ko: '{manager} 패키지 {count}개({names}): {bytes}, 레이어 {by}에서 제거했지만 이 레이어에 그대로 남아 저장되고 전송됩니다',
  },
  wastedPackagesRemoves: {
    en: 'Removes {count} {manager} packages ({names}, {bytes}) installed by layer {layer}: the image does not get smaller',
    ko: '레이어 {layer}에서 설치한 {manager} 패키지 {count}개({names}, {bytes})를 제거하지만 이미지는 작아지지 않습니다',
  },
  writtenDeleted: { en: 'deleted', ko: '삭제했' },
  writtenOverwritten: { en: 'overwritten', ko: '덮어썼' },
  removesDeleted: { en: 'Deletes', ko: '삭제하' },
  removesOverwritten: { en: 'Overwrites', ko: '덮어쓰' },
  // Run
  runHeading: { en: 'Run: a container on top of the image', ko: '실행: 이미지 위에 올라가는 컨테이너' },
  stackContainer: {
    en: 'Container layer: read-write, thin, one per container',
    ko: '컨테이너 레이어: 읽기/쓰기, 얇음, 컨테이너마다 하나',
  },
  stackLayer: { en: 'Layer {number} (read-only): {text}', ko: '레이어 {number} (읽기 전용): {text}' },
  stackKernel: {
    en: 'Host kernel: shared by every container; the image has none',
    ko: '호스트 커널: 모든 컨테이너가 함께 씀, 이미지에는 없음',
  },
  runShared: {
    en: 'The image layers are read-only and stored once on the host: every container started from this image, and every image built on the same base, uses the same copies.',
    ko: '이미지 레이어는 읽기 전용이고 호스트에 한 번만 저장됩니다. 이 이미지로 띄운 모든 컨테이너와 같은 베이스로 만든 다른 이미지가 같은 사본을 함께 씁니다.',
  },
  runSharedSize: {
    en: 'Ten containers of this image still keep one copy of its {size} on disk; each adds only what it writes.',
    ko: '이 이미지로 컨테이너 10개를 띄워도 디스크에는 {size} 한 벌만 있고, 컨테이너마다 자기가 쓴 만큼만 늘어납니다.',
  },
  runWrites: {
    en: 'A running container adds one thin read-write layer on top, and writes only there: a file it changes is first copied up from the image into that layer. The image underneath never changes.',
    ko: '실행 중인 컨테이너는 맨 위에 얇은 읽기/쓰기 레이어 하나를 더하고, 그 레이어에만 씁니다. 이미지에 있던 파일을 고치면 먼저 그 파일을 이 레이어로 복사해 올린 뒤 고칩니다. 아래의 이미지는 바뀌지 않습니다.',
  },
  runRemove: {
    en: 'Removing the container throws its read-write layer away, with everything written there: keep data that must last in a volume.',
    ko: '컨테이너를 지우면 읽기/쓰기 레이어도 거기에 쓴 내용과 함께 사라집니다. 남겨야 할 데이터는 볼륨에 두세요.',
  },
  runKernel: {
    en: "There is no kernel in the image: the container's processes run on the host's kernel, isolated by namespaces and limited by cgroups. A virtual machine instead boots a whole guest system with its own kernel on a hypervisor, which is heavier and slower to start.",
    ko: '이미지에는 커널이 없습니다. 컨테이너의 프로세스는 호스트 커널에서 바로 실행되며, 네임스페이스로 격리되고 cgroup으로 자원이 제한됩니다. 반면 가상 머신은 하이퍼바이저 위에서 자체 커널을 가진 게스트 시스템 전체를 부팅하므로 더 무겁고 시작도 느립니다.',
  },
  // Ship
  shipHeading: { en: 'Ship: push and pull', ko: '배포: push와 pull' },
  shipCompressed: { en: 'Compressed image (a first push or pull)', ko: '압축된 이미지 (처음 push하거나 pull할 때)' },
  shipOnDisk: { en: 'Unpacked on disk', ko: '풀었을 때 디스크 크기' },
  shipOwn: { en: 'Own layers only (the base is already there)', ko: '자체 레이어만 (베이스가 이미 있을 때)' },
  shipWasted: { en: 'Wasted', ko: '낭비' },
  shipHow: {
    en: 'A push or pull moves each layer as one compressed blob and skips every layer the other side already has, matched by its digest.',
    ko: 'push와 pull은 레이어마다 압축된 덩어리 하나를 옮기고, 상대편에 이미 있는 레이어는 다이제스트로 확인해 건너뜁니다.',
  },
  shipPush: {
    en: "Push to a registry that already has {base}: only this Dockerfile's own {count} layer(s) are sent: {size}.",
    ko: '{base}이(가) 이미 있는 레지스트리에 push하면 이 Dockerfile의 자체 레이어 {count}개만 보냅니다: {size}.',
  },
  shipPull: {
    en: 'Pull on a host that already has {base}: {size} to download, the base layers are reused. On a host without it: {total}.',
    ko: '{base}이(가) 이미 있는 호스트에서 pull하면 {size}만 내려받고 베이스 레이어는 다시 씁니다. 베이스가 없는 호스트에서는 {total}.',
  },
  shipScratch: {
    en: 'Built FROM scratch: there is no base to reuse, so every layer is sent: {total}.',
    ko: 'FROM scratch로 만들어 재사용할 베이스가 없으므로 모든 레이어를 보냅니다: {total}.',
  },
  shipSameBase: {
    en: 'The base only counts as present when it is the very same image: the same tag pulled at a different time may have other layers.',
    ko: '베이스는 완전히 같은 이미지일 때만 이미 있는 것으로 칩니다. 같은 태그라도 다른 시점에 받은 이미지는 레이어가 다를 수 있습니다.',
  },
  shipUnknownSome: { en: '{size} and {count} layer(s) of unknown size', ko: '{size}, 그리고 크기를 모르는 레이어 {count}개' },
  shipUnknown: { en: 'not known', ko: '알 수 없음' },
  shipUnknownPart: { en: '{size} + a part not known', ko: '{size} + 알 수 없는 부분' },
  shipWastedText: {
    en: '{bytes} written by one layer and deleted or overwritten by a later one: shipped and stored, never seen. Efficiency {efficiency}.',
    ko: '{bytes}: 한 레이어가 쓰고 뒤의 레이어가 지우거나 덮어쓴 양으로, 전송되고 저장되지만 보이지 않습니다. 효율 {efficiency}.',
  },
  shipNoWaste: { en: 'No wasted bytes found.', ko: '낭비된 바이트가 없습니다.' },
  shipNoSizes: { en: 'Sizes are not known yet.', ko: '크기를 아직 알 수 없습니다.' },
  // Last build
  builtBadge: { en: 'built {size}', ko: '빌드 {size}' },
  lastBuildSummary: {
    en: 'Last build: {image} ({date}): {exact} layer(s) with its exact size, {estimated} estimated',
    ko: '지난 빌드: {image} ({date}): 레이어 {exact}개는 그 빌드의 정확한 크기, {estimated}개는 추정',
  },
  lastBuildAligned: { en: 'Built from this file as it is now.', ko: '지금 이 파일 그대로 빌드되었습니다.' },
  lastBuildChanged: { en: 'Built from an earlier version of this file; what changed since:', ko: '이 파일의 이전 버전으로 빌드되었습니다. 그 뒤 바뀐 것:' },
  lastBuildUnrelated: {
    en: 'Its history does not line up with this file (another file or target): its sizes are not used.',
    ko: '이미지 기록이 이 파일과 맞지 않습니다 (다른 파일이나 타깃): 그 크기는 쓰지 않습니다.',
  },
  lastBuildMore: { en: '… and {count} more (dockerlens compare lists them all)', ko: '… 그 밖에 {count}개 (dockerlens compare에서 모두 볼 수 있음)' },
} satisfies Record<string, Text>;

export interface BuildOptions {
  /** the file's name, for the title */
  file?: string;
  /** how far each estimator was off in earlier builds, one line each (kept by the client) */
  trust?: string[];
}

export function buildLayersView(model: DockerfileModel, locale: Locale, options: BuildOptions = {}): LayersView {
  const file = options.file ?? 'Dockerfile';
  const target = model.stages[model.target];
  const title = target ? say(T.title, locale, { file, name: describeStage(target) }) : say(T.titleNoTarget, locale, { file });
  const largest = Math.max(0, ...model.stages.flatMap((s) => s.layers.map((l) => l.size?.bytes ?? 0)));
  const waste = wasteByLayer(model);
  const stages = model.stages.map((stage) => stageView(model, stage, locale, largest, waste));
  const image = model.image;
  let summary = '';
  if (image) {
    const compressed = formatCompressed(image.total, locale);
    summary = compressed
      ? say(T.summaryCompressed, locale, { size: formatFigure(image.total, locale), compressed })
      : say(T.summary, locale, { size: formatFigure(image.total, locale) });
  }
  const view: LayersView = {
    locale,
    title,
    summary,
    cacheNote: cacheNote(model, locale),
    stages,
    run: target ? runView(model, target, stages, locale) : null,
    ship: target ? shipView(model, target, locale) : null,
  };
  if (model.stages.length === 0) view.empty = say(T.noStages, locale);
  const lastBuild = lastBuildLines(model, locale, options.trust ?? []);
  if (lastBuild.length > 0) view.lastBuild = lastBuild;
  return view;
}

/** The header's lines about the last build compared with (none when there is none). */
function lastBuildLines(model: DockerfileModel, locale: Locale, trust: string[]): string[] {
  const last = model.lastBuild;
  if (!last) return [];
  if ('problem' in last) return [say(PHRASES.lastBuildUnavailable, locale, { image: last.image, problem: last.problem })];
  const lines = [
    say(T.lastBuildSummary, locale, { image: last.image, date: last.created ? last.created.slice(0, 16).replace('T', ' ') : '?', exact: last.exact, estimated: last.estimated }),
    say(last.verdict === 'aligned' ? T.lastBuildAligned : last.verdict === 'changed' ? T.lastBuildChanged : T.lastBuildUnrelated, locale),
    ...last.problems.slice(0, MAX_PROBLEMS).map((problem, i) => describe(problem, last.problemMessages?.[i], locale)),
  ];
  if (last.problems.length > MAX_PROBLEMS) lines.push(say(T.lastBuildMore, locale, { count: last.problems.length - MAX_PROBLEMS }));
  return [...lines, ...trust];
}

/** lines of what does not align shown at most; the CLI lists them all */
const MAX_PROBLEMS = 5;

/** The layer's size in the last build beside its prediction. */
function builtOf(layer: Layer, locale: Locale): LayerRowView['built'] {
  const built = layer.built;
  if (!built || built.bytes === null) return undefined;
  const values = { actual: formatBytes(built.bytes), predicted: built.predicted?.bytes != null ? formatBytes(built.predicted.bytes) : '?', reason: built.reason ?? '' };
  return {
    badge: say(T.builtBadge, locale, { size: formatBytes(built.bytes) }),
    text: say(built.current || !built.reason ? PHRASES.lastBuild : PHRASES.lastBuildRebuilds, locale, values),
  };
}

/** The stage and layer an editor line belongs to, for highlighting the row under the cursor. */
export function selectionAt(model: DockerfileModel, line: number): { stage: number; layer: number | null } | null {
  const stage = model.stages.find((s) => s.range.start.line <= line && line <= s.range.end.line);
  if (!stage) return null;
  const instruction = stage.instructions.find((i) => i.range.start.line <= line && line <= i.range.end.line);
  if (!instruction) return { stage: stage.index, layer: null };
  const layer = stage.layers.find((l) => l.instruction === instruction.index && (l.kind === 'filesystem' || instruction.keyword === 'FROM'));
  return { stage: stage.index, layer: layer ? layer.number : null };
}

/** The target and the stages it is built FROM, newest first: the layers of the target image. */
function chainOf(model: DockerfileModel, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  let current: Stage | undefined = stage;
  while (current && !chain.includes(current)) {
    chain.push(current);
    current = current.base.kind === 'stage' ? model.stages[current.base.stage] : undefined;
  }
  return chain;
}

function wasteByLayer(model: DockerfileModel): Map<string, { item: WastedBytes; role: WastedMarker['role'] }[]> {
  const byRow = new Map<string, { item: WastedBytes; role: WastedMarker['role'] }[]>();
  const target = model.stages[model.target];
  if (!model.image || !target) return byRow;
  const add = (key: string, entry: { item: WastedBytes; role: WastedMarker['role'] }) => byRow.set(key, [...(byRow.get(key) ?? []), entry]);
  const chain = chainOf(model, target);
  for (const item of model.image.wasted.items) {
    add(`${item.stage}:${item.layer}`, { item, role: 'written' });
    const remover = chain.find((s) => s.layers.some((l) => l.kind === 'filesystem' && l.number === item.removedBy));
    if (remover) add(`${remover.index}:${item.removedBy}`, { item, role: item.how === 'deleted' ? 'removes' : 'overwrites' });
  }
  return byRow;
}

function wastedText(item: WastedBytes, role: WastedMarker['role'], locale: Locale): string {
  const bytes = formatBytes(item.bytes);
  if (item.packages) {
    const values = { count: item.packages.list.length, manager: item.packages.manager, names: packageNames(item.packages.list.map((p) => p.name)), bytes, by: item.removedBy, layer: item.layer };
    return say(role === 'written' ? T.wastedPackagesWritten : T.wastedPackagesRemoves, locale, values);
  }
  if (role === 'written') {
    const how = say(item.how === 'deleted' ? T.writtenDeleted : T.writtenOverwritten, locale);
    return say(T.wastedWritten, locale, { bytes, what: describeWhat(item, locale), path: item.path, how, by: item.removedBy });
  }
  const how = say(item.how === 'deleted' ? T.removesDeleted : T.removesOverwritten, locale);
  return say(T.wastedRemoves, locale, { bytes, how, layer: item.layer, path: item.path });
}

function baseText(model: DockerfileModel, stage: Stage, locale: Locale): string {
  const base = stage.base;
  const text = base.kind === 'image'
    ? say(T.fromImage, locale, { image: base.display })
    : base.kind === 'stage'
      ? say(T.fromStage, locale, { name: describeStage(model.stages[base.stage] ?? { index: base.stage, name: base.name }) })
      : say(T.fromScratch, locale);
  return stage.platform ? `${text} (${stage.platform})` : text;
}

const EDGE_TEXT: Record<DependencyKind, Text> = { from: T.edgeFrom, 'copy-from': T.edgeCopy, 'mount-from': T.edgeMount };

function lineOf(stage: Stage, instruction: number): number {
  return stage.instructions[instruction]?.range.start.line ?? stage.range.start.line;
}

function stageView(
  model: DockerfileModel,
  stage: Stage,
  locale: Locale,
  largest: number,
  waste: Map<string, { item: WastedBytes; role: WastedMarker['role'] }[]>,
): StageView {
  const role: StageRole = stage.isTarget ? 'target' : stage.used ? 'needed' : 'unused';
  const own = stage.layers.filter((l) => l.kind === 'filesystem').length;
  const seen = new Set<string>();
  const reads: EdgeView[] = [];
  for (const dep of stage.dependencies) {
    const other = dep.stage !== undefined ? model.stages[dep.stage] : undefined;
    const name = other ? describeStage(other) : say(T.image, locale, { name: dep.image ?? dep.reference });
    const key = `${dep.kind}:${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reads.push({ kind: dep.kind, ...(other ? { stage: other.index } : {}), name, kindText: say(EDGE_TEXT[dep.kind], locale), line: lineOf(stage, dep.instruction) });
  }
  const feeds: EdgeView[] = [];
  for (const reader of model.stages) {
    const kinds = new Set<DependencyKind>();
    for (const dep of reader.dependencies) {
      if (dep.stage !== stage.index || kinds.has(dep.kind)) continue;
      kinds.add(dep.kind);
      feeds.push({ kind: dep.kind, stage: reader.index, name: describeStage(reader), kindText: say(EDGE_TEXT[dep.kind], locale), line: lineOf(reader, dep.instruction) });
    }
  }
  return {
    index: stage.index,
    name: describeStage(stage),
    heading: say(T.stage, locale, { name: describeStage(stage) }),
    base: baseText(model, stage, locale),
    role,
    roleText: say(role === 'target' ? T.roleTarget : role === 'needed' ? T.roleNeeded : T.roleUnused, locale),
    ownLayers: own === 1 ? say(T.ownOne, locale) : say(T.ownMany, locale, { count: own }),
    total: stage.sizes ? say(T.total, locale, { size: formatShort(stage.sizes.total) }) : '',
    totalFull: stage.sizes ? formatFigure(stage.sizes.total, locale) : '',
    line: stage.range.start.line,
    feeds,
    reads,
    layers: stage.layers.map((layer) => rowView(model, stage, layer, locale, largest, waste.get(`${stage.index}:${layer.number}`) ?? [])),
  };
}

function kindText(model: DockerfileModel, stage: Stage, layer: Layer, locale: Locale): string {
  if (layer.kind === 'filesystem') return '';
  if (layer.kind === 'stage' && stage.base.kind === 'stage') {
    const parent = model.stages[stage.base.stage] ?? { index: stage.base.stage, name: stage.base.name };
    return say(T.kindStage, locale, { name: describeStage(parent) });
  }
  return say(T.kindBase, locale);
}

function rowView(
  model: DockerfileModel,
  stage: Stage,
  layer: Layer,
  locale: Locale,
  largest: number,
  waste: { item: WastedBytes; role: WastedMarker['role'] }[],
): LayerRowView {
  const instruction: InstructionInfo | undefined = stage.instructions[layer.instruction];
  const size: SizeFigure | undefined = layer.size;
  const text = instruction ? instructionSummary(instruction, 80) : layer.label;
  const line = instruction?.range.start.line ?? stage.range.start.line;
  const bytes = size?.bytes ?? null;
  const sourceText = size ? sourceWord(size.source, locale) : '';
  const short = formatShort(size);
  const wasted = waste.map(({ item, role }) => ({ role, bytes: item.bytes, text: wastedText(item, role, locale) }));
  const built = builtOf(layer, locale);
  const label = say(T.rowLabel, locale, { number: layer.number, text, size: short, source: sourceText || '?', line: line + 1 })
    + (wasted.some((w) => w.role === 'written') ? say(T.rowWasted, locale) : '');
  return {
    id: `${stage.index}:${layer.number}`,
    stage: stage.index,
    number: layer.number,
    kind: layer.kind,
    kindText: kindText(model, stage, layer, locale),
    line,
    text,
    size: short,
    sizeFull: size ? formatFigure(size, locale) : formatShort(undefined),
    compressed: size?.compressed != null ? formatBytes(size.compressed) : '',
    source: size?.source ?? null,
    sourceText,
    detail: size ? describeFigure(size, locale) : '',
    bytes,
    fraction: bytes !== null && largest > 0 ? Math.min(1, Math.max(0, bytes / largest)) : 0,
    ...cacheState(model, stage, layer, locale),
    wasted,
    notes: describeNotes(layer, locale),
    breakdown: buildBreakdownView(stage, layer, locale),
    label,
    ...(built ? { built } : {}),
  };
}

function runView(model: DockerfileModel, target: Stage, stages: StageView[], locale: Locale): RunView {
  const rows = stages[target.index]?.layers ?? [];
  const base = target.base;
  const below = base.kind === 'image'
    ? say(T.stackBase, locale, { name: base.display })
    : base.kind === 'stage'
      ? say(T.stackStage, locale, { name: describeStage(model.stages[base.stage] ?? { index: base.stage, name: base.name }) })
      : '';
  const stack: StackEntry[] = [{ kind: 'container', label: say(T.stackContainer, locale), size: '' }];
  for (const row of [...rows].reverse()) {
    stack.push({
      kind: row.kind === 'filesystem' ? 'layer' : 'base',
      label: row.kind === 'filesystem' ? say(T.stackLayer, locale, { number: row.number, text: row.text }) : below,
      size: row.size,
    });
  }
  stack.push({ kind: 'kernel', label: say(T.stackKernel, locale), size: '' });
  const points = [say(T.runShared, locale)];
  if (model.image && model.image.total.bytes !== null) points.push(say(T.runSharedSize, locale, { size: formatCompact(model.image.total, locale) }));
  points.push(say(T.runWrites, locale), say(T.runRemove, locale), say(T.runKernel, locale));
  return { heading: say(T.runHeading, locale), stack, points };
}

function shipView(model: DockerfileModel, target: Stage, locale: Locale): ShipView {
  const heading = say(T.shipHeading, locale);
  const image = model.image;
  if (!image) return { heading, figures: [], points: [say(T.shipHow, locale), say(T.shipNoSizes, locale)] };
  const totalValue = compressedValue(image.total);
  const total = totalValue === null ? say(T.shipUnknown, locale) : hasUnknown(image.total) ? say(T.shipUnknownPart, locale, { size: totalValue }) : totalValue;
  // The image's own layers: the target's and those of every stage it is built FROM.
  const chain = chainOf(model, target);
  const own = chain.flatMap((s) => s.layers.filter((l) => l.kind === 'filesystem'));
  const ownBytes = own.reduce((sum, l) => sum + (l.size?.compressed ?? 0), 0);
  // a layer wholly or partly unknown is counted as unknown, whatever part of it is known
  const unknownLayers = own.filter((l) => !l.size || hasUnknown(l.size)).length;
  const estimated = own.some((l) => l.size?.source === 'estimate');
  const ownText = unknownLayers === 0
    ? `${estimated ? '≈ ' : ''}${formatBytes(ownBytes)}`
    : say(T.shipUnknownSome, locale, { size: `≥ ${formatBytes(ownBytes)}`, count: unknownLayers });
  const root = chain[chain.length - 1]!;
  const figures: ShipFigure[] = [
    { label: say(T.shipCompressed, locale), value: total },
    { label: say(T.shipOnDisk, locale), value: formatFigure(image.total, locale) },
  ];
  const points = [say(T.shipHow, locale)];
  if (root.base.kind === 'image') {
    figures.push({ label: say(T.shipOwn, locale), value: ownText });
    points.push(
      say(T.shipPush, locale, { base: root.base.display, size: ownText, count: own.length }),
      say(T.shipPull, locale, { base: root.base.display, size: ownText, total }),
      say(T.shipSameBase, locale),
    );
  } else {
    points.push(say(T.shipScratch, locale, { total }));
  }
  figures.push({ label: say(T.shipWasted, locale), value: formatBytes(image.wasted.bytes) });
  points.push(image.wasted.bytes > 0
    ? say(T.shipWastedText, locale, { bytes: formatBytes(image.wasted.bytes), efficiency: `${(image.wasted.efficiency * 100).toFixed(1)}%` })
    : say(T.shipNoWaste, locale));
  return { heading, figures, points };
}

function cacheNote(model: DockerfileModel, locale: Locale): string {
  const target = model.cache?.prediction.target;
  if (!model.cache || !target) return say(T.cacheNote, locale);
  return say(T.cacheNoteBaseline, locale, {
    baseline: baselineText(model.cache, locale),
    reused: target.reused.length,
    rebuilt: target.rebuilt.length,
    bytes: formatBytes(target.bytes),
    push: formatBytes(target.pushBytes),
  });
}

function cacheState(model: DockerfileModel, stage: Stage, layer: Layer, locale: Locale): { cache: CacheState; cacheText: string } {
  if (!stage.used) return { cache: 'not-built', cacheText: say(T.cacheNotBuilt, locale) };
  const step = layer.kind === 'filesystem' ? model.cache?.prediction.stages[stage.index]?.steps.find((s) => s.layer === layer.number) : undefined;
  if (!step) return { cache: 'unknown', cacheText: say(T.cacheUnknown, locale) };
  return step.reused
    ? { cache: 'reused', cacheText: say(T.cacheReused, locale) }
    : { cache: 'rebuilt', cacheText: say(T.cacheRebuilt, locale, { reason: rebuildReason(step, model, locale) }) };
}
