import { formatMs, formatNumber, formatPercent, formatUsd } from './formatters.js';

/**
 * How an experiment metric's values read: rates as percentages, latencies in ms, costs in dollars, the
 * rest as plain numbers. Differences use the same unit.
 */
export function metricFormat(metric: string, kind: string): (value: number) => string {
  if (kind === 'proportion') return (value) => formatPercent(value, 2);
  if (metric.endsWith('latency')) return formatMs;
  if (metric.includes('cost')) return formatUsd;
  return (value) => formatNumber(value, 3);
}
