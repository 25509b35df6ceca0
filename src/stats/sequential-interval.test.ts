import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, thrownBy } from './expect-close.test-helper.js';
import { sequentialInterval } from './sequential-interval.js';

// References: numpy/scipy 1.17 transcription of gbstats (growthbook packages/stats/gbstats/frequentist/tests.py):
//   rho = sqrt((-2*log(a) + log(-2*log(a) + 1)) / N)   with a = alpha two-sided, 2*alpha one-sided
//   two-sided hw = sqrt(s2)*sqrt(2*(n*rho**2 + 1)*log(sqrt(n*rho**2 + 1)/alpha)/(n*rho)**2)
//   one-sided hw = sqrt(s2*2*(n*rho**2 + 1)/(n*rho)**2*log(1 + sqrt(n*rho**2 + 1)/(2*alpha)))
//   n = nA + nB, s2 = (varA/nA + varB/nB)*n (proportions: var = p*(1-p))
// p-value: scipy.optimize.brentq(lambda a: hw(s2, n, a, rho) - abs(diff), 1e-300, 1, rtol=1e-15) with rho
// fixed; the two-sided one also equals gbstats' e-value form min(1, sqrt(n*rho**2+1)*exp(-rho**2*st2/(2*(n*rho**2+1)))).
describe('sequentialInterval', () => {
  it('matches the two-sided reference for proportions', () => {
    const result = sequentialInterval({ successesA: 500, totalA: 5000, successesB: 600, totalB: 5000 });
    expectClose(result.diff, 0.02);
    expectClose(result.halfwidth, 0.019148310234470303);
    expectClose(result.rho, 0.03984006677137368);
    expectClose(result.interval[0], 0.02 - 0.019148310234470303);
    expectClose(result.interval[1], 0.02 + 0.019148310234470303);
    expectClose(result.pValue, 0.03348600165745381);
    expect(result.method).toContain('Waudby-Smith');
    expect(result.method).toContain('N* = 5000');
  });

  it('matches one-sided references for means', () => {
    const greater = sequentialInterval({
      meanA: 2.1,
      varA: 1.4,
      nA: 800,
      meanB: 2.3,
      varB: 1.5,
      nB: 820,
      alternative: 'greater',
    });
    expectClose(greater.halfwidth, 0.176219486194516);
    expectClose(greater.rho, 0.03557768852889753);
    expectClose(greater.interval[0], 0.2 - 0.176219486194516);
    expect(greater.interval[1]).toBe(Number.POSITIVE_INFINITY);
    expectClose(greater.pValue, 0.020903203603808596);

    const less = sequentialInterval({
      meanA: 2.1,
      varA: 1.4,
      nA: 800,
      meanB: 2.0,
      varB: 1.5,
      nB: 820,
      alpha: 0.1,
      alternative: 'less',
      tuningParameter: 1000,
    });
    expectClose(less.halfwidth, 0.14926963740505056);
    expectClose(less.rho, 0.06825279866215075);
    expect(less.interval[0]).toBe(Number.NEGATIVE_INFINITY);
    expectClose(less.interval[1], -0.1 + 0.14926963740505056);
    expectClose(less.pValue, 0.6007517408746965);
    expect(less.method).toContain('N* = 1000');
  });

  it('is wide for small samples, gives p = 1 against the tested side, and tiny p for strong effects', () => {
    const small = sequentialInterval({ meanA: 1, varA: 2, nA: 10, meanB: 1.3, varB: 2.5, nB: 12 });
    expectClose(small.halfwidth, 8.539572546047262);
    expect(small.pValue).toBe(1);

    const wrongSide = sequentialInterval({
      successesA: 600,
      totalA: 5000,
      successesB: 500,
      totalB: 5000,
      alternative: 'greater',
    });
    expectClose(wrongSide.halfwidth, 0.017521198406770095);
    expect(wrongSide.pValue).toBe(1);

    const strong = sequentialInterval({ successesA: 1000, totalA: 20_000, successesB: 1300, totalB: 20_000 });
    expectClose(strong.halfwidth, 0.007473877488487161);
    expectClose(strong.pValue, 1.0468027469906026e-8, 1e-5);

    const equal = sequentialInterval({ successesA: 50, totalA: 500, successesB: 50, totalB: 500 });
    expect(equal.pValue).toBe(1);
    const constant = sequentialInterval({ meanA: 1, varA: 0, nA: 10, meanB: 2, varB: 0, nB: 10 });
    expect(constant).toMatchObject({ halfwidth: 0, interval: [1, 1], pValue: 0 });
  });

  it('rejects bad input naming the field', () => {
    const means = { meanA: 1, varA: 1, nA: 100, meanB: 1.1, varB: 1, nB: 100 };
    const cases: Array<[() => unknown, RegExp]> = [
      [() => sequentialInterval({ ...means, alpha: 0.5, alternative: 'greater' }), /^alpha /],
      [() => sequentialInterval({ ...means, alpha: 0 }), /^alpha /],
      [() => sequentialInterval({ ...means, tuningParameter: 0 }), /^tuningParameter /],
      [() => sequentialInterval({ ...means, varB: -1 }), /^varB /],
      [() => sequentialInterval({ ...means, nA: 0 }), /^nA /],
      [() => sequentialInterval({ successesA: 5, totalA: 4, successesB: 1, totalB: 4 }), /^successesA /],
      [() => sequentialInterval({ ...means, alternative: 'sideways' as never }), /^alternative /],
    ];
    for (const [action, pattern] of cases) {
      const error = thrownBy(action);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(pattern);
    }
  });

  const alternatives = fc.constantFrom('two-sided' as const, 'greater' as const, 'less' as const);

  it('keeps p in [0, 1] and excludes 0 from the sequence exactly when p < alpha', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 4, noNaN: true }),
        fc.integer({ min: 2, max: 200_000 }),
        fc.double({ min: 0.001, max: 0.4, noNaN: true }),
        alternatives,
        (diff, variance, n, alpha, alternative) => {
          const result = sequentialInterval({
            meanA: 0,
            varA: variance,
            nA: n,
            meanB: diff,
            varB: variance,
            nB: n,
            alpha,
            alternative,
          });
          expect(result.pValue).toBeGreaterThanOrEqual(0);
          expect(result.pValue).toBeLessThanOrEqual(1);
          const [lower, upper] = result.interval;
          const excludesZero = lower > 0 || upper < 0;
          // Skip draws within rounding of the boundary, where either answer is right.
          if (Math.abs(result.pValue - alpha) > 1e-9 * alpha)
            expect(excludesZero).toBe(result.pValue < alpha);
        },
      ),
    );
  });

  it('shrinks the halfwidth as units accumulate', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        alternatives,
        (variance, n, more, alternative) => {
          const at = (units: number): number =>
            sequentialInterval({
              meanA: 0,
              varA: variance,
              nA: units,
              meanB: 0,
              varB: variance,
              nB: units,
              alternative,
            }).halfwidth;
          expect(at(n + more)).toBeLessThan(at(n));
        },
      ),
    );
  });
});
