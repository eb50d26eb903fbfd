/**
 * Command-line options as a table: each option's name, whether it takes a value, how the value is
 * checked, and which commands accept it. The parser reads the table, nothing else.
 */
export interface ParsedOptions {
  file?: string;
  target?: string;
  buildArgs: Record<string, string>;
  context?: string;
  noContext: boolean;
  platform?: string;
  json: boolean;
  help: boolean;
  /** explain: the layer (its number in the target image) or the 1-based line whose breakdown to print */
  layer?: number;
  line?: number;
  /** check: thresholds */
  lowestEfficiency?: number;
  highestWastedBytes?: number;
  maxImageBytes?: number;
  failOn: 'error' | 'warning' | 'information' | 'hint' | 'never';
  /** every positional argument in order (`file` is the first); diff takes up to three */
  positionals: string[];
  /** diff: the two build-context folders, and the Dockerfile's path inside them */
  before?: string;
  after?: string;
  dockerfile?: string;
  /** diff: build args of the earlier build, per name (a name not given keeps its --build-arg value) */
  beforeBuildArgs: Record<string, string>;
  /** diff: text or markdown; check: text, sarif or github */
  format: 'text' | 'markdown' | 'sarif' | 'github';
  failOnRebuildBytes?: number;
  /** compare: the built image, a reference for the local engine or a path to an archive */
  image?: string;
  /** ask the npm registry for the sizes of locked packages (off unless given) */
  online: boolean;
  /** the npm registry --online asks (default https://registry.npmjs.org) */
  npmRegistry?: string;
}

type Setter = (options: ParsedOptions, value: string) => string | undefined;

interface OptionSpec {
  name: string;
  /** a one-letter alias such as `-f` */
  short?: string;
  /** the value's name in the usage text; absent for switches */
  value?: string;
  help: string;
  commands: readonly string[];
  set: Setter;
}

const ALL = ['explain', 'check', 'diff', 'shared', 'compare'] as const;
const ANALYSE = ['explain', 'check', 'shared', 'compare'] as const;
/** positional arguments each command takes at most (one Dockerfile unless listed) */
const POSITIONALS: Record<string, number> = { diff: 3, shared: 64 };
const SYNOPSIS: Record<string, string> = { compare: '<Dockerfile> --image <reference|path>', shared: '<Dockerfile> <Dockerfile>...', diff: '--before <dir> --after <dir> [-f <Dockerfile>] | <rev> [<rev2>] [<Dockerfile>]' };

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|KiB|MiB|GiB)?$/i;
const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

export function parseSize(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  return m ? Math.round(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!) : undefined;
}

