import { randomFillSync } from 'node:crypto';
import { InvalidConfigError } from '../../core/errors.js';

/** Options of `createIdGenerator`. */
export interface IdGeneratorOptions {
  /** Epoch-ms clock whose reading becomes each id's first 48 bits. */
  clock: () => number;
  /** Fills a byte array with random bytes; default node:crypto's `randomFillSync`. */
  random?: (bytes: Uint8Array) => void;
}

/** The largest time a UUIDv7 holds: 48 bits of milliseconds, in the year 10889. */
const MAX_TIMESTAMP = 2 ** 48 - 1;
/** The counter fills rand_a, 12 bits. */
const MAX_COUNTER = 0xfff;
/** Seeds keep the counter's top bit clear, so at least 2,048 ids fit in a millisecond before it rolls over. */
const COUNTER_SEED_MASK = 0x7ff;
/** A clock step back larger than this is a reset, not jitter: ids follow the clock again. */
const CLOCK_RESET_MS = 10_000;
/** Random bytes drawn per refill: one `randomFillSync` call serves hundreds of ids. */
const POOL_BYTES = 4_096;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A generator of RFC 9562 UUIDv7 strings: the clock's millisecond in the first 48 bits, then version 7, a 12-bit
 * counter in rand_a (the RFC's method 1: seeded at random on each new millisecond, incremented within one), the
 * variant, and 62 fresh random bits. Ids from one generator sort strictly in creation order, as strings and as
 * bytes, so a database index receives each new key at its right-hand edge instead of at a random page.
 *
 * When more ids than the counter holds are made in one millisecond, or the clock steps back by up to 10 s, the
 * timestamp runs ahead of the clock until the clock catches up (the RFC allows either); after a larger step
 * back the ids follow the clock again. A clock reading outside 0 to 2^48 - 1 throws InvalidConfigError on
 * `clock`.
 *
 * @example
 * const newId = createIdGenerator({ clock: Date.now });
 * newId(); // '0197a3c1-52e0-7a4b-9c1d-3f6e8b2a4c10'
 */
export function createIdGenerator(options: IdGeneratorOptions): () => string {
  const { clock } = options;
  const fill = options.random ?? randomFillSync;
  const pool = new Uint8Array(POOL_BYTES);
  let offset = POOL_BYTES;
  let timestamp = -1;
  let counter = 0;

  // Where `count` fresh random bytes start in the pool.
  const take = (count: number): number => {
    if (offset + count > POOL_BYTES) {
      fill(pool);
      offset = 0;
    }
    const start = offset;
    offset += count;
    return start;
  };
  const seedCounter = (): number => {
    const start = take(2);
    return (((pool[start] as number) << 8) | (pool[start + 1] as number)) & COUNTER_SEED_MASK;
  };

  return () => {
    const now = Math.floor(clock());
    if (!(now >= 0 && now <= MAX_TIMESTAMP)) throw clockProblem(now);
    if (now > timestamp || now < timestamp - CLOCK_RESET_MS) {
      timestamp = now;
      counter = seedCounter();
    } else if (counter < MAX_COUNTER) {
      counter++;
    } else {
      // The counter is spent: borrow the next millisecond (RFC 9562 6.2, counter rollover handling).
      if (timestamp === MAX_TIMESTAMP) throw clockProblem(timestamp + 1);
      timestamp++;
      counter = seedCounter();
    }
    const time = timestamp.toString(16).padStart(12, '0');
    const start = take(8);
    // The top two bits of rand_b's first byte are the variant, binary 10.
    const variant = ((pool[start] as number) & 0x3f) | 0x80;
    let tail = '';
    for (let index = start + 2; index < start + 8; index++) tail += HEX[pool[index] as number];
    return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}-${HEX[variant]}${
      HEX[pool[start + 1] as number]
    }-${tail}`;
  };
}

function clockProblem(reading: number): InvalidConfigError {
  return new InvalidConfigError('invalid id clock', [
    { path: 'clock', message: `must return epoch milliseconds from 0 to 2^48 - 1, got ${reading}` },
  ]);
}
