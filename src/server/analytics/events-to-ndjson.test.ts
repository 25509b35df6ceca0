import { describe, expect, it } from 'vitest';
import { eventsToNdjson } from './events-to-ndjson.js';
import { generatedEvent, generatedEvents, heapProbe } from './generated-events.test-helper.js';

describe('eventsToNdjson', () => {
  it('writes nothing for no events and one JSON line per event otherwise', async () => {
    const none: string[] = [];
    for await (const chunk of eventsToNdjson([])) none.push(chunk);
    expect(none.join('')).toBe('');
    const events = Array.from({ length: 30 }, (_, index) => generatedEvent(index));
    let all = '';
    for await (const chunk of eventsToNdjson(events)) all += chunk;
    expect(all.endsWith('\n')).toBe(true);
    expect(
      all
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(events);
  });

  it('streams 100,000 events in bounded memory, line by line', async () => {
    const count = 100_000;
    const probe = heapProbe();
    let pending = '';
    let index = 0;
    for await (const chunk of eventsToNdjson(generatedEvents(count, probe.sample))) {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        expect(JSON.parse(line)).toEqual(generatedEvent(index));
        index += 1;
      }
    }
    probe.sample();
    expect(pending).toBe('');
    expect(index).toBe(count);
    expect(probe.peakGrowthBytes).toBeLessThan(8_000_000);
  });
});
