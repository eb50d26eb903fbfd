import { COMPRESSION } from '../data/compression';
import type { BreakdownEntry } from './breakdown';
import { entry, note, ranged } from './breakdownEntries';
import { message, whatOf, type Message } from './messages';
import { inMountNote, type MountedPath } from './mounts';
import type { LayerWrite } from './waste';

/**
 * What apt keeps in /var/cache/apt once the official images' `docker-clean` is removed (the idiom
 * `rm -f /etc/apt/apt.conf.d/docker-clean` that lets a cache mount on /var/cache/apt keep the
 * downloads between builds). docker-clean deletes the .deb files after every install and turns
 * off apt's binary caches (`Dir::Cache::pkgcache ""`); without it both stay, in the layer unless a
 * mount holds them or `apt-get clean` removes them in the same RUN.
 */
type Range3 = { best: number; low: number; high: number };

export const APT_ARCHIVES = '/var/cache/apt/archives';
export const APT_BIN_CACHES = '/var/cache/apt/pkgcache.bin';

/**
 * The downloaded .deb files per byte of Installed-Size. Measured 2026-12 on a real BuildKit build
 * (ca-certificates + curl without recommends on debian:bookworm): 5.85 MB of .deb files for
 * ~12 MB installed, 0.49; Debian bookworm's own index gives curl + ca-certificates with their
 * dependencies 0.47 but git 0.16 (its documentation and Perl scripts compress well): a wide range.
 */
export const ARCHIVE_SHARE = { best: 0.45, low: 0.15, high: 0.6 };
/**
 * pkgcache.bin + srcpkgcache.bin that apt writes once docker-clean no longer sets them to "": both
 * are built from the lists. Measured 2026-12 in the same build (bookworm main amd64 + updates +
 * security): 36,966,988 + 36,966,928 bytes.
 */
export const BIN_CACHES = { best: 73.9e6, low: 60e6, high: 90e6 };
/**
 * gzip ratios: .deb files are compressed already; the binary caches gzipped 2.36× in the same
 * build (the layer's blob was 44.9 MB where the packages alone made 7.8 MB and the .deb files 5.85).
 */
const GZIP_RATIO = { archives: COMPRESSION.precompressed.best, binCaches: 2.36 };

const ZERO: Range3 = { best: 0, low: 0, high: 0 };
const scale = (bytes: number, share: Range3): Range3 => ({ best: bytes * share.best, low: bytes * share.low, high: bytes * share.high });

export interface AptCacheFacts {
  /** docker-clean is gone (removed by this RUN or an earlier one of the stage) */
  keeps: boolean;
  /** Installed-Size of the packages this RUN installs */
  packageBytes: number;
  /** apt read its lists in this RUN (update or install) */
  ranApt: boolean;
  /** `apt-get clean` after the install in the same RUN */
  cleaned: boolean;
  mounted?: MountedPath;
}

export interface AptCacheEstimate {
  /** bytes left in the layer */
  range: Range3;
  /** what they add to the layer's gzip blob */
  compressed: number;
  notes: Message[];
  writes: LayerWrite[];
  entries: BreakdownEntry[];
  removed: BreakdownEntry[];
}

/** The archives and binary caches a RUN leaves in /var/cache/apt, or where they went instead. */
export function aptCaches(facts: AptCacheFacts): AptCacheEstimate {
  const out: AptCacheEstimate = { range: ZERO, compressed: 0, notes: [], writes: [], entries: [], removed: [] };
  if (!facts.keeps || !facts.ranApt) return out;
  const parts: { path: string; range: Range3; what: Message; noteId: 'aptArchives' | 'aptBinCaches'; gzip: number }[] = [
    { path: APT_ARCHIVES, range: scale(facts.packageBytes, ARCHIVE_SHARE), what: message('aptArchives'), noteId: 'aptArchives', gzip: GZIP_RATIO.archives },
    { path: APT_BIN_CACHES, range: BIN_CACHES, what: message('aptBinCaches'), noteId: 'aptBinCaches', gzip: GZIP_RATIO.binCaches },
  ];
  for (const part of parts) {
    if (part.range.best <= 0) continue;
    const mount = facts.mounted?.(part.path);
    const figure = ranged(Math.round(part.range.best), Math.round(part.range.low), Math.round(part.range.high));
    if (mount) {
      out.notes.push(inMountNote(part.what, mount, part.range.best));
    } else if (facts.cleaned) {
      out.removed.push(entry('cache', part.path, figure, { flags: ['removed-here'], note: note('aptCacheCleaned') }));
    } else {
      out.range = { best: out.range.best + part.range.best, low: out.range.low + part.range.low, high: out.range.high + part.range.high };
      out.compressed += part.range.best / part.gzip;
      out.writes.push({ path: part.path, bytes: Math.round(part.range.best), ...whatOf(part.what), range: { low: Math.round(part.range.low), high: Math.round(part.range.high) } });
      out.entries.push(entry('cache', part.path, figure, { note: note(part.noteId) }));
      out.notes.push(message('aptCacheStays', { what: part.what, path: part.path }));
    }
  }
  return out;
}
