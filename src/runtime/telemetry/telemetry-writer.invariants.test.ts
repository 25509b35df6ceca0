import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTelemetryWriter } from './telemetry-writer.js';
import { manualTimers, scriptedSink, settle, testEvent } from './telemetry-writer.test-helper.js';

type Action =
  | { kind: 'write'; count: number }
  | { kind: 'fail'; count: number }
  | { kind: 'tick'; milliseconds: number }
  | { kind: 'flush' }
  | { kind: 'hold' }
  | { kind: 'release' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('write' as const), count: fc.integer({ min: 0, max: 30 }) }),
  },
  fc.record({ kind: fc.constant('fail' as const), count: fc.integer({ min: 1, max: 3 }) }),
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      milliseconds: fc.integer({ min: 0, max: 1_500 }),
    }),
  },
  fc.constant({ kind: 'flush' as const }),
  fc.constant({ kind: 'hold' as const }),
  fc.constant({ kind: 'release' as const }),
);

const scenario = fc
  .record({
    maxBuffer: fc.integer({ min: 1, max: 60 }),
    batchFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    closeAttempts: fc.integer({ min: 1, max: 3 }),
    failuresAtClose: fc.integer({ min: 0, max: 4 }),
    concurrentBatches: fc.integer({ min: 1, max: 3 }),
    actions: fc.array(action, { maxLength: 40 }),
  })
  .map(({ batchFraction, ...rest }) => ({
    ...rest,
    batchSize: Math.max(1, Math.ceil(batchFraction * rest.maxBuffer)),
  }));

describe('telemetry writer invariants', () => {
  it('accounts for every write exactly once and loses nothing it acknowledged, whatever happens', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        async ({ maxBuffer, batchSize, closeAttempts, failuresAtClose, concurrentBatches, actions }) => {
          const clock = manualTimers();
          const sink = scriptedSink();
          const writer = createTelemetryWriter({
            sink: sink.sink,
            maxBuffer,
            batchSize,
            closeAttempts,
            concurrentBatches,
            flushIntervalMs: 1_000,
            timers: clock.timers,
          });
          let calls = 0;
          const acceptedIds: string[] = [];
          const flushes: Promise<void>[] = [];

          /**
           * The invariant: every write() call is exactly one of written, dropped or buffered; until close gives
           * up, every accepted event is written or buffered; the sink saw accepted events only, each once, and
           * never more than `concurrentBatches` calls at a time; the buffer never exceeds maxBuffer. With one
           * call at a time the sink also saw them in the order they were written.
           */
          const check = (closed: boolean) => {
            const stats = writer.stats();
            expect(stats.written + stats.dropped + stats.buffered).toBe(calls);
            expect(stats.accepted).toBe(acceptedIds.length);
            if (!closed) expect(stats.accepted).toBe(stats.written + stats.buffered);
            expect(stats.buffered).toBeLessThanOrEqual(maxBuffer);
            const deliveredIds = sink.delivered.map((event) => event.id);
            if (concurrentBatches === 1) {
              expect(deliveredIds).toEqual(acceptedIds.slice(0, stats.written));
            } else {
              expect(deliveredIds).toHaveLength(stats.written);
              expect(new Set(deliveredIds).size).toBe(deliveredIds.length);
              const accepted = new Set(acceptedIds);
              expect(deliveredIds.every((id) => accepted.has(id))).toBe(true);
            }
            expect(sink.maxConcurrent()).toBeLessThanOrEqual(concurrentBatches);
          };

          for (const step of actions) {
            if (step.kind === 'write') {
              for (let index = 0; index < step.count; index++) {
                const event = testEvent(calls);
                calls++;
                const before = writer.stats().accepted;
                writer.write(event);
                if (writer.stats().accepted > before) acceptedIds.push(event.id);
              }
            } else if (step.kind === 'fail') {
              sink.failNext(step.count);
            } else if (step.kind === 'tick') {
              await clock.advance(step.milliseconds);
            } else if (step.kind === 'flush') {
              const expected = acceptedIds.slice();
              flushes.push(
                writer.flush().then(
                  // A flush that resolves has every event accepted before it acknowledged.
                  () => {
                    const deliveredIds = sink.delivered.map((event) => event.id);
                    if (concurrentBatches === 1) {
                      expect(deliveredIds.slice(0, expected.length)).toEqual(expected);
                    } else {
                      const delivered = new Set(deliveredIds);
                      expect(expected.filter((id) => !delivered.has(id))).toEqual([]);
                    }
                  },
                  // A flush may fail (the sink failed, or close gave up); it must never claim lost events.
                  () => {},
                ),
              );
            } else if (step.kind === 'hold') {
              sink.hold();
            } else {
              sink.release();
            }
            await settle();
            check(false);
          }

          sink.release();
          sink.failExactly(failuresAtClose);
          const rejectedAtWrite = calls - acceptedIds.length;
          await writer.close();
          await Promise.all(flushes);
          check(true);
          const stats = writer.stats();
          expect(stats.buffered).toBe(0);
          // What close gave up on is exactly the accepted events that were never written.
          expect(stats.dropped - rejectedAtWrite).toBe(stats.accepted - stats.written);
          if (failuresAtClose < closeAttempts) expect(stats.written).toBe(stats.accepted);
          writer.write(testEvent(calls));
          expect(writer.stats().dropped).toBe(stats.dropped + 1);
        },
      ),
      { numRuns: 600, seed: 20_240_611 },
    );
  });
});
