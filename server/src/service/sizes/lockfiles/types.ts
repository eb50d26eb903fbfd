import type { Message } from '../messages';

/**
 * What a project declares it installs, read from its lockfile or requirements: one entry per
 * installed copy (npm may install the same name twice at different paths).
 */
export type PackageEcosystem = 'npm' | 'pypi';

export interface LockedPackage {
  name: string;
  /** the exact version; empty when the file does not pin one (`flask>=2` in requirements.txt) */
  version: string;
  /** only a development dependency (npm `dev`, pnpm `dev: true`, Pipfile `develop`, poetry `dev`) */
  dev?: boolean;
  /** an optional dependency: a failed install is skipped (npm `optional`) */
  optional?: boolean;
  /** npm's `devOptional`: omitted only when both dev and optional packages are */
  devOptional?: boolean;
  /** platforms the package installs on (npm `os`/`cpu`; `!x` excludes x) */
  os?: string[];
  cpu?: string[];
  /** npm: where it installs (`node_modules/a/node_modules/b`), relative to the lockfile's folder */
  at?: string;
}

export interface Lockfile {
  ecosystem: PackageEcosystem;
  /** the format as read, for the figure's detail: `package-lock v3`, `yarn.lock (berry)`… */
  format: string;
  packages: LockedPackage[];
  /** why the file was read only in part or not at all (malformed, truncated, an unknown version) */
  problem?: Message;
  /** the file does not say which packages are dev-only (yarn.lock without its package.json) */
  devUnknown?: boolean;
  /** the file's length in characters (npm writes a trimmed copy as node_modules/.package-lock.json) */
  bytes?: number;
  /** npm: packages without a `resolved` URL, whose packuments `npm ci` fetches (and caches) first */
  unresolved?: number;
}

/** A version string from the file, kept short: a hostile file cannot make a key megabytes long. */
export const clip = (text: unknown, max = 200): string => (typeof text === 'string' ? text.slice(0, max) : '');
