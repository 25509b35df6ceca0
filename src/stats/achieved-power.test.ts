import { describe, expect, it } from 'vitest';
import { achievedPower } from './achieved-power.js';
import type { ArmEstimate } from './arm-estimate.js';
import { expectClose } from './expect-close.test-helper.js';

// References (scipy 1.17), R power.prop.test's formula with z = norm.ppf(0.975):
//   power = norm.cdf((|p2 - p1| - z·sqrt(p̄q̄(1/nA + 1/nB))) / sqrt(p1q1/nA + p2q2/nB)), p̄ = (nA·p1 + nB·p2)/(nA + nB)
//   p1 = 0.12, p2 = 0.132, n = 1000 each -> 0.12474931654355259, n per arm 12004 (ceil of 12003.68);
//   p2 = 0.108 (lower is better) -> 0.13224049232302781, 11010; nA = 800, nB = 1200, p2 = 0.132 -> 0.11886282944398185.
//   means: norm.cdf(δ / (σ·sqrt(1/nA + 1/nB)) - z), n = ceil(2σ²(z + norm.ppf(0.8))²/δ²).
const rate = (value: number, n: number): ArmEstimate => ({
  n,
  value,
  perUnitVariance: value * (1 - value),
  successes: Math.round(value * n),
  interval: null,
});
const settings = { alpha: 0.05, power: 0.8, mde: 0.1, direction: 'higher' as const };

describe('achievedPower', () => {
  it('gives the prospective power of a rate comparison for the MDE, in either direction', () => {
    const higher = achievedPower('proportion', rate(0.12, 1000), rate(0.15, 1000), settings);
    expectClose(higher.power, 0.12474931654355259);
    expect(higher).toMatchObject({ sampleNeededPerArm: 12004, remainingPerArm: 11004 });
    // Power is about the MDE, not the observed effect: the treatment's rate does not matter.
    expect(achievedPower('proportion', rate(0.12, 1000), rate(0.5, 1000), settings).power).toBe(higher.power);
    const lower = achievedPower('proportion', rate(0.12, 1000), rate(0.1, 1000), {
      ...settings,
      direction: 'lower',
    });
    expectClose(lower.power, 0.13224049232302781);
    expect(lower.sampleNeededPerArm).toBe(11010);
    const unequal = achievedPower('proportion', rate(0.12, 800), rate(0.12, 1200), settings);
    expectClose(unequal.power, 0.11886282944398185);
    expect(unequal.remainingPerArm).toBe(12004 - 800);
    const done = achievedPower('proportion', rate(0.12, 20000), rate(0.12, 20000), settings);
    expect(done.remainingPerArm).toBe(0);
    expect(done.power).toBeGreaterThan(0.95);
  });

  it('uses the pooled variance for means', () => {
    const control: ArmEstimate = { n: 60, value: 2, perUnitVariance: 4, successes: 0, interval: null };
    const treatment: ArmEstimate = { n: 60, value: 2.5, perUnitVariance: 4, successes: 0, interval: null };
    const result = achievedPower('mean', control, treatment, settings);
    // δ = 0.2, σ = 2: Φ(0.2 / (2·sqrt(2/60)) - 1.959963984540054) and ceil(2·4·(1.959963984540054 + 0.8416212335729143)² / 0.04).
    expectClose(result.power, 0.07893944316824775);
    expect(result).toMatchObject({ sampleNeededPerArm: 1570, remainingPerArm: 1510 });
  });

  it('gives nulls when the effect or the variance is unknown', () => {
    const empty = { power: null, sampleNeededPerArm: null, remainingPerArm: null };
    expect(achievedPower('proportion', rate(0, 100), rate(0.1, 100), settings)).toMatchObject(empty);
    expect(
      achievedPower('proportion', rate(0.6, 100), rate(0.6, 100), { ...settings, mde: 1 }),
    ).toMatchObject(empty);
    const constant: ArmEstimate = { n: 10, value: 3, perUnitVariance: 0, successes: 0, interval: null };
    expect(achievedPower('mean', constant, constant, settings)).toMatchObject(empty);
    expect(
      achievedPower('ratio', { ...constant, value: 0, perUnitVariance: 1 }, constant, settings),
    ).toMatchObject(empty);
    const noTreatment = achievedPower(
      'proportion',
      rate(0.12, 1000),
      { ...rate(0, 0), value: null },
      settings,
    );
    expect(noTreatment).toMatchObject({ power: null, sampleNeededPerArm: 12004, remainingPerArm: 12004 });
  });
});
