import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arm, bernoulliSums, latencyOf, meanSums, sumsFromUnits } from './analysis-fixtures.test-helper.js';
import { analyzeExperiment } from './analyze-experiment.js';
import { expectClose, thrownBy } from './expect-close.test-helper.js';
import type { AnalysisConfig, AnalyzeExperimentInput, ExperimentAnalysis } from './experiment-analysis.js';
import type { ArmData } from './experiment-data.js';

// References: scipy 1.17 / numpy 2, computed from the same per-unit data as below.
//   proportions: pooled z-test p = 2·norm.sf(|pB - pA| / sqrt(p̄(1 - p̄)(1/nA + 1/nB)));
//     Holm by hand over the two p-values; Wilson: (p + z²/2n)/(1 + z²/n) ∓ z/(1 + z²/n)·sqrt(p(1-p)/n + z²/4n²);
//     P(pB > pA) = integrate.quad(lambda x: beta(121, 881).pdf(x) * beta(151, 851).sf(x), 0, 1);
//     power = norm.cdf((sqrt(n)|p1 - p2| - z·sqrt(2p̄q̄)) / sqrt(p1q1 + p2q2)) (R power.prop.test), p2 = 0.12·1.1.
//   means: stats.ttest_ind(b, a, equal_var=False) (p, confidence_interval), arm: mean ∓ t.ppf(.975, n-1)·s/sqrt(n).
//   ratio: R = ΣN/ΣD, per-unit var (var(N) - 2R·cov(N, D) + R²·var(D)) / mean(D)² over units with D > 0 (ddof 1),
//     then stats.ttest_ind_from_stats(RB, sqrt(vB), nB, RA, sqrt(vA), nA, equal_var=False).
//   quantile: np.quantile at 0.95 and 0.95 ∓ z·sqrt(0.95·0.05/n); SE = (hi - lo)/(2z)·sqrt((n-1)/n); z-test.
//   sequential: GrowthBook's two-sided CS, rho = sqrt((-2 ln a + ln(-2 ln a + 1))/5000),
//     halfwidth = sqrt(n·SE²·2(nρ² + 1)/(nρ)²·ln(sqrt(nρ² + 1)/a)), p = min(1, sqrt(nρ² + 1)·exp(-ρ²n·d²/(2SE²(nρ² + 1)))).
//   SRM: stats.chi2.sf(2·100²/5100, 1).
const config: AnalysisConfig = {
  primaryMetric: 'acceptance-rate',
  secondaryMetrics: [],
  guardrailMetrics: [],
  alpha: 0.05,
  power: 0.8,
  mde: 0.1,
  minSamplePerArm: 30,
  correction: 'holm',
  sequential: false,
};

const data = (arms: ArmData[]): AnalyzeExperimentInput['data'] => ({
  arms,
  multipleExposureUnits: 0,
  periods: [],
});
const range = (count: number, value: (index: number) => number): number[] =>
  Array.from({ length: count }, (_, index) => value(index));

const threeArms = data([
  arm('v1', 1000, { 'acceptance-rate': bernoulliSums(120, 1000) }),
  arm('v2', 1000, { 'acceptance-rate': bernoulliSums(150, 1000) }),
  arm('v3', 1000, { 'acceptance-rate': bernoulliSums(130, 1000) }),
]);

const meanControl = range(60, (index) => ((index * 37) % 11) / 10);
const meanTreatment = range(50, (index) => ((index * 53) % 13) / 10 + 0.1);

/** Units with 0-3 accepted answers and a cost when they have any. */
const ratioUnits = (count: number, step: number, costStep: number): Array<[number, number]> =>
  range(count, (index) => index).map((index) => {
    const accepted = (index * step) % 4;
    return [accepted > 0 ? accepted * 0.8 + ((index * costStep) % 9) / 10 : 0, accepted];
  });

const latencyControl = range(200, (index) => 100 + ((index * 7919) % 1000) / 2);
const latencyTreatment = range(180, (index) => 90 + ((index * 104729) % 1000) / 2);

