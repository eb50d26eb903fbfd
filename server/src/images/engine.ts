import { request } from 'node:http';
import { boundedGet } from '../boundedGet';
import { imageFromEngine, parseEngineHistory, parseEngineInspect, type BuiltImage } from '../service/compare/image';

/**
 * A read-only client of the Docker Engine API (Podman serves the same API) over its unix socket,
 * with node:http: image lists, `image inspect` and `history`. Never pulls, builds or runs
 * anything. Where the socket is: DOCKER_HOST when it is `unix://…`, else Docker's default, else
 * Podman's rootless socket. Every failure is one plain line (no engine, no socket, no permission).
 */
export interface EngineImage {
  id: string;
  tags: string[];
  /** unix seconds */
  created: number;
  size: number;
}

export interface Engine {
  socket: string;
  /** the engine's version, or throws with the reason it does not answer */
  ping(): Promise<string>;
  images(): Promise<EngineImage[]>;
  /** the image with its history and layer sizes */
  image(reference: string): Promise<BuiltImage>;
  /** an image's layer diff ids, or undefined when the engine has no such image */
  diffIds(reference: string): Promise<string[] | undefined>;
  /**
   * Follows the engine's image events (a build tags an image, an image is removed): `changed`
   * gets the image's name or id; `ended` when the stream stops. Returns a function that stops it.
   */
  watchImages(changed: (name: string) => void, ended: (reason: string) => void): () => void;
}

/** every engine call, from request to last byte: a drip-feeding socket cannot hold us longer */
export const ENGINE_DEADLINE_MS = 5000;
const MAX_RESPONSE = 64 * 1024 * 1024;

/** The engine's socket, or why there is none to use. */
export function engineSocket(env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = () => true): { socket: string } | { problem: string } {
  const host = env['DOCKER_HOST'];
  if (host) {
    if (host.startsWith('unix://')) return { socket: host.slice('unix://'.length) };
    return { problem: `DOCKER_HOST is ${host}: only a local unix socket is read (no TCP or SSH engines)` };
  }
  const candidates = ['/var/run/docker.sock', ...(env['XDG_RUNTIME_DIR'] ? [`${env['XDG_RUNTIME_DIR']}/podman/podman.sock`] : [])];
  const found = candidates.find(exists);
  return found ? { socket: found } : { problem: `no Docker engine: no socket at ${candidates.join(' or ')}` };
}

class EngineError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

export interface EngineOptions {
  /** overall deadline of each call (default ENGINE_DEADLINE_MS) */
  deadlineMs?: number;
}

export function createEngine(socket: string, options: EngineOptions = {}): Engine {
  const deadlineMs = options.deadlineMs ?? ENGINE_DEADLINE_MS;
  const get = (path: string) => getJson(socket, path, deadlineMs);
  return {
    socket,
    ping: async () => {
      const version = await get('/version');
      return typeof (version as { Version?: unknown }).Version === 'string' ? (version as { Version: string }).Version : 'unknown';
    },
    images: async () => {
      const raw = await get('/images/json');
      if (!Array.isArray(raw)) return [];
      return raw.map((r: Record<string, unknown>) => ({
        id: String(r['Id'] ?? ''),
        tags: Array.isArray(r['RepoTags']) ? (r['RepoTags'] as unknown[]).map(String).filter((t) => t !== '<none>:<none>') : [],
        created: typeof r['Created'] === 'number' ? r['Created'] : 0,
        size: typeof r['Size'] === 'number' ? r['Size'] : 0,
      }));
    },
    image: async (reference) => {
      const name = encodeURIComponent(reference);
      const inspect = parseEngineInspect(await get(`/images/${name}/json`).catch(notFound(reference)));
      const history = parseEngineHistory(await get(`/images/${name}/history`).catch(notFound(reference)));
      return imageFromEngine(reference, inspect, history);
    },
    watchImages: (changed, ended) => watchEvents(socket, changed, ended),
    diffIds: async (reference) => {
      try {
        return parseEngineInspect(await get(`/images/${encodeURIComponent(reference)}/json`)).diffIds;
      } catch (error) {
        if (error instanceof EngineError && error.status === 404) return undefined;
        throw error;
      }
    },
  };
}

/** `GET /events` filtered to images: one JSON object per line, for as long as the engine runs. */
function watchEvents(socket: string, changed: (name: string) => void, ended: (reason: string) => void): () => void {
  const filters = encodeURIComponent(JSON.stringify({ type: ['image'] }));
  let done = false;
  const end = (reason: string) => {
    if (done) return;
    done = true;
    ended(reason);
  };
  const req = request({ socketPath: socket, path: `/events?filters=${filters}`, method: 'GET', headers: { Host: 'docker' } }, (res) => {
    if ((res.statusCode ?? 0) >= 400) {
      res.resume();
      end(`the engine refused to send events (HTTP ${res.statusCode})`);
      return;
    }
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (!line) continue;
        try {
          const event = JSON.parse(line) as { id?: unknown; Actor?: { ID?: unknown; Attributes?: { name?: unknown } } };
          const name = event.Actor?.Attributes?.name ?? event.id ?? event.Actor?.ID;
          if (typeof name === 'string') changed(name);
        } catch {
          // not an event: ignore the line
        }
      }
      if (pending.length > MAX_RESPONSE) req.destroy(new EngineError('an event line is too long'));
    });
    res.on('end', () => end('the engine closed the event stream'));
    res.on('error', (error) => end(describeSocketError(error, socket).message));
  });
  req.on('error', (error) => end(error instanceof EngineError ? error.message : describeSocketError(error, socket).message));
  req.end();
  return () => {
    done = true;
    req.destroy();
  };
}

function notFound(reference: string) {
  return (error: unknown): never => {
    if (error instanceof EngineError && error.status === 404) throw new EngineError(`the engine has no image ${reference}`, 404);
    throw error;
  };
}

async function getJson(socket: string, path: string, deadlineMs: number): Promise<unknown> {
  let answer;
  try {
    answer = await boundedGet({ request: { socketPath: socket, path, headers: { Host: 'docker' } }, deadlineMs, maxBytes: MAX_RESPONSE });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ETIMEDOUT') throw new EngineError(`the engine at ${socket} did not answer ${path} in full within ${seconds(deadlineMs)}`);
    if (code === 'EFBIG') throw new EngineError(`the engine's answer to ${path} is over ${MAX_RESPONSE} bytes`);
    throw describeSocketError(error, socket);
  }
  const body = answer.body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : null;
  } catch {
    throw new EngineError(`the engine answered ${path} with something that is not JSON`);
  }
  if (answer.status >= 400) {
    const message = (parsed as { message?: unknown } | null)?.message;
    throw new EngineError(typeof message === 'string' ? message : `the engine answered ${path} with HTTP ${answer.status}`, answer.status);
  }
  return parsed;
}

const seconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

/** A socket error in one line a user can act on. */
export function describeSocketError(error: unknown, socket: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new EngineError(`no Docker engine: no socket at ${socket}`);
  if (code === 'EACCES' || code === 'EPERM') return new EngineError(`no permission to use the Docker engine at ${socket} (is your user in the docker group?)`);
  if (code === 'ECONNREFUSED') return new EngineError(`nothing answers on ${socket}: the Docker engine is not running`);
  return new EngineError(`the Docker engine at ${socket} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
}
