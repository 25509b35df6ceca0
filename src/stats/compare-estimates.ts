import normal from '@stdlib/stats-base-dists-normal';
import type { MetricDirection } from '../core/experiment-config.js';
import type { ArmEstimate } from './arm-estimate.js';
import type { MetricKind } from './experiment-analysis.js';
import { jsonSafe } from './json-safe.js';
import { sequentialInterval } from './sequential-interval.js';
import { twoProportionTest } from './two-proportion-test.js';
import { welchTest } from './welch-test.js';

/** Treatment against control on one metric, before any correction; every number finite or null. */
export interface EstimateComparison {
  diff: number | null;
  diffCI: [number, number] | null;
  relativeLift: number | null;
  relativeLiftCI: [number, number] | null;
  pValue: number | null;
  chanceToBeatControl: number | null;
  method: string;
}

/** Settings of `compareEstimates`. */
export interface CompareOptions {
  alpha: number;
  /** Always-valid intervals and p-values from `sequentialInterval` instead of fixed-horizon ones. */
  sequential: boolean;
  direction: MetricDirection;
}

const standardNormalCdf = (x: number): number => normal.cdf(x, 0, 1);

const KIND_METHODS: Record<Exclude<MetricKind, 'proportion'>, string> = {
  mean: 'per-unit mean',
  ratio: 'ratio of per-unit sums, delta-method variance',
  quantile:
    'quantile, order-statistic CI and standard error (GrowthBook quantile method; runs treated as independent)',
};

/**
 * Compares a treatment arm's estimate with control's, two-sided: proportions by the two-proportion z-test,
 * means and ratios by Welch's t-test on per-unit variances, quantiles by a z-test on the difference of two
 * quantiles; or, when `sequential`, every kind by the always-valid confidence sequence (relative lift by the
 * same sequence on the delta-method variance of treatment / control). The chance to beat control is read from
 * the difference's interval (see `withChance`), so it always agrees with the interval and the verdict.
 */
export function compareEstimates(
  kind: MetricKind,
  control: ArmEstimate,
  treatment: ArmEstimate,
  options: CompareOptions,
): EstimateComparison {
  if (kind === 'proportion') {
    if (control.n < 1 || treatment.n < 1) return notCompared('an arm has no units with data');
    return clean(compareProportions(control, treatment, options));
  }
  if (control.value === null || treatment.value === null) return notCompared('an arm has no value');
  if (
    control.perUnitVariance === null ||
    treatment.perUnitVariance === null ||
    control.n < 2 ||
    treatment.n < 2
  ) {
    return notCompared('an arm has too little data for a variance');
  }
  return clean(compareContinuous(kind, control, treatment, options));
}

function compareProportions(
  control: ArmEstimate,
  treatment: ArmEstimate,
  options: CompareOptions,
): EstimateComparison {
  const counts = {
    successesA: control.successes,
    totalA: control.n,
    successesB: treatment.successes,
    totalB: treatment.n,
  };
  if (options.sequential) {
    return withChance(
      {
        ...sequentialComparison(control, treatment, counts, options.alpha),
        method: sequentialInterval({ ...counts, alpha: options.alpha }).method,
      },
      options,
    );
  }
  const test = twoProportionTest({ ...counts, alpha: options.alpha });
  return withChance(
    {
      diff: test.diff,
      diffCI: test.diffCI,
      relativeLift: test.relativeLift,
      relativeLiftCI: test.relativeLiftCI,
      pValue: test.pValue,
      method: test.method,
    },
    options,
  );
}

function compareContinuous(
  kind: Exclude<MetricKind, 'proportion'>,
  control: ArmEstimate,
  treatment: ArmEstimate,
  options: CompareOptions,
): EstimateComparison {
  const summary = {
    meanA: control.value!,
    varA: control.perUnitVariance!,
    nA: control.n,
    meanB: treatment.value!,
    varB: treatment.perUnitVariance!,
    nB: treatment.n,
  };
  const standardError = Math.sqrt(summary.varA / summary.nA + summary.varB / summary.nB);
  if (options.sequential) {
    return withChance(
      {
        ...sequentialComparison(control, treatment, summary, options.alpha),
        method: `${KIND_METHODS[kind]}; ${sequentialInterval({ ...summary, alpha: options.alpha }).method}`,
      },
      options,
    );
  }
  if (kind === 'quantile') {
    return withChance(
      {
        ...zTest(summary, standardError, options.alpha),
        method: `${KIND_METHODS[kind]}; two-sided z-test, normal CI, delta-method relative lift`,
      },
      options,
    );
  }
  const test = welchTest({ ...summary, alpha: options.alpha });
  return withChance(
    {
      diff: test.diff,
      diffCI: test.diffCI,
      relativeLift: test.relativeLift,
      relativeLiftCI: test.relativeLiftCI,
      pValue: test.pValue,
      method: `${KIND_METHODS[kind]}; ${test.method}`,
    },
    options,
  );
}

