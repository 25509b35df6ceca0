import { formatTable } from '../format-table.js';
import type { DemoFeatureSummary } from './build-demo-summary.js';

/**
 * The demo's closing table: one row per feature with requests, error, fallback and cache-hit rates, p95
 * latency, cost, acceptance (or mean rating) and what happened to it.
 *
 * @example
 * io.stdout(formatDemoSummary(await buildDemoSummary(input)));
 */
export function formatDemoSummary(summaries: readonly DemoFeatureSummary[]): string {
  return formatTable(
    [
      'FEATURE',
      'VIA',
      'REQUESTS',
      'ERRORS',
      'FALLBACKS',
      'CACHE HITS',
      'P95',
      'COST',
      'ACCEPTED',
      'WHAT HAPPENED',
    ],
    summaries.map((summary) => {
      const { metrics } = summary;
      const feedback = metrics.feedback;
      return [
        summary.feature,
        summary.via,
        metrics.requests.toLocaleString('en-US'),
        percent(metrics.errorRate),
        percent(metrics.fallbackRate),
        percent(metrics.cacheHitRate),
        metrics.latencyMs.p95 === null ? '-' : seconds(metrics.latencyMs.p95),
        dollars(metrics.costUsd),
        feedback.acceptanceRate !== null
          ? percent(feedback.acceptanceRate)
          : feedback.ratingMean !== null
            ? `${feedback.ratingMean.toFixed(1)}/10`
            : '-',
        summary.outcome,
      ];
    }),
  );
}

function percent(value: number | null): string {
  if (value === null) return '-';
  const scaled = value * 100;
  return `${scaled < 10 ? scaled.toFixed(1) : scaled.toFixed(0)} %`;
}

function dollars(usd: number): string {
  if (usd > 0 && usd < 0.0001) return '< $0.0001';
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

function seconds(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`;
}
