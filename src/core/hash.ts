/**
 * FNV-1a 32-bit hash over a string's UTF-16 code units, returned as an unsigned integer.
 *
 * @example
 * fnv1a32(''); // 2166136261 (0x811c9dc5, the offset basis)
 */
export function fnv1a32(text: string): number {
  let state = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    // Math.imul multiplies modulo 2^32, the same value as GrowthBook's shift-and-add form of the FNV prime.
    state = Math.imul(state ^ text.charCodeAt(index), 0x01000193);
  }
  return state >>> 0;
}

/**
 * GrowthBook's bucketing hash: a number in [0, 1) for `value` under `seed`, or null for an unknown version.
 *
 * Version 2 (the default for new experiments) hashes twice to remove the bias of version 1, which is kept
 * so that assignments made with it stay where they are.
 *
 * @example
 * hash('seed', 'a', 2); // 0.0505
 * hash('', 'a', 1); // 0.22
 */
export function hash(seed: string, value: string, version: number): number | null {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10_000) / 10_000;
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return null;
}
