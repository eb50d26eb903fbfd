import * as path from 'node:path';
import { check, checkFindings, formatCheck } from './cli/check';
import { repositoryPath, toGithubAnnotations, toSarif } from './cli/sarif';
import { formatShared } from './cli/shared';
import { sharedLayers, type ImageInput } from './service/cache/shared';
import { diff } from './cli/diff';
import { compareReport, formatCompare } from './cli/compare';
import { imageSpec, localEngine, readBuiltImage, withLastBuild } from './images/lastBuild';
import { parseOptions, usage, type ParsedOptions } from './cli/options';
import { analyzeDockerfile, formatLayerTable, type DockerfileModel } from './service';
import { formatBytes } from './service/features/sizeText';
import { layerOfInstruction } from './service/model/layerIndex';
import { readBuildContext, sizeModel, type BuildContext } from './sizing';
import { DEFAULT_NPM_REGISTRY, defaultCacheDir } from './registrySizes';
import { describeError } from './cli/errors';
import { escapeControls } from './service/features/visibleText';
import { withoutMessages } from './service/sizes/messages';
import { readDockerfile } from './cli/files';
import { formatPickedLayer, pickLayer, type PickedLayer } from './cli/breakdown';

/**
 * The CLI: the same core as the editor, for terminals and CI.
 *   dockerlens explain <Dockerfile>   stages, layers, sizes and where each figure comes from
 *   dockerlens check <Dockerfile>     diagnostics and size thresholds, for CI
 *   dockerlens diff …                 which steps the next build reuses from the cache, which it rebuilds
 *   dockerlens compare <Dockerfile>   the prediction beside a real build (--image), layer by layer
 * Exit 0 on success; 1 when explain finds errors or check fails; 2 on usage or file problems;
 * 3 on an internal error.
 */
const COMMANDS: Record<string, string> = {
  explain: 'Shows which instruction makes which layer, per stage, how big each layer is and where each\nfigure comes from, and which stages the target needs; with --layer or --line, what one layer is\nmade of, largest first.',
  check: 'Reports every diagnostic (with its code) and the image size and wasted space; fails (exit 1)\nwhen a finding reaches --fail-on or a threshold is crossed, like dive --ci.',
  shared: 'Shows which layers several images share (same base, same steps, same build context):\nbytes stored once versus counted per image, and what pulling one image downloads on a host that\nalready has another.',
  compare: "Puts the prediction beside a real build: per layer and for the image, predicted against actual with the\nerror, what the image's history does not record as written now, and which layers the next build\nreuses (exact) or makes anew (estimated). Reads the local engine (Docker or Podman socket) or an\narchive, and never pulls.",
  diff: "Predicts which steps BuildKit reuses from the cache and which it rebuilds, between two folders\n(--before/--after), a git revision and the working tree, or two revisions; with each rebuild's\nfirst changed input and the bytes rebuilt and pushed. The Dockerfile defaults to ./Dockerfile.",
};

const OVERVIEW = `Usage: dockerlens <command> <Dockerfile> [options]

Commands:
  explain   ${COMMANDS['explain']!.split('\n')[0]}
  check     ${COMMANDS['check']!.split('\n')[0]}
  diff      ${COMMANDS['diff']!.split('\n')[0]}
  compare   ${COMMANDS['compare']!.split('\n')[0]}
  shared    ${COMMANDS['shared']!.split('\n')[0]}

Run 'dockerlens <command> --help' for its options.`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliIo {
  readFile: (path: string) => string | Promise<string>;
  /** reads the build context; undefined when there is none to read */
  readContext: (root: string, dockerfile: string) => Promise<BuildContext | undefined>;
}

const REAL_IO: CliIo = { readFile: readDockerfile, readContext: (root, dockerfile) => readBuildContext(root, dockerfile) };

/**
 * Runs a command. Text output (tables, Markdown, messages) has its control and direction
 * characters escaped, since file and image names in it come from the workspace: an ESC sequence
 * or a bidi override in a name must not steer the terminal. JSON stays JSON (its own escapes).
 */
export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<CliResult> {
  const result = await runCommand(argv, io);
  const [command, ...rest] = argv;
  const options = command !== undefined && COMMANDS[command] ? parseOptions(command, rest) : undefined;
  const json = typeof options === 'object' && options.json && !options.help;
  return { code: result.code, stdout: json ? result.stdout : escapeControls(result.stdout, true), stderr: escapeControls(result.stderr, true) };
}

