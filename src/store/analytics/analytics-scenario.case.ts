import { describe, expect, it } from 'vitest';
import type { StoreHarness } from '../store-harness.case.js';
import { testFeature } from '../store-harness.case.js';
import { FEATURE, FROM, feedback, HOUR, run, scenarioEvents, TO } from './analytics-fixtures.case.js';
import type { MetricsByVariant, MetricValues } from './analytics-types.js';
import { emptyMetricCounts, type MetricCounts } from './metric-counts.js';
import { toMetricValues } from './metric-values.js';
import { expectSameValues, expectWithinSketchAccuracy } from './metrics-reference.case.js';

const writer = { actor: 'writer' };

/** The metrics that follow from these counts (rates are checked by hand where it matters). */
function valuesOf(counts: Partial<MetricCounts>): MetricValues {
  return toMetricValues({ ...emptyMetricCounts(), ...counts }, undefined);
}

function bucketOf(metrics: MetricsByVariant, variant: string, index: number) {
  const bucket = metrics.series.find((series) => series.variant === variant)?.buckets[index];
  expect(bucket, `${variant} bucket ${index}`).toBeDefined();
  return bucket!;
}

function totalsOf(metrics: MetricsByVariant, variant: string) {
  const totals = metrics.totals.find((entry) => entry.variant === variant);
  expect(totals, `${variant} totals`).toBeDefined();
  return totals!;
}

