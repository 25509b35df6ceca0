/**
 * The nearest-rank `q` quantile of `values` (the smallest value with at least q x n values at or below it);
 * NaN when there are none. Infinity sorts last, so a run that never rolled back counts as the slowest.
 *
 * @example
 * nearestRank([4, 1, 3, 2], 0.5); // 2
 */
export function nearestRank(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}
