import { check } from './check.js';
import { POWER_METHOD, requiredPerArm } from './required-per-arm.js';
import type { Alternative } from './sided.js';

/** The baseline rate, the units per arm available, and the test's settings. */
export interface MinimumDetectableEffectInput {
  /** Control (baseline) rate, in (0, 1). */
  p1: number;
  /** Units per arm. */
  n: number;
  /** Default 0.05. */
  alpha?: number;
  /** Default 0.8. */
  power?: number;
  /** Default 'two-sided' (an increase is solved for); 'less' solves for a decrease. */
  alternative?: Alternative;
}

/** The smallest absolute change in rate that n units per arm detect with the requested power. */
export interface MinimumDetectableEffectResult {
  /** |p2 - p1|; Infinity when no reachable rate (p2 within [0, 1]) is detectable with n units per arm. */
  effect: number;
  /** The detectable treatment rate p1 ± effect (NaN when effect is Infinity). */
  p2: number;
  method: string;
}

const GRID_STEPS = 1000;
const BISECTION_STEPS = 200;

/**
 * Inverts the sample-size formula of `sampleSizeTwoProportions`: the smallest |p2 - p1| for which n units
 * per arm reach the requested power (an increase, or a decrease for alternative 'less').
 *
 * @example
 * minimumDetectableEffect({ p1: 0.1, n: 3841 }).effect; // ≈ 0.02
 */
export function minimumDetectableEffect(input: MinimumDetectableEffectInput): MinimumDetectableEffectResult {
  const p1 = check.openUnit('p1', input.p1);
  const n = check.positive('n', input.n);
  const alpha = check.openUnit('alpha', input.alpha ?? 0.05);
  const power = check.openUnit('power', input.power ?? 0.8);
  const alternative = check.alternative('alternative', input.alternative ?? 'two-sided');

  const direction = alternative === 'less' ? -1 : 1;
  const largest = alternative === 'less' ? p1 : 1 - p1;
  // Positive once `effect` is detectable with n per arm.
  const surplus = (effect: number): number =>
    n - requiredPerArm(p1, p1 + direction * effect, alpha, power, alternative);

  // The formula need not be monotone in the effect for tiny n, so a grid finds the first crossing and
  // bisection then refines it inside that cell.
  let low = 0;
  let high = Number.NaN;
  for (let step = 1; step <= GRID_STEPS; step += 1) {
    const effect = (largest * step) / GRID_STEPS;
    if (surplus(effect) >= 0) {
      high = effect;
      break;
    }
    low = effect;
  }
  if (Number.isNaN(high)) return { effect: Number.POSITIVE_INFINITY, p2: Number.NaN, method: POWER_METHOD };
  for (let step = 0; step < BISECTION_STEPS && high - low > 1e-15; step += 1) {
    const middle = (low + high) / 2;
    if (surplus(middle) >= 0) high = middle;
    else low = middle;
  }
  return { effect: high, p2: p1 + direction * high, method: POWER_METHOD };
}
