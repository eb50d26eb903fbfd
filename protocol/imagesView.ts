/**
 * The "Images in this workspace" section of the layers panel: every image of the workspace as a
 * column of its layers (base first), layers several images share marked and linked by their cache
 * key, and what sharing saves. Built on the extension side with every text in the user's language;
 * the webview only lays it out. Pure: no vscode import.
 */
import { say, type Locale, type Text } from '../server/src/service/explain';
import { formatBytes, formatSum } from '../server/src/service/features/sizeText';
import { describe } from '../server/src/service/sizes/messages';
import type { WorkspaceImagesNote, WorkspaceImagesResult } from './protocol';

/** How many colours the webview has for shared layers (`shared-0` … `shared-7`). */
export const SHARED_COLORS = 8;

export interface ImageLayerView {
  /** unique in the view: `image index:layer index` */
  id: string;
  /** the cache key: the same layer in another image has the same key */
  key: string;
  label: string;
  /** `152.9 MB`, `?` when not known */
  size: string;
  /** the other images with this layer */
  sharedWith: string[];
  /** `shared with api/Dockerfile, worker/Dockerfile`; empty when not shared */
  sharedText: string;
  /** a colour per shared key (0 … SHARED_COLORS-1), null when not shared */
  color: number | null;
  /** the whole layer in one sentence, for screen readers */
  aria: string;
}

export interface ImageColumnView {
  name: string;
  uri: string;
  /** `4 layers · 187.2 MB` */
  total: string;
  layers: ImageLayerView[];
}

export interface ImagesView {
  locale: Locale;
  heading: string;
  /** how to read and move through the columns */
  help: string;
  /** set when there is nothing to compare (fewer than two images) */
  empty?: string;
  images: ImageColumnView[];
  /** counted per image vs stored once, then what pulls download */
  summary: string[];
  notes: string[];
}

const T = {
  heading: { en: 'Images in this workspace', ko: '이 워크스페이스의 이미지' },
  help: {
    en: 'Each column is one image, base first. Layers with the same colour are the same layer in several images: focus or point at one to highlight it everywhere. Arrow keys move between layers and images.',
    ko: '각 열은 이미지 하나이며 베이스가 맨 위에 있습니다. 같은 색의 레이어는 여러 이미지가 공유하는 같은 레이어입니다. 하나에 포커스를 두거나 마우스를 올리면 모든 곳에서 강조됩니다. 화살표 키로 레이어와 이미지 사이를 이동합니다.',
  },
  fewer: {
    en: 'Fewer than two Dockerfiles in this workspace: nothing to compare.',
    ko: '이 워크스페이스에 Dockerfile이 두 개 미만이라 비교할 것이 없습니다.',
  },
  total: { en: '{layers} layers · {size}', ko: '레이어 {layers}개 · {size}' },
  unknown: { en: '?', ko: '?' },
  sharedWith: { en: 'shared with {names}', ko: '{names}와(과) 공유' },
  notShared: { en: 'only in this image', ko: '이 이미지에만 있음' },
  layerAria: { en: '{label}, {size}, {shared}', ko: '{label}, {size}, {shared}' },
  images: {
    en: '{images} images, {layers} distinct layers, {shared} of them shared.',
    ko: '이미지 {images}개, 서로 다른 레이어 {layers}개, 그중 {shared}개 공유.',
  },
  stored: {
    en: 'Counted per image: {counted}; stored once by content: {stored} ({saved} saved on a host or registry that has them all).',
    ko: '이미지별 합계: {counted}, 내용 기준으로 한 번만 저장: {stored} (모두 가진 호스트나 레지스트리에서 {saved} 절약).',
  },
  pull: {
    en: 'Pulling {second} on a host that has {first}: {download} compressed to download ({missing} layers; {shared} already there).',
    ko: '{first}이(가) 있는 호스트에서 {second}을(를) 받으면: 압축 {download} 다운로드 (레이어 {missing}개, {shared}개는 이미 있음).',
  },
  noPullShares: {
    en: 'No two images share a layer: pulling one downloads all of its layers even where another is present.',
    ko: '레이어를 공유하는 이미지가 없습니다: 다른 이미지가 있어도 모든 레이어를 내려받습니다.',
  },
  morePulls: { en: '… and {count} more pairs.', ko: '… 그 밖에 {count}쌍.' },
  unreadable: { en: '{name} was skipped: it could not be read ({detail}).', ko: '{name}을(를) 건너뛰었습니다: 읽을 수 없습니다 ({detail}).' },
  tooLarge: { en: '{name} was skipped: larger than 1 MB.', ko: '{name}을(를) 건너뛰었습니다: 1 MB보다 큽니다.' },
  notAnalysed: { en: '{name} could not be analysed ({detail}).', ko: '{name}을(를) 분석하지 못했습니다 ({detail}).' },
  noContext: {
    en: 'Without a read build context ({names}), COPY and ADD layers have no known inputs: they match only by their text and context folder, and their sizes are not known. Open a Dockerfile to read its context.',
    ko: '빌드 컨텍스트를 읽지 않은 이미지({names})의 COPY와 ADD 레이어는 입력을 알 수 없어 명령어 텍스트와 컨텍스트 폴더로만 비교하며 크기도 알 수 없습니다. Dockerfile을 열면 컨텍스트를 읽습니다.',
  },
} satisfies Record<string, Text>;

