import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { boundedGet } from '../boundedGet';

/**
 * A read-only client of the OCI distribution API (Docker Hub, ghcr.io, quay.io, a private
 * registry): manifests, image indexes, configs and blob existence. It never pulls a layer and
 * never pushes. Callers reach it only where the user allowed the network (a setting that is off
 * by default, never in an untrusted workspace, the CLI's --online): this module does not decide
 * that, it is only called or not.
 *
 * Every request has one overall deadline (a registry that drips bytes still ends), answers are
 * size-capped, and every failure is one plain line naming the registry and what went wrong
 * (401/403/404/429, a timeout, TLS). Anonymous bearer tokens follow the WWW-Authenticate
 * challenge; credentials come only from a `RegistryAuth` the caller passes (see dockerConfig.ts),
 * never from running a credential helper.
 */

export interface RegistryReference {
  /** host[:port] as the API is reached: registry-1.docker.io for Docker Hub */
  host: string;
  /** repository path, `library/debian` for Docker Hub's official images */
  repository: string;
  /** a tag or a digest (`sha256:…`) */
  reference: string;
  /** the reference as the user wrote it, for messages */
  written: string;
}

export interface RegistryLayer {
  digest: string;
  /** compressed bytes, exactly as the manifest says: what a pull downloads */
  size: number;
  mediaType: string;
}

export interface RegistryImage {
  reference: RegistryReference;
  /** the manifest's own digest (of the platform's manifest, not the index) */
  digest: string;
  /** the index's digest when the reference named a multi-platform index */
  indexDigest?: string;
  platform: string;
  layers: RegistryLayer[];
  /** rootfs.diff_ids and history from the config blob */
  diffIds: string[];
  history: { createdBy: string; emptyLayer: boolean }[];
}

export type RegistryAuth = (host: string) => { username: string; password: string } | { identityToken: string } | undefined;

export interface RegistryOptions {
  /** overall deadline for each request, token requests included (default 15 s) */
  deadlineMs?: number;
  /** hosts (host:port) that may be reached over plain HTTP: local registries */
  insecure?: readonly string[];
  auth?: RegistryAuth;
}

export class RegistryError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

const HUB = 'registry-1.docker.io';
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const INDEX_TYPES = new Set(MANIFEST_TYPES.slice(0, 2));
const MAX_DOCUMENT = 4 * 1024 * 1024;
const DEFAULT_DEADLINE_MS = 15_000;

/**
 * Splits a reference the way the Docker CLI does: the first component is a registry when it has
 * a dot or a colon or is `localhost`; Docker Hub names gain `library/`, and Hub's API host is
 * registry-1.docker.io. Undefined for what is not a reference (spaces, variables).
 */
export function parseRegistryReference(written: string): RegistryReference | undefined {
  const text = written.trim();
  if (!/^[a-z0-9][a-z0-9._:/@+-]*$/i.test(text)) return undefined;
  let rest = text;
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(reference)) return undefined;
  }
  let host = HUB;
  const slash = rest.indexOf('/');
  const first = slash > 0 ? rest.slice(0, slash) : '';
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    host = first === 'docker.io' || first === 'index.docker.io' ? HUB : first;
    rest = rest.slice(slash + 1);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    if (at < 0) reference = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!rest) return undefined;
  const repository = host === HUB && !rest.includes('/') ? `library/${rest}` : rest;
  return { host, repository: repository.toLowerCase(), reference, written: text };
}

export interface RegistryClient {
  /** the platform's image: manifest (following an index), its layers' compressed sizes, its config */
  image(reference: RegistryReference, platform?: string): Promise<RegistryImage>;
  /** whether the repository already has a blob (a push would skip it) */
  hasBlob(host: string, repository: string, digest: string): Promise<boolean>;
}

