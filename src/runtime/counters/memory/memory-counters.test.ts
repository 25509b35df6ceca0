import { describe, expect, it } from 'vitest';
import { countersContract } from '../counters.case.js';
import { COUNTER_EXPIRY_MARGIN_MS } from '../counters.js';
import { createMemoryCounters } from './memory-counters.js';

countersContract('memory', () => createMemoryCounters());

describe('memory counters', () => {
  const day = { ms: 86_400_000 };
  const start = Date.UTC(2030, 0, 1);

  it.each([
    [COUNTER_EXPIRY_MARGIN_MS - 1, 0.9],
    [COUNTER_EXPIRY_MARGIN_MS, 0],
  ])('keeps a window until its end plus the margin (%i ms after the end: $%d left)', async (after, left) => {
    const counters = createMemoryCounters();
    const result = await counters.reserve('old', 0.5, 1, day, start + 10);
    if (!result.ok) throw new Error('reservation refused');
    // Any later call sweeps expired windows; a settle of a swept window must not bring it back.
    await counters.hit('other', 5, day, start + day.ms + after);
    await counters.settle(result.reservation, 0.9);
    expect(await counters.peek('old', day, start + 10)).toBe(left);
    await counters.close();
  });

  it('refuses calls after close', async () => {
    const counters = createMemoryCounters();
    await counters.close();
    await expect(counters.hit('k', 1, day, start)).rejects.toThrow('closed');
    await expect(counters.ping()).rejects.toThrow('closed');
  });
});
