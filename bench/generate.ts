import { mulberry32 } from '../test/random';

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
