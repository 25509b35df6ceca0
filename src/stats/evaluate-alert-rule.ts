import type { AbsoluteAlertRule, RelativeAlertRule } from '../core/alert-rule.js';
import type { MetricDirection } from '../core/experiment-config.js';
import { armEstimate } from './arm-estimate.js';
import { check } from './check.js';
import { checkMetricSums } from './check-metric-sums.js';
import type { MetricSums } from './experiment-data.js';
import { jsonSafe } from './json-safe.js';
import { metricKind } from './metric-kind.js';
import { sequentialInterval } from './sequential-interval.js';

/** `firing`: the rule's condition holds; `insufficient`: too few samples (or no value) to say. */
export type AlertState = 'firing' | 'ok' | 'insufficient';

/** What an absolute rule saw: the aggregated value and its sample count, against the rule's threshold. */
export interface AbsoluteAlertEvidence {
  value: number | null;
  samples: number;
  threshold: number;
  comparator: AbsoluteAlertRule['comparator'];
}

/** The verdict of an absolute rule and what it rests on. */
export interface AbsoluteAlertEvaluation {
  state: AlertState;
  evidence: AbsoluteAlertEvidence;
}

/** The settings of an absolute rule that its evaluation reads (a parsed rule fits). */
export type AbsoluteRuleSettings = Pick<AbsoluteAlertRule, 'comparator' | 'threshold' | 'minSamples'>;

/**
 * Compares an aggregated value with an absolute rule's threshold: `insufficient` when the value is null (or not
 * finite) or came from fewer than `minSamples` samples, else `firing` when `value comparator threshold` holds.
 *
 * @example
 * evaluateAbsoluteRule({ comparator: '>', threshold: 0.02, minSamples: 100 }, { value: 0.031, samples: 640 });
 * // { state: 'firing', evidence: { value: 0.031, samples: 640, threshold: 0.02, comparator: '>' } }
 */
export function evaluateAbsoluteRule(
  rule: AbsoluteRuleSettings,
  observed: { value: number | null; samples: number },
): AbsoluteAlertEvaluation {
  const value = jsonSafe.number(observed.value);
  const evidence = {
    value,
    samples: observed.samples,
    threshold: rule.threshold,
    comparator: rule.comparator,
  };
  if (value === null || !(observed.samples >= rule.minSamples)) return { state: 'insufficient', evidence };
  return { state: holds(value, rule.comparator, rule.threshold) ? 'firing' : 'ok', evidence };
}

function holds(value: number, comparator: AbsoluteAlertRule['comparator'], threshold: number): boolean {
  if (comparator === '>') return value > threshold;
  if (comparator === '>=') return value >= threshold;
  if (comparator === '<') return value < threshold;
  return value <= threshold;
}

/** What a relative rule saw: both arms' values, the difference and its one-sided always-valid interval. */
export interface RelativeAlertEvidence {
  controlValue: number | null;
  treatmentValue: number | null;
  /** treatment - control; null when insufficient. */
  diff: number | null;
  /** One-sided confidence sequence for diff at 1 - alpha: the side that is not tested is null (unbounded). */
  interval: [number | null, number | null] | null;
  /** Always-valid one-sided p-value of "treatment is worse by more than the margin". */
  pValue: number | null;
  /** The difference the interval must clear to fire: margin x |control value|, signed to the bad side. */
  threshold: number | null;
  /** Units with data per arm. */
  samples: { control: number; treatment: number };
  method: string;
}

/** The verdict of a relative rule for one treatment and what it rests on. */
export interface RelativeAlertEvaluation {
  state: AlertState;
  evidence: RelativeAlertEvidence;
}

/** The settings of a relative rule that its evaluation reads (a parsed rule fits). */
export type RelativeRuleSettings = Pick<RelativeAlertRule, 'alpha' | 'margin' | 'minSamples'>;

/** Input of `evaluateRelativeRule`: both arms' sums of the rule's metric since monitoring began. */
export interface RelativeAlertInput {
  control: MetricSums;
  treatment: MetricSums;
  /** Which way the metric improves (`metricDirection(rule.metric)`); the other way is worse. */
  direction: MetricDirection;
}

