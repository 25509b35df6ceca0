/**
 * `n` equal weights summing to 1; empty when `n` is below 1 (a fractional `n` is rounded down).
 *
 * @example
 * getEqualWeights(4); // [0.25, 0.25, 0.25, 0.25]
 */
export function getEqualWeights(n: number): number[] {
  const count = Math.floor(n);
  // `!(count >= 1)` also turns NaN into an empty list instead of a RangeError from `new Array`.
  if (!(count >= 1)) return [];
  return new Array<number>(count).fill(1 / count);
}
