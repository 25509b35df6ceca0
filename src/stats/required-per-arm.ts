import normal from '@stdlib/stats-base-dists-normal';
import type { Alternative } from './sided.js';

/** The name of the sample-size formula, shared by the sample-size and MDE results. */
export const POWER_METHOD =
  'normal approximation, pooled variance under H0 and unpooled under H1 (as R power.prop.test, strict = FALSE)';

/**
 * Units per arm (not rounded) for the pooled z-test of p1 against p2 to reach `power` at level `alpha`:
 * n = (z_a·sqrt(2·p̄·(1 - p̄)) + z_b·sqrt(p1(1 - p1) + p2(1 - p2)))² / (p2 - p1)², p̄ = (p1 + p2) / 2,
 * z_a = Φ⁻¹(1 - alpha/2) two-sided or Φ⁻¹(1 - alpha) one-sided, z_b = Φ⁻¹(power).
 * Returns 0 when even a single unit reaches the power (only possible for power below about alpha).
 */
export function requiredPerArm(
  p1: number,
  p2: number,
  alpha: number,
  power: number,
  alternative: Alternative,
): number {
  const zAlpha = normal.quantile(alternative === 'two-sided' ? 1 - alpha / 2 : 1 - alpha, 0, 1);
  const zBeta = normal.quantile(power, 0, 1);
  const mean = (p1 + p2) / 2;
  const root = zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return root > 0 ? root ** 2 / (p2 - p1) ** 2 : 0;
}
