/**
 * Benchmark: the full analysis the language server runs on every change (analyzeDockerfile +
 * diagnostics + documentSymbols + foldingRanges) against dockerfile-utils' validate() on the same
 * text, the validator most Dockerfile extensions run. Both parse with dockerfile-ast, so the ratio
 * shows what our model costs on top of a parse-and-lint pass.
 *
 * `npm run bench` (builds first). `--json` prints the rows as JSON instead of a table. It asserts
 * nothing: it is a measurement, not a test.
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { validate } from 'dockerfile-utils';
import { analyzeDockerfile, diagnose, diagnostics, documentSymbols, foldingRanges } from '../server/src/service/index';
import { mulberry32 } from '../test/random';

const SAMPLES = 30;
const WARMUP = 5;

// ---------------------------------------------------------------------------------------------
// Input


/**
 * A multi-stage Dockerfile with exactly `instructions` instructions (global ARGs and FROMs
 * included): a stage per ~100 instructions (at least 10), ARG-parameterised FROM lines, stages
 * built FROM earlier ones, RUN with continuations and cache/bind mounts, COPY --from, ENV with
 * several pairs, heredoc RUN and COPY, comments, and the usual metadata.
 */
export function generateDockerfile(instructions: number, seed = 42): string {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const stages = Math.max(10, Math.round(instructions / 100));
  const out: string[] = ['# syntax=docker/dockerfile:1', `# generated: ${instructions} instructions in ${stages} stages`];
  let count = 0;
  const globals = ['REGISTRY=docker.io', 'DEBIAN_TAG=bookworm-slim', 'NODE_VERSION=20', 'GO_VERSION=1.23'];
  for (const g of globals) {
    out.push(`ARG ${g}`);
    count++;
  }
  const perStage = Math.floor((instructions - count) / stages);
  for (let s = 0; s < stages; s++) {
    // the last stage keeps three for its USER, ENTRYPOINT and CMD
    const budget = s === stages - 1 ? instructions - count - 3 : perStage;
    const name = `stage-${s}`;
    out.push('', `# ---- ${name} ----`);
    const from = s === 0 || int(3) === 0
      ? `FROM \${REGISTRY}/library/${['debian:${DEBIAN_TAG}', 'node:${NODE_VERSION}-bookworm', 'golang:${GO_VERSION}'][int(3)]} AS ${name}`
      : `FROM stage-${int(s)} AS ${name}`;
    out.push(from);
    let used = 1;
    while (used < budget) {
      const left = budget - used;
      const k = int(14);
      const prev = s > 0 ? `stage-${int(s)}` : '';
      if (k === 0) {
        out.push(`ARG VERSION_${used}=${int(100)}.${int(10)}`);
        used++;
        if (left >= 2) {
          out.push('ARG TARGETARCH');
          used++;
        }
      } else if (k === 1) {
        out.push(`ENV APP_HOME=/opt/${name} \\`, `    PATH="/opt/${name}/bin:$PATH" \\`, `    STEP=${used}`);
        used++;
      } else if (k === 2) {
        out.push(`WORKDIR /opt/${name}/w${int(5)}`);
        used++;
      } else if (k === 3 || k === 4) {
        out.push(
          'RUN apt-get update \\',
          `    && apt-get install -y --no-install-recommends pkg-${int(1000)} lib${int(1000)}-dev \\`,
          '    # keep the image small',
          `    && rm -rf /var/lib/apt/lists/* \\`,
          `    && echo "step ${used} of ${name}" > /tmp/step-${used}`,
        );
        used++;
      } else if (k === 5 && prev) {
        out.push(`COPY --from=${prev} /opt/${prev}/out /opt/${name}/in-${used}`);
        used++;
      } else if (k === 6) {
        out.push(
          `RUN --mount=type=cache,target=/root/.cache/${name} \\`,
          `    --mount=type=bind,${prev ? `from=${prev},` : ''}source=/src,target=/mnt/src \\`,
          `    make -C /mnt/src -j4 OUT=/opt/${name}/out/${used}`,
        );
        used++;
      } else if (k === 7) {
        out.push('RUN <<EOF', 'set -eux', `mkdir -p /opt/${name}/h${used}`, `echo "${'x'.repeat(int(40))}" > /opt/${name}/h${used}/f`, 'EOF');
        used++;
      } else if (k === 8) {
        out.push(`COPY <<EOF /etc/${name}-${used}.conf`, `key=${used}`, 'mode=release', 'EOF');
        used++;
      } else if (k === 9) {
        out.push(`LABEL org.example.step="${used}" org.example.stage="${name}"`);
        used++;
      } else if (k === 10) {
        out.push(`COPY --chown=1000:1000 src/${name}/ ./src-${used}/`);
        used++;
      } else if (k === 11) {
        out.push(`EXPOSE ${8000 + int(1000)}`);
        used++;
      } else if (k === 12) {
        out.push(`# step ${used}: nothing to see`);
      } else {
        out.push(`RUN go build -o /opt/${name}/bin/app-${used} ./cmd/app-${int(20)} && strip /opt/${name}/bin/app-${used}`);
        used++;
      }
    }
    count += used;
  }
  out.push('USER 1000:1000', 'ENTRYPOINT ["/opt/app/bin/app"]', 'CMD ["--serve"]');
  return `${out.join('\n')}\n`;
}

