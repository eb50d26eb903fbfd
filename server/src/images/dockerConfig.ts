import { homedir } from 'node:os';
import * as path from 'node:path';
import type { RegistryAuth } from './registry';
import { readRegularFile } from '../safeRead';

/**
 * Registry credentials from the Docker client's config (`$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`): only `auths` entries that carry the secret themselves (`auth` as
 * base64 user:password, or `identitytoken`). Credential helpers (`credsStore`, `credHelpers`) are
 * programs: they are never run, and the hosts they would have served are reported as skipped.
 */
export interface DockerCredentials {
  auth: RegistryAuth;
  /** where the config was read from, or undefined when there is none */
  file?: string;
  /** one line per thing left out: a credential helper, an unreadable or malformed file */
  notes: string[];
}

const MAX_CONFIG_BYTES = 1024 * 1024;
const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://registry-1.docker.io'];

export async function readDockerCredentials(env: NodeJS.ProcessEnv = process.env): Promise<DockerCredentials> {
  const file = path.join(env['DOCKER_CONFIG'] || path.join(homedir(), '.docker'), 'config.json');
  let text: string;
  try {
    text = (await readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES })).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { auth: () => undefined, notes: code === 'ENOENT' ? [] : [`${file}: not read (${(error as Error).message})`] };
  }
  let config: { auths?: Record<string, { auth?: unknown; identitytoken?: unknown }>; credsStore?: unknown; credHelpers?: Record<string, unknown> };
  try {
    config = JSON.parse(text) as typeof config;
  } catch {
    return { auth: () => undefined, file, notes: [`${file}: not JSON, so no registry credentials are used`] };
  }
  const notes: string[] = [];
  if (typeof config.credsStore === 'string') notes.push(`${file}: the credential helper docker-credential-${config.credsStore} is configured; Dockerlens never runs it, so its registries are asked anonymously`);
  for (const [host, helper] of Object.entries(config.credHelpers ?? {})) {
    notes.push(`${file}: ${host} uses the credential helper docker-credential-${String(helper)}; not run, asked anonymously`);
  }
  const entries = new Map<string, { username: string; password: string } | { identityToken: string }>();
  for (const [key, value] of Object.entries(config.auths ?? {})) {
    if (typeof value?.identitytoken === 'string' && value.identitytoken) entries.set(hostOf(key), { identityToken: value.identitytoken });
    else if (typeof value?.auth === 'string' && value.auth) {
      const decoded = Buffer.from(value.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) entries.set(hostOf(key), { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) });
    }
  }
  return {
    file,
    notes,
    auth: (host) => entries.get(host) ?? (host === 'registry-1.docker.io' ? HUB_KEYS.map((k) => entries.get(hostOf(k))).find(Boolean) : undefined),
  };
}

/** `https://ghcr.io/v1/` → `ghcr.io`; Docker Hub's keys all become registry-1.docker.io. */
function hostOf(key: string): string {
  const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return HUB_KEYS.some((k) => k.replace(/^https?:\/\//, '').replace(/\/.*$/, '') === host) ? 'registry-1.docker.io' : host;
}
