import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDockerfile, formatLayerTable, type AnalyzeOptions, type DockerfileModel } from './service';
import { formatBytes } from './service/features/sizeText';
import { readBuildContext, sizeModel, type BuildContext } from './sizing';

/**
 * `dockerlens explain <Dockerfile> [--target T] [--build-arg K=V]... [--json]`: the same core as
 * the editor, for terminals and CI. Exit 0 on success, 1 when the Dockerfile has errors, 2 on
 * usage or file problems, 3 on an internal error.
 */
const USAGE = `Usage: dockerlens explain <Dockerfile> [--target <stage>] [--build-arg KEY=VALUE]... [--context <dir>] [--no-context] [--platform <os/arch>] [--json]

Shows which instruction makes which layer, per stage, how big each layer is and where each figure
comes from, and which stages the target needs.
  --target <stage>       stage to build (name or index); the last stage by default
  --build-arg KEY=VALUE  a build argument value (repeatable)
  --context <dir>        the build context (default: the Dockerfile's folder)
  --no-context           do not read the build context (COPY/ADD sizes stay unknown)
  --platform <os/arch>   platform of the base images (default linux/amd64)
  --json                 print the full model as JSON`;

/** Files larger than this are refused: no real Dockerfile comes close. */
const MAX_BYTES = 16 * 1024 * 1024;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliIo {
  readFile: (path: string) => string;
  /** reads the build context; undefined when there is none to read */
  readContext: (root: string, dockerfile: string) => Promise<BuildContext | undefined>;
}

const REAL_IO: CliIo = { readFile: readDockerfile, readContext: (root, dockerfile) => readBuildContext(root, dockerfile) };

export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<CliResult> {
  const { readFile, readContext } = { ...REAL_IO, ...io };
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { code: command === undefined ? 2 : 0, stdout: command === undefined ? '' : USAGE, stderr: command === undefined ? USAGE : '' };
  }
  if (command !== 'explain') return fail(`Unknown command '${command}'.\n\n${USAGE}`);
  const options: AnalyzeOptions & { buildArgs: Record<string, string> } = { buildArgs: {} };
  let json = false;
  let file: string | undefined;
  let contextDir: string | undefined;
  let useContext = true;
  let platform: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    // A following option is never taken as a value: `--target --json` is a usage error.
    const value = () => inline ?? (rest[i + 1]?.startsWith('--') ? undefined : rest[++i]);
    if (flag === '--help' || flag === '-h') return { code: 0, stdout: USAGE, stderr: '' };
    if (flag === '--json') json = true;
    else if (flag === '--target') {
      const v = value();
      if (!v) return fail('--target needs a stage name or index.');
      options.target = v;
    } else if (flag === '--build-arg') {
      const v = value();
      if (!v) return fail('--build-arg needs KEY=VALUE.');
      const eq = v.indexOf('=');
      // `--build-arg KEY` alone takes KEY from the environment, as docker build does.
      const key = eq >= 0 ? v.slice(0, eq) : v;
      const val = eq >= 0 ? v.slice(eq + 1) : process.env[v];
      if (val !== undefined) options.buildArgs[key] = val;
    } else if (flag === '--context') {
      const v = value();
      if (!v) return fail('--context needs a folder.');
      contextDir = v;
    } else if (flag === '--no-context') useContext = false;
    else if (flag === '--platform') {
      const v = value();
      if (!v || !/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/.test(v)) return fail('--platform needs os/arch, e.g. linux/arm64.');
      platform = v;
      options.targetPlatform = v;
    } else if (arg.startsWith('-') && arg !== '-') return fail(`Unknown option '${arg}'.\n\n${USAGE}`);
    else if (file === undefined) file = arg;
    else return fail(`Only one Dockerfile at a time (got '${file}' and '${arg}').`);
  }
  if (file === undefined) return fail(`Which Dockerfile?\n\n${USAGE}`);
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    return fail(`Cannot read ${file}: ${describeError(error)}`);
  }
  let model: DockerfileModel;
  let contextLine: string;
  try {
    model = analyzeDockerfile(text, options);
    const root = contextDir ?? path.dirname(file);
    let context: BuildContext | undefined;
    let unavailable = 'not read (--no-context): COPY/ADD sizes are not known';
    if (useContext) {
      try {
        context = await readContext(root, file);
        unavailable = `${root} could not be read: COPY/ADD sizes are not known`;
      } catch (error) {
        unavailable = `${root} could not be read (${describeError(error)}): COPY/ADD sizes are not known`;
      }
    }
    contextLine = context ? describeContext(root, context) : `Build context: ${unavailable}`;
    model = await sizeModel(model, context, { ...(platform ? { platform } : {}), contextUnavailable: unavailable });
  } catch (error) {
    // The core is meant never to throw; if it does, say so plainly with its own exit code.
    return { code: 3, stdout: '', stderr: `Internal error while analysing ${file}: ${error instanceof Error ? error.stack ?? error.message : String(error)}` };
  }
  const stdout = json ? JSON.stringify({ schemaVersion: 1, file, model }, null, 2) : `${formatLayerTable(model, file)}\n${contextLine}`;
  return { code: model.problems.some((p) => p.severity === 'error') ? 1 : 0, stdout, stderr: '' };
}

function describeContext(root: string, context: BuildContext): string {
  const { snapshot } = context;
  const parts = [`${snapshot.fileCount} files, ${formatBytes(snapshot.totalBytes)}`];
  if (context.ignoreFile) parts.push(`${snapshot.ignoredCount} entries left out by ${context.ignoreFile}`);
  if (snapshot.errors.length > 0) parts.push(`${snapshot.errors.length} unreadable (first: ${snapshot.errors[0]!.path}: ${snapshot.errors[0]!.code})`);
  if (!snapshot.complete) parts.push('scan incomplete');
  return `Build context: ${root} (${parts.join(', ')})`;
}

function readDockerfile(file: string): string {
  const stat = statSync(file);
  if (stat.isDirectory()) throw Object.assign(new Error('it is a directory (give the Dockerfile itself)'), { code: 'EISDIR' });
  if (stat.size > MAX_BYTES) throw new Error(`it is ${stat.size} bytes, over the ${MAX_BYTES}-byte limit for a Dockerfile`);
  return readFileSync(file, 'utf8');
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

function fail(message: string): CliResult {
  return { code: 2, stdout: '', stderr: message };
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((result) => {
    if (result.stdout) process.stdout.write(`${result.stdout}\n`);
    if (result.stderr) process.stderr.write(`${result.stderr}\n`);
    process.exitCode = result.code;
  });
}
