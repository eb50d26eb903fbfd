/**
 * The hostile inputs of a cloned repository (issue #15): documents far bigger than any real
 * Dockerfile, each shaped to stress one dimension of the analysis. Shared by the bench's
 * hostile-input section (./hostile.ts) and the behaviour tests that check each gets an answer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface HostileInput {
  /** short key (bench `--only hostile`, test names) */
  key: string;
  label: string;
  dockerfile: string;
  /** a .dockerignore beside the Dockerfile */
  dockerignore?: string;
  /** files to create in the build context, relative paths */
  contextFiles?: string[];
}

const MB = 1024 * 1024;

/** `FROM` + one RUN line of `bytes` (no newline in it): `cmd-N --opt=N arg-N && …`. */
function oneLine(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = `echo word-${i} --opt=${i} && `;
    parts.push(part);
    size += part.length;
  }
  return `FROM alpine:3.20\nRUN ${parts.join('')}true\n`;
}

/** `lines` lines of ordinary instructions (RUN, ENV, COPY, WORKDIR, LABEL) over a few stages. */
function manyLines(lines: number): string {
  const out = ['FROM alpine:3.20 AS base'];
  for (let i = 1; out.length < lines; i++) {
    if (i % 20_000 === 0) out.push(`FROM base AS s${i}`);
    else if (i % 5 === 0) out.push(`ENV VAR_${i}=value-${i}`);
    else if (i % 7 === 0) out.push(`COPY file-${i}.txt /app/`);
    else if (i % 11 === 0) out.push(`WORKDIR /app/d${i}`);
    else out.push(`RUN echo step ${i} > /tmp/f${i} && chmod 0644 /tmp/f${i}`);
  }
  return `${out.join('\n')}\n`;
}

/** One RUN with `count` heredocs, each a few lines. */
function heredocs(count: number): string {
  const heads = Array.from({ length: count }, (_, i) => `<<EOF${i}`).join(' ');
  const bodies = Array.from({ length: count }, (_, i) => `echo body ${i}\napk add --no-cache pkg${i}\nEOF${i}`).join('\n');
  return `FROM alpine:3.20\nRUN ${heads}\n${bodies}\n`;
}

/** One RUN with `count` instruction flags (cache mounts). */
function manyFlags(count: number): string {
  const flags = Array.from({ length: count }, (_, i) => `--mount=type=cache,target=/cache/${i}`).join(' ');
  return `FROM alpine:3.20\nRUN ${flags} echo done\n`;
}

/** One RUN with `count` short words, continued over lines of 100 words. */
function manyWords(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i += 100) {
    lines.push(Array.from({ length: Math.min(100, count - i) }, (_, j) => `w${(i + j) % 100}`).join(' '));
  }
  return `FROM alpine:3.20\nRUN echo ${lines.join(' \\\n  ')}\n`;
}

/** A `.dockerignore` of `patterns` lines over a context of `files` files, copied whole. */
function bigIgnore(patterns: number, files: number): Pick<HostileInput, 'dockerfile' | 'dockerignore' | 'contextFiles'> {
  const lines = ['# generated'];
  for (let i = 0; lines.length < patterns; i++) {
    lines.push(i % 3 === 0 ? `**/cache-${i}/**` : i % 3 === 1 ? `!src/keep-${i}.ts` : `build/*-${i}.log`);
  }
  const contextFiles = Array.from({ length: files }, (_, i) => `src/d${i % 50}/file-${i}.ts`);
  return { dockerfile: 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', dockerignore: `${lines.join('\n')}\n`, contextFiles };
}

export function hostileInputs(): HostileInput[] {
  return [
    { key: 'oneline', label: '10 MB on one line', dockerfile: oneLine(10 * MB) },
    { key: 'lines', label: '200,000 lines', dockerfile: manyLines(200_000) },
    { key: 'heredocs', label: 'a RUN with 2,000 heredocs', dockerfile: heredocs(2_000) },
    { key: 'flags', label: 'a RUN with 100,000 flags', dockerfile: manyFlags(100_000) },
    { key: 'words', label: 'a RUN with 2,000,000 words', dockerfile: manyWords(2_000_000) },
    { key: 'ignore', label: 'a 10,001-line .dockerignore, 3,000 context files', ...bigIgnore(10_001, 3_000) },
    { key: 'explain', label: '50,000 lines (explain)', dockerfile: manyLines(50_000) },
  ];
}

/** Writes `input` into a new folder under `parent`; returns the Dockerfile's path. */
export function writeHostile(parent: string, input: HostileInput): string {
  const dir = path.join(parent, input.key);
  fs.mkdirSync(dir, { recursive: true });
  const dockerfile = path.join(dir, 'Dockerfile');
  fs.writeFileSync(dockerfile, input.dockerfile);
  if (input.dockerignore !== undefined) fs.writeFileSync(path.join(dir, '.dockerignore'), input.dockerignore);
  for (const file of input.contextFiles ?? []) {
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), 'x');
  }
  return dockerfile;
}
