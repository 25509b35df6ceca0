import { check } from './check.js';

/**
 * A seeded pseudo-random generator (mulberry32) returning numbers in [0, 1); the same seed gives the same
 * sequence, for deterministic bandits, simulations and tests. Uses the low 32 bits of the integer seed.
 *
 * @example
 * const rng = createRng(42);
 * rng(); // 0.6011037519201636, and the same again for every createRng(42)
 */
export function createRng(seed: number): () => number {
  let state = check.finite('seed', seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
