import { aptBreakdown, estimateAptRun } from './apt';
import type { AptTable } from './aptTable';
import type { SizeServices } from './estimate';
import type { SimpleCommand } from './shell';
import { packageKey } from './waste';

/** The size pass's apt service over a loaded package table. */
export function aptService(table: AptTable): NonNullable<SizeServices['apt']> {
  return (commands, state) => {
    const context = {
      table,
      ...(state.installed ? { installed: state.installed } : {}),
      listsPresent: state.listsPresent,
      ...(state.marks ? { marks: state.marks } : {}),
      ...(state.keepsArchives ? { keepsArchives: true } : {}),
      ...(state.mounted ? { mounted: state.mounted } : {}),
    };
    const result = estimateAptRun(commands, context);
    if (!result) return undefined;
    // What --no-install-recommends would save: the same installs resolved without Recommends.
    const withoutRecommends = estimateAptRun(commands.map(withNoRecommends), context);
    const saving = (result.size.bytes ?? 0) - (withoutRecommends?.size.bytes ?? result.size.bytes ?? 0);
    const kept = new Set(withoutRecommends?.packages.map((p) => p.name) ?? result.packages.map((p) => p.name));
    const dropped = new Set(result.packages.filter((p) => !kept.has(p.name)).map((p) => p.name));
    return {
      size: result.size,
      notes: result.notes,
      noteMessages: result.noteMessages,
      writes: result.writes,
      installed: { manager: 'dpkg', names: result.packages.map((p) => p.name), removed: result.removed, manual: result.manual },
      removes: result.removed.map((name) => packageKey('apt', name)),
      listsLeft: result.leavesLists,
      keepsArchives: result.keepsArchives,
      facts: { ...(saving > 0 ? { aptRecommendsBytes: saving } : {}), ...(result.listsBytes > 0 ? { aptListsBytes: result.listsBytes } : {}) },
      breakdown: aptBreakdown(result, { names: dropped, bytes: Math.max(0, saving) }),
    };
  };
}

/** `apt-get install x` → `apt-get install --no-install-recommends x`. */
function withNoRecommends(command: SimpleCommand): SimpleCommand {
  const [cmd] = command.argv;
  if ((cmd !== 'apt-get' && cmd !== 'apt') || !command.argv.includes('install') || command.argv.includes('--no-install-recommends')) return command;
  const at = command.argv.indexOf('install');
  return { ...command, argv: [...command.argv.slice(0, at + 1), '--no-install-recommends', ...command.argv.slice(at + 1)] };
}
