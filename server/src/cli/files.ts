import { readFileSync, statSync } from 'node:fs';

/** Files larger than this are refused: no real Dockerfile comes close. */
export const MAX_DOCKERFILE_BYTES = 16 * 1024 * 1024;

/** A Dockerfile's text, refusing folders and absurdly large files with a plain reason. */
export function readDockerfile(file: string): string {
  const stat = statSync(file);
  if (stat.isDirectory()) throw Object.assign(new Error('it is a directory (give the Dockerfile itself)'), { code: 'EISDIR' });
  if (stat.size > MAX_DOCKERFILE_BYTES) throw new Error(`it is ${stat.size} bytes, over the ${MAX_DOCKERFILE_BYTES}-byte limit for a Dockerfile`);
  return readFileSync(file, 'utf8');
}
