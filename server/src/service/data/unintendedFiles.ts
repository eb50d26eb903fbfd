import type { Text } from '../explain';

/**
 * Files a build context should rarely put into an image, as data: folder names (everything under
 * them), file names, name prefixes and extensions, and why. DL-S007 warns about the kinds marked
 * `warn`; the layer breakdown flags every kind. Names compare exactly (case matters, as in the
 * build); the lookups below are built from this table once.
 */
export interface UnintendedKind {
  id: string;
  /** folders of these names, at any depth */
  folders?: readonly string[];
  /** files of these names */
  names?: readonly string[];
  /** files whose name starts with one of these */
  prefixes?: readonly string[];
  /** files with one of these extensions (after the last dot) */
  extensions?: readonly string[];
  /** names that look like the kind but are not (a committed example file) */
  except?: readonly string[];
  why: Text;
  /** DL-S007 reports it; the others are shown in the layer breakdown only */
  warn: boolean;
}

export const UNINTENDED: readonly UnintendedKind[] = [
  { id: 'git', folders: ['.git'], names: ['.git'], warn: true, why: { en: 'the repository history', ko: '저장소 이력' } },
  { id: 'node_modules', folders: ['node_modules'], warn: true, why: { en: 'installed dependencies the image should install itself', ko: '이미지가 직접 설치해야 할 의존성을 설치해 둔 것' } },
  { id: 'env', names: ['.env'], prefixes: ['.env.'], except: ['.env.example'], warn: true, why: { en: 'environment files often hold secrets', ko: '환경 파일에는 흔히 비밀 값이 들어 있음' } },
  {
    id: 'key',
    names: ['id_rsa', 'id_rsa.pub', 'id_ed25519', 'id_ed25519.pub', 'id_ecdsa', 'id_ecdsa.pub'],
    extensions: ['pem', 'key', 'p12', 'pfx'],
    warn: true,
    why: { en: 'private keys', ko: '개인 키' },
  },
  { id: 'log', extensions: ['log'], warn: false, why: { en: 'a log file', ko: '로그 파일' } },
  {
    id: 'build-output',
    folders: ['__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.nyc_output', 'coverage', '.gradle'],
    extensions: ['pyc', 'pyo'],
    warn: false,
    why: { en: 'build output or a tool cache from the host', ko: '호스트의 빌드 결과물이나 도구 캐시' },
  },
];

// ---- lookups built from the table (the first kind in table order wins) -----------------------

const FOLDERS = new Map<string, UnintendedKind>();
const NAMES = new Map<string, UnintendedKind>();
const EXTENSIONS = new Map<string, UnintendedKind>();
const PREFIXES: Array<[string, UnintendedKind]> = [];
const EXCEPT = new Set<string>();
for (const kind of UNINTENDED) {
  for (const name of kind.folders ?? []) if (!FOLDERS.has(name)) FOLDERS.set(name, kind);
  for (const name of kind.names ?? []) if (!NAMES.has(name)) NAMES.set(name, kind);
  for (const ext of kind.extensions ?? []) if (!EXTENSIONS.has(ext)) EXTENSIONS.set(ext, kind);
  for (const prefix of kind.prefixes ?? []) PREFIXES.push([prefix, kind]);
  for (const name of kind.except ?? []) EXCEPT.add(name);
}
/** first characters (by code unit) of names and prefixes, and of extensions, and extension lengths: most files are ruled out without slicing their name */
const NAME_STARTS = new Uint8Array(65536);
const EXTENSION_STARTS = new Uint8Array(65536);
for (const name of [...NAMES.keys(), ...PREFIXES.map(([p]) => p)]) NAME_STARTS[name.charCodeAt(0)] = 1;
for (const ext of EXTENSIONS.keys()) EXTENSION_STARTS[ext.charCodeAt(0)] = 1;
const EXTENSION_LENGTHS = new Set([...EXTENSIONS.keys()].map((e) => e.length));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** the listed folders anywhere in a path */
const ANY_FOLDER = new RegExp(`(?:^|/)(${[...FOLDERS.keys()].map(escape).join('|')})(?=/)`, 'g');

/** The kind a folder name looks like, if any. */
export function unintendedFolder(segment: string): UnintendedKind | undefined {
  return FOLDERS.get(segment);
}

/** The kind of the file at `path` whose name starts at `nameStart`, if any; cheap for the files that are none. */
export function unintendedFile(path: string, nameStart: number): UnintendedKind | undefined {
  let kind: UnintendedKind | undefined;
  if (NAME_STARTS[path.charCodeAt(nameStart)] === 1) {
    const name = path.slice(nameStart);
    if (EXCEPT.has(name)) return undefined;
    kind = NAMES.get(name) ?? PREFIXES.find(([prefix]) => name.startsWith(prefix))?.[1];
  }
  const dot = path.lastIndexOf('.');
  if (!kind && dot > nameStart && EXTENSION_STARTS[path.charCodeAt(dot + 1)] === 1 && EXTENSION_LENGTHS.has(path.length - dot - 1)) kind = EXTENSIONS.get(path.slice(dot + 1));
  return kind;
}

/**
 * What a context path looks like: the first listed folder it is under, else the kind of its file
 * name, among the kinds `wanted` accepts; with the name to show (`.git/`, `node_modules/`, or the
 * path itself).
 */
export function unintendedPath(path: string, wanted: (kind: UnintendedKind) => boolean = () => true): { kind: UnintendedKind; name: string } | undefined {
  for (const match of path.matchAll(ANY_FOLDER)) {
    const kind = FOLDERS.get(match[1]!)!;
    if (wanted(kind)) return { kind, name: `${match[1]}/` };
  }
  const slash = path.lastIndexOf('/');
  const kind = unintendedFile(path, slash + 1);
  if (!kind || !wanted(kind)) return undefined;
  // a file named like the kind's folder (a `.git` file in a worktree) is shown as the folder
  const base = path.slice(slash + 1);
  return { kind, name: kind.folders?.includes(base) ? `${base}/` : path };
}