async function runCommand(argv: string[], io: Partial<CliIo>): Promise<CliResult> {
  const [command, ...rest] = argv;
  if (command === undefined) return fail(OVERVIEW);
  if (command === '--help' || command === '-h' || command === 'help') return { code: 0, stdout: OVERVIEW, stderr: '' };
  const summary = COMMANDS[command];
  if (!summary) return fail(`Unknown command '${command}'.\n\n${OVERVIEW}`);
  const help = usage(command, summary);
  const options = parseOptions(command, rest);
  if (typeof options === 'string') return fail(`${options}\n\n${help}`);
  if (options.help) return { code: 0, stdout: help, stderr: '' };
  if (command === 'diff') return diffCommand(options);
  if (options.file === undefined) return fail(`Which Dockerfile?\n\n${help}`);
  if (command === 'shared') return sharedCommand(options, { ...REAL_IO, ...io }, help);
  const loaded = await load(options.file, options, { ...REAL_IO, ...io });
  if ('code' in loaded) return loaded;
  const { model, text, contextLine, context } = loaded;
  if (command === 'compare') return compareCommand(options, model, context, help);
  if (command === 'check') {
    const findings = checkFindings(model, text, context?.snapshot);
    const report = check(model, findings, options.file, options);
    const checked = () => [{ uri: repositoryPath(options.file!), text, diagnostics: findings }];
    const stdout = options.json ? JSON.stringify(report, null, 2)
      : options.format === 'sarif' ? JSON.stringify(toSarif(checked()), null, 2)
      : options.format === 'github' ? [toGithubAnnotations(checked()), formatCheck(report, model, options.failOn)].filter(Boolean).join('\n')
      : formatCheck(report, model, options.failOn);
    return { code: report.passed ? 0 : 1, stdout, stderr: '' };
  }
  const picked = options.layer !== undefined || options.line !== undefined ? pickLayer(model, options) : undefined;
  if (typeof picked === 'string') return fail(picked);
  const stdout = options.json
    ? JSON.stringify({ schemaVersion: 2, file: options.file, layers: explainLayers(model, picked), model }, withoutMessages, 2)
    : picked ? formatPickedLayer(model, picked) : `${formatLayerTable(model, options.file)}\n${contextLine}`;
  return { code: model.problems.some((p) => p.severity === 'error') ? 1 : 0, stdout, stderr: '' };
}

/** `dockerlens shared a/Dockerfile b/Dockerfile …`: layers the images share. */
async function sharedCommand(options: ParsedOptions, io: CliIo, help: string): Promise<CliResult> {
  if (options.positionals.length < 2) return fail(`Give at least two Dockerfiles.\n\n${help}`);
  const images: ImageInput[] = [];
  for (const file of options.positionals) {
    const loaded = await load(file, options, io);
    if ('code' in loaded) return loaded;
    images.push({ name: file, model: loaded.model, contextId: path.resolve(options.context ?? path.dirname(file)) });
  }
  const report = sharedLayers(images);
  return { code: 0, stdout: options.json ? JSON.stringify({ schemaVersion: 1, ...report }, withoutMessages, 2) : formatShared(report), stderr: '' };
}

/** Reads, analyses and sizes a Dockerfile with its build context. */
async function load(file: string, options: ParsedOptions, io: CliIo): Promise<{ model: DockerfileModel; text: string; contextLine: string; context: BuildContext | undefined } | CliResult> {
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (error) {
    return fail(`Cannot read ${file}: ${describeError(error)}`);
  }
  try {
    let model = analyzeDockerfile(text, {
      ...(options.target !== undefined ? { target: options.target } : {}),
      buildArgs: options.buildArgs,
      ...(options.platform ? { targetPlatform: options.platform } : {}),
    });
    const root = options.context ?? path.dirname(file);
    let context: BuildContext | undefined;
    let unavailable = 'not read (--no-context): COPY/ADD sizes are not known';
    if (!options.noContext) {
      try {
        context = await io.readContext(root, file);
        unavailable = `${root} could not be read: COPY/ADD sizes are not known`;
      } catch (error) {
        unavailable = `${root} could not be read (${describeError(error)}): COPY/ADD sizes are not known`;
      }
    }
    const contextLine = context ? describeContext(root, context) : `Build context: ${unavailable}`;
    model = await sizeModel(model, context, {
      ...(options.platform ? { platform: options.platform } : {}),
      contextUnavailable: unavailable,
      // the network only when asked; DOCKERLENS_CACHE_DIR moves the answers' cache (tests, CI)
      ...(options.online ? { registry: { url: options.npmRegistry ?? DEFAULT_NPM_REGISTRY, cacheDir: process.env['DOCKERLENS_CACHE_DIR'] || defaultCacheDir() } } : {}),
    });
    return { model, text, contextLine, context };
  } catch (error) {
    // The core is meant never to throw; if it does, say so plainly with its own exit code.
    return { code: 3, stdout: '', stderr: `Internal error while analysing ${file}: ${error instanceof Error ? error.stack ?? error.message : String(error)}` };
  }
}

