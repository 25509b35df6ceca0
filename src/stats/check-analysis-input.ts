import { check } from './check.js';
import { checkMetricSums } from './check-metric-sums.js';
import type { AnalysisConfig, AnalyzeExperimentInput } from './experiment-analysis.js';

const CORRECTIONS: ReadonlyArray<AnalysisConfig['correction']> = ['holm', 'bonferroni', 'bh', 'none'];

/**
 * Validates the input of `analyzeExperiment`, throwing an INVALID_INPUT error that names the first bad field
 * (`config.alpha`, `data.arms[1].metrics["error-rate"].denominator`, `expectedWeights.v2`, ...).
 */
export function checkAnalysisInput(input: AnalyzeExperimentInput): void {
  if (typeof input !== 'object' || input === null) check.fail('input', 'an object', input);
  const { config, data, control, expectedWeights } = input;
  if (typeof config !== 'object' || config === null) check.fail('config', 'an object', config);
  metricName('config.primaryMetric', config.primaryMetric);
  for (const list of ['secondaryMetrics', 'guardrailMetrics'] as const) {
    const names = config[list];
    if (names === undefined) continue;
    if (!Array.isArray(names)) check.fail(`config.${list}`, 'an array of metric names', names);
    names.forEach((name, index) => {
      metricName(`config.${list}[${index}]`, name);
    });
  }
  check.openUnit('config.alpha', config.alpha);
  check.openUnit('config.power', config.power);
  check.positive('config.mde', config.mde);
  check.integerAtLeast('config.minSamplePerArm', config.minSamplePerArm, 0);
  if (!CORRECTIONS.includes(config.correction)) {
    check.fail('config.correction', `one of ${CORRECTIONS.join(', ')}`, config.correction);
  }
  if (typeof config.sequential !== 'boolean')
    check.fail('config.sequential', 'true or false', config.sequential);

  if (typeof data !== 'object' || data === null) check.fail('data', 'an object', data);
  if (!Array.isArray(data.arms)) check.fail('data.arms', 'an array of arms', data.arms);
  check.integerAtLeast('data.multipleExposureUnits', data.multipleExposureUnits, 0);
  const seen = new Set<string>();
  data.arms.forEach((arm, index) => {
    const field = `data.arms[${index}]`;
    if (typeof arm !== 'object' || arm === null) check.fail(field, 'an arm', arm);
    if (typeof arm.variant !== 'string' || arm.variant === '')
      check.fail(`${field}.variant`, 'a variant name', arm.variant);
    if (seen.has(arm.variant)) check.fail(`${field}.variant`, 'unique among the arms', arm.variant);
    seen.add(arm.variant);
    check.integerAtLeast(`${field}.units`, arm.units, 0);
    if (typeof arm.metrics !== 'object' || arm.metrics === null)
      check.fail(`${field}.metrics`, 'an object', arm.metrics);
    for (const [name, sums] of Object.entries(arm.metrics)) {
      checkMetricSums(`${field}.metrics[${JSON.stringify(name)}]`, sums);
    }
    if (arm.latency !== null && arm.latency !== undefined) {
      check.integerAtLeast(`${field}.latency.count`, arm.latency.count, 0);
      if (typeof arm.latency.quantile !== 'function') {
        check.fail(`${field}.latency.quantile`, 'a function', arm.latency.quantile);
      }
    }
  });

  if (!seen.has(control)) check.fail('control', `one of the arms (${[...seen].join(', ')})`, control);
  if (expectedWeights === undefined) return;
  if (typeof expectedWeights !== 'object' || expectedWeights === null) {
    check.fail('expectedWeights', 'an object of weights by variant', expectedWeights);
  }
  for (const variant of seen)
    check.positive(`expectedWeights.${variant}`, expectedWeights[variant] as number);
}

function metricName(field: string, name: unknown): void {
  if (typeof name !== 'string' || name === '') check.fail(field, 'a metric name', name);
}
