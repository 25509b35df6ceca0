import { describe, expect, it } from 'vitest';
import { arm, bernoulliSums } from './analysis-fixtures.test-helper.js';
import { checkAnalysisInput } from './check-analysis-input.js';
import { thrownBy } from './expect-close.test-helper.js';
import type { AnalyzeExperimentInput } from './experiment-analysis.js';

const valid: AnalyzeExperimentInput = {
  data: {
    arms: [arm('v1', 10, { 'acceptance-rate': bernoulliSums(1, 10) }), arm('v2', 10, {})],
    multipleExposureUnits: 0,
    periods: [],
  },
  config: {
    primaryMetric: 'acceptance-rate',
    alpha: 0.05,
    power: 0.8,
    mde: 0.1,
    minSamplePerArm: 30,
    correction: 'holm',
    sequential: false,
  },
  control: 'v1',
};

describe('checkAnalysisInput', () => {
  it('accepts a valid input without metric lists or weights', () => {
    expect(() => checkAnalysisInput(valid)).not.toThrow();
    expect(() => checkAnalysisInput({ ...valid, expectedWeights: { v1: 1, v2: 3 } })).not.toThrow();
  });

  it('names the first bad field', () => {
    const config = valid.config;
    const cases: Array<[unknown, string]> = [
      [null, 'input'],
      [{ ...valid, config: { ...config, secondaryMetrics: 'mean-cost' } }, 'config.secondaryMetrics'],
      [
        { ...valid, config: { ...config, guardrailMetrics: ['error-rate', 3] } },
        'config.guardrailMetrics[1]',
      ],
      [{ ...valid, config: { ...config, power: 0 } }, 'config.power'],
      [{ ...valid, config: { ...config, minSamplePerArm: 2.5 } }, 'config.minSamplePerArm'],
      [{ ...valid, config: { ...config, sequential: 'yes' } }, 'config.sequential'],
      [{ ...valid, data: { ...valid.data, arms: 'v1' } }, 'data.arms'],
      [{ ...valid, data: { ...valid.data, multipleExposureUnits: -1 } }, 'data.multipleExposureUnits'],
      [
        { ...valid, data: { ...valid.data, arms: [{ ...valid.data.arms[0], units: -1 }] } },
        'data.arms[0].units',
      ],
      [
        { ...valid, data: { ...valid.data, arms: [{ ...valid.data.arms[0], latency: { count: 3 } }] } },
        'data.arms[0].latency.quantile',
      ],
      [{ ...valid, expectedWeights: { v1: 1, v2: 0 } }, 'expectedWeights.v2'],
      [{ ...valid, expectedWeights: 5 }, 'expectedWeights'],
    ];
    for (const [input, field] of cases) {
      const error = thrownBy(() => checkAnalysisInput(input as AnalyzeExperimentInput));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message.startsWith(`${field} must be`), error.message).toBe(true);
    }
  });
});