/**
 * Adds the chance to beat control read from the difference's own interval, so the two never disagree: the
 * normal whose central 1 - alpha interval is the one shown, Φ(z · diff / half-width) with z = Φ⁻¹(1 - alpha/2),
 * flipped for lower-is-better metrics. It is above 1 - alpha/2 (or below alpha/2) exactly when the interval
 * excludes 0; when sequential it is the confidence sequence's, so it does not grow with each look.
 */
function withChance(
  comparison: Omit<EstimateComparison, 'chanceToBeatControl'>,
  options: CompareOptions,
): EstimateComparison {
  const { diff, diffCI } = comparison;
  const method = `${comparison.method}; chance to beat control: Φ(z · diff / half-width) of that interval`;
  if (diff === null || diffCI === null) return { ...comparison, chanceToBeatControl: null, method };
  const better = options.direction === 'higher' ? diff : -diff;
  const halfWidth = (diffCI[1] - diffCI[0]) / 2;
  const critical = normal.quantile(1 - options.alpha / 2, 0, 1);
  const chance =
    halfWidth > 0
      ? standardNormalCdf((critical * better) / halfWidth)
      : better > 0
        ? 1
        : better < 0
          ? 0
          : null;
  return { ...comparison, chanceToBeatControl: chance, method };
}

type Summary = { meanA: number; varA: number; nA: number; meanB: number; varB: number; nB: number };

/** The z-test of meanB - meanA with a normal interval and a delta-method interval for the relative lift. */
function zTest(
  summary: Summary,
  standardError: number,
  alpha: number,
): Omit<EstimateComparison, 'chanceToBeatControl' | 'method'> {
  const diff = summary.meanB - summary.meanA;
  const critical = normal.quantile(1 - alpha / 2, 0, 1);
  const pValue =
    standardError > 0
      ? Math.min(1, 2 * standardNormalCdf(-Math.abs(diff / standardError)))
      : diff === 0
        ? 1
        : 0;
  const relative = relativeParts(summary);
  return {
    diff,
    diffCI: [diff - critical * standardError, diff + critical * standardError],
    relativeLift: relative?.lift ?? null,
    relativeLiftCI: relative
      ? [
          relative.lift - critical * Math.sqrt(relative.controlPart + relative.treatmentPart),
          relative.lift + critical * Math.sqrt(relative.controlPart + relative.treatmentPart),
        ]
      : null,
    pValue,
  };
}

/**
 * The confidence sequence of the difference, and of the relative lift treated the same way: its delta-method
 * variance Var(B)/A² + B²·Var(A)/A⁴ split into the two arms' parts, fed as per-unit variances with each arm's n.
 */
function sequentialComparison(
  control: ArmEstimate,
  treatment: ArmEstimate,
  input: Parameters<typeof sequentialInterval>[0],
  alpha: number,
): Omit<EstimateComparison, 'chanceToBeatControl' | 'method'> {
  const sequence = sequentialInterval({ ...input, alpha });
  const summary: Summary = {
    meanA: control.value!,
    varA: control.perUnitVariance!,
    nA: control.n,
    meanB: treatment.value!,
    varB: treatment.perUnitVariance!,
    nB: treatment.n,
  };
  const relative = relativeParts(summary);
  const relativeSequence = relative
    ? sequentialInterval({
        meanA: 0,
        varA: relative.controlPart * control.n,
        nA: control.n,
        meanB: relative.lift,
        varB: relative.treatmentPart * treatment.n,
        nB: treatment.n,
        alpha,
      })
    : null;
  return {
    diff: sequence.diff,
    diffCI: sequence.interval,
    relativeLift: relative?.lift ?? null,
    relativeLiftCI: relativeSequence?.interval ?? null,
    pValue: sequence.pValue,
  };
}

/** B / A - 1 and the two arms' parts of its delta-method variance; null when A is 0 or they overflow. */
function relativeParts(
  summary: Summary,
): { lift: number; controlPart: number; treatmentPart: number } | null {
  const { meanA, varA, nA, meanB, varB, nB } = summary;
  if (meanA === 0) return null;
  const parts = {
    lift: meanB / meanA - 1,
    controlPart: (meanB ** 2 * (varA / nA)) / meanA ** 4,
    treatmentPart: varB / nB / meanA ** 2,
  };
  // A control value near zero (or subnormal) overflows the powers: no relative lift then.
  return Object.values(parts).every(Number.isFinite) ? parts : null;
}

function clean(comparison: EstimateComparison): EstimateComparison {
  return {
    diff: jsonSafe.number(comparison.diff),
    diffCI: jsonSafe.interval(comparison.diffCI),
    relativeLift: jsonSafe.number(comparison.relativeLift),
    relativeLiftCI: jsonSafe.interval(comparison.relativeLiftCI),
    pValue: jsonSafe.number(comparison.pValue),
    chanceToBeatControl: jsonSafe.number(comparison.chanceToBeatControl),
    method: comparison.method,
  };
}

function notCompared(reason: string): EstimateComparison {
  return {
    diff: null,
    diffCI: null,
    relativeLift: null,
    relativeLiftCI: null,
    pValue: null,
    chanceToBeatControl: null,
    method: `not compared: ${reason}`,
  };
}
