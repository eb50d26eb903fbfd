/** Equal plain data: objects, arrays, Sets and Maps by content; functions only when the same one. */
export function samePlainData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Set) return a.size === (b as Set<unknown>).size && [...a].every((x) => (b as Set<unknown>).has(x));
  if (a instanceof Map) {
    const other = b as Map<unknown, unknown>;
    return a.size === other.size && [...a].every(([k, v]) => other.has(k) && samePlainData(v, other.get(k)));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && samePlainData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
