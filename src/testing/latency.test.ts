import { describe, expect, it } from 'vitest';
import { type LatencySpec, latencyProblems, sampleLatency } from './latency.js';
import { createSeededRandom } from './seeded-random.js';

function samples(spec: LatencySpec, count = 5_000): number[] {
  const random = createSeededRandom(11);
  return Array.from({ length: count }, () => sampleLatency(spec, random));
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values: number[]) =>
  [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)]!;

describe('sampleLatency', () => {
  it('returns fixed latencies as given and 0 when none is set', () => {
    const random = createSeededRandom(1);
    expect(sampleLatency(25, random)).toBe(25);
    expect(sampleLatency({ distribution: 'fixed', ms: 40 }, random)).toBe(40);
    expect(sampleLatency(undefined, random)).toBe(0);
  });

  it('keeps uniform draws inside their bounds around the midpoint', () => {
    const values = samples({ distribution: 'uniform', min: 10, max: 30 });
    expect(Math.min(...values)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...values)).toBeLessThanOrEqual(30);
    expect(mean(values)).toBeGreaterThan(19);
    expect(mean(values)).toBeLessThan(21);
  });

  it('matches the mean and spread of a normal distribution', () => {
    const values = samples({ distribution: 'normal', mean: 100, sd: 10 });
    const average = mean(values);
    const sd = Math.sqrt(mean(values.map((value) => (value - average) ** 2)));
    expect(average).toBeGreaterThan(99);
    expect(average).toBeLessThan(101);
    expect(sd).toBeGreaterThan(9.5);
    expect(sd).toBeLessThan(10.5);
  });

  it('puts the median of a lognormal distribution where asked, with a long right tail', () => {
    const values = samples({ distribution: 'lognormal', median: 50, sigma: 0.5 });
    expect(median(values)).toBeGreaterThan(47);
    expect(median(values)).toBeLessThan(53);
    expect(mean(values)).toBeGreaterThan(median(values));
  });

  it('never returns a negative latency', () => {
    expect(Math.min(...samples({ distribution: 'normal', mean: 1, sd: 50 }))).toBe(0);
  });

  it('consumes exactly two draws whatever the distribution, keeping later draws aligned', () => {
    const specs: LatencySpec[] = [
      5,
      { distribution: 'uniform', min: 0, max: 1 },
      { distribution: 'normal', mean: 1, sd: 1 },
    ];
    const nextAfter = specs.map((spec) => {
      const random = createSeededRandom(3);
      sampleLatency(spec, random);
      return random();
    });
    expect(new Set(nextAfter).size).toBe(1);
  });
});

describe('latencyProblems', () => {
  it('accepts valid specs and names the bad field of invalid ones', () => {
    expect(latencyProblems(undefined, 'latencyMs')).toEqual([]);
    expect(latencyProblems({ distribution: 'normal', mean: 5, sd: 1 }, 'latencyMs')).toEqual([]);
    expect(latencyProblems(-1, 'latencyMs')[0]?.path).toBe('latencyMs');
    expect(latencyProblems({ distribution: 'normal', mean: 5, sd: -1 }, 'm.latencyMs')[0]?.path).toBe(
      'm.latencyMs.sd',
    );
    expect(latencyProblems({ distribution: 'uniform', min: 9, max: 3 }, 'l')[0]?.path).toBe('l.max');
    expect(latencyProblems({ distribution: 'pareto' }, 'l')[0]?.path).toBe('l.distribution');
  });
});
