import { metricDirection } from '../core/experiment-config.js';
import { achievedPower } from './achieved-power.js';
import { adjustPValues } from './adjust-p-values.js';
import { type ArmEstimate, armEstimate } from './arm-estimate.js';
import { checkAnalysisInput } from './check-analysis-input.js';
import { compareEstimates } from './compare-estimates.js';
import { comparisonVerdict } from './comparison-verdict.js';
import type {
  AnalysisConfig,
  AnalyzeExperimentInput,
  ExperimentAnalysis,
  MetricAnalysis,
  MetricKind,
  MetricRole,
  SrmSummary,
} from './experiment-analysis.js';
import type { ArmData, MetricSums } from './experiment-data.js';
import { jsonSafe } from './json-safe.js';
import { metricKind } from './metric-kind.js';
import { overallVerdict } from './overall-verdict.js';
import { quantileEstimate } from './quantile-estimate.js';
import { srmTest } from './srm-test.js';

/** Metrics read from the arms' latency sketches rather than from sums, by quantile level. */
const LATENCY_QUANTILES: Readonly<Record<string, number>> = { 'p95-latency': 0.95 };

/**
 * Analyses an experiment from its aggregated data: units and a sample-ratio-mismatch check per arm, then for
 * every primary, secondary and guardrail metric each arm's value with an interval and each treatment arm
 * against control (difference and relative lift with intervals, p-value, chance to beat control, verdict,
 * method). The method follows from the sums (proportion, mean, delta-method ratio) or, for `p95-latency`,
 * from the latency sketch (order-statistic quantile comparison); `config.sequential` switches the
 * comparisons to always-valid intervals and p-values. The primary metric's p-values are corrected over its
 * treatment arms with `config.correction`, its comparisons carry the power for `config.mde`, and it alone
 * gives the experiment's verdict. The result is plain data with every number finite or null.
 *
 * @example
 * const analysis = analyzeExperiment({ data, config: experiment, control: 'v1', expectedWeights: { v1: 50, v2: 50 } });
 * analysis.verdict; // { verdict: 'significant win', winner: 'v2' }
 * analysis.metrics[0].comparisons[0]; // { variant: 'v2', diff: 0.03, pValue: 0.0496, verdict: 'significant win', ... }
 */
export function analyzeExperiment(input: AnalyzeExperimentInput): ExperimentAnalysis {
  checkAnalysisInput(input);
  const { data, config, control } = input;
  const { alpha, sequential, minSamplePerArm } = config;
  const treatments = data.arms.filter((arm) => arm.variant !== control);

  const metrics = metricRoles(config).map(({ metric, role }): MetricAnalysis => {
    const direction = metricDirection(metric);
    const { kind, estimates } = estimateArms(metric, data.arms, alpha);
    const controlEstimate = estimates.get(control)!;
    const raw = treatments.map((arm) => {
      const treatmentEstimate = estimates.get(arm.variant)!;
      const options = { alpha, sequential, direction };
      return {
        arm,
        treatmentEstimate,
        ...compareEstimates(kind, controlEstimate, treatmentEstimate, options),
      };
    });
    const adjusted =
      role === 'primary'
        ? adjustPrimary(
            raw.map((comparison) => comparison.pValue),
            config,
          )
        : null;
    const comparisons = raw.map(({ arm, treatmentEstimate, ...comparison }, index) => {
      const adjustedPValue = adjusted?.[index] ?? null;
      return {
        variant: arm.variant,
        ...comparison,
        adjustedPValue,
        verdict: comparisonVerdict({
          controlN: controlEstimate.n,
          treatmentN: treatmentEstimate.n,
          minSamplePerArm,
          pValue: role === 'primary' ? adjustedPValue : comparison.pValue,
          diff: comparison.diff,
          alpha,
          direction,
        }),
        power:
          role === 'primary'
            ? achievedPower(kind, controlEstimate, treatmentEstimate, {
                alpha,
                power: config.power,
                mde: config.mde,
                direction,
              })
            : null,
      };
    });
    return {
      metric,
      role,
      direction,
      kind,
      arms: data.arms.map((arm) => {
        const estimate = estimates.get(arm.variant)!;
        return {
          variant: arm.variant,
          n: estimate.n,
          value: jsonSafe.number(estimate.value),
          interval: jsonSafe.interval(estimate.interval),
        };
      }),
      comparisons,
    };
  });

  const primary = metrics[0]!;
  return {
    control,
    alpha,
    sequential,
    correction: config.correction,
    arms: data.arms.map((arm) => ({ variant: arm.variant, units: arm.units })),
    multipleExposureUnits: data.multipleExposureUnits,
    srm: sampleRatio(data.arms, input.expectedWeights),
    metrics,
    verdict: overallVerdict(primary.comparisons, primary.direction),
    bandit: null,
  };
}

/**
 * The primary metric's p-values corrected over its treatment arms ('none' keeps them raw); comparisons
 * without a p-value are left out of the family and stay null.
 */
function adjustPrimary(pValues: ReadonlyArray<number | null>, config: AnalysisConfig): Array<number | null> {
  const tested = pValues.filter((value): value is number => value !== null);
  const adjusted = config.correction === 'none' ? tested : adjustPValues(tested, config.correction);
  let next = 0;
  return pValues.map((value) => (value === null ? null : adjusted[next++]!));
}

/** The config's metrics in order, each once, with the role of its first appearance. */
function metricRoles(config: AnalysisConfig): Array<{ metric: string; role: MetricRole }> {
  const listed: Array<{ metric: string; role: MetricRole }> = [
    { metric: config.primaryMetric, role: 'primary' },
    ...(config.secondaryMetrics ?? []).map((metric) => ({ metric, role: 'secondary' as const })),
    ...(config.guardrailMetrics ?? []).map((metric) => ({ metric, role: 'guardrail' as const })),
  ];
  const seen = new Set<string>();
  return listed.filter(({ metric }) => !seen.has(metric) && seen.add(metric));
}

/** Every arm's estimate of one metric, with the kind chosen from all arms' sums. */
function estimateArms(
  metric: string,
  arms: readonly ArmData[],
  alpha: number,
): { kind: MetricKind; estimates: Map<string, ArmEstimate> } {
  const level = LATENCY_QUANTILES[metric];
  if (level !== undefined) {
    return {
      kind: 'quantile',
      estimates: new Map(arms.map((arm) => [arm.variant, quantileEstimate(arm.latency, level, alpha)])),
    };
  }
  // An arm without sums for the metric has no data for it.
  const sums = arms.map((arm): MetricSums => arm.metrics[metric] ?? emptySums(arm.units));
  const kind = metricKind(sums);
  return {
    kind,
    estimates: new Map(arms.map((arm, index) => [arm.variant, armEstimate(kind, sums[index]!, alpha)])),
  };
}

function emptySums(units: number): MetricSums {
  return {
    units,
    unitsWithData: 0,
    numerator: 0,
    denominator: 0,
    numeratorSquares: 0,
    denominatorSquares: 0,
    crossProducts: 0,
  };
}

function sampleRatio(
  arms: readonly ArmData[],
  expectedWeights: Record<string, number> | undefined,
): SrmSummary | null {
  if (!expectedWeights || arms.length < 2) return null;
  const units = arms.map((arm) => arm.units);
  if (units.every((count) => count === 0)) return null;
  const result = srmTest(
    units,
    arms.map((arm) => expectedWeights[arm.variant]!),
  );
  return { chiSquare: result.chiSquare, pValue: result.pValue, mismatch: result.mismatch };
}