export function createRegistryClient(options: RegistryOptions = {}): RegistryClient {
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const insecure = new Set(options.insecure ?? []);
  /** bearer tokens per host and scope, for the life of this client */
  const tokens = new Map<string, string>();

  const base = (host: string) => `${insecure.has(host) ? 'http' : 'https'}://${host}`;

  async function call(host: string, repository: string, method: 'GET' | 'HEAD', path: string, accept?: string): Promise<Reply> {
    const scope = `repository:${repository}:pull`;
    const headers: Record<string, string> = accept ? { accept } : {};
    const key = `${host} ${scope}`;
    const token = tokens.get(key);
    if (token) headers['authorization'] = `Bearer ${token}`;
    else {
      const basic = basicAuth(options.auth?.(host));
      if (basic) headers['authorization'] = basic;
    }
    let reply = await fetchOnce(`${base(host)}${path}`, method, headers, deadlineMs);
    if (reply.status === 401) {
      const challenge = parseChallenge(reply.headers['www-authenticate']);
      if (challenge?.scheme === 'bearer' && challenge.params['realm']) {
        const fresh = await bearerToken(challenge.params, scope, host);
        tokens.set(key, fresh);
        reply = await fetchOnce(`${base(host)}${path}`, method, { ...headers, authorization: `Bearer ${fresh}` }, deadlineMs);
      }
    }
    return reply;
  }

  async function bearerToken(params: Record<string, string>, scope: string, host: string): Promise<string> {
    const url = new URL(params['realm']!);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && insecure.has(url.host))) {
      throw new RegistryError(`${host}: the token service ${url.origin} is not HTTPS (allow its host as insecure to use it)`);
    }
    if (params['service']) url.searchParams.set('service', params['service']);
    url.searchParams.set('scope', params['scope'] ?? scope);
    const credentials = options.auth?.(host);
    const headers: Record<string, string> = {};
    const basic = basicAuth(credentials);
    if (basic) headers['authorization'] = basic;
    const reply = await fetchOnce(url.toString(), 'GET', headers, deadlineMs);
    if (reply.status !== 200) throw new RegistryError(`${host}: the token service answered ${reply.status}${credentials ? ' (with the credentials from the Docker config)' : ''}`, reply.status);
    const body = json(reply, `${host}: the token service`) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw new RegistryError(`${host}: the token service gave no token`);
    return token;
  }

  async function document(ref: RegistryReference, path: string, accept: string | undefined, what: string): Promise<Reply> {
    const reply = await call(ref.host, ref.repository, 'GET', path, accept);
    if (reply.status !== 200) throw new RegistryError(statusLine(ref, reply.status, what), reply.status);
    return reply;
  }

  return {
    async image(ref, platform = 'linux/amd64') {
      const manifestPath = (r: string) => `/v2/${ref.repository}/manifests/${r}`;
      let reply = await document(ref, manifestPath(ref.reference), MANIFEST_TYPES.join(', '), 'manifest');
      let manifest = json(reply, `${ref.written}: the manifest`) as Manifest;
      let mediaType = manifest.mediaType ?? contentType(reply.headers);
      let indexDigest: string | undefined;
      if (INDEX_TYPES.has(mediaType) || Array.isArray(manifest.manifests)) {
        indexDigest = digestOf(reply, ref);
        const chosen = choosePlatform(manifest.manifests ?? [], platform);
        if (!chosen) throw new RegistryError(`${ref.written}: no ${platform} image in its index (it has ${(manifest.manifests ?? []).map(platformOf).filter(Boolean).join(', ') || 'none'})`);
        reply = await document(ref, manifestPath(chosen.digest), MANIFEST_TYPES.join(', '), 'platform manifest');
        manifest = json(reply, `${ref.written}: the ${platform} manifest`) as Manifest;
        mediaType = manifest.mediaType ?? contentType(reply.headers);
      }
      if (!Array.isArray(manifest.layers) || !manifest.config?.digest) throw new RegistryError(`${ref.written}: the manifest (${mediaType || 'no media type'}) lists no layers`);
      const layers = manifest.layers.map((l) => ({ digest: String(l.digest), size: Number(l.size), mediaType: String(l.mediaType ?? '') }));
      if (layers.some((l) => !Number.isFinite(l.size) || l.size < 0)) throw new RegistryError(`${ref.written}: the manifest has a layer without a size`);
      const configReply = await document(ref, `/v2/${ref.repository}/blobs/${manifest.config.digest}`, undefined, 'image config');
      const config = json(configReply, `${ref.written}: the image config`) as Config;
      return {
        reference: ref,
        digest: digestOf(reply, ref),
        ...(indexDigest ? { indexDigest } : {}),
        platform,
        layers,
        diffIds: Array.isArray(config.rootfs?.diff_ids) ? config.rootfs!.diff_ids!.map(String) : [],
        history: Array.isArray(config.history) ? config.history.map((h) => ({ createdBy: String(h.created_by ?? ''), emptyLayer: h.empty_layer === true })) : [],
      };
    },
    async hasBlob(host, repository, digest) {
      const reply = await call(host, repository, 'HEAD', `/v2/${repository}/blobs/${digest}`);
      if (reply.status === 200) return true;
      if (reply.status === 404) return false;
      throw new RegistryError(statusLine({ host, repository, reference: digest, written: `${host}/${repository}` }, reply.status, 'blob'), reply.status);
    },
  };
}

interface Manifest {
  mediaType?: string;
  manifests?: { digest: string; platform?: { os?: string; architecture?: string; variant?: string } }[];
  config?: { digest?: string };
  layers?: { digest?: unknown; size?: unknown; mediaType?: unknown }[];
}

