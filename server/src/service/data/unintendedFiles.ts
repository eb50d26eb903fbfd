import type { Text } from '../explain';

/**
 * Files a build context should rarely put into an image, as data: a folder name (everything
 * under it) or a file name, and why. DL-S007 warns about the kinds marked `warn`; the layer
 * breakdown flags every kind. Patterns are regular-expression sources matched against one path
 * segment, without anchors (they are compiled below for whole segments and for whole paths).
 */
export interface UnintendedKind {
  id: string;
  /** a folder of this name, at any depth */
  folder?: string;
  /** a file of this name (its last path segment) */
  file?: string;
  why: Text;
  /** DL-S007 reports it; the others are shown in the layer breakdown only */
  warn: boolean;
}

export const UNINTENDED: readonly UnintendedKind[] = [
  { id: 'git', folder: '\\.git', file: '\\.git', warn: true, why: { en: 'the repository history', ko: '저장소 기록' } },
  { id: 'node_modules', folder: 'node_modules', warn: true, why: { en: 'installed dependencies the image should install itself', ko: '이미지가 직접 설치해야 할 의존성' } },
  { id: 'env', file: '\\.env(?!\\.example$)(?:\\.[\\w-]+)?', warn: true, why: { en: 'environment files often hold secrets', ko: '환경 파일에는 비밀 값이 들어 있기 쉬움' } },
  { id: 'key', file: '(?:id_rsa|id_ed25519|id_ecdsa)(?:\\.pub)?|[^/]*\\.(?:pem|key|p12|pfx)', warn: true, why: { en: 'private keys', ko: '개인 키' } },
  { id: 'log', file: '[^/]*\\.log', warn: false, why: { en: 'a log file', ko: '로그 파일' } },
  {
    id: 'build-output',
    folder: '__pycache__|\\.pytest_cache|\\.mypy_cache|\\.ruff_cache|\\.tox|\\.nyc_output|coverage|\\.gradle',
    file: '[^/]*\\.py[co]',
    warn: false,
    why: { en: 'build output or a tool cache from the host', ko: '호스트의 빌드 결과물이나 도구 캐시' },
  },
];

interface Compiled {
  kind: UnintendedKind;
  folder?: RegExp;
  file?: RegExp;
  /** the folder anywhere in a path */
  folderInPath?: RegExp;
  /** the file at the end of a path */
  fileInPath?: RegExp;
}

const COMPILED: readonly Compiled[] = UNINTENDED.map((kind) => ({
  kind,
  ...(kind.folder ? { folder: new RegExp(`^(?:${kind.folder})$`), folderInPath: new RegExp(`(?:^|/)(?:${kind.folder})/`) } : {}),
  ...(kind.file ? { file: new RegExp(`^(?:${kind.file})$`), fileInPath: new RegExp(`(?:^|/)(?:${kind.file})$`) } : {}),
}));

/** Any file kind at `lastIndex`, to the end: one test per file, without slicing its name out. */
const ANY_FILE = new RegExp(`(?:${UNINTENDED.flatMap((k) => (k.file ? [k.file] : [])).join('|')})$`, 'y');

/** The kind a folder name looks like, if any. */
export function unintendedFolder(segment: string): UnintendedKind | undefined {
  return COMPILED.find((c) => c.folder?.test(segment))?.kind;
}

/** The kind of the file at `path` whose name starts at `nameStart`, if any. */
export function unintendedFile(path: string, nameStart: number): UnintendedKind | undefined {
  ANY_FILE.lastIndex = nameStart;
  if (!ANY_FILE.test(path)) return undefined;
  const name = path.slice(nameStart);
  return COMPILED.find((c) => c.file?.test(name))?.kind;
}

/** Any kind anywhere in a path: one test per path before the kinds are told apart. */
const ANY_IN_PATH = new RegExp(
  `(?:^|/)(?:(?:${UNINTENDED.flatMap((k) => (k.folder ? [k.folder] : [])).join('|')})/|(?:${UNINTENDED.flatMap((k) => (k.file ? [k.file] : [])).join('|')})$)`,
);

/**
 * What a context path looks like: the first kind (in table order) whose folder it is under or whose
 * file it is, with the name to show (`.git/`, `node_modules/`, or the path itself for files).
 */
export function unintendedPath(path: string): { kind: UnintendedKind; name: string } | undefined {
  if (!ANY_IN_PATH.test(path)) return undefined;
  const base = path.slice(path.lastIndexOf('/') + 1);
  for (const c of COMPILED) {
    const folder = c.folderInPath?.exec(path);
    if (folder) return { kind: c.kind, name: folder[0].replace(/^\//, '') };
    // a file named like the kind's folder (a `.git` file in a worktree) is shown as the folder
    if (c.fileInPath?.test(path)) return { kind: c.kind, name: c.folder?.test(base) ? `${base}/` : path };
  }
  return undefined;
}
