import { readFileSync, statSync } from 'node:fs';
import { analyzeDockerfile, formatLayerTable, type AnalyzeOptions } from './service';

/**
 * `dockerlens explain <Dockerfile> [--target T] [--build-arg K=V]... [--json]`: the same core as
 * the editor, for terminals and CI. Exit 0 on success, 1 when the Dockerfile has errors, 2 on
 * usage or file problems, 3 on an internal error.
 */
const USAGE = `Usage: dockerlens explain <Dockerfile> [--target <stage>] [--build-arg KEY=VALUE]... [--json]

Shows which instruction makes which layer, per stage, and which stages the target needs.
  --target <stage>       stage to build (name or index); the last stage by default
  --build-arg KEY=VALUE  a build argument value (repeatable)
  --json                 print the full model as JSON`;

/** Files larger than this are refused: no real Dockerfile comes close. */
const MAX_BYTES = 16 * 1024 * 1024;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(argv: string[], readFile: (path: string) => string = readDockerfile): CliResult {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { code: command === undefined ? 2 : 0, stdout: command === undefined ? '' : USAGE, stderr: command === undefined ? USAGE : '' };
  }
  if (command !== 'explain') return fail(`Unknown command '${command}'.\n\n${USAGE}`);
  const options: AnalyzeOptions & { buildArgs: Record<string, string> } = { buildArgs: {} };
  let json = false;
  let file: string | undefined;
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
  let model;
  try {
    model = analyzeDockerfile(text, options);
  } catch (error) {
    // The core is meant never to throw; if it does, say so plainly with its own exit code.
    return { code: 3, stdout: '', stderr: `Internal error while analysing ${file}: ${error instanceof Error ? error.stack ?? error.message : String(error)}` };
  }
  const stdout = json ? JSON.stringify({ schemaVersion: 1, file, model }, null, 2) : formatLayerTable(model, file);
  return { code: model.problems.some((p) => p.severity === 'error') ? 1 : 0, stdout, stderr: '' };
}

function readDockerfile(path: string): string {
  const stat = statSync(path);
  if (stat.isDirectory()) throw Object.assign(new Error('it is a directory (give the Dockerfile itself)'), { code: 'EISDIR' });
  if (stat.size > MAX_BYTES) throw new Error(`it is ${stat.size} bytes, over the ${MAX_BYTES}-byte limit for a Dockerfile`);
  return readFileSync(path, 'utf8');
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
  const result = runCli(process.argv.slice(2));
  if (result.stdout) process.stdout.write(`${result.stdout}\n`);
  if (result.stderr) process.stderr.write(`${result.stderr}\n`);
  process.exitCode = result.code;
}