/** At most this many pull lines (ordered pairs grow with the square of the images). */
const MAX_PULLS = 12;

export function buildImagesView(report: WorkspaceImagesResult, locale: Locale): ImagesView {
  const notes = notesText(report.notes, locale);
  const base = { locale, heading: say(T.heading, locale), help: say(T.help, locale), notes };
  if (report.images.length < 2) return { ...base, empty: say(T.fewer, locale), images: [], summary: [] };

  const usedBy = new Map(report.layers.map((l) => [l.key, l.usedBy]));
  const colors = new Map<string, number>();
  for (const image of report.images) {
    for (const layer of image.layers) {
      if ((usedBy.get(layer.key)?.length ?? 0) > 1 && !colors.has(layer.key)) colors.set(layer.key, colors.size % SHARED_COLORS);
    }
  }
  const images: ImageColumnView[] = report.images.map((image, i) => ({
    name: image.name,
    uri: image.uri,
    total: say(T.total, locale, { layers: image.layers.length, size: formatSum(image.bytes, image.unknownLayers) }),
    layers: image.layers.map((layer, j) => {
      const label = describe(layer.label, layer.labelMessage, locale);
      const sharedWith = (usedBy.get(layer.key) ?? []).filter((n) => n !== image.name);
      const sharedText = sharedWith.length > 0 ? say(T.sharedWith, locale, { names: sharedWith.join(', ') }) : '';
      const size = layer.bytes === null ? say(T.unknown, locale) : `${formatBytes(layer.bytes)}${layer.unknown ? '+?' : ''}`;
      return {
        id: `${i}:${j}`,
        key: layer.key,
        label,
        size,
        sharedWith,
        sharedText,
        color: colors.get(layer.key) ?? null,
        aria: say(T.layerAria, locale, { label, size, shared: sharedText || say(T.notShared, locale) }),
      };
    }),
  }));

  const sharedCount = report.layers.filter((l) => l.usedBy.length > 1).length;
  const summary = [
    say(T.images, locale, { images: report.images.length, layers: report.layers.length, shared: sharedCount }),
    say(T.stored, locale, {
      counted: formatSum(report.countedPerImage, report.unknownLayers),
      stored: formatSum(report.storedOnce, report.unknownLayers),
      saved: formatBytes(Math.max(0, report.countedPerImage - report.storedOnce)),
    }),
  ];
  const pulls = report.pulls.filter((p) => p.shared > 0);
  if (pulls.length === 0) summary.push(say(T.noPullShares, locale));
  for (const pull of pulls.slice(0, MAX_PULLS)) {
    summary.push(say(T.pull, locale, {
      first: pull.first,
      second: pull.second,
      download: formatSum(pull.downloadCompressed, pull.downloadUnknown),
      missing: pull.downloadLayers,
      shared: pull.shared,
    }));
  }
  if (pulls.length > MAX_PULLS) summary.push(say(T.morePulls, locale, { count: pulls.length - MAX_PULLS }));
  return { ...base, images, summary };
}

function notesText(notes: WorkspaceImagesNote[], locale: Locale): string[] {
  const lines: string[] = [];
  for (const note of notes) {
    if (note.kind === 'unreadable') lines.push(say(T.unreadable, locale, { name: note.name, detail: note.detail ?? '' }));
    else if (note.kind === 'tooLarge') lines.push(say(T.tooLarge, locale, { name: note.name }));
    else if (note.kind === 'notAnalysed') lines.push(say(T.notAnalysed, locale, { name: note.name, detail: note.detail ?? '' }));
  }
  const withoutContext = notes.filter((n) => n.kind === 'noContext').map((n) => n.name);
  if (withoutContext.length > 0) lines.push(say(T.noContext, locale, { names: withoutContext.join(', ') }));
  return lines;
}
