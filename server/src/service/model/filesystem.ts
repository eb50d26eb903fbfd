import { DIRECTORIES_IN_EVERY_BASE } from '../data/instructions';
import type { InstructionInfo } from '../types';
import * as posix from 'node:path/posix';

/**
 * The little the model knows about a stage's filesystem: its working directory and which
 * directories surely exist. That decides whether WORKDIR writes a layer: BuildKit creates a
 * missing directory (a real, tiny layer) and records an empty layer when it already exists.
 */
export class StageFilesystem {
  constructor(
    private readonly known: Set<string>,
    public workdir = '/',
  ) {}

  clone(): StageFilesystem {
    return new StageFilesystem(new Set(this.known), this.workdir);
  }

  /** Everything a clone starts from, as a string: equal strings, equal clones. */
  key(): string {
    return JSON.stringify([this.workdir, [...this.known]]);
  }

  exists(dir: string): boolean {
    return this.known.has(dir);
  }

  /** Records a directory and all its parents as existing. */
  create(dir: string): void {
    for (let d = dir; !this.known.has(d); d = posix.dirname(d)) {
      this.known.add(d);
      if (d === '/') break;
    }
  }

  resolve(path: string): string {
    return posix.resolve(this.workdir, path);
  }
}

export function initialFilesystem(base: 'scratch' | 'image'): StageFilesystem {
  return new StageFilesystem(new Set(base === 'scratch' ? ['/'] : DIRECTORIES_IN_EVERY_BASE));
}

/** `mkdir [-p] a b` in a RUN: the directories it surely creates. */
const MKDIR = /(?:^|[;&|]\s*|\s)mkdir\s+((?:-[a-zA-Z]+\s+)*)([^;&|<>]+)/g;

export function applyFilesystemEffects(info: InstructionInfo, fs: StageFilesystem, expand: (text: string) => string): void {
  switch (info.keyword) {
    case 'WORKDIR': {
      const target = fs.resolve(expand(stripQuotes(info.args)) || '/');
      if (target === '/') {
        info.effect = 'metadata';
        info.reason = 'workdir-root';
      } else if (fs.exists(target)) {
        info.effect = 'metadata';
        info.reason = 'workdir-exists';
      } else {
        info.effect = 'filesystem';
        info.reason = 'workdir-creates';
        fs.create(target);
      }
      fs.workdir = target;
      break;
    }
    case 'COPY':
    case 'ADD': {
      const words = destinationWords(info);
      const dest = words[words.length - 1];
      if (!dest) break;
      const resolved = fs.resolve(expand(dest));
      const sources = words.length - 1 + info.heredocs.length;
      // `COPY a b/`, several sources or a directory source (`COPY . b`, `COPY src/ b`): dest is a
      // directory; `COPY a b`: only b's parent surely is.
      const directorySource = words.length === 2 && (words[0] === '.' || words[0]!.endsWith('/'));
      if (dest.endsWith('/') || sources > 1 || dest === '.' || directorySource) fs.create(resolved);
      else fs.create(posix.dirname(resolved));
      break;
    }
    case 'RUN': {
      for (const m of info.args.matchAll(MKDIR)) {
        for (const dir of m[2]!.trim().split(/\s+/)) {
          if (/^[\w./-]+$/.test(dir)) fs.create(fs.resolve(expand(dir)));
        }
      }
      break;
    }
    default:
      break;
  }
}

/** COPY/ADD source and destination words (JSON form or shell form, heredoc markers left out). */
function destinationWords(info: InstructionInfo): string[] {
  const text = info.args.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed as string[];
    } catch {
      // not valid JSON: BuildKit reads it as shell form too
    }
  }
  return text.split(/\s+/).filter((w) => w && !w.startsWith('<<')).map(stripQuotes);
}

function stripQuotes(text: string): string {
  const t = text.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0] ? t.slice(1, -1) : t;
}
