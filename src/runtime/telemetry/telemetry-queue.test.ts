import { describe, expect, it } from 'vitest';
import { TelemetryQueue } from './telemetry-queue.js';
import { testEvent } from './telemetry-writer.test-helper.js';

function queueOf(count: number): TelemetryQueue {
  const queue = new TelemetryQueue();
  for (let index = 0; index < count; index++) queue.push(testEvent(index));
  return queue;
}

const drain = (queue: TelemetryQueue) => queue.take(queue.length).events.map((event) => event.id);
const range = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => `event-${from + index}`);

describe('TelemetryQueue', () => {
  it('takes batches from the front, numbered in the order they were pushed', () => {
    const queue = queueOf(25);
    const first = queue.take(10);
    expect(first.events.map((event) => event.id)).toEqual(range(0, 10));
    expect(first.sequences).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(queue.length).toBe(15);
    expect(queue.firstSequence()).toBe(10);
    expect(queue.take(100).sequences).toHaveLength(15);
    expect(queue.length).toBe(0);
    expect(queue.firstSequence()).toBe(Number.POSITIVE_INFINITY);
  });

  it('puts failed batches back in number order, whichever fails first', () => {
    const queue = queueOf(30);
    const first = queue.take(10);
    const second = queue.take(10);
    queue.restore(second);
    queue.restore(first);
    expect(drain(queue)).toEqual(range(0, 30));

    const again = queueOf(30);
    const earlier = again.take(10);
    const later = again.take(10);
    again.restore(earlier);
    again.restore(later);
    expect(drain(again)).toEqual(range(0, 30));
  });

  it('keeps its order across compaction, with events pushed after a batch was taken', () => {
    const queue = queueOf(5_000);
    const taken = [queue.take(1_000), queue.take(1_000), queue.take(1_000)];
    queue.push(testEvent(5_000));
    queue.restore(taken[1] ?? { events: [], sequences: [] });
    expect(queue.length).toBe(3_001);
    expect(queue.firstSequence()).toBe(1_000);
    const rest = drain(queue);
    expect(rest).toEqual([...range(1_000, 1_000), ...range(3_000, 2_001)]);
  });

  it('empties on clear and reports how many it held', () => {
    const queue = queueOf(7);
    queue.take(2);
    expect(queue.clear()).toBe(5);
    expect(queue.length).toBe(0);
    queue.push(testEvent(7));
    expect(queue.take(1).sequences).toEqual([7]);
  });
});
