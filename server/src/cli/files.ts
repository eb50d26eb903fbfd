import { readRegularFile } from '../safeRead';

/** Files larger than this are refused: no real Dockerfile comes close. */
export const MAX_DOCKERFILE_BYTES = 16 * 1024 * 1024;

/**
 * A Dockerfile's text, refusing folders, pipes, devices and absurdly large files with a plain
 * reason (never waiting on a named pipe).
 */
export async function readDockerfile(file: string): Promise<string> {
  try {
    return (await readRegularFile(file, { maxBytes: MAX_DOCKERFILE_BYTES })).toString('utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EISDIR') throw Object.assign(new Error('it is a directory (give the Dockerfile itself)'), { code: 'EISDIR' });
    throw error;
  }
}
