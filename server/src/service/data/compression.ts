/**
 * How much gzip shrinks a layer depends on what is in it, so the compressed figure (what a push
 * or pull ships) uses a ratio per content kind, not one constant. Ratios are on-disk bytes ÷ gzip
 * bytes of `tar c DIR | gzip -6`, measured on 2026-11-26 on a Debian bookworm machine of this
 * project's kind, except where `measured` says otherwise. `low`/`high` bound the compressed size.
 */
export interface CompressionRatio {
  best: number;
  low: number;
  high: number;
  measured: string;
}

export type ContentKind =
  | 'debian-packages'
  | 'alpine-packages'
  | 'python-packages'
  | 'node-modules'
  | 'jvm'
  | 'source-text'
  | 'precompressed'
  | 'apt-lists'
  | 'mixed';

export const COMPRESSION: Record<ContentKind, CompressionRatio> = {
  // DESIGN §4: real apt layers from buildah builds gzip 2.05–2.94×; the accuracy bench (16 real
  // builds, 2026-11-26) found 2.6× predicted 10–16% too few compressed bytes: 2.3× fits them.
  'debian-packages': { best: 2.3, low: 2.05, high: 2.94, measured: 'real apt layers 2.05–2.94× (DESIGN §4), median of the accuracy bench ≈2.3×; /usr/bin 2.62×' },
  // Alpine packages are the same kind of content (binaries, libraries), built against musl.
  'alpine-packages': { best: 2.6, low: 2.05, high: 3.0, measured: 'as Debian packages; whole node:22-alpine image 2.76× (DESIGN §4)' },
  'python-packages': { best: 3.4, low: 2.6, high: 3.6, measured: '/usr/lib/python3.11 3.47×, /usr/lib/python3/dist-packages 3.35×' },
  'node-modules': { best: 3.6, low: 2.8, high: 4.3, measured: "this project's node_modules 4.09× (10 MB of it a native binary)" },
  jvm: { best: 2.1, low: 1.9, high: 2.4, measured: '/usr/lib/jvm (OpenJDK 17) 2.08×' },
  'source-text': { best: 4.2, low: 3.0, high: 5.7, measured: "this project's TypeScript sources 4.24×, /usr/include 5.66×" },
  precompressed: { best: 1.02, low: 1.0, high: 1.1, measured: 'gzip cannot shrink gzip/zip/jpeg/png content; /usr/share/doc (mostly .gz) 1.78×' },
  'apt-lists': { best: 1.3, low: 1.1, high: 3.5, measured: 'lz4 lists here 1.30×; plain-text lists compress far better' },
  mixed: { best: 2.7, low: 2.0, high: 4.0, measured: 'whole images: debian ≈2.4×, node:22-alpine ≈2.76× (DESIGN §4); /usr/share/locale 3.1×' },
};

/** File endings whose content is already compressed. */
export const PRECOMPRESSED_EXTENSIONS: ReadonlySet<string> = new Set([
  'gz', 'tgz', 'zip', 'jar', 'war', 'whl', 'xz', 'bz2', 'zst', '7z', 'rar', 'jpg', 'jpeg', 'png', 'gif', 'webp',
  'mp3', 'mp4', 'webm', 'woff', 'woff2', 'pdf', 'apk', 'deb', 'rpm',
]);

/** File endings of text that compresses well. */
export const TEXT_EXTENSIONS: ReadonlySet<string> = new Set([
  'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'json', 'md', 'txt', 'html', 'css', 'scss', 'py', 'rb', 'go', 'rs', 'java',
  'kt', 'c', 'h', 'cc', 'cpp', 'hpp', 'cs', 'php', 'sh', 'yml', 'yaml', 'toml', 'xml', 'svg', 'sql', 'csv', 'lock', 'map',
]);

/** Compressed bytes of `bytes` of a kind: best figure and bounds (low bytes ↔ high ratio). */
export function compress(bytes: number, kind: ContentKind): { best: number; low: number; high: number } {
  const r = COMPRESSION[kind];
  return { best: Math.round(bytes / r.best), low: Math.round(bytes / r.high), high: Math.round(bytes / r.low) };
}
