import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from './create-rng.js';
import { evaluateAbsoluteRule, evaluateRelativeRule } from './evaluate-alert-rule.js';
import { expectClose, thrownBy } from './expect-close.test-helper.js';
import type { MetricSums } from './experiment-data.js';

/** Sums of a per-unit proportion: `successes` of `units` units, each 0 or 1. */
function proportionSums(successes: number, units: number): MetricSums {
  return {
    units,
    unitsWithData: units,
    numerator: successes,
    denominator: units,
    numeratorSquares: successes,
    denominatorSquares: units,
    crossProducts: successes,
  };
}

/** Sums of a per-unit mean with denominators 1, from the mean and sample variance. */
function meanSums(mean: number, variance: number, units: number): MetricSums {
  const numerator = mean * units;
  return {
    units,
    unitsWithData: units,
    numerator,
    denominator: units,
    numeratorSquares: variance * (units - 1) + numerator ** 2 / units,
    denominatorSquares: units,
    crossProducts: numerator,
  };
}

const strict = { alpha: 0.05, margin: 0, minSamples: 100 };

describe('evaluateAbsoluteRule', () => {
  it('fires when the comparison holds and says ok when it does not', () => {
    const rule = { comparator: '>' as const, threshold: 0.02, minSamples: 100 };
    expect(evaluateAbsoluteRule(rule, { value: 0.031, samples: 640 })).toEqual({
      state: 'firing',
      evidence: { value: 0.031, samples: 640, threshold: 0.02, comparator: '>' },
    });
    expect(evaluateAbsoluteRule(rule, { value: 0.02, samples: 640 }).state).toBe('ok');
  });

  it('treats each comparator at the threshold itself as written', () => {
    const at = (comparator: '>' | '>=' | '<' | '<=', value: number) =>
      evaluateAbsoluteRule({ comparator, threshold: 0.2, minSamples: 0 }, { value, samples: 0 }).state;
    expect([at('>', 0.2), at('>=', 0.2), at('<', 0.2), at('<=', 0.2)]).toEqual([
      'ok',
      'firing',
      'ok',
      'firing',
    ]);
    expect([at('<', 0.19), at('>', 0.21), at('<=', 0.21), at('>=', 0.19)]).toEqual([
      'firing',
      'firing',
      'ok',
      'ok',
    ]);
  });

  it('is insufficient below minSamples, without a value, or with a value that is not finite', () => {
    const rule = { comparator: '>' as const, threshold: 8000, minSamples: 100 };
    expect(evaluateAbsoluteRule(rule, { value: 12_000, samples: 99 }).state).toBe('insufficient');
    expect(evaluateAbsoluteRule(rule, { value: null, samples: 500 })).toEqual({
      state: 'insufficient',
      evidence: { value: null, samples: 500, threshold: 8000, comparator: '>' },
    });
    expect(evaluateAbsoluteRule(rule, { value: Number.NaN, samples: 500 }).evidence.value).toBeNull();
    expect(evaluateAbsoluteRule(rule, { value: Number.POSITIVE_INFINITY, samples: 500 }).state).toBe(
      'insufficient',
    );
  });
});

