import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallEvent, TelemetryEvent } from '../../core/event-schema.js';
import { createRng } from '../../stats/create-rng.js';
import type { StoreHarness } from '../store-harness.case.js';
import { attempt, FROM, feedback, HOUR, run } from './analytics-fixtures.case.js';
import type { MetricValues } from './analytics-types.js';
import { addMetricCounts, emptyMetricCounts } from './metric-counts.js';
import { toMetricValues } from './metric-values.js';
import {
  exactQuantile,
  expectSameValues,
  expectWithinSketchAccuracy,
  type ReferenceScope,
  referenceMetrics,
} from './metrics-reference.case.js';

const VARIANTS = ['a', 'b', 'c'] as const;
const QUANTILES = [
  ['p50', 0.5],
  ['p95', 0.95],
  ['p99', 0.99],
] as const;

const eventArbitrary = fc.record({
  kind: fc.constantFrom('run', 'attempt', 'feedback'),
  variant: fc.constantFrom(...VARIANTS),
  other: fc.constantFrom(...VARIANTS),
  /** Position in the range as a fraction; below 0 or from 1 up falls outside it. */
  position: fc.double({ min: -0.2, max: 1.2, noNaN: true }),
  outcome: fc.constantFrom('success', 'success', 'error', 'rejected'),
  flag: fc.boolean(),
  cached: fc.boolean(),
  latencyMs: fc.integer({ min: 0, max: 200_000 }).map((tenths) => tenths / 10),
  tokens: fc.nat(5_000),
  costUsd: fc.integer({ min: 0, max: 100_000 }).map((micros) => micros / 1e6),
  model: fc.boolean(),
  errorClass: fc.constantFrom(null, 'parse_error', 'schema_invalid', 'timeout'),
  target: fc.nat(40),
  accepted: fc.constantFrom(true, false, null),
  rating: fc.option(fc.integer({ min: 1, max: 5 })),
  named: fc.boolean(),
  selects: fc.boolean(),
});

const caseArbitrary = fc.record({
  intervalMs: fc.constantFrom(1_000, 60_000, HOUR),
  /** Range in intervals, fractional so the last bucket is often partial. */
  span: fc.double({ min: 0.5, max: 12, noNaN: true }),
  events: fc.array(eventArbitrary, { maxLength: 40 }),
});

type GeneratedCase = typeof caseArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** Turns generated fields into valid events of one feature, ids unique to it. */
function toEvents(feature: string, from: number, to: number, generated: GeneratedCase): TelemetryEvent[] {
  return generated.events.map((spec, index): TelemetryEvent => {
    const id = `${feature}-${index}`;
    const at = Math.max(0, Math.floor(from + spec.position * (to - from)));
    const common = { feature };
    const llm = spec.model ? { provider: 'openai', model: 'gpt' } : {};
    if (spec.kind === 'run') {
      const success = spec.outcome === 'success';
      return run(id, spec.variant, at, {
        ...common,
        requestId: `request-${feature}-${index}`,
        outcome: spec.outcome as 'success' | 'error' | 'rejected',
        servedVariant: success ? (spec.flag ? spec.other : spec.variant) : null,
        fallback: success && spec.flag && spec.other !== spec.variant,
        cached: success && spec.cached,
        latencyMs: spec.latencyMs,
        inputTokens: spec.tokens,
        outputTokens: Math.floor(spec.tokens / 2),
        costUsd: spec.costUsd,
        ...llm,
      });
    }
    const runId = `${feature}-${spec.target}`;
    if (spec.kind === 'attempt') {
      return attempt(id, runId, spec.variant, spec.other, at, {
        ...common,
        outcome: spec.errorClass === null ? 'success' : 'error',
        errorClass: spec.errorClass as CallEvent['errorClass'],
        ...llm,
      });
    }
    return feedback(id, runId, at, {
      ...common,
      variant: spec.named ? spec.variant : null,
      accepted: spec.accepted,
      rating: spec.rating,
      selectedVariant: spec.selects ? spec.other : null,
    });
  });
}

