import type { SharingReport } from '../service/cache/shared';
import { formatBytes, formatSum } from '../service/features/sizeText';

/** The text form of `dockerlens shared`. */
export function formatShared(report: SharingReport): string {
  const out: string[] = [];
  for (const image of report.images) {
    const unknown = image.unknownLayers > 0 ? `; ${image.unknownLayers} of unknown size` : '';
    out.push(`${image.name}: ${image.layers.length} layers, ${formatSum(image.bytes, image.unknownLayers)} (${formatSum(image.compressed, image.unknownLayers)} compressed${unknown})`);
  }
  out.push('', 'Layers used by more than one image:');
  const shared = report.layers.filter((l) => l.usedBy.length > 1);
  if (shared.length === 0) out.push('  none: the images share no layer');
  for (const layer of shared) out.push(`  ${(layer.bytes === null ? '?' : `${formatBytes(layer.bytes)}${layer.unknown ? '+?' : ''}`).padStart(10)}  ${layer.label}  ← ${layer.usedBy.join(', ')}`);
  out.push('', `Counted per image: ${formatSum(report.countedPerImage, report.unknownLayers)} · stored once (registry or host): ${formatSum(report.storedOnce, report.unknownLayers)}`);
  out.push('', 'Pulling one image on a host that has another downloads:');
  for (const pull of report.pulls) {
    out.push(`  ${pull.second} after ${pull.first}: ${pull.downloadLayers} layer${pull.downloadLayers === 1 ? '' : 's'}, ${formatSum(pull.downloadCompressed, pull.downloadUnknown)} compressed (${pull.shared} already there)`);
  }
  return out.join('\n');
}
