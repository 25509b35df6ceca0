import { describe, expect, it } from 'vitest';
import { expectClose } from './expect-close.test-helper.js';
import { gaussKronrod } from './gauss-kronrod.js';

describe('gaussKronrod', () => {
  it('integrates polynomials exactly, on one panel while the Gauss rule agrees (degree <= 13)', () => {
    for (let degree = 0; degree <= 22; degree += 1) {
      let evaluations = 0;
      const value = gaussKronrod(
        (x) => {
          evaluations += 1;
          return x ** degree;
        },
        0,
        1,
        1e-14,
      );
      expectClose(value, 1 / (degree + 1), 1e-13);
      if (degree <= 13) expect(evaluations).toBe(15);
    }
  });

  it('adapts to peaks and endpoint singularities', () => {
    // ∫_0^1 x^-1/2 dx = 2; ∫_-1^1 e^-(x/0.001)² dx = 0.001·sqrt(pi) (the tails beyond ±1 are negligible).
    expectClose(
      gaussKronrod((x) => 1 / Math.sqrt(x), 0, 1, 1e-10, 2000),
      2,
      1e-8,
    );
    expectClose(
      gaussKronrod((x) => Math.exp(-((x / 0.001) ** 2)), -1, 1, 1e-14),
      0.001 * Math.sqrt(Math.PI),
      1e-9,
    );
  });

  it('bounds the work when the tolerance cannot be met', () => {
    let evaluations = 0;
    const noisy = (x: number): number => {
      evaluations += 1;
      return Math.sin(1e6 * x) + (evaluations % 2) * 1e-3;
    };
    gaussKronrod(noisy, 0, 1, 1e-300, 100);
    // 1 panel, then 99 splits into two new panels each.
    expect(evaluations).toBe(15 * (1 + 2 * 99));
  });
});
