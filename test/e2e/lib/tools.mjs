// Where scripts/e2e-setup.sh put the e2e tools, and whether they are usable. Keep the paths and
// versions in step with that script.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = '/usr/bin/chromium';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const e2eHome = process.env.DOCKERLENS_E2E_HOME || path.join(homedir(), '.cache', 'dockerlens-e2e');

/**
 * Returns `{ ok: true, codeServer, playwright }` or `{ ok: false, reason }`. Nothing here installs:
 * `bash scripts/e2e-setup.sh` does, and leaves its reason in `unavailable` when it could not.
 */
export function findTools() {
  const marker = path.join(e2eHome, 'unavailable');
  if (existsSync(marker)) return { ok: false, reason: `setup could not install the tools: ${readFileSync(marker, 'utf8').trim()}` };
  const toolsDir = path.join(e2eHome, `code-server-${CODE_SERVER_VERSION}`);
  const codeServer = path.join(toolsDir, 'node_modules', '.bin', 'code-server');
  if (!existsSync(codeServer)) return { ok: false, reason: `code-server ${CODE_SERVER_VERSION} is not installed (run: bash scripts/e2e-setup.sh)` };
  if (!existsSync(CHROMIUM)) return { ok: false, reason: `${CHROMIUM} is missing (run: bash scripts/e2e-setup.sh)` };
  let playwright;
  try {
    playwright = createRequire(path.join(toolsDir, 'package.json'))('playwright-core');
  } catch (error) {
    return { ok: false, reason: `playwright-core does not load from ${toolsDir}: ${error.message.split('\n')[0]}` };
  }
  return { ok: true, codeServer, playwright };
}
