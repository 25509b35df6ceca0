import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RankedSpan, resolveOverlaps } from './resolve-overlaps.js';

const span = (type: string, start: number, end: number, rank = 0): RankedSpan => ({ type, start, end, rank });

describe('resolveOverlaps', () => {
  it('keeps disjoint spans, sorted by start', () => {
    expect(resolveOverlaps([span('b', 10, 12), span('a', 0, 3), span('c', 3, 5)])).toEqual([
      span('a', 0, 3),
      span('c', 3, 5),
      span('b', 10, 12),
    ]);
  });

  it('merges overlapping spans into one typed by the longest', () => {
    expect(resolveOverlaps([span('phone', 0, 9, 5), span('card', 5, 24, 2)])).toEqual([
      span('card', 0, 24, 2),
    ]);
  });

  it('breaks a length tie by the earliest start, then by the lowest rank', () => {
    expect(resolveOverlaps([span('late', 2, 6), span('early', 0, 4)])).toEqual([span('early', 0, 6)]);
    expect(resolveOverlaps([span('second', 0, 4, 2), span('first', 0, 4, 1)])).toEqual([
      span('first', 0, 4, 1),
    ]);
  });

  it('merges a chain of overlaps transitively', () => {
    expect(resolveOverlaps([span('a', 0, 4), span('b', 3, 8), span('c', 7, 9)])).toEqual([span('b', 0, 9)]);
  });

  it('returns sorted, disjoint spans covering exactly the input, whatever the input order', () => {
    const spans = fc.array(
      fc
        .tuple(
          fc.integer({ min: 0, max: 60 }),
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 0, max: 3 }),
        )
        .map(([start, length, rank]) => span(`t${rank}`, start, start + length, rank)),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(spans, (input) => {
        const output = resolveOverlaps(input);
        const reversed = resolveOverlaps([...input].reverse());
        expect(reversed).toEqual(output);
        const covered = (list: readonly RankedSpan[]) => {
          const positions = new Set<number>();
          for (const item of list)
            for (let index = item.start; index < item.end; index += 1) positions.add(index);
          return [...positions].sort((left, right) => left - right);
        };
        expect(covered(output)).toEqual(covered(input));
        output.forEach((item, index) => {
          if (index > 0) expect(item.start).toBeGreaterThan((output[index - 1] as RankedSpan).end - 1);
        });
      }),
      { seed: 7_301, numRuns: 300 },
    );
  });
});
