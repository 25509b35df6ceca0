import { describe, expect, it } from 'vitest';
import type { MetricsByVariant, MetricValues } from './api-types.js';
import { chartData, METRIC_CHARTS, valueRange, weightChartData } from './metric-charts.js';

function values(requests: number, errorRate: number | null, p95: number | null): MetricValues {
  return {
    requests,
    successes: requests,
    errors: 0,
    rejected: 0,
    served: requests,
    errorRate,
    fallbacks: 0,
    fallbackRate: null,
    cacheHits: 0,
    cacheHitRate: null,
    llmAttempts: requests,
    parseErrors: 0,
    parseErrorRate: null,
    latencyMs: { p50: null, p95, p99: null, mean: null },
    inputTokens: 0,
    outputTokens: 0,
    costUsd: requests * 0.001,
    meanCostUsd: null,
    feedback: { accepted: 0, rejected: 0, acceptanceRate: null, selections: 0, ratings: 0, ratingMean: null },
    costPerAcceptedUsd: null,
  };
}

const metrics: MetricsByVariant = {
  feature: 'coach-reply',
  from: 60_000,
  to: 180_000,
  intervalMs: 60_000,
  series: [
    {
      variant: 'v1',
      buckets: [
        { start: 60_000, ...values(4, 0.25, 120) },
        { start: 120_000, ...values(0, null, null) },
      ],
    },
    {
      variant: 'v2',
      buckets: [
        { start: 60_000, ...values(2, 0, 80) },
        { start: 120_000, ...values(1, 1, 90) },
      ],
    },
  ],
  totals: [],
  overall: values(7, 0.28, 120),
};

const chart = (id: string) => METRIC_CHARTS.find((entry) => entry.id === id)!;

describe('chartData', () => {
  it('plots one series per variant over the bucket starts in seconds, null where a rate has no data', () => {
    expect(chartData(metrics, chart('error-rate'))).toEqual({
      times: [60, 120],
      series: [
        { variant: 'v1', values: [0.25, null] },
        { variant: 'v2', values: [0, 1] },
      ],
    });
    expect(chartData(metrics, chart('p95-latency')).series[0]?.values).toEqual([120, null]);
    expect(chartData(metrics, chart('requests')).series[1]?.values).toEqual([2, 1]);
  });

  it('has the six charts the metrics page shows, the rates as shares', () => {
    expect(METRIC_CHARTS.filter((entry) => entry.share).map((entry) => entry.id)).toEqual([
      'error-rate',
      'fallback-rate',
      'acceptance',
    ]);
    expect(METRIC_CHARTS.map((entry) => entry.id)).toEqual([
      'requests',
      'error-rate',
      'fallback-rate',
      'p95-latency',
      'cost',
      'acceptance',
    ]);
  });
});

describe('weightChartData', () => {
  it('steps through each re-weighing and carries the last weights to now', () => {
    const history = [
      { at: 1_000, weights: { v1: 0.5, v2: 0.5 } },
      { at: 5_000, weights: { v1: 0.2, v2: 0.8 } },
    ];
    expect(weightChartData(history, ['v1', 'v2'], 9_000)).toEqual({
      times: [1, 5, 9],
      series: [
        { variant: 'v1', values: [0.5, 0.2, 0.2] },
        { variant: 'v2', values: [0.5, 0.8, 0.8] },
      ],
    });
    expect(weightChartData([], ['v1'], 9_000)).toEqual({
      times: [],
      series: [{ variant: 'v1', values: [] }],
    });
  });
});

describe('valueRange', () => {
  it('starts at 0, leaves room above the largest value and caps shares at 100 %', () => {
    const [low, high] = valueRange(200, false);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(230, 9);
    expect(valueRange(0.5, true)[1]).toBeCloseTo(0.575, 9);
    expect(valueRange(0.95, true)).toEqual([0, 1]);
    expect(valueRange(0, true)).toEqual([0, 0.1]);
    expect(valueRange(null, false)).toEqual([0, 1]);
  });
});