/** Exact values over the seeded scenario (analytics-fixtures.case.ts), worked out by hand. */
export function scenarioCases(harness: StoreHarness): void {
  describe('metrics over a known scenario', () => {
    async function seeded(): Promise<MetricsByVariant> {
      await harness.store.createFeature(testFeature(FEATURE), writer);
      await harness.store.appendEvents(scenarioEvents());
      return harness.store.metricsByVariant({ feature: FEATURE, from: FROM, to: TO, intervalMs: HOUR });
    }

    it('names the range and lists configured variants first, then the others seen', async () => {
      const metrics = await seeded();
      expect(metrics).toMatchObject({ feature: FEATURE, from: FROM, to: TO, intervalMs: HOUR });
      expect(metrics.series.map((series) => series.variant)).toEqual(['control', 'v2', 'v3']);
      expect(metrics.totals.map((totals) => totals.variant)).toEqual(['control', 'v2', 'v3']);
      for (const series of metrics.series) {
        expect(series.buckets.map((bucket) => bucket.start)).toEqual([FROM, FROM + HOUR, FROM + 2 * HOUR]);
      }
    });

    it('counts runs, rejections, fallbacks, cache hits, parse errors and feedback per decided variant', async () => {
      const metrics = await seeded();
      const control = bucketOf(metrics, 'control', 0);
      // c1..c4 decided control; c1, c2 and v2's fallback r2 were served by control; f4 selected control.
      expectSameValues(
        control,
        valuesOf({
          requests: 4,
          successes: 2,
          errors: 1,
          rejected: 1,
          served: 3,
          cacheHits: 1,
          latencyCount: 3,
          latencySum: 600,
          accepted: 1,
          selections: 1,
        }),
      );
      expect(control).toMatchObject({
        errorRate: 0.25,
        fallbackRate: 0,
        cacheHitRate: 0.5,
        parseErrorRate: null,
      });
      expectWithinSketchAccuracy(control.latencyMs.p50, 200);
      expectWithinSketchAccuracy(control.latencyMs.p99, 200);

      const v2 = bucketOf(metrics, 'v2', 0);
      expectSameValues(
        v2,
        valuesOf({
          requests: 4,
          successes: 3,
          rejected: 1,
          served: 2,
          fallbacks: 1,
          cacheHits: 1,
          llmAttempts: 3,
          parseErrors: 1,
          latencyCount: 3,
          latencySum: 3_010,
          inputTokens: 180,
          outputTokens: 50,
          costUsd: 0.015,
          accepted: 1,
          feedbackRejected: 1,
          selections: 1,
          ratings: 2,
          ratingSum: 7,
        }),
      );
      expect(v2.errorRate).toBe(0);
      expect(v2.fallbackRate).toBeCloseTo(1 / 3, 12);
      expect(v2.cacheHitRate).toBeCloseTo(1 / 3, 12);
      expect(v2.parseErrorRate).toBeCloseTo(1 / 3, 12);
      expect(v2.meanCostUsd).toBeCloseTo(0.005, 12);
      expect(v2.costPerAcceptedUsd).toBeCloseTo(0.015, 12);
      expect(v2.feedback).toMatchObject({ acceptanceRate: 0.5, ratingMean: 3.5 });
      expectWithinSketchAccuracy(v2.latencyMs.p50, 1_000);
      expectWithinSketchAccuracy(v2.latencyMs.p95, 1_000);
    });

    it('zeroes empty buckets with null rates, and keeps events outside the range or feature out', async () => {
      const metrics = await seeded();
      for (const variant of ['control', 'v2', 'v3']) {
        const { start, ...values } = bucketOf(metrics, variant, 1);
        expect(start).toBe(FROM + HOUR);
        expectSameValues(values, valuesOf({}));
        expect(values.latencyMs).toEqual({ p50: null, p95: null, p99: null, mean: null });
      }
      expectSameValues(bucketOf(metrics, 'control', 2), valuesOf({}));
      const v3 = bucketOf(metrics, 'v3', 2);
      // x1 sits 1 ms before `to`; its feedback names no variant and reaches it through the request id.
      expectSameValues(
        v3,
        valuesOf({
          requests: 1,
          successes: 1,
          served: 1,
          latencyCount: 1,
          latencySum: 500,
          costUsd: 0.001,
          accepted: 1,
          ratings: 1,
          ratingSum: 4,
        }),
      );
      expect(v3.costPerAcceptedUsd).toBeCloseTo(0.001, 12);
    });

    it('totals each variant over the range, quantiles from the merged sketches', async () => {
      const metrics = await seeded();
      const { variant, ...v2 } = totalsOf(metrics, 'v2');
      expect(variant).toBe('v2');
      expectSameValues(
        v2,
        valuesOf({
          requests: 5,
          successes: 4,
          rejected: 1,
          served: 3,
          fallbacks: 1,
          cacheHits: 1,
          llmAttempts: 5,
          parseErrors: 2,
          latencyCount: 4,
          latencySum: 7_010,
          inputTokens: 480,
          outputTokens: 250,
          costUsd: 0.035,
          accepted: 1,
          feedbackRejected: 1,
          selections: 1,
          ratings: 2,
          ratingSum: 7,
        }),
      );
      expect(v2).toMatchObject({ fallbackRate: 0.25, cacheHitRate: 0.25, parseErrorRate: 0.4 });
      expect(v2.latencyMs.mean).toBeCloseTo(1_752.5, 9);
      // Executed latencies 10, 1000, 2000, 4000: ranks floor(q * 3) are 1, 2 and 2.
      expectWithinSketchAccuracy(v2.latencyMs.p50, 1_000);
      expectWithinSketchAccuracy(v2.latencyMs.p95, 2_000);
      expectWithinSketchAccuracy(v2.latencyMs.p99, 2_000);
      expect(totalsOf(metrics, 'control')).toMatchObject({ requests: 4, served: 3, errorRate: 0.25 });
    });

    it('adds every variant together in overall, quantiles from the merged runs', async () => {
      const metrics = await seeded();
      const sum = (pick: (values: MetricValues) => number) =>
        metrics.totals.reduce((total, values) => total + pick(values), 0);
      expect(metrics.overall.requests).toBe(sum((values) => values.requests));
      expect(metrics.overall.errors).toBe(sum((values) => values.errors));
      expect(metrics.overall.costUsd).toBeCloseTo(
        sum((values) => values.costUsd),
        12,
      );
      expect(metrics.overall.errorRate).toBeCloseTo(metrics.overall.errors / metrics.overall.requests, 12);
      // A quantile of a mixture lies between the quantiles of its parts (within the sketches' 1 %).
      const p95s = metrics.totals.flatMap((values) =>
        values.latencyMs.p95 === null ? [] : [values.latencyMs.p95],
      );
      expect(p95s.length).toBeGreaterThan(1);
      expect(metrics.overall.latencyMs.p95).toBeGreaterThanOrEqual(Math.min(...p95s) * 0.99);
      expect(metrics.overall.latencyMs.p95).toBeLessThanOrEqual(Math.max(...p95s) * 1.01);
    });

    it('leaves the quantiles out when asked, every count and the mean unchanged', async () => {
      const full = await seeded();
      const light = await harness.store.metricsByVariant({
        feature: FEATURE,
        from: FROM,
        to: TO,
        intervalMs: HOUR,
        latency: false,
      });
      const withoutQuantiles = (values: MetricValues) => ({
        ...values,
        latencyMs: { ...values.latencyMs, p50: null, p95: null, p99: null },
      });
      expect(full.totals.some((values) => values.latencyMs.p95 !== null)).toBe(true);
      expect(light.totals).toEqual(full.totals.map(withoutQuantiles));
      expect(light.overall).toEqual(withoutQuantiles(full.overall));
      expect(light.series[0]?.buckets).toEqual(full.series[0]?.buckets.map(withoutQuantiles));
      const bad = harness.store.metricsByVariant({
        feature: FEATURE,
        from: FROM,
        to: TO,
        latency: 'no' as never,
      });
      await expect(bad).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'latency' });
    });

    it('attributes feedback without a variant to the first run of its request, as runAll writes them', async () => {
      const at = FROM + 60_000;
      await harness.store.appendEvents([
        run('all-b', 'b', at + 1, { requestId: 'request-all' }),
        run('all-a', 'a', at, { requestId: 'request-all' }),
        feedback('all-feedback', 'all', at + 2, { accepted: true, selectedVariant: 'b' }),
      ]);
      const metrics = await harness.store.metricsByVariant({ feature: FEATURE, from: FROM, to: TO });
      expect(totalsOf(metrics, 'a').feedback).toMatchObject({ accepted: 1, selections: 0 });
      expect(totalsOf(metrics, 'b').feedback).toMatchObject({ accepted: 0, selections: 1 });
    });

    it('gives stats totals per feature and variant, idle live features included', async () => {
      const metrics = await seeded();
      await harness.store.createFeature(testFeature('idle'), writer);
      const stats = await harness.store.statsTotals({ from: FROM, to: TO });
      expect(stats).toMatchObject({ from: FROM, to: TO, feature: null });
      expect(stats.features.map((entry) => entry.feature)).toEqual([FEATURE, 'idle', 'persona']);
      // One bucket over the same range: the same counts, and the same sketch bins, so the same quantiles.
      const totals = stats.features[0]?.variants ?? [];
      expect(totals.map((entry) => entry.variant)).toEqual(['control', 'v2', 'v3']);
      totals.forEach((entry, index) => {
        expectSameValues(entry, metrics.totals[index]!);
        expect(entry.latencyMs).toEqual(metrics.totals[index]!.latencyMs);
      });
      expect(stats.features[1]?.variants.map((totals) => [totals.variant, totals.requests])).toEqual([
        ['control', 0],
        ['v2', 0],
      ]);
      expect(stats.features[2]?.variants).toMatchObject([{ variant: 'v2', requests: 1, errors: 1 }]);
      const one = await harness.store.statsTotals({ from: FROM, to: TO, feature: 'persona' });
      expect(one.feature).toBe('persona');
      expect(one.features.map((entry) => entry.feature)).toEqual(['persona']);
    });
  });
}
