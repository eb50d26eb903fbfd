/**
 * Inputs and readings of the server stress test (./stress.test.ts), shared with the bench rows
 * that time and weigh the same work (bench/serverStress.ts).
 */
import * as fs from 'node:fs';
import type { Position } from 'vscode-languageserver-protocol/node';

/**
 * About `bytes` of Dockerfile in stages of a dozen instructions each, most of the bulk in a
 * config file written by a heredoc (what makes real Dockerfiles big), the rest the usual apt,
 * build, COPY --from and metadata instructions. Returns a RUN line in the first and last stage.
 */
export function bigDockerfile(bytes: number): { text: string; stages: number; instructions: number; firstRun: Position; lastRun: Position } {
  const lines: string[] = ['# syntax=docker/dockerfile:1', 'ARG DEBIAN_TAG=bookworm-slim'];
  let size = 0;
  let stages = 0;
  let instructions = 1;
  const runs: number[] = [];
  const perStage = 20 * 1024;
  while (size < bytes) {
    const s = stages++;
    const start = lines.length;
    lines.push(
      `FROM debian:\${DEBIAN_TAG} AS s${s}`,
      'ARG VERSION=1.2.3',
      `ENV APP_HOME=/opt/s${s} \\`, `    PATH="/opt/s${s}/bin:$PATH"`,
      `WORKDIR /opt/s${s}`,
      'RUN apt-get update \\', '    && apt-get install -y --no-install-recommends curl ca-certificates \\', '    && rm -rf /var/lib/apt/lists/*',
      s > 0 ? `COPY --from=s${s - 1} /opt/s${s - 1}/out ./in` : 'COPY . ./in',
      `COPY <<EOF /etc/s${s}/config.yaml`,
    );
    runs.push(start + 5);
    let block = 0;
    for (let k = 0; block < perStage - 600; k++) {
      const line = `key_${k}: "value ${k} of stage ${s}${' pad'.repeat(k % 12)}"`;
      lines.push(line);
      block += line.length + 1;
    }
    lines.push(
      'EOF',
      'RUN <<EOF', 'set -eux', `make -C /opt/s${s}/in OUT=/opt/s${s}/out`, 'EOF',
      `RUN echo "built s${s}" > /opt/s${s}/out/stamp && strip /opt/s${s}/out/app || true`,
      `LABEL org.example.stage="s${s}"`, 'EXPOSE 8080', 'CMD ["app"]', '',
    );
    instructions += 14;
    for (let i = start; i < lines.length; i++) size += lines[i]!.length + 1;
  }
  const text = `${lines.join('\n')}\n`;
  return { text, stages, instructions, firstRun: { line: runs[0]!, character: 1 }, lastRun: { line: runs[runs.length - 1]!, character: 1 } };
}

/** VmRSS and VmHWM of a process in MB, from /proc (Linux only); undefined elsewhere. */
export function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
