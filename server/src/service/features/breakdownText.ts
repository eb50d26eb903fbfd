import { escapeControls } from './visibleText';
import { say, type Locale, type Text } from '../explain';
import type { BreakdownEntry, LayerBreakdown } from '../sizes/breakdown';
import { formatBytes, formatShort } from './sizeText';

/**
 * A layer's breakdown in words: one line per entry (its size with where it comes from, why it is
 * there, its flags), for the hover's top contributors and the CLI's tree. Names are returned
 * as they are: the caller escapes them for its medium.
 */
export const BREAKDOWN_WORDS = {
  requested: { en: 'requested', ko: '요청함' },
  dependency: { en: 'pulled in by {name}', ko: '{name}의 의존성' },
  recommended: { en: 'recommended by {name}', ko: '{name}의 추천 패키지' },
  files: { en: '{count} files', ko: '파일 {count}개' },
  oneFile: { en: '1 file', ko: '파일 1개' },
  wasted: { en: 'wasted', ko: '낭비' },
  unintended: { en: 'looks unintended', ko: '의도하지 않은 듯함' },
  'removed-here': { en: 'removed by the same RUN', ko: '같은 RUN에서 지움' },
  droppable: { en: '--no-install-recommends drops it', ko: '--no-install-recommends면 빠짐' },
  more: { en: '… {count} more ({size})', ko: '… 그 밖에 {count}개 ({size})' },
  largest: { en: 'Largest in this layer', ko: '이 레이어에서 큰 것' },
  files_heading: { en: 'Files copied into {root}, largest first:', ko: '{root}에 복사되는 파일, 큰 순서:' },
  packages_heading: { en: 'Packages and what else the RUN leaves, largest first:', ko: '패키지와 RUN이 남기는 그 밖의 것, 큰 순서:' },
  run_heading: { en: 'What the RUN leaves in the layer, largest first:', ko: 'RUN이 레이어에 남기는 것, 큰 순서:' },
  base_heading: { en: 'The base image\'s layers by their history line, largest first:', ko: '베이스 이미지 레이어 (history 줄), 큰 순서:' },
  removed_heading: { en: 'Removed by the same RUN (not in the layer):', ko: '같은 RUN에서 지움 (레이어에 없음):' },
  withoutRecommends: { en: '--no-install-recommends would leave out {count} packages ({size})', ko: '--no-install-recommends를 쓰면 패키지 {count}개 ({size})가 빠짐' },
  empty: { en: 'Nothing itemised for this layer.', ko: '이 레이어에는 나눠 보일 내용이 없음.' },
} satisfies Record<string, Text>;

/** What an entry is, for a hover line that has nothing else to say about it (a plain file, a base layer). */
export const KIND_WORDS: Record<BreakdownEntry['kind'], Text> = {
  folder: { en: 'folder', ko: '폴더' },
  file: { en: 'file', ko: '파일' },
  package: { en: 'package', ko: '패키지' },
  cache: { en: 'cache', ko: '캐시' },
  history: { en: 'base image layer', ko: '베이스 이미지 레이어' },
  other: { en: 'written by the RUN', ko: 'RUN이 씀' },
};

export interface EntryText {
  name: string;
  /** `190.0 MB`, `12.0 MB~` (estimate), `?` */
  size: string;
  /** why it is there and its flags: `requested`, `pulled in by libc6`, `3 files`, `wasted: deleted by layer 5` */
  facts: string[];
}

/** How an entry reads: its name (folders end in `/`), its size and its facts. */
export function describeEntry(entry: BreakdownEntry, locale: Locale): EntryText {
  const facts: string[] = [];
  if (entry.role === 'requested') facts.push(say(BREAKDOWN_WORDS.requested, locale));
  else if (entry.role) facts.push(say(BREAKDOWN_WORDS[entry.role], locale, { name: entry.pulledBy ?? '?' }));
  if (entry.kind === 'folder' && entry.files !== undefined) {
    facts.push(entry.files === 1 ? say(BREAKDOWN_WORDS.oneFile, locale) : say(BREAKDOWN_WORDS.files, locale, { count: entry.files.toLocaleString('en-US') }));
  }
  for (const flag of entry.flags ?? []) facts.push(say(flag === 'recommended' ? BREAKDOWN_WORDS.droppable : BREAKDOWN_WORDS[flag], locale));
  if (entry.note) facts.push(entry.note[locale]);
  return { name: entry.kind === 'folder' ? `${entry.name}/` : entry.label?.[locale] ?? entry.name, size: formatShort(entry), facts };
}

/**
 * The largest `count` top-level entries; one with no reason or flag says what it is, so every line
 * has words in the reader's language besides the name.
 */
export function topContributors(breakdown: LayerBreakdown, locale: Locale, count = 5): EntryText[] {
  return breakdown.entries.slice(0, count).map((e) => {
    const text = describeEntry(e, locale);
    return text.facts.length > 0 ? text : { ...text, facts: [say(KIND_WORDS[e.kind], locale)] };
  });
}

/** The whole breakdown as indented lines, largest first at every level: the CLI's `explain --layer`. */
export function formatBreakdown(breakdown: LayerBreakdown, locale: Locale = 'en'): string[] {
  const out: string[] = [];
  const heading = { files: BREAKDOWN_WORDS.files_heading, packages: BREAKDOWN_WORDS.packages_heading, run: BREAKDOWN_WORDS.run_heading, base: BREAKDOWN_WORDS.base_heading }[breakdown.kind];
  out.push(say(heading, locale, { root: breakdown.root ?? '/' }));
  if (breakdown.entries.length === 0) out.push(`  ${say(BREAKDOWN_WORDS.empty, locale)}`);
  const walk = (entries: readonly BreakdownEntry[], depth: number, parent: string, more: BreakdownEntry['more']) => {
    for (const entry of entries) {
      const text = describeEntry(entry, locale);
      // nested names are whole paths: show the part below the parent
      const name = escapeControls(parent && text.name.startsWith(`${parent}/`) ? text.name.slice(parent.length + 1) : text.name);
      out.push(`${text.size.padStart(11)}  ${'  '.repeat(depth)}${name}${text.facts.length > 0 ? `  · ${text.facts.join(' · ')}` : ''}`);
      if (entry.children) walk(entry.children, depth + 1, entry.name, entry.more);
    }
    if (more) out.push(`${''.padStart(11)}  ${'  '.repeat(depth)}${say(BREAKDOWN_WORDS.more, locale, { count: more.entries.toLocaleString('en-US'), size: formatBytes(more.bytes) })}`);
  };
  walk(breakdown.entries, 0, '', breakdown.more);
  if (breakdown.withoutRecommends) {
    out.push('', say(BREAKDOWN_WORDS.withoutRecommends, locale, { count: breakdown.withoutRecommends.packages, size: formatBytes(breakdown.withoutRecommends.bytes) }));
  }
  if (breakdown.removed && breakdown.removed.length > 0) {
    out.push('', say(BREAKDOWN_WORDS.removed_heading, locale));
    walk(breakdown.removed, 0, '', undefined);
  }
  return out;
}
