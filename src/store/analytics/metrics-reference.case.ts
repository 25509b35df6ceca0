import { expect } from 'vitest';
import type { TelemetryEvent } from '../../core/event-schema.js';
import type { MetricValues } from './analytics-types.js';
import { emptyMetricCounts, type MetricCounts } from './metric-counts.js';
import { LATENCY_RELATIVE_ACCURACY } from './stream-latency-sketches.js';

/** What the reference computes for one variant: counts per bucket and the latencies behind its quantiles. */
export interface ReferenceGroup {
  buckets: MetricCounts[];
  latencies: number[][];
}

/** Where the reference looks: one feature, `from <= at < to`, buckets of `intervalMs`. */
export interface ReferenceScope {
  feature: string;
  from: number;
  to: number;
  intervalMs: number;
}

/**
 * The metric definitions of docs/metrics.md computed naively in memory, event by event: the oracle the
 * SQL aggregation is checked against.
 */
export function referenceMetrics(
  events: readonly TelemetryEvent[],
  scope: ReferenceScope,
): Map<string, ReferenceGroup> {
  const bucketCount = Math.ceil((scope.to - scope.from) / scope.intervalMs);
  const groups = new Map<string, ReferenceGroup>();
  const slot = (variant: string, at: number) => {
    let group = groups.get(variant);
    if (group === undefined) {
      group = {
        buckets: Array.from({ length: bucketCount }, emptyMetricCounts),
        latencies: Array.from({ length: bucketCount }, () => []),
      };
      groups.set(variant, group);
    }
    const index = Math.floor((at - scope.from) / scope.intervalMs);
    return { counts: group.buckets[index]!, latencies: group.latencies[index]! };
  };
  const ofFeature = events.filter((event) => event.feature === scope.feature);
  const firstRunVariant = (requestId: string): string | undefined =>
    events
      .filter((event) => event.type === 'call' && event.scope === 'run' && event.requestId === requestId)
      .sort(
        (left, right) => left.at - right.at || Buffer.compare(Buffer.from(left.id), Buffer.from(right.id)),
      )
      .map((event) => event.variant)[0] ?? undefined;
  for (const event of ofFeature) {
    if (event.at < scope.from || event.at >= scope.to) {
      continue;
    }
    if (event.type === 'call' && event.scope === 'run') {
      const { counts, latencies } = slot(event.variant, event.at);
      counts.requests += 1;
      if (event.outcome === 'success') {
        counts.successes += 1;
        counts.fallbacks += event.fallback ? 1 : 0;
        counts.cacheHits += event.cached ? 1 : 0;
        if (event.servedVariant !== null) {
          slot(event.servedVariant, event.at).counts.served += 1;
        }
      } else if (event.outcome === 'error') {
        counts.errors += 1;
      } else {
        counts.rejected += 1;
      }
      if (event.outcome !== 'rejected') {
        counts.latencyCount += 1;
        counts.latencySum += event.latencyMs;
        latencies.push(event.latencyMs);
      }
      counts.inputTokens += event.inputTokens;
      counts.outputTokens += event.outputTokens;
      counts.costUsd += event.costUsd;
    } else if (event.type === 'call' && event.model !== null) {
      const { counts } = slot(event.servedVariant ?? event.variant, event.at);
      counts.llmAttempts += 1;
      const parseError = event.errorClass === 'parse_error' || event.errorClass === 'schema_invalid';
      counts.parseErrors += parseError ? 1 : 0;
    } else if (event.type === 'feedback') {
      const variant = event.variant ?? firstRunVariant(event.requestId);
      if (variant !== undefined) {
        const { counts } = slot(variant, event.at);
        counts.accepted += event.accepted === true ? 1 : 0;
        counts.feedbackRejected += event.accepted === false ? 1 : 0;
        counts.ratings += event.rating === null ? 0 : 1;
        counts.ratingSum += event.rating ?? 0;
      }
      if (event.selectedVariant !== null) {
        slot(event.selectedVariant, event.at).counts.selections += 1;
      }
    }
  }
  return groups;
}

/** Sorted copy, and the exact quantile DDSketch estimates: the value at rank floor(q * (n - 1)). */
export function exactQuantile(values: readonly number[], quantile: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(quantile * (sorted.length - 1))] ?? Number.NaN;
}

/** Asserts an estimated quantile is within the sketch's relative accuracy of the exact one. */
export function expectWithinSketchAccuracy(estimate: number | null, exact: number): void {
  expect(estimate).not.toBeNull();
  expect(Math.abs((estimate as number) - exact)).toBeLessThanOrEqual(
    LATENCY_RELATIVE_ACCURACY * Math.abs(exact) + 1e-9,
  );
}

/**
 * Asserts every metric equals the expected one, floats up to summation order (the databases add in their
 * own order), leaving out the latency quantiles, which the sketch only estimates, and the `start` or
 * `variant` that buckets and totals carry besides their metrics.
 */
export function expectSameValues(actual: MetricValues, expected: MetricValues): void {
  const strip = (values: MetricValues & { start?: number; variant?: string }) => {
    const { start: _start, variant: _variant, ...metrics } = values;
    return { ...metrics, latencyMs: { mean: values.latencyMs.mean } };
  };
  expectClose(strip(actual), strip(expected), '');
}

function expectClose(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
    if (Math.abs(actual - expected) > tolerance) {
      expect.fail(`${path}: ${actual} is not ${expected}`);
    }
    return;
  }
  if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null) {
    expect(Object.keys(actual).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) {
      expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  expect(actual, path).toEqual(expected);
}
