import { describe, expect, it } from 'vitest';
import { eventsToJsonArray } from './events-to-json-array.js';
import { generatedEvent, generatedEvents, heapProbe } from './generated-events.test-helper.js';

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) {
    all += chunk;
  }
  return all;
}

describe('eventsToJsonArray', () => {
  it('writes valid JSON for no events, one and many, exactly the events given', async () => {
    expect(JSON.parse(await text(eventsToJsonArray([])))).toEqual([]);
    const one = [generatedEvent(1)];
    expect(JSON.parse(await text(eventsToJsonArray(one)))).toEqual(one);
    const many = Array.from({ length: 50 }, (_, index) => generatedEvent(index));
    expect(JSON.parse(await text(eventsToJsonArray(many)))).toEqual(many);
  });

  it('streams 100,000 events in bounded memory as one element per line that parses back', async () => {
    const count = 100_000;
    const probe = heapProbe();
    let pending = '';
    let lines = 0;
    let characters = 0;
    let index = 0;
    const consume = (line: string) => {
      lines += 1;
      if (line === '[' || line === ']') return;
      expect(JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line)).toEqual(generatedEvent(index));
      index += 1;
    };
    for await (const chunk of eventsToJsonArray(generatedEvents(count, probe.sample))) {
      characters += chunk.length;
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      parts.forEach(consume);
    }
    probe.sample();
    expect(pending).toBe('');
    expect(index).toBe(count);
    expect(lines).toBe(count + 2);
    expect(characters).toBeGreaterThan(10_000_000);
    expect(probe.peakGrowthBytes).toBeLessThan(8_000_000);
  });
});
