import type { BucketRange } from './bucket-ranges.js';

/**
 * Index of the range that holds `n` (start inclusive, end exclusive), or -1 when `n` falls outside all of them.
 *
 * @example
 * chooseVariant(0.6, [[0, 0.25], [0.5, 0.75]]); // 1
 * chooseVariant(0.4, [[0, 0.25], [0.5, 0.75]]); // -1
 */
export function chooseVariant(n: number, ranges: ReadonlyArray<Readonly<BucketRange>>): number {
  for (let index = 0; index < ranges.length; index++) {
    const range = ranges[index]!;
    if (n >= range[0] && n < range[1]) return index;
  }
  return -1;
}
