import { describe, expect, it } from 'vitest';
import { createSeededRandom, deriveSeed } from './seeded-random.js';

const take = (random: () => number, count: number) => Array.from({ length: count }, () => random());

describe('createSeededRandom', () => {
  it('repeats the same sequence for the same seed and another for another seed', () => {
    expect(take(createSeededRandom(42), 20)).toEqual(take(createSeededRandom(42), 20));
    expect(take(createSeededRandom(42), 20)).not.toEqual(take(createSeededRandom(43), 20));
  });

  it('draws in [0, 1) with a roughly uniform spread', () => {
    const values = take(createSeededRandom(7), 20_000);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const lowDecile = values.filter((value) => value < 0.1).length / values.length;
    expect(lowDecile).toBeGreaterThan(0.09);
    expect(lowDecile).toBeLessThan(0.11);
  });
});

describe('deriveSeed', () => {
  it('gives each name its own stable seed', () => {
    expect(deriveSeed(1, 'gpt-a')).toBe(deriveSeed(1, 'gpt-a'));
    expect(deriveSeed(1, 'gpt-a')).not.toBe(deriveSeed(1, 'gpt-b'));
    expect(deriveSeed(1, 'gpt-a')).not.toBe(deriveSeed(2, 'gpt-a'));
  });
});
