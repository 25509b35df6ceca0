import { describe, expect, it } from 'vitest';
import { addEvidence, decayEvidence } from './preference-evidence.js';
import { shrunkAffinity } from './shrunk-affinity.js';

const DAY = 86_400_000;
const halfLifeMs = 14 * DAY;

describe('preference evidence', () => {
  it('halves every half-life and adds new observations after decaying the old', () => {
    const start = { successes: 8, failures: 4, at: 0 };
    expect(decayEvidence(start, 14 * DAY, halfLifeMs)).toEqual({ successes: 4, failures: 2, at: 14 * DAY });
    expect(addEvidence(start, { successes: 1, failures: 0, at: 28 * DAY }, halfLifeMs)).toEqual({
      successes: 3,
      failures: 1,
      at: 28 * DAY,
    });
    // Late feedback counts as decayed to the stored time; a clock running back loses nothing.
    expect(addEvidence(start, { successes: 2, failures: 0, at: -14 * DAY }, halfLifeMs).successes).toBe(9);
    expect(() => addEvidence(start, { successes: -1, failures: 0, at: 0 }, halfLifeMs)).toThrow(/successes/);
  });
});

describe('shrunkAffinity', () => {
  it('follows the group with little evidence and the unit with much', () => {
    const global = { successes: 300, failures: 700, at: 0 };
    const little = shrunkAffinity([global, undefined, { successes: 1, failures: 0, at: 0 }], {
      now: 0,
      halfLifeMs,
    });
    const much = shrunkAffinity([global, undefined, { successes: 90, failures: 10, at: 0 }], {
      now: 0,
      halfLifeMs,
    });
    expect(little.mean).toBeCloseTo((3.003 + 1) / 11, 2);
    expect(much.mean).toBeCloseTo(93 / 110, 3);
    const tenant = shrunkAffinity([global, { successes: 80, failures: 20, at: 0 }, undefined], {
      now: 0,
      halfLifeMs,
    });
    expect(tenant.mean).toBeGreaterThan(0.7);
  });

  it('starts from Beta(1, 1) and lets old evidence fade', () => {
    expect(shrunkAffinity([undefined], { now: 0, halfLifeMs })).toEqual({ alpha: 1, beta: 1, mean: 0.5 });
    const old = shrunkAffinity([{ successes: 64, failures: 0, at: 0 }], { now: 84 * DAY, halfLifeMs });
    expect(old.alpha).toBeCloseTo(2, 9);
  });

  it('names bad input', () => {
    expect(() => shrunkAffinity([], { now: 0, halfLifeMs })).toThrow(/levels/);
    expect(() => shrunkAffinity([undefined], { now: 0, halfLifeMs: 0 })).toThrow(/halfLifeMs/);
    expect(() => shrunkAffinity([undefined], { now: 0, halfLifeMs, strength: -1 })).toThrow(/strength/);
  });
});