// References: scipy 1.17, the one-sided confidence sequence written out independently of the code:
//   a = 2·alpha, rho = sqrt((-2 ln a + ln(-2 ln a + 1)) / 5000), n = nA + nB, s² = n·(varA/nA + varB/nB),
//   hw(al) = sqrt(s²·2(n·rho² + 1)/(n·rho)²·ln(1 + sqrt(n·rho² + 1)/(2·al))),
//   p = brentq(lambda al: hw(al) - |d|, 1e-300, 1), d = (treatment - margin shift) - control.
describe('evaluateRelativeRule', () => {
  it('fires on a treatment with a clearly higher error rate, matching the reference', () => {
    const result = evaluateRelativeRule(strict, {
      control: proportionSums(20, 1000),
      treatment: proportionSums(60, 1000),
      direction: 'lower',
    });
    expect(result.state).toBe('firing');
    expectClose(result.evidence.diff, 0.04);
    expectClose(result.evidence.interval?.[0], 0.014840313585718173);
    expect(result.evidence.interval?.[1]).toBeNull();
    expectClose(result.evidence.pValue, 0.000496756143485983);
    expect(result.evidence).toMatchObject({
      controlValue: 0.02,
      treatmentValue: 0.06,
      threshold: 0,
      samples: { control: 1000, treatment: 1000 },
    });
    expect(result.evidence.method).toMatch(/^proportion; .*Waudby-Smith.*; greater; margin 0/);
  });

  it('never fires on the good side of a metric', () => {
    const better = evaluateRelativeRule(strict, {
      control: proportionSums(60, 1000),
      treatment: proportionSums(20, 1000),
      direction: 'lower',
    });
    expect(better.state).toBe('ok');
    expect(better.evidence.pValue).toBe(1);
    const higherIsBetter = evaluateRelativeRule(strict, {
      control: proportionSums(20, 1000),
      treatment: proportionSums(60, 1000),
      direction: 'higher',
    });
    expect(higherIsBetter.state).toBe('ok');
    expect(higherIsBetter.evidence.interval?.[0]).toBeNull();
  });

  it('fires on a mean only when the whole interval is beyond the margin, matching the reference', () => {
    const rule = { alpha: 0.05, margin: 0.05, minSamples: 100 };
    const control = meanSums(4, 1.2, 400);
    const muchWorse = evaluateRelativeRule(rule, {
      control,
      treatment: meanSums(3.5, 1.5, 380),
      direction: 'higher',
    });
    expect(muchWorse.state).toBe('firing');
    expectClose(muchWorse.evidence.threshold ?? Number.NaN, -0.2);
    expectClose(muchWorse.evidence.diff, -0.5);
    expectClose(muchWorse.evidence.interval?.[1], -0.22446448329179625);
    expect(muchWorse.evidence.interval?.[0]).toBeNull();
    expectClose(muchWorse.evidence.pValue, 0.02939765569074792);
    expect(muchWorse.evidence.method).toMatch(/^mean; .*less; margin 0.05/);

    // Worse by 6.25 %, but the interval reaches past the 5 % margin: no alert.
    const slightlyWorse = evaluateRelativeRule(rule, {
      control,
      treatment: meanSums(3.75, 1.5, 380),
      direction: 'higher',
    });
    expect(slightlyWorse.state).toBe('ok');
    expectClose(slightlyWorse.evidence.interval?.[1], 0.025535516708203754);
    expect(slightlyWorse.evidence.pValue).toBe(1);
  });

  it('does not fire on a difference inside the margin, however much data there is', () => {
    const result = evaluateRelativeRule(
      { alpha: 0.05, margin: 0.2, minSamples: 100 },
      {
        control: proportionSums(10_000, 1_000_000),
        treatment: proportionSums(11_000, 1_000_000),
        direction: 'lower',
      },
    );
    expect(result.state).toBe('ok');
    const withoutMargin = evaluateRelativeRule(strict, {
      control: proportionSums(10_000, 1_000_000),
      treatment: proportionSums(11_000, 1_000_000),
      direction: 'lower',
    });
    expect(withoutMargin.state).toBe('firing');
  });

  it('is insufficient below minSamples in either arm and when a mean has too few units for a variance', () => {
    const few = evaluateRelativeRule(strict, {
      control: proportionSums(0, 1000),
      treatment: proportionSums(50, 99),
      direction: 'lower',
    });
    expect(few.state).toBe('insufficient');
    expect(few.evidence).toMatchObject({
      diff: null,
      pValue: null,
      samples: { control: 1000, treatment: 99 },
    });
    expect(few.evidence.treatmentValue).toBeCloseTo(50 / 99, 12);
    const lonely = evaluateRelativeRule(
      { ...strict, minSamples: 0 },
      { control: meanSums(4, 1, 50), treatment: meanSums(9, 0, 1), direction: 'higher' },
    );
    expect(lonely.state).toBe('insufficient');
    expect(lonely.evidence.method).toContain('too little data for a variance');
  });

  it('names the field of malformed input', () => {
    const sums = proportionSums(1, 10);
    expect(
      thrownBy(() =>
        evaluateRelativeRule(strict, {
          control: { ...sums, units: -1 },
          treatment: sums,
          direction: 'lower',
        }),
      ).message,
    ).toMatch(/^control\.units must be/);
    expect(
      thrownBy(() =>
        evaluateRelativeRule({ ...strict, alpha: 2 }, { control: sums, treatment: sums, direction: 'lower' }),
      ).message,
    ).toMatch(/^alpha must be/);
    expect(
      thrownBy(() =>
        evaluateRelativeRule(
          { ...strict, margin: -1 },
          { control: sums, treatment: sums, direction: 'lower' },
        ),
      ).message,
    ).toMatch(/^margin must be/);
  });

  it('keeps false alarms at or below alpha under continuous monitoring of equal arms (A/A)', () => {
    // Each simulated run adds `batch` units per arm, evaluates after every batch (as the monitor does every
    // 10 s) and counts as a false alarm if any evaluation fires. Arms share the true rate or mean.
    const runs = 200;
    const looks = 40;
    const batch = 25;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(0.01, 0.05, 0.3, 0.5),
        fc.constantFrom('proportion', 'mean'),
        fc.constantFrom('lower' as const, 'higher' as const),
        fc.constantFrom(0.05, 0.1),
        (seed, rate, kind, direction, alpha) => {
          const random = createRng(seed);
          // A unit's value: a 0/1 outcome, or an exponential latency-like value with mean 1 / rate.
          const draw =
            kind === 'proportion' ? () => (random() < rate ? 1 : 0) : () => -Math.log(1 - random()) / rate;
          let falseAlarms = 0;
          for (let run = 0; run < runs; run++) {
            const arms = [emptyUnitSums(), emptyUnitSums()] as const;
            for (let look = 0; look < looks; look++) {
              for (let unit = 0; unit < batch; unit++) {
                addUnit(arms[0], draw());
                addUnit(arms[1], draw());
              }
              const result = evaluateRelativeRule(
                { alpha, margin: 0, minSamples: 20 },
                { control: arms[0], treatment: arms[1], direction },
              );
              if (result.state === 'firing') {
                falseAlarms++;
                break;
              }
            }
          }
          expect(falseAlarms / runs).toBeLessThanOrEqual(alpha);
        },
      ),
      { numRuns: 6 },
    );
  });
});

function emptyUnitSums(): MetricSums {
  return proportionSums(0, 0);
}

/** Adds one unit with denominator 1 and the given numerator. */
function addUnit(sums: MetricSums, value: number): void {
  sums.units++;
  sums.unitsWithData++;
  sums.numerator += value;
  sums.denominator++;
  sums.numeratorSquares += value ** 2;
  sums.denominatorSquares++;
  sums.crossProducts += value;
}
