import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * One HTTP(S) GET or HEAD with an overall deadline and a size cap, for every socket or network
 * call (the Engine API, the registry client). node's `timeout` option is an idle timeout:
 * it restarts on every byte, so a peer that drips one byte a second never times out. Here one
 * timer runs from the request to the last byte of the body.
 */
export interface BoundedGetOptions {
  /** where and what: `socketPath` + `path`, or `host`/`port` + `path`; headers */
  request: RequestOptions;
  /** over TLS (a registry); plain HTTP or a unix socket otherwise */
  https?: boolean;
  /** GET unless said */
  method?: 'GET' | 'HEAD';
  /** milliseconds from sending the request to the end of the answer */
  deadlineMs: number;
  /** a body larger than this is refused */
  maxBytes: number;
}

export interface BoundedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** ETIMEDOUT: the deadline passed; EFBIG: the body was too large; otherwise the socket's error. */
export type BoundedGetError = Error & { code: 'ETIMEDOUT' | 'EFBIG' };

export function boundedGet(options: BoundedGetOptions): Promise<BoundedAnswer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, answer?: BoundedAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(answer!);
    };
    const request = options.https ? httpsRequest : httpRequest;
    const req = request({ ...options.request, method: options.method ?? 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          abort(coded('EFBIG', `the answer is over ${options.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (error) => finish(error));
      res.on('close', () => finish(res.complete ? null : new Error('the connection closed before the answer was complete'), { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    /** settles with `error` first, then drops the connection (whatever it reports then is ignored) */
    const abort = (error: BoundedGetError) => {
      finish(error);
      req.destroy(error);
    };
    const timer = setTimeout(() => abort(coded('ETIMEDOUT', `no complete answer within ${formatSeconds(options.deadlineMs)}`)), options.deadlineMs);
    req.on('error', (error) => finish(error));
    req.end();
  });
}

function formatSeconds(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function coded(code: 'ETIMEDOUT' | 'EFBIG', message: string): BoundedGetError {
  return Object.assign(new Error(message), { code });
}
