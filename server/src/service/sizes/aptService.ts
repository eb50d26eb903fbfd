import { estimateAptRun } from './apt';
import type { AptTable } from './aptTable';
import type { SizeServices } from './estimate';

/** The size pass's apt service over a loaded package table. */
export function aptService(table: AptTable): NonNullable<SizeServices['apt']> {
  return (commands, state) => {
    const result = estimateAptRun(commands, { table, ...(state.installed ? { installed: state.installed } : {}), listsPresent: state.listsPresent });
    if (!result) return undefined;
    return {
      size: result.size,
      notes: result.notes,
      writes: result.writes,
      installed: { manager: 'dpkg', names: result.packages.map((p) => p.name), removed: result.removed },
      listsLeft: result.leavesLists,
    };
  };
}
