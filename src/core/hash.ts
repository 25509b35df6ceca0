const OFFSET_BASIS = 0x811c9dc5;
const PRIME = 0x01000193;

/**
 * FNV-1a 32-bit hash over a string's UTF-16 code units, returned as an unsigned integer.
 *
 * @example
 * fnv1a32(''); // 2166136261 (0x811c9dc5, the offset basis)
 */
export function fnv1a32(text: string): number {
  return fnv1aFold(OFFSET_BASIS, text) >>> 0;
}

/**
 * Continues an FNV-1a state (int32) over a string's UTF-16 code units, so a fixed prefix such as a seed
 * is hashed once and not on every call.
 */
export function fnv1aFold(state: number, text: string): number {
  for (let index = 0; index < text.length; index++) {
    // Math.imul multiplies modulo 2^32, the same value as GrowthBook's shift-and-add form of the FNV prime.
    state = Math.imul(state ^ text.charCodeAt(index), PRIME);
  }
  return state;
}

/** The FNV-1a state after a seed: pass it to `hashV2FromSeedState` for every unit. */
export function seedHashState(seed: string): number {
  return fnv1aFold(OFFSET_BASIS, seed);
}

/**
 * GrowthBook's version-2 hash of `value` from the state already folded over the seed: the same number as
 * `hash(seed, value, 2)`, without concatenating strings or formatting the inner hash as text.
 */
export function hashV2FromSeedState(seedState: number, value: string): number {
  const inner = fnv1aFold(seedState, value) >>> 0;
  const outer = foldUint32Decimal(OFFSET_BASIS, inner) >>> 0;
  // `outer % 10000` on a number above 2^31 takes V8's slow floating-point path; this is exact and fast.
  return (outer - Math.floor(outer / 10_000) * 10_000) / 10_000;
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
  if (version === 2) return hashV2FromSeedState(seedHashState(seed), value);
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return null;
}

/**
 * Folds the decimal digits of an unsigned 32-bit integer, exactly as folding `String(value)` would.
 * The value is split into two int32 halves first so that every division below stays on integers.
 */
export function foldUint32Decimal(state: number, value: number): number {
  const high = Math.floor(value / 100_000) | 0;
  const low = (value - high * 100_000) | 0;
  return high > 0 ? foldFiveDigits(foldUnpadded(state, high), low) : foldUnpadded(state, low);
}

function foldDigit(state: number, digit: number): number {
  return Math.imul(state ^ (48 + digit), PRIME);
}

function foldUnpadded(state: number, value: number): number {
  if (value >= 10_000) return foldFiveDigits(state, value);
  if (value >= 1_000) return foldFourDigits(state, value);
  if (value >= 100) return foldThreeDigits(state, value);
  if (value >= 10) return foldTwoDigits(state, value);
  return foldDigit(state, value);
}

function foldFiveDigits(state: number, value: number): number {
  return foldFourDigits(foldDigit(state, (value / 10_000) | 0), value % 10_000);
}

function foldFourDigits(state: number, value: number): number {
  return foldThreeDigits(foldDigit(state, (value / 1_000) | 0), value % 1_000);
}

function foldThreeDigits(state: number, value: number): number {
  return foldTwoDigits(foldDigit(state, (value / 100) | 0), value % 100);
}

function foldTwoDigits(state: number, value: number): number {
  return foldDigit(foldDigit(state, (value / 10) | 0), value % 10);
}