/** `dockerlens compare <Dockerfile> --image <ref|path>`: the prediction beside a real build. */
async function compareCommand(options: ParsedOptions, model: DockerfileModel, context: BuildContext | undefined, help: string): Promise<CliResult> {
  if (!options.image) return fail(`Which image? Give --image <reference|path>.\n\n${help}`);
  const spec = imageSpec(options.image);
  const engine = spec.kind === 'engine' ? localEngine() : undefined;
  let image;
  try {
    image = await readBuiltImage(spec, engine);
  } catch (error) {
    return fail(`Cannot read the image ${options.image}: ${describeError(error)}`);
  }
  try {
    const result = await withLastBuild(model, image, context, path.resolve(options.file!), engine && !('problem' in engine) ? engine : undefined);
    const report = compareReport(options.file!, model, result, image);
    return { code: 0, stdout: options.json ? JSON.stringify(report, null, 2) : formatCompare(report, model), stderr: '' };
  } catch (error) {
    return { code: 3, stdout: '', stderr: `Internal error in compare: ${error instanceof Error ? error.stack ?? error.message : String(error)}` };
  }
}

async function diffCommand(options: ParsedOptions): Promise<CliResult> {
  try {
    return await diff(options);
  } catch (error) {
    return { code: 3, stdout: '', stderr: `Internal error in diff: ${error instanceof Error ? error.stack ?? error.message : String(error)}` };
  }
}

/**
 * explain --json's `layers`: one entry per layer of every stage (the base or parent-stage group,
 * then each filesystem layer) and per metadata-only instruction, in file order, 1-based lines,
 * each with what it is made of when the size pass knows; with --layer/--line, that layer only.
 */
function explainLayers(model: DockerfileModel, only?: PickedLayer) {
  const unknown = { bytes: null, low: null, high: null, compressed: null, source: 'unknown', detail: 'not sized' };
  const empty = { bytes: 0, low: 0, high: 0, compressed: 0, source: 'exact', detail: 'metadata only: an empty layer' };
  return model.stages.flatMap((stage) => stage.instructions.flatMap((info) => {
    const layer = info.index === 0 ? stage.layers.find((l) => l.instruction === 0 && l.kind !== 'filesystem') : layerOfInstruction(stage, info.index);
    if (only && (layer !== only.layer || stage !== only.stage)) return [];
    const kind = layer ? (layer.kind === 'filesystem' ? 'filesystem' : 'base') : info.effect === 'metadata' ? 'metadata' : undefined;
    if (!kind) return [];
    const figure = layer?.size;
    const size = figure
      ? { bytes: figure.bytes, low: figure.low, high: figure.high, compressed: figure.compressed, source: figure.source, detail: figure.detail, ...(figure.unknownParts ? { unknownParts: figure.unknownParts } : {}) }
      : layer ? unknown : empty;
    return [{
      stage: stage.index, layer: layer?.number ?? null, kind, keyword: info.keyword, instruction: info.text, line: info.range.start.line + 1, endLine: info.range.end.line + 1, size,
      ...(layer?.breakdown ? { breakdown: layer.breakdown } : {}),
    }];
  }));
}

function describeContext(root: string, context: BuildContext): string {
  const { snapshot } = context;
  const parts = [`${snapshot.fileCount} files, ${formatBytes(snapshot.totalBytes)}`];
  if (context.ignoreFile) parts.push(`${snapshot.ignoredCount} entries left out by ${context.ignoreFile}`);
  if (snapshot.errors.length > 0) parts.push(`${snapshot.errors.length} unreadable (first: ${escapeControls(snapshot.errors[0]!.path)}: ${snapshot.errors[0]!.code})`);
  if (!snapshot.complete) parts.push('scan incomplete');
  return `Build context: ${root} (${parts.join(', ')})`;
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
