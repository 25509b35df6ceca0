import normal from '@stdlib/stats-base-dists-normal';
import type { MetricDirection } from '../core/experiment-config.js';
import type { ArmEstimate } from './arm-estimate.js';
import type { MetricKind, PowerEstimate } from './experiment-analysis.js';
import { jsonSafe } from './json-safe.js';
import { sampleSizeTwoProportions } from './sample-size-two-proportions.js';

/** The test's settings and the effect to detect. */
export interface PowerSettings {
  alpha: number;
  power: number;
  /** Minimum detectable effect relative to control (0.1 = 10 %). */
  mde: number;
  direction: MetricDirection;
}

const PROPORTION_METHOD =
  'two-sided two-proportion z-test, normal approximation (pooled SE under H0, unpooled under H1, as R power.prop.test); ' +
  'sample size by sampleSizeTwoProportions';
const MEAN_METHOD =
  'two-sided z-approximation with the pooled per-unit variance: power = Φ(δ / (σ·sqrt(1/nA + 1/nB)) - z(1 - alpha/2)), ' +
  'n per arm = 2σ²(z(1 - alpha/2) + z(power))² / δ²';

/**
 * Prospective power of a comparison to detect the configured relative MDE in the metric's good direction
 * (control × (1 + mde), or × (1 - mde) when lower is better) at the arms' current units with data — not the
 * post-hoc "observed power" of the measured effect — with the units per arm that the configured power needs
 * and how many are still missing. Proportions use R's power.prop.test formula (with unequal arm sizes, the
 * pooled rate weighted by n); other kinds the normal approximation with the pooled per-unit variance σ² and
 * δ = mde × |control|. Fields are null when the control value is 0 or unknown, the target rate falls outside
 * [0, 1], or the variance is 0 or unknown.
 */
export function achievedPower(
  kind: MetricKind,
  control: ArmEstimate,
  treatment: ArmEstimate,
  settings: PowerSettings,
): PowerEstimate {
  const zAlpha = normal.quantile(1 - settings.alpha / 2, 0, 1);
  const current = Math.min(control.n, treatment.n);
  const sign = settings.direction === 'higher' ? 1 : -1;
  const base = control.value;

  if (kind === 'proportion') {
    if (base === null || !(base > 0 && base < 1)) return unknown(PROPORTION_METHOD);
    const target = base * (1 + sign * settings.mde);
    if (!(target >= 0 && target <= 1)) return unknown(PROPORTION_METHOD);
    const needed = sampleSizeTwoProportions({
      p1: base,
      p2: target,
      alpha: settings.alpha,
      power: settings.power,
    }).perArm;
    let power: number | null = null;
    if (control.n > 0 && treatment.n > 0) {
      const pooled = (control.n * base + treatment.n * target) / (control.n + treatment.n);
      const nullError = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
      const alternativeError = Math.sqrt(
        (base * (1 - base)) / control.n + (target * (1 - target)) / treatment.n,
      );
      power = normal.cdf((Math.abs(target - base) - zAlpha * nullError) / alternativeError, 0, 1);
    }
    return finish(power, needed, current, PROPORTION_METHOD);
  }

  if (base === null || base === 0) return unknown(MEAN_METHOD);
  if (control.perUnitVariance === null || treatment.perUnitVariance === null) return unknown(MEAN_METHOD);
  if (control.n < 2 || treatment.n < 2) return unknown(MEAN_METHOD);
  const pooledVariance =
    ((control.n - 1) * control.perUnitVariance + (treatment.n - 1) * treatment.perUnitVariance) /
    (control.n + treatment.n - 2);
  const effect = settings.mde * Math.abs(base);
  if (!(pooledVariance > 0) || !(effect > 0)) return unknown(MEAN_METHOD);
  const deviation = Math.sqrt(pooledVariance);
  const power = normal.cdf(effect / (deviation * Math.sqrt(1 / control.n + 1 / treatment.n)) - zAlpha, 0, 1);
  const zPower = normal.quantile(settings.power, 0, 1);
  const needed = Math.ceil((2 * pooledVariance * (zAlpha + zPower) ** 2) / effect ** 2 - 1e-9);
  return finish(power, Math.max(2, needed), current, MEAN_METHOD);
}

function finish(power: number | null, needed: number, current: number, method: string): PowerEstimate {
  const sampleNeededPerArm = jsonSafe.number(needed);
  return {
    power: jsonSafe.number(power),
    sampleNeededPerArm,
    remainingPerArm: sampleNeededPerArm === null ? null : Math.max(0, sampleNeededPerArm - current),
    method,
  };
}

function unknown(method: string): PowerEstimate {
  return { power: null, sampleNeededPerArm: null, remainingPerArm: null, method };
}
