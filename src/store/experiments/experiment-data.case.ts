import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.js';
import type { TelemetryEvent } from '../../core/event-schema.js';
import type { ExperimentData, MetricSums } from '../../stats/experiment-data.js';
import { exactQuantile, expectWithinSketchAccuracy } from '../analytics/metrics-reference.case.js';
import type { ExperimentDataQuery } from '../store.js';
import { callEvent, decisionEvent, feedbackEvent } from '../store-events.case.js';
import type { StoreHarness } from '../store-harness.case.js';
import { emptySums, referenceExperimentData } from './experiment-reference.case.js';
import { generateScenario, SCENARIO_FROM, SCENARIO_TO, scenarioQuery } from './experiment-scenario.case.js';
import { MAX_PERIODS } from './resolve-experiment-query.js';

/** Asserts two sums are equal, floats up to summation order (the databases add in their own order). */
function expectSums(actual: MetricSums | undefined, expected: MetricSums, label: string): void {
  expect(actual, label).toBeDefined();
  for (const [field, value] of Object.entries(expected)) {
    const got = (actual as unknown as Record<string, number>)[field] as number;
    const tolerance = 1e-9 * Math.max(1, Math.abs(value));
    expect(Math.abs(got - value), `${label}.${field}: ${got} is not ${value}`).toBeLessThanOrEqual(tolerance);
  }
}

async function append(harness: StoreHarness, events: TelemetryEvent[]): Promise<void> {
  for (let start = 0; start < events.length; start += 500) {
    await harness.store.appendEvents(events.slice(start, start + 500));
  }
}

/** Sums of a hand-written unit set: numerator, denominator, units, units with data. */
function sums(numerator: number, denominator: number, units = 1, unitsWithData = denominator > 0 ? 1 : 0) {
  return {
    units,
    unitsWithData,
    numerator,
    denominator,
    numeratorSquares: numerator * numerator,
    denominatorSquares: denominator * denominator,
    crossProducts: numerator * denominator,
  };
}