/**
 * Tests whether a treatment is worse than control, safe to repeat at every evaluation: the sums become
 * estimates the way the experiment analysis makes them (`metricKind`, `armEstimate`), then the one-sided
 * always-valid confidence sequence of treatment - control (`sequentialInterval`, alternative on the metric's
 * bad side) at `alpha` is compared with margin x |control value|. `firing` only when the whole interval lies
 * beyond that on the bad side, so the chance that a treatment no worse than control by the margin ever fires,
 * however often it is evaluated, is at most about alpha. `insufficient` below `minSamples` units with data per
 * arm, or when an arm has no value or (means, ratios) fewer than 2 units. Throws INVALID_INPUT naming the
 * field for malformed sums or settings. The margin is taken relative to the control estimate, held fixed.
 *
 * @example
 * // 20 and 60 errors in 1,000 units per arm; each unit's numerator and denominator are 0 or 1.
 * const errors = (count: number) => ({ units: 1000, unitsWithData: 1000, numerator: count, denominator: 1000,
 *   numeratorSquares: count, denominatorSquares: 1000, crossProducts: count });
 * evaluateRelativeRule({ alpha: 0.05, margin: 0, minSamples: 100 }, { control: errors(20), treatment: errors(60), direction: 'lower' });
 * // { state: 'firing', evidence: { diff: 0.04, interval: [0.0148, null], pValue: 0.0005, ... } }
 */
export function evaluateRelativeRule(
  rule: RelativeRuleSettings,
  input: RelativeAlertInput,
): RelativeAlertEvaluation {
  const control = checkMetricSums('control', input.control);
  const treatment = checkMetricSums('treatment', input.treatment);
  const margin = check.nonNegative('margin', rule.margin);
  const minSamples = check.nonNegative('minSamples', rule.minSamples);
  check.openUnit('alpha', rule.alpha);
  if (input.direction !== 'higher' && input.direction !== 'lower') {
    check.fail('direction', '"higher" or "lower"', input.direction);
  }

  const kind = metricKind([control, treatment]);
  const controlEstimate = armEstimate(kind, control, rule.alpha);
  const treatmentEstimate = armEstimate(kind, treatment, rule.alpha);
  const samples = { control: controlEstimate.n, treatment: treatmentEstimate.n };
  const insufficient = (reason: string): RelativeAlertEvaluation => ({
    state: 'insufficient',
    evidence: {
      controlValue: controlEstimate.value,
      treatmentValue: treatmentEstimate.value,
      diff: null,
      interval: null,
      pValue: null,
      threshold: null,
      samples,
      method: `not tested: ${reason}`,
    },
  });
  if (samples.control < minSamples || samples.treatment < minSamples) {
    return insufficient(`fewer than ${minSamples} units with data in an arm`);
  }
  if (
    controlEstimate.value === null ||
    treatmentEstimate.value === null ||
    controlEstimate.perUnitVariance === null ||
    treatmentEstimate.perUnitVariance === null
  ) {
    return insufficient('an arm has no value or too little data for a variance');
  }

  // Worse is up for lower-is-better metrics (errors, cost, latency) and down for the others.
  const worseSign = input.direction === 'lower' ? 1 : -1;
  const threshold = worseSign * margin * Math.abs(controlEstimate.value);
  // Testing diff - threshold against 0 tests diff against the margin; a proportion's per-unit variance is
  // p(1 - p), so the means form gives the same sequence as the proportions form.
  const sequence = sequentialInterval({
    meanA: controlEstimate.value,
    varA: controlEstimate.perUnitVariance,
    nA: controlEstimate.n,
    meanB: treatmentEstimate.value - threshold,
    varB: treatmentEstimate.perUnitVariance,
    nB: treatmentEstimate.n,
    alpha: rule.alpha,
    alternative: worseSign > 0 ? 'greater' : 'less',
  });
  const [lower, upper] = sequence.interval;
  const firing = worseSign > 0 ? lower > 0 : upper < 0;
  const diff = treatmentEstimate.value - controlEstimate.value;
  return {
    state: firing ? 'firing' : 'ok',
    evidence: {
      controlValue: controlEstimate.value,
      treatmentValue: treatmentEstimate.value,
      diff: jsonSafe.number(diff),
      interval: [jsonSafe.number(lower + threshold), jsonSafe.number(upper + threshold)],
      pValue: jsonSafe.number(sequence.pValue),
      threshold,
      samples,
      method: `${kind}; ${sequence.method}; margin ${margin} x |control|`,
    },
  };
}
