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
const HEX_DIGITS = '0123456789abcdef';
/** Where the dashes go in `xxxxxxxx-xxxx-7xxx-xxxx-xxxxxxxxxxxx`. */
const DASHES = [8, 13, 18, 23] as const;
const DASH = 0x2d;

/**
 * A generator of RFC 9562 UUIDv7 strings: the clock's millisecond in the first 48 bits, then version 7, a 12-bit
 * counter in rand_a (the RFC's method 1: seeded at random on each new millisecond, incremented within one), the
 * variant, and 62 fresh random bits. Ids from one generator sort strictly in creation order, as strings and as
 * bytes, so a database index receives each new key at its right-hand edge instead of at a random page.
 *
 * When more ids than the counter holds are made in one millisecond, or the clock steps back by up to 10 s, the
 * timestamp runs ahead of the clock until the clock catches up (RFC 9562 allows this rather than waiting);
 * after a larger step back the ids follow the clock again. A clock reading outside 0 to 2^48 - 1 throws InvalidConfigError on
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
  // Each id is written as ASCII here and decoded once: a flat string, where concatenating parts would leave a
  // tree of pieces that costs garbage collection while events wait in the buffer, and a copy when serialised.
  const text = Buffer.alloc(36);
  for (const position of DASHES) text[position] = DASH;

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
  const writeDigit = (position: number, value: number) => {
    text[position] = HEX_DIGITS.charCodeAt(value & 0xf);
  };
  const writeByte = (position: number, value: number) => {
    writeDigit(position, value >> 4);
    writeDigit(position + 1, value);
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
    // unix_ts_ms, 48 bits: the upper 32 and the lower 16 (bit operators work on 32 bits).
    const upper = Math.floor(timestamp / 0x10000);
    const lower = timestamp % 0x10000;
    writeByte(0, upper >>> 24);
    writeByte(2, (upper >>> 16) & 0xff);
    writeByte(4, (upper >>> 8) & 0xff);
    writeByte(6, upper & 0xff);
    writeByte(9, lower >> 8);
    writeByte(11, lower & 0xff);
    // Version 7, then the counter in rand_a.
    text[14] = HEX_DIGITS.charCodeAt(7);
    writeDigit(15, counter >> 8);
    writeByte(16, counter & 0xff);
    // rand_b: the variant (binary 10) in the top two bits of its first byte, then 62 random bits.
    const start = take(8);
    writeByte(19, ((pool[start] as number) & 0x3f) | 0x80);
    writeByte(21, pool[start + 1] as number);
    for (let index = 0; index < 6; index++) writeByte(24 + index * 2, pool[start + 2 + index] as number);
    return text.toString('latin1');
  };
}

function clockProblem(reading: number): InvalidConfigError {
  return new InvalidConfigError('invalid id clock', [
    { path: 'clock', message: `must return epoch milliseconds from 0 to 2^48 - 1, got ${reading}` },
  ]);
}
