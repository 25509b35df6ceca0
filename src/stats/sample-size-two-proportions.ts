import { check } from './check.js';
import { POWER_METHOD, requiredPerArm } from './required-per-arm.js';
import type { Alternative } from './sided.js';

/** The baseline rate, the rate to detect, and the test's settings. */
export interface SampleSizeInput {
  /** Control (baseline) rate, in (0, 1). */
  p1: number;
  /** Treatment rate to detect, in [0, 1], different from p1 (above p1 for 'greater', below for 'less'). */
  p2: number;
  /** Default 0.05. */
  alpha?: number;
  /** Default 0.8. */
  power?: number;
  /** Default 'two-sided'. */
  alternative?: Alternative;
}

/** Units needed in each of the two arms. */
export interface SampleSizeResult {
  /** Units per arm, rounded up. */
  perArm: number;
  /** The formula's value before rounding. */
  exactPerArm: number;
  method: string;
}

/**
 * Units per arm for a two-proportion z-test to detect p1 → p2 with the given power, by the normal
 * approximation with pooled variance under H0 and unpooled variance under H1 (R's power.prop.test formula).
 *
 * @example
 * sampleSizeTwoProportions({ p1: 0.1, p2: 0.12 }).perArm; // 3841
 */
export function sampleSizeTwoProportions(input: SampleSizeInput): SampleSizeResult {
  const p1 = check.openUnit('p1', input.p1);
  const p2 = check.unit('p2', input.p2);
  const alpha = check.openUnit('alpha', input.alpha ?? 0.05);
  const power = check.openUnit('power', input.power ?? 0.8);
  const alternative = check.alternative('alternative', input.alternative ?? 'two-sided');
  if (p2 === p1) check.fail('p2', `different from p1 (${p1})`, p2);
  if (alternative === 'greater' && p2 < p1)
    check.fail('p2', `above p1 (${p1}) for alternative 'greater'`, p2);
  if (alternative === 'less' && p2 > p1) check.fail('p2', `below p1 (${p1}) for alternative 'less'`, p2);

  const exactPerArm = requiredPerArm(p1, p2, alpha, power, alternative);
  // The tolerance keeps a formula value like 392.0000000001 (rounding noise) from becoming 393.
  const perArm = Math.max(1, Math.ceil(exactPerArm - 1e-9));
  return { perArm, exactPerArm, method: POWER_METHOD };
}