interface Config {
  rootfs?: { diff_ids?: unknown[] };
  history?: { created_by?: unknown; empty_layer?: unknown }[];
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const platformOf = (m: { platform?: { os?: string; architecture?: string; variant?: string } }) =>
  m.platform ? [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/') : '';

/** linux/arm64 matches linux/arm64/v8 and the reverse; attestation manifests (unknown/unknown) never match. */
function choosePlatform<T extends { platform?: { os?: string; architecture?: string; variant?: string } }>(manifests: T[], wanted: string): T | undefined {
  const [os, arch, variant] = wanted.split('/');
  const candidates = manifests.filter((m) => m.platform?.os === os && m.platform?.architecture === arch);
  return candidates.find((m) => (m.platform?.variant ?? '') === (variant ?? ''))
    ?? candidates.find((m) => arch === 'arm64' && [undefined, 'v8'].includes(m.platform?.variant) && [undefined, 'v8'].includes(variant))
    ?? (variant === undefined ? candidates[0] : undefined);
}

function digestOf(reply: Reply, ref: RegistryReference): string {
  const header = reply.headers['docker-content-digest'];
  if (typeof header === 'string' && /^sha256:[a-f0-9]{64}$/.test(header)) return header;
  if (/^sha256:/.test(ref.reference)) return ref.reference;
  // a registry that does not say: the digest of the bytes it sent is the manifest's digest
  return `sha256:${createHash('sha256').update(reply.body).digest('hex')}`;
}

const contentType = (headers: IncomingHttpHeaders): string => String(headers['content-type'] ?? '').split(';')[0]!.trim();

function json(reply: Reply, what: string): unknown {
  try {
    return JSON.parse(reply.body.toString('utf8'));
  } catch {
    throw new RegistryError(`${what} is not JSON`);
  }
}

function basicAuth(credentials: ReturnType<RegistryAuth>): string | undefined {
  if (!credentials || !('username' in credentials)) return undefined;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** `Bearer realm="…",service="…",scope="…"` → its scheme and parameters. */
export function parseChallenge(header: string | string[] | undefined): { scheme: string; params: Record<string, string> } | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(text);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: m[1]!.toLowerCase(), params };
}

function statusLine(ref: RegistryReference, status: number, what: string): string {
  const where = `${ref.written} (${ref.host})`;
  switch (status) {
    case 401: return `${where}: the registry wants credentials for the ${what} (401); none that work are configured`;
    case 403: return `${where}: access to the ${what} is denied (403)`;
    case 404: return `${where}: no such ${what} (404)`;
    case 429: return `${where}: the registry is rate-limiting requests (429); try again later`;
    default: return `${where}: the registry answered ${status} for the ${what}`;
  }
}

/**
 * One request with one overall deadline (boundedGet: a server that drips bytes still ends by then);
 * redirects are followed within what is left of it, and never carry the registry's credentials
 * to another host (blob storage, a CDN).
 */
async function fetchOnce(url: string, method: 'GET' | 'HEAD', headers: Record<string, string>, deadlineMs: number, redirects = 3): Promise<Reply> {
  const target = new URL(url);
  const started = Date.now();
  let answer;
  try {
    answer = await boundedGet({
      request: { host: target.hostname, port: target.port || undefined, path: `${target.pathname}${target.search}`, headers: { 'user-agent': 'dockerlens', ...headers } },
      https: target.protocol === 'https:',
      method,
      deadlineMs,
      maxBytes: MAX_DOCUMENT,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ETIMEDOUT') throw new RegistryError(`${target.host}: no complete answer within ${deadlineMs < 1000 ? `${deadlineMs} ms` : `${Math.round(deadlineMs / 1000)} s`}`);
    if (e.code === 'EFBIG') throw new RegistryError(`${target.host}: an answer over ${MAX_DOCUMENT} bytes was refused`);
    throw new RegistryError(`${target.host}: ${describeNetworkError(e, target)}`);
  }
  const location = answer.headers.location;
  if ([301, 302, 303, 307, 308].includes(answer.status) && location && redirects > 0) {
    const next = new URL(location, target);
    const carried = next.host === target.host ? headers : Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'authorization'));
    return fetchOnce(next.toString(), method, carried, Math.max(1, deadlineMs - (Date.now() - started)), redirects - 1);
  }
  return answer;
}

function describeNetworkError(error: NodeJS.ErrnoException, target: URL): string {
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return 'unknown host';
  if (error.code === 'ECONNRESET') return 'the connection was reset';
  if (target.protocol === 'https:' && (error.code === 'EPROTO' || /wrong version number/.test(error.message))) {
    return 'it answers plain HTTP, not HTTPS (a local registry: allow it with --insecure-registry)';
  }
  if (/certificate|self.signed|CERT_/i.test(`${error.code ?? ''} ${error.message}`)) return `its TLS certificate is not trusted (${error.code ?? error.message})`;
  return error.message.split('\n')[0]!;
}
