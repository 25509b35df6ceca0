/** A source of uniform numbers in [0, 1); each call advances the sequence by one. */
export type RandomSource = () => number;

/**
 * Creates a mulberry32 generator: small, fast and fully determined by its 32-bit seed, which is all a
 * fake upstream needs to make fault and latency draws repeatable.
 *
 * @example
 * const random = createSeededRandom(42);
 * const first = random(); // always the same value for seed 42
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Derives a 32-bit seed for one named stream from a base seed (FNV-1a over the name), so each model
 * of a fake upstream draws from its own sequence and traffic to one model never shifts another's.
 */
export function deriveSeed(seed: number, name: string): number {
  let hash = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let index = 0; index < name.length; index += 1) {
    hash ^= name.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
