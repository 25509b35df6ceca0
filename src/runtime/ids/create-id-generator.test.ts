import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../core/errors.js';
import { createIdGenerator } from './create-id-generator.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const START = 1_750_000_000_000;

/** A seeded byte source (mulberry32), so a failing case replays exactly. */
function seededBytes(seed: number): (bytes: Uint8Array) => void {
  let state = seed >>> 0;
  return (bytes) => {
    for (let index = 0; index < bytes.length; index++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
      mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
      bytes[index] = (mixed ^ (mixed >>> 14)) & 0xff;
    }
  };
}

const constantBytes = (value: number) => (bytes: Uint8Array) => {
  bytes.fill(value);
};

const timestampOf = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
const counterOf = (id: string) => Number.parseInt(id.slice(15, 18), 16);
const bytesOf = (id: string) => Buffer.from(id.replaceAll('-', ''), 'hex');

function expectStrictlyIncreasing(ids: readonly string[]): void {
  for (let index = 1; index < ids.length; index++) {
    if (!((ids[index - 1] as string) < (ids[index] as string))) {
      throw new Error(`ids ${index - 1} and ${index} out of order: ${ids[index - 1]} >= ${ids[index]}`);
    }
  }
}

describe('createIdGenerator', () => {
  it('makes lowercase UUIDv7 strings from the default crypto source', () => {
    const newId = createIdGenerator({ clock: Date.now });
    const ids = Array.from({ length: 1_000 }, newId);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sets version 7 and variant 10 whatever the random bytes are', () => {
    for (const value of [0x00, 0xff, 0x5a]) {
      const id = createIdGenerator({ clock: () => START, random: constantBytes(value) })();
      const bytes = bytesOf(id);
      expect(bytes).toHaveLength(16);
      expect((bytes[6] as number) >> 4).toBe(7);
      expect((bytes[8] as number) >> 6).toBe(0b10);
      expect(id).toMatch(UUID_V7);
    }
  });

  it('puts the clock millisecond in the first 48 bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.integer(), (at, seed) => {
        const id = createIdGenerator({ clock: () => at, random: seededBytes(seed) })();
        expect(timestampOf(id)).toBe(at);
        expect(bytesOf(id).readUIntBE(0, 6)).toBe(at);
      }),
    );
    // Fractions of a millisecond (a high-resolution clock) round down.
    expect(timestampOf(createIdGenerator({ clock: () => START + 0.9 })())).toBe(START);
  });

  it('orders 10,000 ids made in one millisecond strictly, as strings and as bytes', () => {
    const newId = createIdGenerator({ clock: () => START, random: seededBytes(7) });
    const ids = Array.from({ length: 10_000 }, newId);
    expectStrictlyIncreasing(ids);
    const bytes = ids.map(bytesOf);
    for (let index = 1; index < bytes.length; index++) {
      expect(Buffer.compare(bytes[index - 1] as Buffer, bytes[index] as Buffer)).toBe(-1);
    }
    // Each seed leaves at least 2,048 counter steps, so 10,000 ids borrow at most four milliseconds.
    expect(timestampOf(ids[0] as string)).toBe(START);
    expect(timestampOf(ids.at(-1) as string)).toBeLessThanOrEqual(START + 4);
  });

  it('increments the counter within a millisecond and borrows the next one when it is spent', () => {
    // All-ones random bytes seed the counter at 0x7ff, the highest seed: 2,049 ids fit before the rollover.
    const newId = createIdGenerator({ clock: () => START, random: constantBytes(0xff) });
    const ids = Array.from({ length: 2_050 }, newId);
    expect(counterOf(ids[0] as string)).toBe(0x7ff);
    expect(counterOf(ids[1] as string)).toBe(0x800);
    expect(counterOf(ids[2_048] as string)).toBe(0xfff);
    expect(timestampOf(ids[2_048] as string)).toBe(START);
    expect(timestampOf(ids[2_049] as string)).toBe(START + 1);
    expect(counterOf(ids[2_049] as string)).toBe(0x7ff);
    expectStrictlyIncreasing(ids);
  });

  it('stays strictly increasing, never behind the clock, while the clock repeats, advances or jitters back', () => {
    const step = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 5_000 }),
      fc.integer({ min: -10_000, max: -1 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(step, fc.integer({ min: 1, max: 50 })), { maxLength: 60 }),
        fc.integer(),
        (steps, seed) => {
          let now = START;
          const newId = createIdGenerator({ clock: () => now, random: seededBytes(seed) });
          const ids: string[] = [];
          let latest = START;
          for (const [delta, count] of steps) {
            // A step back stays within 10 s of the latest reading: jitter, not a clock reset.
            now = Math.max(now + delta, latest - 10_000);
            latest = Math.max(latest, now);
            for (let index = 0; index < count; index++) {
              const id = newId();
              expect(id).toMatch(UUID_V7);
              expect(timestampOf(id)).toBeGreaterThanOrEqual(now);
              // Ahead of the clock only while catching up: at most the latest reading plus borrowed milliseconds.
              expect(timestampOf(id)).toBeLessThanOrEqual(latest + 1);
              ids.push(id);
            }
          }
          expectStrictlyIncreasing(ids);
        },
      ),
    );
  });

  it('follows the clock again after it steps back by more than 10 s', () => {
    let now = START;
    const newId = createIdGenerator({ clock: () => now, random: seededBytes(3) });
    newId();
    now = START - 10_000;
    expect(timestampOf(newId())).toBe(START);
    now = START - 10_001;
    expect(timestampOf(newId())).toBe(START - 10_001);
  });

  it('rejects clock readings outside 0 to 2^48 - 1, naming the clock', () => {
    for (const reading of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 48]) {
      const newId = createIdGenerator({ clock: () => reading });
      expect(newId).toThrow(InvalidConfigError);
      expect(newId).toThrow(/clock/);
    }
  });

  it('draws the random bytes in bulk rather than once per id', () => {
    let fills = 0;
    const source = seededBytes(11);
    const newId = createIdGenerator({
      clock: () => START,
      random: (bytes) => {
        fills++;
        source(bytes);
      },
    });
    for (let index = 0; index < 1_000; index++) newId();
    expect(fills).toBeLessThanOrEqual(3);
  });
});
