import { getEqualWeights } from './equal-weights.js';

/** A half-open slice `[start, end)` of the hash space [0, 1) that one variant owns. */
export type BucketRange = [start: number, end: number];

/**
 * Splits [0, 1) into one range per variant, as GrowthBook does: each variant's slot starts at the sum of the
 * weights before it and covers `coverage` of its weight, so raising coverage only extends ranges and no unit
 * already included changes variant.
 *
 * Coverage is clamped to [0, 1] (undefined means 1). Weights fall back to equal weights when missing, of the
 * wrong length, or not summing to 1 within 0.01.
 *
 * @example
 * getBucketRanges(2, 0.5); // [[0, 0.25], [0.5, 0.75]]
 * getBucketRanges(3, 1, [0.2, 0.3, 0.5]); // [[0, 0.2], [0.2, 0.5], [0.5, 1]]
 */
export function getBucketRanges(
  numVariations: number,
  coverage?: number,
  weights?: readonly number[] | null,
): BucketRange[] {
  const share = clampCoverage(coverage);
  const chosen = usableWeights(numVariations, weights) ?? getEqualWeights(numVariations);
  const ranges: BucketRange[] = [];
  let cumulative = 0;
  for (const weight of chosen) {
    const start = cumulative;
    cumulative += weight;
    ranges.push([start, start + share * weight]);
  }
  return ranges;
}

function clampCoverage(coverage: number | undefined): number {
  if (coverage === undefined) return 1;
  // NaN counts as 0: a range ending at NaN would match nobody anyway, so say so plainly.
  if (!(coverage > 0)) return 0;
  return coverage > 1 ? 1 : coverage;
}

function usableWeights(numVariations: number, weights: readonly number[] | null | undefined) {
  if (!weights || weights.length !== numVariations) return null;
  let total = 0;
  for (const weight of weights) total += weight;
  // Written so that a NaN total is rejected too.
  return total >= 0.99 && total <= 1.01 ? weights : null;
}
