import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidConfigError } from '../../core/errors.js';
import { createTelemetryWriter, type TelemetryWriterOptions } from './telemetry-writer.js';
import { manualTimers, scriptedSink, settle, testEvent } from './telemetry-writer.test-helper.js';

function setup(options: Partial<TelemetryWriterOptions> = {}) {
  const clock = manualTimers();
  const sink = scriptedSink();
  const errors: unknown[] = [];
  const writer = createTelemetryWriter({
    sink: sink.sink,
    batchSize: 10,
    maxBuffer: 100,
    flushIntervalMs: 1_000,
    timers: clock.timers,
    onError: (error) => errors.push(error),
    ...options,
  });
  const writeMany = (from: number, count: number) => {
    for (let index = from; index < from + count; index++) writer.write(testEvent(index));
  };
  return { clock, sink, errors, writer, writeMany };
}

const ids = (events: { id: string }[]) => events.map((event) => event.id);
const range = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => `event-${from + index}`);

describe('createTelemetryWriter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects options it cannot honour, naming the field', () => {
    const sink = async () => {};
    const cases: [Partial<TelemetryWriterOptions>, string][] = [
      [{ batchSize: 0 }, 'batchSize'],
      [{ batchSize: 200, maxBuffer: 100 }, 'batchSize'],
      [{ maxBuffer: 1.5 }, 'maxBuffer'],
      [{ flushIntervalMs: -1 }, 'flushIntervalMs'],
      [{ closeAttempts: 0 }, 'closeAttempts'],
      [{ concurrentBatches: 0 }, 'concurrentBatches'],
      [{ concurrentBatches: 1.5 }, 'concurrentBatches'],
    ];
    for (const [options, path] of cases) {
      expect(() => createTelemetryWriter({ sink, ...options })).toThrow(InvalidConfigError);
      expect(() => createTelemetryWriter({ sink, ...options })).toThrow(new RegExp(`^[^:]+: ${path}:`));
    }
    expect(() => createTelemetryWriter({} as TelemetryWriterOptions)).toThrow(/sink: must be a function/);
  });

  it('never calls the sink inside write, even when a batch fills; a timer sends it', async () => {
    const { clock, sink, writeMany } = setup();
    writeMany(0, 10);
    expect(sink.calls).toEqual([]);
    await clock.advance(0);
    expect(sink.calls).toEqual([10]);
    expect(ids(sink.delivered)).toEqual(range(0, 10));
  });

  it('sends a partial batch on the interval, not before, and unrefs every timer', async () => {
    const { clock, sink, writer, writeMany } = setup();
    writeMany(0, 3);
    await clock.advance(999);
    expect(sink.calls).toEqual([]);
    await clock.advance(1);
    expect(sink.calls).toEqual([3]);
    expect(writer.stats()).toEqual({ accepted: 3, written: 3, dropped: 0, failedBatches: 0, buffered: 0 });
    // Nothing left to send: no timer keeps running while the writer is idle.
    await clock.advance(1_000);
    expect(clock.pending()).toBe(0);
    expect(clock.allUnrefd()).toBe(true);
  });

  it('drains full batches back to back and leaves the remainder for the interval', async () => {
    const { clock, sink, writeMany } = setup();
    writeMany(0, 35);
    await clock.advance(0);
    expect(sink.calls).toEqual([10, 10, 10]);
    await clock.advance(1_000);
    expect(sink.calls).toEqual([10, 10, 10, 5]);
    expect(ids(sink.delivered)).toEqual(range(0, 35));
  });

  it('keeps one sink call in flight at a time with concurrentBatches 1, whatever triggers sending', async () => {
    const { clock, sink, writer, writeMany } = setup({ concurrentBatches: 1 });
    sink.hold();
    writeMany(0, 30);
    await clock.advance(0);
    const flushing = writer.flush();
    await clock.advance(5_000);
    expect(sink.calls).toEqual([10]);
    expect(writer.stats().buffered).toBe(30);
    sink.release();
    await flushing;
    expect(sink.maxConcurrent()).toBe(1);
    expect(ids(sink.delivered)).toEqual(range(0, 30));
  });

  it('keeps a second batch in flight while the first is written, and never more', async () => {
    const { clock, sink, writer, writeMany } = setup();
    sink.hold();
    writeMany(0, 35);
    await clock.advance(0);
    const flushing = writer.flush();
    await clock.advance(5_000);
    expect(sink.calls).toEqual([10, 10]);
    expect(writer.stats().buffered).toBe(35);
    sink.release();
    await flushing;
    expect(sink.maxConcurrent()).toBe(2);
    expect(ids(sink.delivered).sort()).toEqual(range(0, 35).sort());
    expect(writer.stats()).toEqual({ accepted: 35, written: 35, dropped: 0, failedBatches: 0, buffered: 0 });
  });

  it('resolves flush only when every earlier batch is written, whichever is acknowledged first', async () => {
    const clock = manualTimers();
    const pending: { events: string[]; resolve: () => void; reject: (error: Error) => void }[] = [];
    const delivered: string[] = [];
    const writer = createTelemetryWriter({
      sink: (events) =>
        new Promise<void>((resolve, reject) => {
          pending.push({
            events: ids(events),
            resolve: () => {
              delivered.push(...ids(events));
              resolve();
            },
            reject,
          });
        }),
      batchSize: 10,
      timers: clock.timers,
    });
    for (let index = 0; index < 20; index++) writer.write(testEvent(index));
    let flushed = false;
    const flushing = writer.flush().then(() => {
      flushed = true;
    });
    await settle();
    expect(pending.map((call) => call.events)).toEqual([range(0, 10), range(10, 10)]);
    // The later batch is acknowledged first; the earlier one fails and goes back to the buffer.
    pending[1]?.resolve();
    await settle();
    expect(flushed).toBe(false);
    pending[0]?.reject(new Error('store unavailable'));
    await expect(flushing).rejects.toThrow('store unavailable');
    expect(writer.stats()).toMatchObject({ written: 10, buffered: 10, failedBatches: 1 });
    // A later flush sends the failed batch again, alone, and resolves once it is written.
    const retrying = writer.flush().then(() => {
      flushed = true;
    });
    await settle();
    expect(pending.map((call) => call.events)).toHaveLength(3);
    expect(pending[2]?.events).toEqual(range(0, 10));
    expect(flushed).toBe(false);
    pending[2]?.resolve();
    await retrying;
    expect(delivered.sort()).toEqual(range(0, 20).sort());
    expect(writer.stats()).toEqual({ accepted: 20, written: 20, dropped: 0, failedBatches: 1, buffered: 0 });
  });

  it('sends one batch at a time after a failure, until a batch succeeds', async () => {
    const { clock, sink, writer, writeMany } = setup();
    sink.failNext(2);
    writeMany(0, 40);
    await clock.advance(0);
    expect(sink.calls).toEqual([10, 10]);
    expect(writer.stats()).toMatchObject({ failedBatches: 2, buffered: 40 });
    sink.hold();
    await clock.advance(1_000);
    // Single file while the sink is failing: the retry goes alone.
    expect(sink.calls).toEqual([10, 10, 10]);
    sink.release();
    await clock.advance(0);
    await writer.flush();
    // In order: the retried batch went first, and nothing was sent twice after it succeeded.
    expect(ids(sink.delivered).slice(0, 10)).toEqual(range(0, 10));
    expect(ids(sink.delivered).sort()).toEqual(range(0, 40).sort());
    expect(sink.maxConcurrent()).toBe(2);
  });

  it('drops and counts events beyond maxBuffer, in-flight events included', async () => {
    const { clock, sink, writer, writeMany } = setup({ maxBuffer: 20 });
    sink.hold();
    writeMany(0, 25);
    expect(writer.stats()).toMatchObject({ accepted: 20, dropped: 5, buffered: 20 });
    await clock.advance(0);
    // The batch in flight still holds its place, so a failure could always put it back.
    writeMany(25, 3);
    expect(writer.stats()).toMatchObject({ accepted: 20, dropped: 8, buffered: 20 });
    sink.release();
    await writer.flush();
    writeMany(28, 2);
    await writer.flush();
    expect(ids(sink.delivered)).toEqual([...range(0, 20), ...range(28, 2)]);
    expect(writer.stats()).toEqual({ accepted: 22, written: 22, dropped: 8, failedBatches: 0, buffered: 0 });
  });

  it('puts a failed batch back at the front, reports it, and retries on the next interval in order', async () => {
    const { clock, sink, writer, errors, writeMany } = setup();
    sink.failNext(1);
    writeMany(0, 10);
    await clock.advance(0);
    expect(errors).toHaveLength(1);
    expect(writer.stats()).toMatchObject({ failedBatches: 1, buffered: 10, written: 0 });
    // New full batches wait for the interval too: the sink just failed.
    writeMany(10, 15);
    await clock.advance(999);
    expect(sink.calls).toEqual([10]);
    await clock.advance(1);
    expect(sink.calls).toEqual([10, 10, 10]);
    await clock.advance(1_000);
    expect(sink.calls).toEqual([10, 10, 10, 5]);
    expect(ids(sink.delivered)).toEqual(range(0, 25));
    expect(writer.stats()).toEqual({ accepted: 25, written: 25, dropped: 0, failedBatches: 1, buffered: 0 });
  });

  it('rejects flush with the sink error, keeps the events, and a later flush writes them', async () => {
    const { sink, writer, writeMany } = setup();
    writeMany(0, 4);
    sink.failNext(1);
    await expect(writer.flush()).rejects.toThrow('store unavailable');
    expect(writer.stats()).toMatchObject({ buffered: 4, written: 0 });
    await writer.flush();
    expect(ids(sink.delivered)).toEqual(range(0, 4));
  });

  it('resolves flush once the events written before it are acknowledged', async () => {
    const { sink, writer, writeMany } = setup();
    writeMany(0, 25);
    const flushing = writer.flush();
    writeMany(25, 3);
    await flushing;
    expect(sink.delivered.length).toBeGreaterThanOrEqual(25);
    expect(ids(sink.delivered.slice(0, 25))).toEqual(range(0, 25));
  });

  it('survives a sink that throws synchronously and an onError that throws', async () => {
    const clock = manualTimers();
    let calls = 0;
    const writer = createTelemetryWriter({
      sink: (events) => {
        calls++;
        if (calls === 1) throw new Error('sync failure');
        return Promise.resolve(events.length);
      },
      timers: clock.timers,
      onError: () => {
        throw new Error('bad handler');
      },
    });
    writer.write(testEvent(1));
    await expect(writer.flush()).rejects.toThrow('sync failure');
    await writer.flush();
    expect(writer.stats()).toMatchObject({ written: 1, failedBatches: 1, buffered: 0 });
  });

  it('close sends everything, then write drops and counts; close is idempotent', async () => {
    const { clock, sink, writer, writeMany } = setup();
    writeMany(0, 15);
    const closing = writer.close();
    expect(writer.close()).toBe(closing);
    writer.write(testEvent(99));
    await closing;
    expect(ids(sink.delivered)).toEqual(range(0, 15));
    writer.write(testEvent(100));
    expect(writer.stats()).toEqual({ accepted: 15, written: 15, dropped: 2, failedBatches: 0, buffered: 0 });
    expect(clock.pending()).toBe(0);
  });

  it('close retries a failing sink a bounded number of times, then counts what it lost', async () => {
    const { sink, writer, errors, writeMany } = setup({ closeAttempts: 3 });
    writeMany(0, 25);
    sink.failNext(100);
    await writer.close();
    expect(sink.calls).toEqual([10, 10, 10]);
    expect(errors).toHaveLength(3);
    expect(writer.stats()).toEqual({ accepted: 25, written: 0, dropped: 25, failedBatches: 3, buffered: 0 });
  });

  it('close rides out a transient failure and writes everything', async () => {
    const { sink, writer, writeMany } = setup({ closeAttempts: 3 });
    writeMany(0, 25);
    sink.failNext(2);
    await writer.close();
    expect(ids(sink.delivered)).toEqual(range(0, 25));
    expect(writer.stats()).toMatchObject({ written: 25, dropped: 0, failedBatches: 2 });
  });

  it('close waits for the batch in flight and does not count its failure as an attempt', async () => {
    const { clock, sink, writer, writeMany } = setup({ closeAttempts: 1 });
    sink.hold();
    writeMany(0, 10);
    await clock.advance(0);
    sink.failNext(1);
    const closing = writer.close();
    sink.release();
    await closing;
    expect(ids(sink.delivered)).toEqual(range(0, 10));
    expect(writer.stats()).toMatchObject({ written: 10, failedBatches: 1, dropped: 0 });
  });

  it('sends on the interval with Node’s timers by default', async () => {
    vi.useFakeTimers();
    const sink = scriptedSink();
    const writer = createTelemetryWriter({ sink: sink.sink });
    writer.write(testEvent(1));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    vi.useRealTimers();
    await settle();
    expect(ids(sink.delivered)).toEqual(['event-1']);
    await writer.close();
  });
});
