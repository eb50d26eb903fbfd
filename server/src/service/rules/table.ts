import type { Problem, Range, Severity } from '../types';

/**
 * Structural rules of the stage graph and parse, as data: a stable code, a default severity and
 * the message. Codes never change meaning; tests name rules by `rule`, not by message text.
 */
interface RuleSpec<A extends unknown[]> {
  code: string;
  severity: Severity;
  unnecessary?: boolean;
  message: (...args: A) => string;
}

const rule = <A extends unknown[]>(spec: RuleSpec<A>) => spec;

export const RULES = {
  'unknown-stage': rule({
    code: 'DL-G001',
    severity: 'error',
    message: (ref: string, count: number) => `Stage index ${ref} does not exist: this Dockerfile has ${count} stage${count === 1 ? '' : 's'} (0–${count - 1}).`,
  }),
  'stage-or-image': rule({
    code: 'DL-G002',
    severity: 'warning',
    message: (ref: string) => `No stage is named '${ref}', so the builder pulls the image 'docker.io/library/${ref}' instead. Misspelt stage name?`,
  }),
  'later-stage-reference': rule({
    code: 'DL-G003',
    severity: 'error',
    message: (ref: string, stage: number) => `'${ref}' is stage ${stage}, defined later in the file: BuildKit only reads from stages defined before the current one, so the build fails.`,
  }),
  'self-reference': rule({
    code: 'DL-G004',
    severity: 'error',
    message: (ref: string) => `A stage cannot read from itself ('${ref}').`,
  }),
  'stage-cycle': rule({
    code: 'DL-G005',
    severity: 'error',
    message: (path: string) => `Circular dependency between stages: ${path}. The build fails.`,
  }),
  'duplicate-stage-name': rule({
    code: 'DL-G006',
    severity: 'error',
    message: (name: string, first: number) => `Stage name '${name}' is already used by stage ${first}; the build fails. Stage names are compared without case.`,
  }),
  'unused-stage': rule({
    code: 'DL-G007',
    severity: 'hint',
    unnecessary: true,
    message: (stage: string, target: string) => `Stage ${stage} is not needed to build the target ${target}: BuildKit skips it, so its layers are never built.`,
  }),
  'unresolved-from-arg': rule({
    code: 'DL-G008',
    severity: 'warning',
    message: (names: string, resolved: string) => `${names} ha${names.includes(',') ? 've' : 's'} no value here (declare it with ARG before the first FROM, with a default or a --build-arg): the base image resolves to '${resolved}'.`,
  }),
  'empty-base-image': rule({
    code: 'DL-G009',
    severity: 'error',
    message: (raw: string) => `The base image '${raw}' expands to nothing: the build fails. Give its ARG a default.`,
  }),
  'unknown-target': rule({
    code: 'DL-G010',
    severity: 'error',
    message: (target: string) => `The target stage '${target}' does not exist; analysing the last stage instead.`,
  }),
  'unterminated-heredoc': rule({
    code: 'DL-P001',
    severity: 'error',
    message: (name: string, resumed: number | null) =>
      `Heredoc '${name}' is never closed by a line '${name}': the build fails.` +
      (resumed === null ? ' The rest of the file is read as its body.' : ` Analysis resumes at line ${resumed + 1}.`),
  }),
} as const;

export type RuleName = keyof typeof RULES;

export function problem<K extends RuleName>(
  name: K,
  range: Range,
  ...args: Parameters<(typeof RULES)[K]['message']>
): Problem {
  const spec = RULES[name] as RuleSpec<unknown[]>;
  return {
    code: spec.code,
    rule: name,
    severity: spec.severity,
    message: spec.message(...args),
    range,
    ...(spec.unnecessary ? { unnecessary: true } : {}),
  };
}
