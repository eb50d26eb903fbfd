/**
 * Equal plain data: objects, arrays, Sets and Maps by content; functions only when the same one.
 * Cycles (a file tree's folders point to their parent) compare as equal where both sides loop back
 * to a pair already being compared.
 */
export function samePlainData(a: unknown, b: unknown): boolean {
  return same(a, b, []);
}

function same(a: unknown, b: unknown, comparing: [object, object][]): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (comparing.some(([x, y]) => x === a && y === b)) return true;
  comparing.push([a, b]);
  const equal = sameContent(a, b, comparing);
  comparing.pop();
  return equal;
}

function sameContent(a: object, b: object, comparing: [object, object][]): boolean {
  if (a instanceof Set) return a.size === (b as Set<unknown>).size && [...a].every((x) => (b as Set<unknown>).has(x));
  if (a instanceof Map) {
    const other = b as Map<unknown, unknown>;
    return a.size === other.size && [...a].every(([k, v]) => other.has(k) && same(v, other.get(k), comparing));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], comparing));
}
