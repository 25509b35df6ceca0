import { check } from './check.js';

/** Multiple-testing corrections: family-wise error (Bonferroni, Holm) or false discovery rate (Benjamini–Hochberg). */
export type PValueAdjustment = 'bonferroni' | 'holm' | 'bh';

const ADJUSTMENTS: readonly PValueAdjustment[] = ['bonferroni', 'holm', 'bh'];

/**
 * Adjusts p-values for multiple comparisons exactly as R's `p.adjust` does (same monotonicity, capped at 1),
 * returning them in input order.
 *
 * @example
 * adjustPValues([0.01, 0.04, 0.03], 'holm'); // [0.03, 0.06, 0.06]
 */
export function adjustPValues(pValues: readonly number[], method: PValueAdjustment): number[] {
  if (!Array.isArray(pValues)) check.fail('pValues', 'an array of numbers', pValues);
  if (!ADJUSTMENTS.includes(method)) check.fail('method', `one of ${ADJUSTMENTS.join(', ')}`, method);
  pValues.forEach((value, index) => {
    check.unit(`pValues[${index}]`, value);
  });
  const count = pValues.length;

  if (method === 'bonferroni') return pValues.map((value) => Math.min(1, count * value));

  const adjusted = new Array<number>(count);
  if (method === 'holm') {
    // Ascending order; the k-th smallest (0-based) is multiplied by (count - k), then a running maximum
    // keeps the adjusted values in the same order as the raw ones.
    const order = orderBy(pValues, (left, right) => left - right);
    let runningMax = 0;
    order.forEach((originalIndex, rank) => {
      runningMax = Math.max(runningMax, (count - rank) * pValues[originalIndex]!);
      adjusted[originalIndex] = Math.min(1, runningMax);
    });
    return adjusted;
  }

  // Benjamini–Hochberg: descending order; the value of rank i (1-based, ascending) becomes count/i * p,
  // with a running minimum from the largest down.
  const order = orderBy(pValues, (left, right) => right - left);
  let runningMin = Number.POSITIVE_INFINITY;
  order.forEach((originalIndex, position) => {
    const ascendingRank = count - position;
    runningMin = Math.min(runningMin, (count / ascendingRank) * pValues[originalIndex]!);
    adjusted[originalIndex] = Math.min(1, runningMin);
  });
  return adjusted;
}

/** Indices of `values` sorted by `compare`; ties keep input order, as R's `order` does. */
function orderBy(values: readonly number[], compare: (left: number, right: number) => number): number[] {
  return values
    .map((_, index) => index)
    .sort((left, right) => compare(values[left]!, values[right]!) || left - right);
}
