import type { MetricValues } from './analytics-types.js';
import type { MetricCounts } from './metric-counts.js';

/** Latency quantiles of one group, read from its sketch. */
export interface LatencyQuantiles {
  p50: number;
  p95: number;
  p99: number;
}

/** The metrics of a group from its counts and, when it had executed runs, its latency quantiles. */
export function toMetricValues(counts: MetricCounts, quantiles: LatencyQuantiles | undefined): MetricValues {
  return {
    requests: counts.requests,
    successes: counts.successes,
    errors: counts.errors,
    rejected: counts.rejected,
    served: counts.served,
    errorRate: ratio(counts.errors, counts.requests),
    fallbacks: counts.fallbacks,
    fallbackRate: ratio(counts.fallbacks, counts.successes),
    cacheHits: counts.cacheHits,
    cacheHitRate: ratio(counts.cacheHits, counts.successes),
    llmAttempts: counts.llmAttempts,
    parseErrors: counts.parseErrors,
    parseErrorRate: ratio(counts.parseErrors, counts.llmAttempts),
    latencyMs: {
      p50: quantiles?.p50 ?? null,
      p95: quantiles?.p95 ?? null,
      p99: quantiles?.p99 ?? null,
      mean: ratio(counts.latencySum, counts.latencyCount),
    },
    inputTokens: counts.inputTokens,
    outputTokens: counts.outputTokens,
    costUsd: counts.costUsd,
    meanCostUsd: ratio(counts.costUsd, counts.successes + counts.errors),
    feedback: {
      accepted: counts.accepted,
      rejected: counts.feedbackRejected,
      acceptanceRate: ratio(counts.accepted, counts.accepted + counts.feedbackRejected),
      selections: counts.selections,
      ratings: counts.ratings,
      ratingMean: ratio(counts.ratingSum, counts.ratings),
    },
    costPerAcceptedUsd: ratio(counts.costUsd, counts.accepted),
  };
}

/** `part / whole`, or null when there is nothing to divide by: no data is not a rate of zero. */
function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
