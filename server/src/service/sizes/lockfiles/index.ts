import { parsePackageLock } from './npm';
import { parsePnpmLock } from './pnpm';
import { parsePipfileLock, parseRequirements, parseTomlLock } from './python';
import type { LockedPackage, Lockfile } from './types';
import { parseYarnLock } from './yarn';

export type { LockedPackage, Lockfile, PackageEcosystem } from './types';

/** The files a RUN's install reads, by name, and which reader takes each. */
const READERS: { test: (name: string) => boolean; read: (file: string, text: string, packageJson?: string) => Lockfile }[] = [
  { test: (n) => n === 'package-lock.json' || n === 'npm-shrinkwrap.json', read: parsePackageLock },
  { test: (n) => n === 'yarn.lock', read: parseYarnLock },
  { test: (n) => n === 'pnpm-lock.yaml', read: parsePnpmLock },
  { test: (n) => n === 'Pipfile.lock', read: parsePipfileLock },
  { test: (n) => n === 'poetry.lock', read: (f, t) => parseTomlLock(f, t, 'poetry') },
  { test: (n) => n === 'uv.lock', read: (f, t) => parseTomlLock(f, t, 'uv') },
  { test: (n) => /^requirements.*\.(txt|in)$/.test(n), read: parseRequirements },
];

/** Whether a file name is a lockfile or requirements file Dockerlens reads. */
export const isLockfileName = (name: string) => READERS.some((r) => r.test(name));

/** Reads the lockfile `file` (a path; its name picks the reader); never throws. */
export function parseLockfile(file: string, text: string, packageJson?: string): Lockfile | undefined {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const lock = READERS.find((r) => r.test(name))?.read(file, text, packageJson);
  return lock && { ...lock, bytes: text.length };
}

export interface InstallSelection {
  /** dev dependencies left out (`npm ci --omit=dev`, `--production`, NODE_ENV=production…) */
  omitDev: boolean;
  /** optional dependencies left out (`--omit=optional`, `--no-optional`) */
  omitOptional: boolean;
  /** the build's platform in npm's words (`linux`, `x64`) */
  os: string;
  cpu: string;
}

/** The packages an install with these options writes. */
export function selectPackages(packages: readonly LockedPackage[], selection: InstallSelection): LockedPackage[] {
  return packages.filter((p) => {
    if (p.dev && selection.omitDev) return false;
    if (p.optional && selection.omitOptional) return false;
    if (p.devOptional && selection.omitDev && selection.omitOptional) return false;
    // a platform-specific package (esbuild's, swc's) installs only where it matches; npm skips the rest
    return matches(p.os, selection.os) && matches(p.cpu, selection.cpu);
  });
}

function matches(allowed: string[] | undefined, value: string): boolean {
  if (!allowed || allowed.length === 0) return true;
  if (allowed.includes(`!${value}`)) return false;
  const positive = allowed.filter((a) => !a.startsWith('!'));
  return positive.length === 0 || positive.includes(value) || positive.includes('any');
}

/** npm's names for a Docker platform (`linux/arm64/v8` → linux, arm64). */
export function npmPlatform(platform: string): { os: string; cpu: string } {
  const [os = 'linux', arch = 'amd64'] = platform.split('/');
  const cpu = ({ amd64: 'x64', '386': 'ia32', arm: 'arm', arm64: 'arm64', ppc64le: 'ppc64', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[arch] ?? arch;
  return { os, cpu };
}
