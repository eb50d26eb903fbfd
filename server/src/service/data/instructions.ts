import type { EffectReason, LayerEffect } from '../types';

/**
 * One table for what every Dockerfile instruction does to the image, following BuildKit (the
 * default builder). Everything else (layers, hovers, symbols) reads it instead of switching on
 * keywords.
 */
export interface InstructionSpec {
  effect: LayerEffect;
  reason: EffectReason;
  /** flags BuildKit accepts on this instruction */
  flags: readonly string[];
  /** true when the instruction may carry heredocs */
  heredocs?: boolean;
}

const metadata = (flags: readonly string[] = []): InstructionSpec => ({ effect: 'metadata', reason: 'sets-metadata', flags });

export const INSTRUCTIONS: Readonly<Record<string, InstructionSpec>> = {
  FROM: { effect: 'none', reason: 'base-image', flags: ['platform'] },
  RUN: { effect: 'filesystem', reason: 'runs-command', flags: ['mount', 'network', 'security'], heredocs: true },
  COPY: {
    effect: 'filesystem',
    reason: 'copies-files',
    flags: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
    heredocs: true,
  },
  ADD: {
    effect: 'filesystem',
    reason: 'adds-files',
    flags: ['chown', 'chmod', 'link', 'keep-git-dir', 'checksum', 'exclude', 'unpack'],
    heredocs: true,
  },
  // WORKDIR is refined per path by the layer pass (an existing directory writes nothing).
  WORKDIR: { effect: 'filesystem', reason: 'workdir-creates', flags: [] },
  ARG: { effect: 'metadata', reason: 'declares-arg', flags: [] },
  ENV: metadata(),
  LABEL: metadata(),
  CMD: metadata(),
  ENTRYPOINT: metadata(),
  USER: metadata(),
  EXPOSE: metadata(),
  VOLUME: metadata(),
  SHELL: metadata(),
  STOPSIGNAL: metadata(),
  HEALTHCHECK: metadata(['interval', 'timeout', 'start-period', 'start-interval', 'retries']),
  MAINTAINER: metadata(),
  ONBUILD: { effect: 'metadata', reason: 'onbuild-trigger', flags: [] },
};

export const UNKNOWN_INSTRUCTION: InstructionSpec = { effect: 'none', reason: 'unknown-instruction', flags: [] };

export function instructionSpec(keyword: string): InstructionSpec {
  return INSTRUCTIONS[keyword.toUpperCase()] ?? UNKNOWN_INSTRUCTION;
}

/**
 * Directories every common Linux base image ships (Debian, Ubuntu, Alpine, BusyBox, distroless):
 * a WORKDIR to one of them changes nothing on disk, so BuildKit records an empty layer. Not used
 * for `scratch`, which has no directories at all.
 */
export const DIRECTORIES_IN_EVERY_BASE: readonly string[] = [
  '/', '/bin', '/etc', '/home', '/root', '/tmp', '/usr', '/usr/bin', '/usr/lib', '/usr/local',
  '/usr/local/bin', '/usr/share', '/var', '/var/lib', '/var/tmp', '/opt', '/mnt', '/srv', '/run',
];

/** Build args BuildKit defines without a declaration (usable in FROM). */
export const AUTOMATIC_PLATFORM_ARGS = [
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
] as const;
