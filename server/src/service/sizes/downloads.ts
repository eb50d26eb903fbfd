import type { SimpleCommand } from './shell';
import { combineParts } from './combine';
import { estimatedSize, unknownSize, type SizeFigure } from './types';
import { list, message } from './messages';
import { entry, note, ranged, unknown } from './breakdownEntries';
import type { BreakdownEntry } from './breakdown';
import type { PartBreakdown } from './breakdownEntries';
import { programOf } from './runCommands';

/**
 * Downloads in a RUN (`curl`, `wget`, `git clone`): a remote file's size is known only once it is
 * fetched, so the figure is unknown, whatever the URL (a literal, `$URL`, a mirror). One kind of
 * download is known to be small: a signing key (`….gpg`, `….asc`, or fetched into `apt-key add`,
 * `gpg --dearmor`, `rpm --import`). Signing keys and keyrings on a Debian bookworm system measured
 * 280 B–72.6 kB (/usr/share/keyrings, /etc/apt/trusted.gpg.d; 2026-12).
 */
const KEY = { best: 5e3, low: 200, high: 100e3 };

const KEY_URL = /\.(gpg|asc|pgp|pub|key)(\?.*)?$|\/(gpg|gpgkey|pubkey|key|keys|KEYS)(\/|$)|[-_.]key(s)?[-_.]|gpg[-_.]?key/i;
/** a word that names what to fetch: a URL, a variable, or host/path */
const SOURCE_WORD = /^[a-z][a-z0-9+.-]*:\/\/|^\$|^[\w.-]+\.[a-z]{2,}(:\d+)?\//i;
const GIT_FETCHES = new Set(['clone', 'fetch', 'pull', 'submodule']);

interface Fetch {
  tool: string;
  urls: string[];
  /** writes to standard output (for a pipe) rather than a file */
  toStdout: boolean;
}

function fetchOf(argv: string[]): Fetch | undefined {
  const { name, args } = programOf(argv);
  if (name === 'curl' || name === 'wget') {
    const urls = args.filter((a) => SOURCE_WORD.test(a));
    if (urls.length === 0) return undefined;
    const toStdout = name === 'curl'
      ? !args.some((a) => /^-[a-zA-Z]*[oO]/.test(a) || a === '--output' || a === '--remote-name' || a.startsWith('--output='))
      : args.some((a, i) => /^-[a-zA-Z]*O-?$/.test(a) && (a.endsWith('-') || args[i + 1] === '-')) || args.includes('--output-document=-');
    return { tool: name, urls, toStdout };
  }
  if (name === 'git' && GIT_FETCHES.has(args[0] ?? '')) {
    const urls = args.slice(1).filter((a) => !a.startsWith('-'));
    return { tool: `git ${args[0]}`, urls: urls.slice(0, 1), toStdout: false };
  }
  return undefined;
}

/** Does this RUN import keys from standard input (`curl … | apt-key add -`)? */
function importsKeys(commands: SimpleCommand[]): boolean {
  return commands.some(({ argv }) => {
    const { name, args } = programOf(argv);
    return (name === 'apt-key' && args[0] === 'add') || (name === 'gpg' && args.some((a) => /^--(dearmou?r|import|enarmou?r)$/.test(a))) || (name === 'rpm' && args.includes('--import'));
  });
}

/** Programs that unpack what a RUN downloaded: their output is part of the download's unknown size. */
const UNPACKERS = new Set(['tar', 'unzip', 'gunzip', 'bunzip2', 'xz', 'unxz', 'zstd', '7z', '7za', 'zcat', 'bsdtar']);

/** Commands of a RUN that belong to its downloads: the fetches, and unpacking when the RUN fetches. */
export function downloadClaims(commands: SimpleCommand[]): (argv: string[]) => boolean {
  const fetching = commands.some((c) => isDownload(c.argv));
  return (argv) => isDownload(argv) || (fetching && UNPACKERS.has(programOf(argv).name));
}

/** `curl`, `wget` and `git` commands that fetch something. */
export function isDownload(argv: string[]): boolean {
  return fetchOf(argv) !== undefined;
}

export function estimateDownloads(commands: SimpleCommand[]): { size: SizeFigure; notes: string[]; breakdown: PartBreakdown } | undefined {
  const fetches = commands.map((c) => fetchOf(c.argv)).filter((f): f is Fetch => f !== undefined);
  if (fetches.length === 0) return undefined;
  const keysIn = importsKeys(commands);
  const isKey = (f: Fetch) => f.urls.every((u) => KEY_URL.test(u)) || (f.toStdout && keysIn);
  const keys = fetches.filter(isKey);
  const others = fetches.filter((f) => !isKey(f));
  const entries: BreakdownEntry[] = [];
  const sizes: SizeFigure[] = [];
  if (keys.length > 0) {
    const urls = keys.flatMap((f) => f.urls);
    const n = keys.length;
    sizes.push(estimatedSize(KEY.best * n, KEY.low * n, KEY.high * n, null, message('keyDownload', { urls: shortList(urls) })));
    entries.push(...urls.map((url) => entry('other', url, ranged(KEY.best, KEY.low, KEY.high), { note: note('keyDownload') })));
  }
  if (others.length > 0) {
    const urls = others.flatMap((f) => (f.urls.length > 0 ? f.urls : [f.tool]));
    sizes.push(unknownSize(message('downloads', { urls: shortList(urls) }), message('unknownDownload', { urls: shortList(urls) })));
    entries.push(...urls.map((url) => entry('other', url, unknown, { note: note('download') })));
  }
  const size = sizes.length === 1 ? sizes[0]! : combineParts(sizes.map((s) => ({ size: s, content: 'mixed' as const })));
  return { size, notes: [], breakdown: { entries } };
}

function shortList(urls: string[]) {
  return list([...urls.slice(0, 2), ...(urls.length > 2 ? ['…'] : [])], ', ');
}