function instructionCount(text: string): number {
  const model = analyzeDockerfile(text);
  return model.preamble.length + model.stages.reduce((n, s) => n + s.instructions.length, 0);
}

// ---------------------------------------------------------------------------------------------
// Measurement

interface Stats {
  median: number;
  p90: number;
  min: number;
}

/** One row of the report: a measurement, our time, the baseline's, and the target ratio. */
export interface Row {
  name: string;
  ours: Stats;
  baseline: Stats;
  /** ours / baseline, on medians */
  ratio: number;
  /** the ratio we aim for (≤) */
  target: number;
  met: boolean;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const median = sorted.length % 2 === 1
    ? sorted[(sorted.length - 1) / 2]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return { median, p90: at(0.9), min: sorted[0]! };
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Keeps results alive so the JIT cannot drop the work. */
let sink = 0;

function ours(text: string): void {
  const model = analyzeDockerfile(text);
  sink += diagnostics(diagnose(model, text)).length + documentSymbols(model).length + foldingRanges(model).length;
}

function theirs(text: string): void {
  sink += validate(text).length;
}

/** Interleaved, alternating which side goes first, after a warm-up of both. */
function compare(name: string, text: string, target = 1.0, samples = SAMPLES): Row {
  for (let i = 0; i < WARMUP; i++) {
    ours(text);
    theirs(text);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      a.push(time(() => ours(text)));
      b.push(time(() => theirs(text)));
    } else {
      b.push(time(() => theirs(text)));
      a.push(time(() => ours(text)));
    }
  }
  const o = stats(a);
  const t = stats(b);
  const ratio = o.median / t.median;
  return { name, ours: o, baseline: t, ratio, target, met: ratio <= target };
}

// ---------------------------------------------------------------------------------------------
// Report

function formatTable(rows: Row[]): string {
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const header = ['measurement', 'ours median', 'ours p90', 'baseline median', 'baseline p90', 'ratio', 'target'];
  const body = rows.map((r) => [
    r.name, ms(r.ours.median), ms(r.ours.p90), ms(r.baseline.median), ms(r.baseline.p90),
    `${r.ratio.toFixed(2)}×`, `target ≤ ${r.target.toFixed(1)}×: ${r.met ? 'met' : 'NOT met'}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function main(): void {
  const json = process.argv.includes('--json');
  const inputs = [1_000, 10_000].map((n) => {
    const text = generateDockerfile(n);
    return { n, text, counted: instructionCount(text) };
  });
  const rows: Row[] = [];
  for (const input of inputs) {
    const kb = (Buffer.byteLength(input.text) / 1024).toFixed(0);
    const lines = input.text.split('\n').length;
    const name = `${input.counted.toLocaleString('en-US')} instructions (${lines.toLocaleString('en-US')} lines, ${kb} KB)`;
    rows.push(compare(name, input.text));
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ node: process.version, samples: SAMPLES, rows }, null, 2)}\n`);
    return;
  }
  const cpus = os.cpus();
  console.log(`Dockerlens benchmark · node ${process.version} · ${os.platform()} ${os.arch()} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}`);
  console.log('ours     = analyzeDockerfile + diagnostics + documentSymbols + foldingRanges');
  console.log("baseline = dockerfile-utils validate() (rcjsuen's validator, default settings)");
  console.log(`${SAMPLES} samples per side, interleaved, after ${WARMUP} warm-up rounds; ratio = ours / baseline on medians`);
  console.log('');
  console.log(formatTable(rows));
  if (sink === -1) console.log(''); // never true; keeps `sink` observable
}

main();
