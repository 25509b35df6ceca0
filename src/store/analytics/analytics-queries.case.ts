import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.js';
import type { StoreHarness } from '../store-harness.case.js';
import { testFeature } from '../store-harness.case.js';
import { attempt, FEATURE, FROM, HOUR, run } from './analytics-fixtures.case.js';
import type { MetricsQuery, StatsQuery } from './analytics-types.js';
import { emptyMetricCounts } from './metric-counts.js';
import { toMetricValues } from './metric-values.js';
import { expectSameValues } from './metrics-reference.case.js';
import { MAX_BUCKETS, MAX_RANGE_MS } from './resolve-analytics-query.js';

const DAY = 24 * HOUR;

async function rejection(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

/** Query validation, default intervals and empty ranges. */
export function queryCases(harness: StoreHarness): void {
  describe('analytics queries', () => {
    const valid: MetricsQuery = { feature: FEATURE, from: FROM, to: FROM + DAY };

    it.each([
      ['feature', { feature: '' }],
      ['feature', { feature: 42 }],
      ['from', { from: -1 }],
      ['from', { from: 1.5 }],
      ['from', { from: '2025-01-01' }],
      ['to', { to: undefined }],
      ['to', { to: FROM }],
      ['to', { to: FROM - 1 }],
      ['to', { to: FROM + MAX_RANGE_MS + 1 }],
      ['intervalMs', { intervalMs: 999 }],
      ['intervalMs', { intervalMs: 1_000.5 }],
      ['intervalMs', { intervalMs: Math.floor(DAY / (MAX_BUCKETS + 1)) }],
    ])('rejects a metrics query with a bad %s, naming it', async (field, change) => {
      const query = { ...valid, ...change } as unknown as MetricsQuery;
      const error = await rejection(harness.store.metricsByVariant(query));
      expect(error.field).toBe(field);
      expect(error.code).toBe('INVALID_INPUT');
    });

    it('counts attempts whose JSON holds an escaped NUL (PostgreSQL cannot read it with ->>)', async () => {
      await harness.store.appendEvents([
        run('nul-run', 'v2', FROM + 10, { feature: 'nul-feature' }),
        attempt('nul-attempt', 'nul-run', 'v2', 'v2', FROM + 5, {
          feature: 'nul-feature',
          provider: 'openai',
          model: 'gpt-4o-mini',
          outcome: 'error',
          errorClass: 'parse_error',
          errorMessage: 'bad \u0000 byte',
        }),
      ]);
      const metrics = await harness.store.metricsByVariant({
        feature: 'nul-feature',
        from: FROM,
        to: FROM + HOUR,
      });
      const v2 = metrics.totals.find((totals) => totals.variant === 'v2');
      expect(v2?.llmAttempts).toBe(1);
      expect(v2?.parseErrors).toBe(1);
    });

    it.each([
      ['from', { from: Number.NaN }],
      ['to', { to: FROM }],
      ['feature', { feature: '' }],
    ])('rejects a stats query with a bad %s, naming it', async (field, change) => {
      const query = { from: FROM, to: FROM + HOUR, ...change } as unknown as StatsQuery;
      expect((await rejection(harness.store.statsTotals(query))).field).toBe(field);
    });

    it('accepts exactly the largest bucket count and the longest range', async () => {
      const most = await harness.store.metricsByVariant({
        ...valid,
        intervalMs: Math.ceil(DAY / MAX_BUCKETS),
      });
      expect(most.series).toEqual([]);
      const longest = await harness.store.metricsByVariant({ ...valid, to: FROM + MAX_RANGE_MS });
      expect(longest.intervalMs).toBe(2 * DAY);
    });

    it.each([
      [90_000, 1_000, 90],
      [HOUR, 30_000, 120],
      [DAY, 10 * 60_000, 144],
      [7 * DAY, HOUR, 168],
      [366 * DAY, 2 * DAY, 183],
    ])('splits a %i ms range into round buckets of %i ms (%i of them)', async (range, interval, count) => {
      await harness.store.createFeature(testFeature(FEATURE), { actor: 'writer' });
      const metrics = await harness.store.metricsByVariant({
        feature: FEATURE,
        from: FROM,
        to: FROM + range,
      });
      expect(metrics.intervalMs).toBe(interval);
      expect(metrics.series[0]?.buckets).toHaveLength(count);
    });

    it('gives a configured feature without events zeroed buckets, and an unknown feature no series', async () => {
      await harness.store.createFeature(testFeature(FEATURE), { actor: 'writer' });
      await harness.store.appendEvents([run('before', 'v2', FROM - 1)]);
      const metrics = await harness.store.metricsByVariant({
        feature: FEATURE,
        from: FROM,
        to: FROM + 2.5 * HOUR,
        intervalMs: HOUR,
      });
      expect(metrics.series.map((series) => series.variant)).toEqual(['control', 'v2']);
      const zero = toMetricValues(emptyMetricCounts(), undefined);
      for (const series of metrics.series) {
        // The last bucket is the half hour left before `to`.
        expect(series.buckets.map((bucket) => bucket.start)).toEqual([FROM, FROM + HOUR, FROM + 2 * HOUR]);
        for (const { start: _start, ...values } of series.buckets) {
          expectSameValues(values, zero);
        }
      }
      for (const { variant: _variant, ...values } of metrics.totals) {
        expectSameValues(values, zero);
      }
      const unknown = await harness.store.metricsByVariant({ ...valid, feature: 'unknown' });
      expect(unknown).toMatchObject({ series: [], totals: [] });
      expect(
        (await harness.store.statsTotals({ from: FROM, to: FROM + HOUR, feature: 'unknown' })).features,
      ).toEqual([]);
    });
  });
}
