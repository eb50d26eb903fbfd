/** The `dockerlens.*` settings, as the server reads them per document. */
export interface DockerlensSettings {
  /** master switch: no analysis, diagnostics or hovers when false */
  enable: boolean;
  /** target stage (name or index); the last stage when empty */
  target: string;
  /** `--build-arg` values the analysis assumes */
  buildArgs: Record<string, string>;
  /** milliseconds to wait after the last keystroke before analysing */
  debounceMs: number;
  /** code lenses with layer numbers and sizes above instructions */
  codeLens: boolean;
  /** severity per rule code or name (`"DL-S001": "off"`) */
  rules: Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'>;
  /** read built images from the local Docker/Podman engine (trusted workspaces only) */
  engine: boolean;
  /** ask the npm registry for the sizes of locked packages (trusted workspaces only; off by default) */
  registryLookups: boolean;
  /** the npm registry those look-ups ask */
  npmRegistry: string;
}

export const DEFAULT_SETTINGS: DockerlensSettings = {
  enable: true,
  target: '',
  buildArgs: {},
  debounceMs: 200,
  codeLens: true,
  rules: {},
  engine: false,
  registryLookups: false,
  npmRegistry: 'https://registry.npmjs.org',
};

/** Accepts whatever the client sent and keeps only well-typed values. */
export function normalizeSettings(raw: unknown): DockerlensSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const buildArgs: Record<string, string> = {};
  if (value['buildArgs'] && typeof value['buildArgs'] === 'object') {
    for (const [k, v] of Object.entries(value['buildArgs'] as Record<string, unknown>)) if (typeof v === 'string') buildArgs[k] = v;
  }
  const debounce = value['debounceMs'];
  return {
    enable: typeof value['enable'] === 'boolean' ? value['enable'] : DEFAULT_SETTINGS.enable,
    target: typeof value['target'] === 'string' ? value['target'] : DEFAULT_SETTINGS.target,
    buildArgs,
    debounceMs: typeof debounce === 'number' && debounce >= 0 && debounce <= 5000 ? debounce : DEFAULT_SETTINGS.debounceMs,
    codeLens: typeof value['codeLens'] === 'boolean' ? value['codeLens'] : DEFAULT_SETTINGS.codeLens,
    rules: normalizeRules(value['rules']),
    engine: typeof value['engine'] === 'boolean' ? value['engine'] : DEFAULT_SETTINGS.engine,
    registryLookups: typeof value['registryLookups'] === 'boolean' ? value['registryLookups'] : DEFAULT_SETTINGS.registryLookups,
    npmRegistry: typeof value['npmRegistry'] === 'string' && /^https?:\/\/\S+$/.test(value['npmRegistry']) ? value['npmRegistry'] : DEFAULT_SETTINGS.npmRegistry,
  };
}

const RULE_LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

function normalizeRules(raw: unknown): DockerlensSettings['rules'] {
  const rules: DockerlensSettings['rules'] = {};
  if (raw && typeof raw === 'object') {
    for (const [code, level] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof level === 'string' && RULE_LEVELS.has(level)) rules[code] = level as DockerlensSettings['rules'][string];
    }
  }
  return rules;
}
