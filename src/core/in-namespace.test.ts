import { describe, expect, it } from 'vitest';
import { hash } from './hash.js';
import { inNamespace } from './in-namespace.js';

describe('inNamespace', () => {
  it('uses the version-1 hash of the unit under the seed "__" + namespace name', () => {
    const n = hash('__checkout', 'user-7', 1)!;
    expect(inNamespace('user-7', ['checkout', n, n + 0.001])).toBe(true);
    expect(inNamespace('user-7', ['checkout', 0, n])).toBe(false);
  });

  it('puts every unit in exactly one of two complementary slices', () => {
    for (let index = 0; index < 1000; index++) {
      const unit = `user-${index}`;
      const low = inNamespace(unit, ['pricing', 0, 0.4]);
      const high = inNamespace(unit, ['pricing', 0.4, 1]);
      expect(low).not.toBe(high);
    }
  });

  it('admits about the share of units its slice covers', () => {
    let inside = 0;
    for (let index = 0; index < 10_000; index++)
      if (inNamespace(`unit-${index}`, ['pricing', 0.1, 0.4])) inside++;
    // Expected 3,000 with a standard deviation of about 46.
    expect(Math.abs(inside - 3000)).toBeLessThan(250);
  });
});
