import normal from '@stdlib/stats-base-dists-normal';
import type { ArmEstimate } from './arm-estimate.js';
import type { LatencyDistribution } from './experiment-data.js';
import { jsonSafe } from './json-safe.js';

/** Rank bounds stay strictly inside (0, 1), as GrowthBook clamps them. */
const LEVEL_FLOOR = 1e-8;

/**
 * One arm's quantile (p95 latency) with its interval and standard error by the order-statistic method
 * GrowthBook uses for quantile metrics. The number of runs below the true quantile q_p is Binomial(n, p),
 * so by its normal approximation the ranks n·(p ∓ z·sqrt(p(1 - p)/n)), z = Φ⁻¹(1 - alpha/2), bracket q_p with
 * probability about 1 - alpha: the quantile function read at those two levels is the interval. The standard
 * error is backed out of its width, SE = (upper - lower) / (2z) · sqrt((n - 1) / n) (gbstats'
 * QuantileStatistic with n* = n), and comparisons then use a z-test on the difference of two quantiles.
 * Runs are treated as independent observations, although one unit may make several (the variance ignores
 * that clustering). Without enough runs for both rank bounds to fall inside (0, 1), that is
 * n <= z²·p/(1 - p) or n <= z²·(1 - p)/p (73 runs for p95 at alpha 0.05), the interval and variance are null.
 */
export function quantileEstimate(
  latency: LatencyDistribution | null,
  level: number,
  alpha: number,
): ArmEstimate {
  const n = latency?.count ?? 0;
  if (!latency || n === 0) return { n, value: null, perUnitVariance: null, successes: 0, interval: null };
  const value = finite(latency.quantile(level));
  const critical = normal.quantile(1 - alpha / 2, 0, 1);
  const tooFew = n <= (critical ** 2 * level) / (1 - level) || n <= (critical ** 2 * (1 - level)) / level;
  if (value === null || tooFew) return { n, value, perUnitVariance: null, successes: 0, interval: null };

  const rankSpread = critical * Math.sqrt((level * (1 - level)) / n);
  const lower = finite(latency.quantile(Math.max(level - rankSpread, LEVEL_FLOOR)));
  const upper = finite(latency.quantile(Math.min(level + rankSpread, 1 - LEVEL_FLOOR)));
  if (lower === null || upper === null)
    return { n, value, perUnitVariance: null, successes: 0, interval: null };
  // SE² = ((upper - lower) / 2z)² · (n - 1) / n, stored per run so that SE² = perUnitVariance / n.
  const perUnitVariance = jsonSafe.number(((upper - lower) / (2 * critical)) ** 2 * (n - 1));
  return {
    n,
    value,
    perUnitVariance,
    successes: 0,
    interval: [Math.min(lower, upper), Math.max(lower, upper)],
  };
}

function finite(value: number): number | null {
  return jsonSafe.number(value);
}