/** Every number anywhere in the value is finite, and JSON round-trips it unchanged. */
function expectCleanJson(value: ExperimentAnalysis): void {
  const visit = (node: unknown): void => {
    if (typeof node === 'number') expect(Number.isFinite(node), `number ${node}`).toBe(true);
    else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(value);
  expect(JSON.parse(JSON.stringify(value))).toEqual(value);
}

describe('analyzeExperiment', () => {
  it('compares proportions by the z-test, corrects the primary metric over arms and computes power', () => {
    const result = analyzeExperiment({
      data: threeArms,
      config,
      control: 'v1',
      expectedWeights: { v1: 1, v2: 1, v3: 1 },
    });
    const [primary] = result.metrics;
    expect(primary).toMatchObject({
      metric: 'acceptance-rate',
      role: 'primary',
      direction: 'higher',
      kind: 'proportion',
    });
    expect(primary!.arms.map((entry) => [entry.variant, entry.n, entry.value])).toEqual([
      ['v1', 1000, 0.12],
      ['v2', 1000, 0.15],
      ['v3', 1000, 0.13],
    ]);
    expectClose(primary!.arms[0]!.interval![0], 0.10129926060130913);
    expectClose(primary!.arms[0]!.interval![1], 0.14160907584771276);

    const [v2, v3] = primary!.comparisons;
    expectClose(v2!.diff, 0.03);
    expectClose(v2!.relativeLift, 0.25);
    expectClose(v2!.pValue, 0.04964038686536878);
    expectClose(v3!.pValue, 0.4989622986037606);
    expectClose(v2!.adjustedPValue, 0.09928077373073756);
    expectClose(v3!.adjustedPValue, 0.4989622986037606);
    // Φ(0.03 / Wald SE), read from the difference's interval.
    expectClose(v2!.chanceToBeatControl, 0.9752896246702095);
    // Significant before the correction, not after it.
    expect(v2!.verdict).toBe('no significant difference');
    expect(v2!.method).toContain('two-proportion z-test');
    expectClose(v2!.power!.power, 0.12474931654355259);
    expect(v2!.power).toMatchObject({ sampleNeededPerArm: 12004, remainingPerArm: 11004 });
    expect(result.verdict).toEqual({ verdict: 'no significant difference', winner: null });
    expect(result.srm).toEqual({ chiSquare: 0, pValue: 1, mismatch: false });
    expect(result.arms).toEqual([
      { variant: 'v1', units: 1000 },
      { variant: 'v2', units: 1000 },
      { variant: 'v3', units: 1000 },
    ]);
    expectCleanJson(result);
  });

  it('applies each correction to the primary family and none to other metrics', () => {
    const adjusted = (correction: AnalysisConfig['correction']) =>
      analyzeExperiment({
        data: threeArms,
        config: { ...config, correction },
        control: 'v1',
      }).metrics[0]!.comparisons.map((comparison) => comparison.adjustedPValue);
    expect(adjusted('none')).toEqual(
      [0.04964038686536878, 0.4989622986037606].map((value) => expect.closeTo(value, 12)),
    );
    expectClose(adjusted('bonferroni')[0], 0.09928077373073756);
    expectClose(adjusted('bonferroni')[1], 0.9979245972075212);
    expectClose(adjusted('bh')[0], 0.09928077373073756);
    expectClose(adjusted('bh')[1], 0.4989622986037606);

    const uncorrected = analyzeExperiment({
      data: threeArms,
      config: { ...config, correction: 'none' },
      control: 'v1',
    });
    expect(uncorrected.metrics[0]!.comparisons[0]!.verdict).toBe('significant win');
    expect(uncorrected.verdict).toEqual({ verdict: 'significant win', winner: 'v2' });

    const asSecondary = analyzeExperiment({
      data: data(
        threeArms.arms.map((entry) => ({
          ...entry,
          metrics: { ...entry.metrics, 'error-rate': bernoulliSums(10, 1000) },
        })),
      ),
      config: { ...config, primaryMetric: 'error-rate', secondaryMetrics: ['acceptance-rate'] },
      control: 'v1',
    });
    const secondary = asSecondary.metrics[1]!.comparisons[0]!;
    expect(secondary.adjustedPValue).toBeNull();
    expect(secondary.power).toBeNull();
    expect(secondary.verdict).toBe('significant win');
  });

  it('compares per-unit means by Welch’s test and calls a costlier treatment a loss', () => {
    const result = analyzeExperiment({
      data: data([
        arm('v1', 70, { 'mean-cost': meanSums(meanControl, 10) }),
        arm('v2', 55, { 'mean-cost': meanSums(meanTreatment, 5) }),
      ]),
      config: { ...config, primaryMetric: 'mean-cost' },
      control: 'v1',
    });
    const metric = result.metrics[0]!;
    expect(metric).toMatchObject({ kind: 'mean', direction: 'lower' });
    expect(metric.arms.map((entry) => entry.n)).toEqual([60, 50]);
    expectClose(metric.arms[0]!.value, 0.48833333333333334);
    expectClose(metric.arms[0]!.interval![0], 0.4059410724841164);
    expectClose(metric.arms[0]!.interval![1], 0.5707255941825502);
    const comparison = metric.comparisons[0]!;
    expectClose(comparison.pValue, 0.005229806617763493);
    expectClose(comparison.diffCI![0], 0.057907206445104026);
    expectClose(comparison.diffCI![1], 0.32142612688822914);
    // 1 - Φ(z · diff / half-width) of the Welch interval above.
    expectClose(comparison.chanceToBeatControl, 0.0023910838133678336);
    expect(comparison.verdict).toBe('significant loss');
    expect(comparison.method).toContain('Welch');
    expectClose(comparison.power!.power, 0.11223298764585976);
    expect(comparison.power).toMatchObject({ sampleNeededPerArm: 771, remainingPerArm: 721 });
    expect(result.verdict).toEqual({ verdict: 'significant loss', winner: null });
  });

  it('compares ratio metrics by the delta method', () => {
    const result = analyzeExperiment({
      data: data([
        arm('v1', 80, { 'cost-per-accepted': sumsFromUnits(ratioUnits(80, 7, 5)) }),
        arm('v2', 90, { 'cost-per-accepted': sumsFromUnits(ratioUnits(90, 3, 7)) }),
      ]),
      config: { ...config, primaryMetric: 'cost-per-accepted' },
      control: 'v1',
    });
    const metric = result.metrics[0]!;
    expect(metric.kind).toBe('ratio');
    expect(metric.arms.map((entry) => entry.n)).toEqual([60, 67]);
    expectClose(metric.arms[0]!.value, 1.005);
    expectClose(metric.arms[1]!.value, 1.0059259259259261);
    expectClose(metric.arms[0]!.interval![0], 0.9654802144679615);
    expectClose(metric.arms[0]!.interval![1], 1.0445197855320383);
    const comparison = metric.comparisons[0]!;
    expectClose(comparison.pValue, 0.9734722108390632);
    expectClose(comparison.diffCI![0], -0.054076136066133096);
    expectClose(comparison.diffCI![1], 0.05592798791798553);
    expect(comparison.method).toContain('delta-method');
    expect(comparison.verdict).toBe('no significant difference');
  });

  it('compares p95 latency by the order-statistic method, treating runs as independent', () => {
    const result = analyzeExperiment({
      data: data([
        arm('v1', 100, {}, latencyOf(latencyControl)),
        arm('v2', 100, {}, latencyOf(latencyTreatment)),
      ]),
      config: { ...config, primaryMetric: 'p95-latency' },
      control: 'v1',
    });
    const metric = result.metrics[0]!;
    expect(metric).toMatchObject({ kind: 'quantile', direction: 'lower' });
    expect(metric.arms.map((entry) => entry.n)).toEqual([200, 180]);
    expectClose(metric.arms[0]!.value, 573.5749999999999);
    expectClose(metric.arms[0]!.interval![0], 559.5587855366583);
    expectClose(metric.arms[0]!.interval![1], 587.5912144633417);
    const comparison = metric.comparisons[0]!;
    expectClose(comparison.diff, -14.375);
    expectClose(comparison.pValue, 0.17833016081209319);
    expectClose(comparison.diffCI![0], -35.30834067214242);
    expectClose(comparison.diffCI![1], 6.558340672142425);
    expectClose(comparison.relativeLift, -0.02506211044763107);
    expectClose(comparison.relativeLiftCI![0], -0.06115321912211669);
    expectClose(comparison.relativeLiftCI![1], 0.011028998226854547);
    expectClose(comparison.chanceToBeatControl, 0.9108349195939534);
    expect(comparison.method).toContain('runs treated as independent');
  });

  it('uses the always-valid confidence sequence when sequential', () => {
    const result = analyzeExperiment({
      data: data(threeArms.arms.slice(0, 2)),
      config: { ...config, sequential: true },
      control: 'v1',
    });
    const comparison = result.metrics[0]!.comparisons[0]!;
    expectClose(comparison.diffCI![0], -0.017692649581947925);
    expectClose(comparison.diffCI![1], 0.07769264958194792);
    expectClose(comparison.pValue, 0.4706907779083804);
    expectClose(comparison.relativeLiftCI![0], -0.19520701922075429);
    expectClose(comparison.relativeLiftCI![1], 0.6952070192207542);
    expect(comparison.method).toContain('confidence sequence');
    expect(comparison.verdict).toBe('no significant difference');
  });

  it('waits for minSamplePerArm and judges lower-is-better rates downwards', () => {
    const errors = data([
      arm('v1', 1000, { 'error-rate': bernoulliSums(150, 1000) }),
      arm('v2', 1000, { 'error-rate': bernoulliSums(100, 1000) }),
    ]);
    const primary = { ...config, primaryMetric: 'error-rate' };
    const fewer = analyzeExperiment({ data: errors, config: primary, control: 'v1' });
    expectClose(fewer.metrics[0]!.comparisons[0]!.pValue, 0.0007232327164301953);
    expect(fewer.verdict).toEqual({ verdict: 'significant win', winner: 'v2' });
    expect(fewer.metrics[0]!.comparisons[0]!.chanceToBeatControl).toBeGreaterThan(0.999);
    const more = analyzeExperiment({ data: errors, config: primary, control: 'v2' });
    expect(more.metrics[0]!.comparisons[0]!.verdict).toBe('significant loss');
    expect(more.verdict).toEqual({ verdict: 'significant loss', winner: null });
    const early = analyzeExperiment({
      data: errors,
      config: { ...primary, minSamplePerArm: 1001 },
      control: 'v1',
    });
    expect(early.metrics[0]!.comparisons[0]!.verdict).toBe('insufficient data');
    expect(early.verdict).toEqual({ verdict: 'insufficient data', winner: null });
  });

  it('flags a sample-ratio mismatch against the expected weights', () => {
    const split = (units: [number, number]) =>
      analyzeExperiment({
        data: data([arm('v1', units[0], {}), arm('v2', units[1], {})]),
        config,
        control: 'v1',
        expectedWeights: { v1: 50, v2: 50 },
      }).srm;
    const close = split([5000, 5200])!;
    expectClose(close.chiSquare, 3.9215686274509802);
    expectClose(close.pValue, 0.0476703806561615);
    expect(close.mismatch).toBe(false);
    expect(split([5000, 5600])!.mismatch).toBe(true);
    expect(split([0, 0])).toBeNull();
    expect(analyzeExperiment({ data: threeArms, config, control: 'v1' }).srm).toBeNull();
  });

  it('returns nulls, not NaN, for empty arms, a zero control rate and constant values', () => {
    const empty = analyzeExperiment({
      data: data([arm('v1', 0, {}), arm('v2', 0, {})]),
      config: { ...config, secondaryMetrics: ['mean-cost', 'cost-per-accepted', 'p95-latency'] },
      control: 'v1',
      expectedWeights: { v1: 1, v2: 1 },
    });
    for (const metric of empty.metrics) {
      expect(metric.arms.every((entry) => entry.value === null && entry.interval === null)).toBe(true);
      expect(metric.comparisons[0]).toMatchObject({ diff: null, pValue: null, verdict: 'insufficient data' });
    }
    expect(empty.metrics[0]!.comparisons[0]!.power).toMatchObject({ power: null, sampleNeededPerArm: null });
    expectCleanJson(empty);

    const zeroRate = analyzeExperiment({
      data: data([
        arm('v1', 500, {
          'acceptance-rate': bernoulliSums(0, 500),
          'mean-cost': meanSums(range(50, () => 2)),
        }),
        arm('v2', 500, {
          'acceptance-rate': bernoulliSums(5, 500),
          'mean-cost': meanSums(range(50, () => 2)),
        }),
      ]),
      config: { ...config, secondaryMetrics: ['mean-cost'] },
      control: 'v1',
    });
    const rate = zeroRate.metrics[0]!.comparisons[0]!;
    expect(rate).toMatchObject({ relativeLift: null, relativeLiftCI: null });
    expect(rate.power).toMatchObject({ power: null, sampleNeededPerArm: null, remainingPerArm: null });
    expect(zeroRate.metrics[0]!.arms[0]!.interval![0]).toBe(0);
    const constant = zeroRate.metrics[1]!.comparisons[0]!;
    expect(constant).toMatchObject({
      diff: 0,
      pValue: 1,
      chanceToBeatControl: null,
      verdict: 'no significant difference',
    });
    expectCleanJson(zeroRate);

    const alone = analyzeExperiment({ data: data([arm('v1', 10, {})]), config, control: 'v1' });
    expect(alone.metrics[0]!.comparisons).toEqual([]);
    expect(alone.verdict).toEqual({ verdict: 'insufficient data', winner: null });
  });

  it('lists each metric once, in its first role', () => {
    const result = analyzeExperiment({
      data: threeArms,
      config: {
        ...config,
        secondaryMetrics: ['error-rate', 'acceptance-rate'],
        guardrailMetrics: ['error-rate'],
      },
      control: 'v1',
    });
    expect(result.metrics.map((metric) => [metric.metric, metric.role])).toEqual([
      ['acceptance-rate', 'primary'],
      ['error-rate', 'secondary'],
    ]);
  });

  it('rejects bad input naming the field', () => {
    const base: AnalyzeExperimentInput = { data: threeArms, config, control: 'v1' };
    const cases: Array<[AnalyzeExperimentInput, string]> = [
      [{ ...base, control: 'v9' }, 'control'],
      [{ ...base, config: { ...config, alpha: 1 } }, 'config.alpha'],
      [{ ...base, config: { ...config, mde: 0 } }, 'config.mde'],
      [{ ...base, config: { ...config, correction: 'fdr' as 'bh' } }, 'config.correction'],
      [{ ...base, config: { ...config, primaryMetric: '' } }, 'config.primaryMetric'],
      [{ ...base, expectedWeights: { v1: 1, v2: 1 } }, 'expectedWeights.v3'],
      [{ ...base, data: data([arm('v1', 1, {}), arm('v1', 1, {})]) }, 'data.arms[1].variant'],
      [
        {
          ...base,
          data: data([arm('v1', 5, { 'acceptance-rate': { ...bernoulliSums(1, 5), denominator: -1 } })]),
        },
        'data.arms[0].metrics["acceptance-rate"].denominator',
      ],
      [
        { ...base, data: data([arm('v1', 5, { 'acceptance-rate': { ...bernoulliSums(1, 6), units: 5 } })]) },
        'data.arms[0].metrics["acceptance-rate"].unitsWithData',
      ],
    ];
    for (const [input, field] of cases) {
      const error = thrownBy(() => analyzeExperiment(input));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message.startsWith(`${field} must be`), error.message).toBe(true);
    }
  });

  it('keeps every output finite-or-null and adjusted p-values at or above raw ones, whatever the data', () => {
    const unit = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })),
      fc.tuple(fc.double({ min: -5, max: 50, noNaN: true }), fc.constant(1)),
      fc.tuple(fc.double({ min: 0, max: 50, noNaN: true }), fc.integer({ min: 0, max: 4 })),
    );
    const armData = fc.record({
      units: fc.array(unit, { maxLength: 40 }),
      extra: fc.integer({ min: 0, max: 3 }),
      runs: fc.array(fc.double({ min: 1, max: 5000, noNaN: true }), { maxLength: 120 }),
    });
    fc.assert(
      fc.property(
        fc.array(armData, { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        fc.constantFrom('holm', 'bonferroni', 'bh', 'none') as fc.Arbitrary<AnalysisConfig['correction']>,
        (arms, sequential, correction) => {
          const built = arms.map((entry, index) =>
            arm(
              `v${index}`,
              entry.units.length + entry.extra,
              {
                'feedback:score': sumsFromUnits(entry.units, entry.extra),
                'acceptance-rate': sumsFromUnits(
                  entry.units.map(([numerator, denominator]) => [
                    numerator > 0.5 && denominator > 0 ? 1 : 0,
                    denominator > 0 ? 1 : 0,
                  ]),
                  entry.extra,
                ),
              },
              entry.runs.length > 0 ? latencyOf(entry.runs) : null,
            ),
          );
          const result = analyzeExperiment({
            data: data(built),
            config: {
              ...config,
              primaryMetric: 'feedback:score',
              secondaryMetrics: ['acceptance-rate', 'p95-latency'],
              minSamplePerArm: 2,
              sequential,
              correction,
            },
            control: 'v0',
            expectedWeights: Object.fromEntries(built.map((entry) => [entry.variant, 1])),
          });
          expectCleanJson(result);
          for (const comparison of result.metrics[0]!.comparisons) {
            if (comparison.pValue === null) expect(comparison.adjustedPValue).toBeNull();
            else expect(comparison.adjustedPValue!).toBeGreaterThanOrEqual(comparison.pValue - 1e-15);
            expect(comparison.pValue === null || (comparison.pValue >= 0 && comparison.pValue <= 1)).toBe(
              true,
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