/** Differential and invariant checks against the in-memory reference over generated events. */
export function propertyCases(harness: StoreHarness): void {
  describe('analytics properties', () => {
    it('matches the reference bucket by bucket; totals are the sums; rates stay in [0, 1]', async () => {
      let round = 0;
      await fc.assert(
        fc.asyncProperty(caseArbitrary, async (generated) => {
          round += 1;
          const feature = `prop-${round}`;
          const from = FROM;
          const to = from + Math.max(1, Math.round(generated.span * generated.intervalMs));
          const events = toEvents(feature, from, to, generated);
          await harness.store.appendEvents(events);
          const scope: ReferenceScope = { feature, from, to, intervalMs: generated.intervalMs };
          const metrics = await harness.store.metricsByVariant(scope);
          const reference = referenceMetrics(events, scope);
          expect(metrics.series.map((series) => series.variant).sort()).toEqual([...reference.keys()].sort());
          for (const series of metrics.series) {
            const expected = reference.get(series.variant)!;
            const totals = emptyMetricCounts();
            const latencies: number[] = [];
            series.buckets.forEach(({ start, ...values }, index) => {
              expect(start).toBe(from + index * generated.intervalMs);
              expectSameValues(values, toMetricValues(expected.buckets[index]!, undefined));
              expectQuantiles(values, expected.latencies[index]!);
              expectRatesInUnitInterval(values);
              addMetricCounts(totals, expected.buckets[index]!);
              latencies.push(...expected.latencies[index]!);
            });
            const { variant: _variant, ...total } = metrics.totals.find(
              (entry) => entry.variant === series.variant,
            )!;
            expectSameValues(total, toMetricValues(totals, undefined));
            expectQuantiles(total, latencies);
            expectRatesInUnitInterval(total);
          }
        }),
        { numRuns: 25, seed: 20_250_301 },
      );
    });

    it('estimates latency quantiles within 1 % of the exact ones per bucket and in total', async () => {
      const rng = createRng(7);
      const feature = 'latency';
      const events = Array.from({ length: 1_500 }, (_, index) =>
        run(`latency-${index}`, VARIANTS[index % 2]!, FROM + Math.floor(rng() * 3 * HOUR), {
          feature,
          // Log-uniform from 1 ms to about 22 s, the spread real latencies have.
          latencyMs: Math.round(Math.exp(rng() * 10) * 1_000) / 1_000,
          outcome: rng() < 0.1 ? 'error' : 'success',
        }),
      );
      await harness.store.appendEvents(events);
      const scope = { feature, from: FROM, to: FROM + 3 * HOUR, intervalMs: HOUR };
      const metrics = await harness.store.metricsByVariant(scope);
      const reference = referenceMetrics(events, scope);
      for (const series of metrics.series) {
        const expected = reference.get(series.variant)!;
        series.buckets.forEach((bucket, index) => {
          expectQuantiles(bucket, expected.latencies[index]!);
        });
        const totals = metrics.totals.find((entry) => entry.variant === series.variant)!;
        expectQuantiles(totals, expected.latencies.flat());
        expect(totals.latencyMs.mean).toBeCloseTo(
          expected.latencies.flat().reduce((sum, value) => sum + value, 0) / expected.latencies.flat().length,
          6,
        );
      }
    });
  });
}

function expectQuantiles(values: MetricValues, latencies: readonly number[]): void {
  if (latencies.length === 0) {
    expect(values.latencyMs).toMatchObject({ p50: null, p95: null, p99: null });
    return;
  }
  for (const [name, quantile] of QUANTILES) {
    expectWithinSketchAccuracy(values.latencyMs[name], exactQuantile(latencies, quantile));
  }
}

function expectRatesInUnitInterval(values: MetricValues): void {
  const rates = [
    values.errorRate,
    values.fallbackRate,
    values.cacheHitRate,
    values.parseErrorRate,
    values.feedback.acceptanceRate,
  ];
  for (const rate of rates) {
    if (rate !== null) {
      expect(rate).toBeGreaterThanOrEqual(0);
      expect(rate).toBeLessThanOrEqual(1);
    }
  }
}
