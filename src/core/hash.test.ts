import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a32, foldUint32Decimal, hash, hashV2FromSeedState, seedHashState } from './hash.js';

/** FNV-1a 32 straight from its definition, in BigInt arithmetic: xor each code unit, multiply by the prime. */
function referenceFnv1a32(text: string): number {
  let state = 0x811c9dc5n;
  for (let index = 0; index < text.length; index++) {
    state = ((state ^ BigInt(text.charCodeAt(index))) * 0x01000193n) % 0x1_0000_0000n;
  }
  return Number(state);
}

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes UTF-16 code units, so a surrogate pair counts as two units', () => {
    expect(fnv1a32('😀')).toBe(referenceFnv1a32('\ud83d\ude00'));
    expect(fnv1a32('\ud83d')).toBe(referenceFnv1a32('\ud83d'));
  });

  it('equals the BigInt reference for any string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: codeUnit, maxLength: 40 }),
        (text) => fnv1a32(text) === referenceFnv1a32(text),
      ),
      { seed: 20_240_601, numRuns: 300 },
    );
  });
});

describe('hash', () => {
  it('returns null for an unknown hash version', () => {
    expect(hash('seed', 'user-1', 0)).toBeNull();
    expect(hash('seed', 'user-1', 3)).toBeNull();
  });

  it('gives version 1 in thousandths and version 2 in ten-thousandths of [0, 1)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (seed, value) => {
        const v1 = hash(seed, value, 1)!;
        const v2 = hash(seed, value, 2)!;
        expect(v1).toBeGreaterThanOrEqual(0);
        expect(v1).toBeLessThan(1);
        expect(Number.isInteger(Math.round(v1 * 1000 * 1e6) / 1e6)).toBe(true);
        expect(v2).toBeGreaterThanOrEqual(0);
        expect(v2).toBeLessThan(1);
        expect(Number.isInteger(Math.round(v2 * 10_000 * 1e6) / 1e6)).toBe(true);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('puts version 1 in value + seed order and version 2 in seed + value order', () => {
    expect(hash('b', 'a', 1)).toBe((fnv1a32('ab') % 1000) / 1000);
    expect(hash('b', 'a', 2)).toBe((fnv1a32(String(fnv1a32('ba'))) % 10_000) / 10_000);
  });

  it('spreads version 2 evenly: each tenth of [0, 1) gets about a tenth of 20,000 units', () => {
    const counts = new Array<number>(10).fill(0);
    for (let index = 0; index < 20_000; index++) {
      const bucket = Math.floor(hash('experiment-seed', `user-${index}`, 2)! * 10);
      counts[bucket]! += 1;
    }
    for (const count of counts) {
      // Expected 2,000 per bin with a standard deviation of about 42; 200 is nearly five of them.
      expect(Math.abs(count - 2000)).toBeLessThan(200);
    }
  });
});

describe('the fast version-2 path', () => {
  const naiveV2 = (seed: string, value: string) => (fnv1a32(String(fnv1a32(seed + value))) % 10_000) / 10_000;

  it('equals the textbook formula for any seed and value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (seed, value) => {
        expect(hashV2FromSeedState(seedHashState(seed), value)).toBe(naiveV2(seed, value));
        expect(hash(seed, value, 2)).toBe(naiveV2(seed, value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('folds the decimal digits of every unsigned 32-bit integer like String() does', () => {
    const edges = [0, 9, 10, 99_999, 100_000, 100_001, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
    for (const value of edges)
      expect(foldUint32Decimal(0x811c9dc5, value) >>> 0).toBe(fnv1a32(String(value)));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (value) => {
        expect(foldUint32Decimal(0x811c9dc5, value) >>> 0).toBe(fnv1a32(String(value)));
      }),
      { numRuns: 5_000 },
    );
  });
});