/** Contract cases for `experimentData`: a hand-written experiment, a generated one against a reference, validation. */
export function experimentDataCases(harness: StoreHarness): void {
  describe('experiment data', () => {
    const from = SCENARIO_FROM;
    const to = SCENARIO_TO;
    const exposure = (id: string, unitId: string, variant: string, at: number, reason = 'SPLIT') =>
      decisionEvent(id, {
        requestId: id,
        unitId,
        variant,
        at,
        reason: reason as 'SPLIT',
        ruleId: 'experiment-split',
      });

    it('sums a hand-written experiment per unit, leaving out units seen in two arms', async () => {
      await harness.store.appendEvents([
        // Unit a (control): two requests, one of them with feedback long after the range.
        exposure('a1', 'a', 'control', from + 1_000),
        callEvent('a1-run', {
          requestId: 'a1',
          at: from + 2_000,
          outcome: 'success',
          fallback: false,
          cached: true,
          latencyMs: 100,
          costUsd: 0.01,
        }),
        callEvent('a1-attempt', {
          requestId: 'a1',
          at: from + 1_500,
          scope: 'attempt',
          errorClass: 'parse_error',
        }),
        callEvent('a1-handler', {
          requestId: 'a1',
          at: from + 1_500,
          scope: 'attempt',
          model: null,
          errorClass: 'parse_error',
        }),
        feedbackEvent('a1-feedback', {
          requestId: 'a1',
          at: from + 5_000,
          accepted: true,
          rating: 4,
          metric: 'purchase',
          value: 10,
        }),
        exposure('a2', 'a', 'control', from + 10_000, 'STICKY'),
        callEvent('a2-run', {
          requestId: 'a2',
          at: from + 11_000,
          outcome: 'error',
          errorClass: 'timeout',
          latencyMs: 300,
          costUsd: 0.02,
        }),
        feedbackEvent('a2-feedback', {
          requestId: 'a2',
          at: to + 3_600_000,
          accepted: false,
          rating: null,
          metric: null,
          value: null,
        }),
        // Unit b (treatment): a rejected run, and an attempt after the range, which does not count.
        exposure('b1', 'b', 'treatment', from + 20_000),
        callEvent('b1-run', {
          requestId: 'b1',
          at: from + 20_001,
          outcome: 'rejected',
          latencyMs: 0,
          costUsd: 0,
        }),
        callEvent('b1-attempt', {
          requestId: 'b1',
          at: to + 1,
          scope: 'attempt',
          errorClass: 'schema_invalid',
        }),
        // Unit c saw both arms; d was not split into the experiment; e came at `to`, which is outside.
        exposure('c1', 'c', 'control', from + 30_000),
        exposure('c2', 'c', 'treatment', from + 31_000),
        callEvent('c1-run', { requestId: 'c1', at: from + 30_500 }),
        exposure('d1', 'd', 'control', from + 40_000, 'TARGETING_MATCH'),
        callEvent('d1-run', { requestId: 'd1', at: from + 40_500 }),
        exposure('e1', 'e', 'control', to),
      ]);
      const data = await harness.store.experimentData({
        feature: 'coach-reply',
        ruleId: 'experiment-split',
        arms: ['treatment', 'control', 'unused'],
        from,
        to,
        metrics: [
          'error-rate',
          'fallback-rate',
          'failure-rate',
          'cache-hit-rate',
          'parse-error-rate',
          'acceptance-rate',
          'mean-cost',
          'cost-per-accepted',
          'mean-latency',
          'rating',
          'feedback:purchase',
          'p95-latency',
        ],
      });
      expect(data.arms.map((arm) => [arm.variant, arm.units])).toEqual([
        ['treatment', 1],
        ['control', 1],
        ['unused', 0],
      ]);
      expect(data.multipleExposureUnits).toBe(1);
      expect(data.periods).toEqual([]);
      const [treatment, control, unused] = data.arms;
      const expectedControl: Record<string, MetricSums> = {
        'error-rate': sums(1, 2),
        'fallback-rate': sums(0, 1),
        'failure-rate': sums(1, 2),
        'cache-hit-rate': sums(1, 1),
        'parse-error-rate': sums(1, 1),
        'acceptance-rate': sums(1, 2),
        'mean-cost': sums(0.03, 2),
        'cost-per-accepted': sums(0.03, 1),
        'mean-latency': sums(400, 2),
        rating: sums(4, 1),
        'feedback:purchase': sums(10, 1),
      };
      expect(Object.keys(control?.metrics ?? {})).toEqual(Object.keys(expectedControl));
      for (const [metric, expected] of Object.entries(expectedControl)) {
        expectSums(control?.metrics[metric], expected, `control ${metric}`);
      }
      expectSums(treatment?.metrics['error-rate'], sums(0, 1), 'treatment error-rate');
      expectSums(treatment?.metrics['mean-latency'], sums(0, 0), 'treatment mean-latency');
      expectSums(treatment?.metrics['parse-error-rate'], sums(0, 0), 'treatment parse-error-rate');
      expectSums(unused?.metrics['error-rate'], sums(0, 0, 0), 'unused error-rate');
      expect(treatment?.latency).toBeNull();
      expect(unused?.latency).toBeNull();
      expect(control?.latency?.count).toBe(2);
      expectWithinSketchAccuracy(control?.latency?.quantile(0) ?? null, 100);
      // Never above the largest latency seen, though the bin's representative is.
      expect(control?.latency?.quantile(1)).toBe(300);
      expect(() => control?.latency?.quantile(1.5)).toThrow(InvalidInputError);
    });

    it('counts DEFAULT decisions of the fallthrough arm as its exposures, as a ramp compares', async () => {
      const run = (id: string, outcome: 'success' | 'error') =>
        callEvent(`${id}-run`, { requestId: id, at: from + 50_000, outcome, latencyMs: 10, costUsd: 0 });
      const decision = (id: string, unitId: string, variant: string, reason: string, ruleId: string | null) =>
        decisionEvent(id, {
          requestId: id,
          unitId,
          variant,
          at: from + 40_000,
          reason: reason as 'SPLIT',
          ruleId,
        });
      await harness.store.appendEvents([
        decision('t1', 't1', 'treatment', 'SPLIT', 'experiment-split'),
        run('t1', 'error'),
        decision('c1', 'c1', 'control', 'DEFAULT', null),
        run('c1', 'success'),
        decision('c2', 'c2', 'control', 'DEFAULT', null),
        run('c2', 'error'),
        // Targeted units are not part of the comparison, nor DEFAULT decisions of another arm.
        decision('x1', 'x1', 'control', 'TARGETING_MATCH', 'internal'),
        run('x1', 'error'),
        decision('x2', 'x2', 'treatment', 'DEFAULT', null),
        run('x2', 'error'),
      ]);
      const query = { ...scenarioQuery({ metrics: ['error-rate'], periodMs: undefined }) };
      const plain = await harness.store.experimentData(query);
      expect(plain.arms.map((arm) => arm.units)).toEqual([0, 1]);
      const ramp = await harness.store.experimentData({ ...query, fallthroughArm: 'control' });
      expect(ramp.arms.map((arm) => arm.units)).toEqual([2, 1]);
      // Two units, each with one run: one error between them.
      const control = { units: 2, unitsWithData: 2, numerator: 1, denominator: 2 };
      expectSums(
        ramp.arms[0]?.metrics['error-rate'],
        { ...control, numeratorSquares: 1, denominatorSquares: 2, crossProducts: 1 },
        'control',
      );
      await expect(harness.store.experimentData({ ...query, fallthroughArm: 'other' })).rejects.toMatchObject(
        {
          code: 'INVALID_INPUT',
          field: 'fallthroughArm',
        },
      );
    });

    it('computes only the metrics asked for, and zeroed arms on an empty store', async () => {
      const query = scenarioQuery({ metrics: ['error-rate'], periodMs: undefined });
      const empty = await harness.store.experimentData(query);
      expect(empty).toEqual({
        arms: [
          { variant: 'control', units: 0, metrics: { 'error-rate': emptySums() }, latency: null },
          { variant: 'treatment', units: 0, metrics: { 'error-rate': emptySums() }, latency: null },
        ],
        multipleExposureUnits: 0,
        periods: [],
      });
      await append(harness, generateScenario(5, 20));
      const data = await harness.store.experimentData(query);
      expect(data.arms.map((arm) => Object.keys(arm.metrics))).toEqual([['error-rate'], ['error-rate']]);
      const latencyOnly = await harness.store.experimentData({ ...query, metrics: ['p95-latency'] });
      expect(latencyOnly.arms.map((arm) => arm.metrics)).toEqual([{}, {}]);
      expect(latencyOnly.arms.map((arm) => arm.units)).toEqual(data.arms.map((arm) => arm.units));
      expect(latencyOnly.arms.every((arm) => (arm.latency?.count ?? 0) > 0)).toBe(true);
    });

    for (const seed of [1, 2]) {
      it(`matches the reference on generated experiment ${seed}: units, every metric's sums, periods, latency`, async () => {
        const events = generateScenario(seed);
        await append(harness, events);
        const query = scenarioQuery();
        const data: ExperimentData = await harness.store.experimentData(query);
        const reference = referenceExperimentData(events, query);
        // The scenario must exercise what it is for.
        expect(reference.multipleExposureUnits).toBeGreaterThan(0);
        expect(reference.periods.size).toBeGreaterThan(3);
        expect(data.multipleExposureUnits).toBe(reference.multipleExposureUnits);
        expect(data.arms.map((arm) => arm.variant)).toEqual(query.arms);
        for (const arm of data.arms) {
          const expected = reference.arms.get(arm.variant);
          expect(arm.units, arm.variant).toBe(expected?.units);
          expect(Object.keys(arm.metrics).sort()).toEqual(Object.keys(expected?.metrics ?? {}).sort());
          for (const [metric, sumsOfMetric] of Object.entries(expected?.metrics ?? {})) {
            expectSums(arm.metrics[metric], sumsOfMetric, `${arm.variant} ${metric}`);
            expect(sumsOfMetric.unitsWithData).toBeGreaterThan(0);
          }
          const latencies = expected?.latencies ?? [];
          expect(arm.latency?.count).toBe(latencies.length);
          for (const quantile of [0.5, 0.95, 0.99]) {
            expectWithinSketchAccuracy(
              arm.latency?.quantile(quantile) ?? null,
              exactQuantile(latencies, quantile),
            );
          }
        }
        expect(data.periods.map((period) => period.index)).toEqual(
          [...reference.periods.keys()].sort((left, right) => left - right),
        );
        for (const period of data.periods) {
          const expected = reference.periods.get(period.index);
          expect(Object.keys(period.arms)).toEqual(query.arms);
          for (const arm of query.arms) {
            for (const metric of Object.keys(data.arms[0]?.metrics ?? {})) {
              const expectedSums = expected?.get(arm)?.[metric] ?? emptySums();
              expectSums(period.arms[arm]?.[metric], expectedSums, `period ${period.index} ${arm} ${metric}`);
            }
          }
        }
      });
    }

    it('finds the events of odd text as the columns hold them', async () => {
      const feature = 'odd\u0000feature';
      await harness.store.appendEvents([
        decisionEvent('odd-1', {
          requestId: 'odd-1',
          feature,
          ruleId: 'rule\u0000',
          variant: 'arm\ud800',
          unitId: 'u',
        }),
        callEvent('odd-1-run', {
          requestId: 'odd-1',
          feature,
          errorMessage: 'nul \u0000',
          outcome: 'error',
          errorClass: 'timeout',
        }),
        callEvent('odd-1-attempt', {
          requestId: 'odd-1',
          feature,
          scope: 'attempt',
          errorMessage: 'nul \u0000',
          errorClass: 'parse_error',
        }),
      ]);
      const data = await harness.store.experimentData({
        feature,
        ruleId: 'rule\u0000',
        arms: ['arm\ud800'],
        from: 0,
        to: Number.MAX_SAFE_INTEGER,
        metrics: ['error-rate', 'parse-error-rate'],
      });
      expect(data.arms[0]?.variant).toBe('arm\ud800');
      expectSums(data.arms[0]?.metrics['error-rate'], sums(1, 1), 'error-rate');
      expectSums(data.arms[0]?.metrics['parse-error-rate'], sums(1, 1), 'parse-error-rate');
    });

    const valid: ExperimentDataQuery = scenarioQuery();
    it.each([
      ['query', null],
      ['feature', { feature: '' }],
      ['ruleId', { ruleId: 7 }],
      ['arms', { arms: [] }],
      ['arms', { arms: ['control', 'control'] }],
      ['arms[1]', { arms: ['control', ''] }],
      ['from', { from: -1 }],
      ['from', { from: 1.5 }],
      ['to', { to: SCENARIO_FROM }],
      ['metrics', { metrics: ['error-rate', 'bounce-rate'] }],
      ['metrics', { metrics: ['feedback:'] }],
      ['metrics', { metrics: 'error-rate' }],
      ['periodMs', { periodMs: 999 }],
      ['periodMs', { periodMs: 1_000.5 }],
      ['periodMs', { from: 0, to: 1_000 * (MAX_PERIODS + 1), periodMs: 1_000 }],
    ])('refuses a bad %s with InvalidInputError naming it', async (field, change) => {
      const query = change === null ? null : { ...valid, ...change };
      const error = await harness.store.experimentData(query as ExperimentDataQuery).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(field);
    });
  });
}