export const OPTIONS: readonly OptionSpec[] = [
  { name: '--target', value: 'stage', help: 'stage to build (name or index); the last stage by default', commands: ALL, set: (o, v) => void (o.target = v) },
  { name: '--build-arg', value: 'KEY=VALUE', help: 'a build argument value (repeatable; KEY alone takes it from the environment)', commands: ALL, set: (o, v) => buildArg(o.buildArgs, '--build-arg', v) },
  { name: '--context', value: 'dir', help: "the build context (default: the Dockerfile's folder)", commands: ALL, set: (o, v) => void (o.context = v) },
  { name: '--no-context', help: 'do not read the build context (COPY/ADD sizes stay unknown)', commands: ANALYSE, set: (o) => void (o.noContext = true) },
  {
    name: '--platform', value: 'os/arch', help: 'platform of the base images (default linux/amd64)', commands: ALL,
    set: (o, v) => (/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/.test(v) ? void (o.platform = v) : '--platform needs os/arch, e.g. linux/arm64.'),
  },
  { name: '--json', help: 'print JSON (with a schemaVersion)', commands: ALL, set: (o) => void (o.json = true) },
  { name: '--online', help: "ask the npm registry for the sizes of the packages a lockfile names (answers are cached in the user's cache folder)", commands: ANALYSE, set: (o) => void (o.online = true) },
  {
    name: '--npm-registry', value: 'url', help: 'the npm registry --online asks (default https://registry.npmjs.org)', commands: ANALYSE,
    set: (o, v) => (/^https?:\/\/[^\s]+$/.test(v) ? void (o.npmRegistry = v) : '--npm-registry needs an http(s) URL.'),
  },
  {
    name: '--layer', value: 'N', help: 'print what layer N of the target image is made of, largest first (0: the base image)', commands: ['explain'],
    set: (o, v) => (/^\d+$/.test(v) ? void (o.layer = Number(v)) : '--layer needs a layer number, e.g. --layer 2.'),
  },
  {
    name: '--line', value: 'L', help: 'print what the layer of the instruction on line L is made of (any stage)', commands: ['explain'],
    set: (o, v) => (/^[1-9]\d*$/.test(v) ? void (o.line = Number(v)) : '--line needs a 1-based line number, e.g. --line 6.'),
  },
  {
    name: '--lowest-efficiency', value: '0..1', help: 'fail when the image efficiency (unwasted share) is lower', commands: ['check'],
    set: (o, v) => (Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 1 ? void (o.lowestEfficiency = Number(v)) : '--lowest-efficiency needs a number from 0 to 1.'),
  },
  {
    name: '--highest-wasted-bytes', value: 'size', help: 'fail when more bytes are wasted (e.g. 20MB)', commands: ['check'],
    set: (o, v) => (parseSize(v) !== undefined ? void (o.highestWastedBytes = parseSize(v)) : '--highest-wasted-bytes needs a size such as 20MB.'),
  },
  {
    name: '--max-image-size', value: 'size', help: "fail when the image's best size estimate is larger (e.g. 500MB)", commands: ['check'],
    set: (o, v) => (parseSize(v) !== undefined ? void (o.maxImageBytes = parseSize(v)) : '--max-image-size needs a size such as 500MB.'),
  },
  {
    name: '--fail-on', value: 'severity', help: 'fail on findings of this severity or worse: error (default), warning, information, hint, never', commands: ['check'],
    set: (o, v) => (['error', 'warning', 'information', 'hint', 'never'].includes(v) ? void (o.failOn = v as ParsedOptions['failOn']) : '--fail-on takes error, warning, information, hint or never.'),
  },
  { name: '--before', value: 'dir', help: 'the build context before the change (with --after)', commands: ['diff'], set: (o, v) => void (o.before = v) },
  { name: '--after', value: 'dir', help: 'the build context after the change (with --before)', commands: ['diff'], set: (o, v) => void (o.after = v) },
  { name: '--file', short: '-f', value: 'path', help: 'with --before/--after: the Dockerfile inside both folders (default Dockerfile)', commands: ['diff'], set: (o, v) => void (o.dockerfile = v) },
  {
    name: '--before-build-arg', value: 'KEY=VALUE', help: 'a build argument of the earlier build (repeatable; names not given keep their --build-arg value)', commands: ['diff'],
    set: (o, v) => buildArg(o.beforeBuildArgs, '--before-build-arg', v),
  },
  {
    name: '--image', value: 'reference|path', help: "the built image: a reference the local engine has (app:latest), or a docker save tar / OCI image layout folder", commands: ['compare'],
    set: (o, v) => void (o.image = v),
  },
  { name: '--format', value: 'text|markdown', help: 'text (default) or markdown: a summary for a pull-request comment', commands: ['diff'], set: (o, v) => (v === 'text' || v === 'markdown' ? void (o.format = v) : '--format takes text or markdown.') },
  {
    name: '--format', value: 'text|sarif|github', help: 'text (default); sarif: SARIF 2.1.0 for code scanning; github: workflow annotations, then the text report', commands: ['check'],
    set: (o, v) => (v === 'text' || v === 'sarif' || v === 'github' ? void (o.format = v) : '--format takes text, sarif or github.'),
  },
  {
    name: '--fail-on-rebuild-bytes', value: 'size', help: 'exit 1 when the target would rebuild more bytes than this (e.g. 20MB)', commands: ['diff'],
    set: (o, v) => (parseSize(v) !== undefined ? void (o.failOnRebuildBytes = parseSize(v)) : '--fail-on-rebuild-bytes needs a size such as 20MB.'),
  },
];

function buildArg(into: Record<string, string>, option: string, v: string): string | undefined {
  const eq = v.indexOf('=');
  const key = eq >= 0 ? v.slice(0, eq) : v;
  const value = eq >= 0 ? v.slice(eq + 1) : process.env[v];
  if (!key) return `${option} needs KEY=VALUE.`;
  if (value !== undefined) into[key] = value;
  return undefined;
}

export function usage(command: string, summary: string): string {
  const specs = OPTIONS.filter((o) => o.commands.includes(command));
  const named = (s: OptionSpec) => `${s.short ? `${s.short}, ` : ''}${s.name}${s.value ? ` <${s.value}>` : ''}`;
  const width = Math.max(...specs.map((s) => named(s).length));
  const lines = specs.map((s) => `  ${named(s).padEnd(width + 2)}${s.help}`);
  return `Usage: dockerlens ${command} ${SYNOPSIS[command] ?? '<Dockerfile>'} [options]\n\n${summary}\n${lines.join('\n')}`;
}

/** The options of one command; a string is a usage error to print. */
export function parseOptions(command: string, args: string[]): ParsedOptions | string {
  const options: ParsedOptions = { buildArgs: {}, noContext: false, json: false, help: false, failOn: 'error', positionals: [], beforeBuildArgs: {}, format: 'text', online: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return { ...options, help: true };
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = OPTIONS.find((o) => (o.name === name || o.short === name) && o.commands.includes(command));
    if (!spec) {
      if (arg.startsWith('-') && arg !== '-') return `Unknown option '${arg}'.`;
      if (options.positionals.length >= (POSITIONALS[command] ?? 1)) {
        return POSITIONALS[command] ? `Too many arguments ('${arg}').` : `Only one Dockerfile at a time (got '${options.file}' and '${arg}').`;
      }
      options.positionals.push(arg);
      options.file ??= arg;
      continue;
    }
    let value = '';
    if (spec.value) {
      // A following option is never taken as a value: `--target --json` is a usage error.
      const next = eq >= 0 ? arg.slice(eq + 1) : args[i + 1]?.startsWith('--') ? undefined : args[++i];
      if (!next) return `${spec.name} needs ${spec.name === '--target' ? 'a stage name or index' : spec.name === '--build-arg' ? 'KEY=VALUE' : spec.name === '--context' ? 'a folder' : `<${spec.value}>`}.`;
      value = next;
    }
    const problem = spec.set(options, value);
    if (problem) return problem;
  }
  return options;
}
