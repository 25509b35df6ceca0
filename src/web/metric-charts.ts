import type { MetricsByVariant, MetricValues } from './api-types.js';
import { formatMs, formatNumber, formatPercent, formatUsd } from './formatters.js';

/** One chart of the metrics page: which value of a bucket it plots and how its numbers read. */
export interface MetricChart {
  readonly id: string;
  readonly title: string;
  readonly value: (bucket: MetricValues) => number | null;
  readonly format: (value: number) => string;
  /** True for shares from 0 to 1: the axis then stops at 100 %. */
  readonly share?: boolean;
}

/** The charts of the metrics page, in order. */
export const METRIC_CHARTS: readonly MetricChart[] = [
  {
    id: 'requests',
    title: 'Requests',
    value: (bucket) => bucket.requests,
    format: (v) => formatNumber(v, 0),
  },
  {
    id: 'error-rate',
    title: 'Error rate',
    value: (bucket) => bucket.errorRate,
    format: (v) => formatPercent(v),
    share: true,
  },
  {
    id: 'fallback-rate',
    title: 'Fallback rate',
    value: (bucket) => bucket.fallbackRate,
    format: (v) => formatPercent(v),
    share: true,
  },
  { id: 'p95-latency', title: 'p95 latency', value: (bucket) => bucket.latencyMs.p95, format: formatMs },
  { id: 'cost', title: 'Cost', value: (bucket) => bucket.costUsd, format: formatUsd },
  {
    id: 'acceptance',
    title: 'Acceptance',
    value: (bucket) => bucket.feedback.acceptanceRate,
    format: (v) => formatPercent(v),
    share: true,
  },
];

/** A chart's data: bucket starts in epoch seconds and one series per variant (null where there is none). */
export interface ChartData {
  readonly times: number[];
  readonly series: Array<{ variant: string; values: Array<number | null> }>;
}

/** The data of one chart from the metrics of a feature; every variant's buckets share the same starts. */
export function chartData(metrics: MetricsByVariant, chart: MetricChart): ChartData {
  const first = metrics.series[0];
  const times = first ? first.buckets.map((bucket) => bucket.start / 1000) : [];
  return {
    times,
    series: metrics.series.map((series) => ({
      variant: series.variant,
      values: series.buckets.map((bucket) => chart.value(bucket)),
    })),
  };
}

/**
 * Bandit weights as step series: one point per re-weighing and a last one at `now`, so the current weights
 * reach the right edge of the chart.
 */
export function weightChartData(
  history: ReadonlyArray<{ at: number; weights: Readonly<Record<string, number>> }>,
  arms: readonly string[],
  now: number,
): ChartData {
  const last = history.at(-1);
  const points = last && now > last.at ? [...history, { at: now, weights: last.weights }] : [...history];
  return {
    times: points.map((point) => point.at / 1000),
    series: arms.map((variant) => ({
      variant,
      values: points.map((point) => point.weights[variant] ?? null),
    })),
  };
}

/**
 * The value axis of a chart: from 0 to a little above the largest value, never past 100 % for shares,
 * and a small positive span when every value is 0 or missing.
 */
export function valueRange(max: number | null, share: boolean): [number, number] {
  if (max === null || !Number.isFinite(max) || max <= 0) return [0, share ? 0.1 : 1];
  return [0, share ? Math.min(1, max * 1.15) : max * 1.15];
}
