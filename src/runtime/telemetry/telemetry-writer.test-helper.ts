import type { TelemetryEvent } from '../../core/event-schema.js';
import type { WriterTimers } from './telemetry-writer.js';

/** A valid feedback event numbered `index`, distinct by id. */
export function testEvent(index: number): TelemetryEvent {
  return {
    id: `event-${index}`,
    type: 'feedback',
    at: 1_700_000_000_000 + index,
    requestId: `request-${index}`,
    feature: 'coach-reply',
    variant: 'v2',
    accepted: true,
    selectedVariant: null,
    rating: null,
    metric: null,
    value: null,
  };
}

/** Lets every pending promise reaction run (sink resolutions, writer bookkeeping). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Timers driven by `advance`, with handles that record whether they were unref'd. */
export interface ManualTimers {
  readonly timers: WriterTimers;
  /** Runs every timer due within the next `milliseconds`, in order, settling promises after each. */
  advance(milliseconds: number): Promise<void>;
  /** Timers armed and not yet run or cleared. */
  pending(): number;
  /** Whether every timer ever armed was unref'd. */
  allUnrefd(): boolean;
}

/** Manual timers starting at time 0. */
export function manualTimers(): ManualTimers {
  let now = 0;
  let nextId = 0;
  const armed = new Map<number, { at: number; callback: () => void; handle: { unrefd: boolean } }>();
  const handles: { unrefd: boolean }[] = [];
  return {
    timers: {
      setTimeout(callback, delayMs) {
        const handle = { id: nextId++, unrefd: false, unref: () => {} };
        handle.unref = () => {
          handle.unrefd = true;
        };
        handles.push(handle);
        armed.set(handle.id, { at: now + delayMs, callback, handle });
        return handle;
      },
      clearTimeout(handle) {
        armed.delete((handle as { id: number }).id);
      },
    },
    async advance(milliseconds) {
      const end = now + milliseconds;
      while (true) {
        const due = [...armed.entries()]
          .filter(([, timer]) => timer.at <= end)
          .sort(([leftId, left], [rightId, right]) => left.at - right.at || leftId - rightId)[0];
        if (due === undefined) {
          break;
        }
        armed.delete(due[0]);
        now = due[1].at;
        due[1].callback();
        await settle();
      }
      now = end;
      await settle();
    },
    pending: () => armed.size,
    allUnrefd: () => handles.every((handle) => handle.unrefd),
  };
}

/** A sink the test controls: records calls, fails on demand, and can hold calls open. */
export interface ScriptedSink {
  readonly sink: (events: TelemetryEvent[]) => Promise<void>;
  /** Events acknowledged, in the order the sink accepted them. */
  readonly delivered: TelemetryEvent[];
  /** Sizes of every call, failed ones included. */
  readonly calls: number[];
  /** The most calls that were ever open at once. */
  maxConcurrent(): number;
  /** Makes the next `count` calls fail, on top of failures already asked for. */
  failNext(count: number): void;
  /** Makes exactly the next `count` calls fail, replacing failures still pending. */
  failExactly(count: number): void;
  /** Holds calls open until `release`. */
  hold(): void;
  /** Completes held calls and stops holding. */
  release(): void;
}

/** A scripted sink that answers on the next microtask unless held. */
export function scriptedSink(): ScriptedSink {
  const delivered: TelemetryEvent[] = [];
  const calls: number[] = [];
  let failures = 0;
  let open = 0;
  let maxOpen = 0;
  let held: (() => void)[] | undefined;
  return {
    delivered,
    calls,
    async sink(events) {
      calls.push(events.length);
      open++;
      maxOpen = Math.max(maxOpen, open);
      try {
        if (held !== undefined) {
          const waiting = held;
          await new Promise<void>((resolve) => waiting.push(resolve));
        } else {
          await Promise.resolve();
        }
        if (failures > 0) {
          failures--;
          throw new Error('store unavailable');
        }
        delivered.push(...events);
      } finally {
        open--;
      }
    },
    maxConcurrent: () => maxOpen,
    failNext(count) {
      failures += count;
    },
    failExactly(count) {
      failures = count;
    },
    hold() {
      held ??= [];
    },
    release() {
      const waiting = held ?? [];
      held = undefined;
      for (const resolve of waiting) {
        resolve();
      }
    },
  };
}
