/**
 * The unit id a split hashes for an attribute value: strings (not empty), finite numbers, bigints and
 * booleans as text; null when the value cannot identify a unit.
 */
export function unitId(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return null;
}
