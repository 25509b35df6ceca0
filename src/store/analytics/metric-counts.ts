/** The additive state behind every metric of one group: counts and sums, summed across buckets exactly. */
export interface MetricCounts {
  requests: number;
  successes: number;
  errors: number;
  rejected: number;
  served: number;
  fallbacks: number;
  cacheHits: number;
  llmAttempts: number;
  parseErrors: number;
  latencyCount: number;
  latencySum: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  accepted: number;
  feedbackRejected: number;
  selections: number;
  ratings: number;
  ratingSum: number;
}

/** A group with nothing counted yet. */
export function emptyMetricCounts(): MetricCounts {
  return {
    requests: 0,
    successes: 0,
    errors: 0,
    rejected: 0,
    served: 0,
    fallbacks: 0,
    cacheHits: 0,
    llmAttempts: 0,
    parseErrors: 0,
    latencyCount: 0,
    latencySum: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    accepted: 0,
    feedbackRejected: 0,
    selections: 0,
    ratings: 0,
    ratingSum: 0,
  };
}

/** Adds every count and sum of `source` into `target`. */
export function addMetricCounts(target: MetricCounts, source: Readonly<MetricCounts>): void {
  for (const key of Object.keys(target) as (keyof MetricCounts)[]) {
    target[key] += source[key];
  }
}
