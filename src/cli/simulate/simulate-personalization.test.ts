import { describe, expect, it } from 'vitest';
import { simulatePersonalization } from './simulate-personalization.js';

describe('simulatePersonalization', () => {
  it('runs a small world through the SDK and the experiment analysis, and the profiles learn', async () => {
    const result = await simulatePersonalization({
      seed: 3,
      users: 100,
      tenants: 5,
      days: 4,
      rankingsPerUserDay: 1,
      items: 8,
      holdback: 0.5,
      mode: 'serve',
    });
    expect(result.rankings).toBe(400);
    expect(result.control.units + result.personalized.units).toBeGreaterThan(90);
    expect(result.pValue).not.toBeNull();
    expect(result.learned.personalized).toBeGreaterThan(result.learned.original);
  }, 60_000);
});
