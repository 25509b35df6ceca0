import { InvalidConfigError } from '../../core/errors.js';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { type QueuedBatch, TelemetryQueue } from './telemetry-queue.js';

export type { SignalProcess } from './flush-on-signals.js';
export { flushOnSignals } from './flush-on-signals.js';

/** Where batches go: usually `(events) => store.appendEvents(events)`. A rejection means "not written". */
export type TelemetrySink = (events: TelemetryEvent[]) => Promise<unknown>;

/** The timer functions the writer uses; tests pass manual ones. Handles with `unref` get unref'd. */
export interface WriterTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options for `createTelemetryWriter`. */
export interface TelemetryWriterOptions {
  sink: TelemetrySink;
  /** Events held at most, queued and in flight together; beyond it `write` drops. Default 50,000. */
  maxBuffer?: number;
  /** Events per sink call, at most `maxBuffer`; a full batch is sent without waiting for the interval. Default 1,000. */
  batchSize?: number;
  /**
   * Sink calls in flight at once. Default 2: the next batch goes while the store commits the last one. After a
   * failed call the writer sends one batch at a time until a call succeeds. With 1, the sink sees the events in
   * the order they were written; with more, batches can be acknowledged out of order.
   */
  concurrentBatches?: number;
  /** Time between flushes of a partial batch, and between retries after a failure. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** Failed sink calls `close` accepts before it gives up and drops what is left. Default 3. */
  closeAttempts?: number;
  timers?: WriterTimers;
  /** Told of every failed batch (and of a throwing timer); default: ignored. */
  onError?: (error: unknown) => void;
}

/**
 * Counters of a writer. Every `write` call is counted exactly once: `written + dropped + buffered` equals the
 * number of calls. `accepted` counts the events taken into the buffer; until `close` gives up on a failing
 * sink, `accepted === written + buffered`.
 */
export interface TelemetryWriterStats {
  /** Events taken into the buffer. */
  accepted: number;
  /** Events the sink acknowledged. */
  written: number;
  /** Events refused by a full or closed buffer, plus events `close` gave up on. */
  dropped: number;
  /** Sink calls that failed (each one's events went back to the buffer, in order). */
  failedBatches: number;
  /** Events queued or in flight. */
  buffered: number;
}

/** A bounded, batching telemetry buffer in front of a sink. */
export interface TelemetryWriter {
  /** Buffers one event; never throws, never waits. Drops (and counts) the event when full or closed. */
  write(event: TelemetryEvent): void;
  /** Sends everything accepted before the call; rejects when a batch it sent fails or close() gives up on them. */
  flush(): Promise<void>;
  /** Stops accepting, sends what is buffered (retrying up to `closeAttempts` failures), then resolves. */
  close(): Promise<void>;
  stats(): TelemetryWriterStats;
}

/** A batch handed to the sink, and how its call ended. */
interface SentBatch extends QueuedBatch {
  state: 'sending' | 'written' | 'failed';
  error: unknown;
  /** Resolves when the call has ended and the writer's books agree; never rejects. */
  settled: Promise<void>;
}

const SUBJECT = 'invalid telemetry writer options';

const NODE_TIMERS: WriterTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Creates a telemetry writer: `write` appends to a bounded in-memory buffer and returns at once; batches go
 * to the sink when a batch fills, every `flushIntervalMs`, on `flush()` and on `close()`, up to
 * `concurrentBatches` calls at once. A failed batch returns to its place in the buffer and is retried on the
 * next interval, so events are lost only when the buffer is full, or when `close` gives up on a sink that
 * keeps failing; `stats()` counts both.
 *
 * @example
 * ```ts
 * const writer = createTelemetryWriter({ sink: (events) => store.appendEvents(events) });
 * const dispose = flushOnSignals(writer);
 * writer.write(event);
 * await writer.close();
 * dispose();
 * ```
 */
export function createTelemetryWriter(options: TelemetryWriterOptions): TelemetryWriter {
  return new BatchingTelemetryWriter(options);
}

class BatchingTelemetryWriter implements TelemetryWriter {
  readonly #sink: TelemetrySink;
  readonly #maxBuffer: number;
  readonly #batchSize: number;
  readonly #concurrentBatches: number;
  readonly #flushIntervalMs: number;
  readonly #closeAttempts: number;
  readonly #timers: WriterTimers;
  readonly #onError: (error: unknown) => void;

  readonly #queue = new TelemetryQueue();
  /** Batches the sink is writing; they still count against `maxBuffer`, so a failed batch always fits back. */
  readonly #inFlight = new Set<SentBatch>();
  #inFlightEvents = 0;
  #intervalTimer: unknown;
  #soonTimer: unknown;
  /** Set by a failure: full batches wait for the next interval instead of retrying at once. */
  #backingOff = false;
  /** Set by a failure, cleared by a success: one call at a time while the sink is failing. */
  #singleFile = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #accepted = 0;
  #written = 0;
  #dropped = 0;
  #failedBatches = 0;
  /** The lowest acceptance number among the events close() gave up on (also counted in `#dropped`). */
  #firstLost = Number.POSITIVE_INFINITY;
  #lost = 0;
  #lastError: unknown;

  constructor(options: TelemetryWriterOptions) {
    if (typeof options.sink !== 'function') {
      throw new InvalidConfigError(SUBJECT, [{ path: 'sink', message: 'must be a function' }]);
    }
    this.#sink = options.sink;
    this.#maxBuffer = integerOption('maxBuffer', options.maxBuffer ?? 50_000, 1, Number.MAX_SAFE_INTEGER);
    this.#batchSize = integerOption('batchSize', options.batchSize ?? 1_000, 1, this.#maxBuffer);
    this.#concurrentBatches = integerOption('concurrentBatches', options.concurrentBatches ?? 2, 1, 64);
    this.#flushIntervalMs = integerOption(
      'flushIntervalMs',
      options.flushIntervalMs ?? 1_000,
      1,
      2 ** 31 - 1,
    );
    this.#closeAttempts = integerOption('closeAttempts', options.closeAttempts ?? 3, 1, 1_000);
    this.#timers = options.timers ?? NODE_TIMERS;
    this.#onError = options.onError ?? (() => {});
  }

  write(event: TelemetryEvent): void {
    if (this.#closed || this.#queue.length + this.#inFlightEvents >= this.#maxBuffer) {
      this.#dropped++;
      return;
    }
    this.#queue.push(event);
    this.#accepted++;
    try {
      if (this.#queue.length >= this.#batchSize && this.#hasRoom() && !this.#backingOff) {
        // Sent from a timer, never from inside write: the caller's request must not pay for the sink.
        this.#sendSoon();
      }
      this.#armInterval();
    } catch (error) {
      // A throwing timer must not fail the request; the event stays buffered for flush() and close().
      this.#report(error);
    }
  }

  async flush(): Promise<void> {
    // Events are numbered in acceptance order, so the events accepted before this call are exactly those
    // numbered below this count; the call is done when none of them is queued or in flight.
    const target = this.#accepted;
    const mine = new Set<SentBatch>();
    while (!this.#closed && !this.#writtenBelow(target)) {
      while (this.#hasRoom() && this.#queue.length > 0) {
        const batch = this.#send();
        // A sink that throws synchronously has failed already: retrying in this loop would never end.
        if (batch.state === 'failed') throw batch.error;
        mine.add(batch);
      }
      if (this.#inFlight.size === 0) {
        break;
      }
      await this.#anySettled();
      for (const batch of mine) {
        if (batch.state === 'failed') throw batch.error;
        if (batch.state === 'written') mine.delete(batch);
      }
    }
    if (!this.#writtenBelow(target)) {
      // close() took over: it decides, and a flush must not report success for events close gave up on.
      await this.#closing;
      if (!this.#writtenBelow(target)) {
        throw new Error(`telemetry writer closed with ${this.#lost} events unwritten`, {
          cause: this.#lastError,
        });
      }
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  stats(): TelemetryWriterStats {
    return {
      accepted: this.#accepted,
      written: this.#written,
      dropped: this.#dropped,
      failedBatches: this.#failedBatches,
      buffered: this.#queue.length + this.#inFlightEvents,
    };
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    this.#clearTimers();
    // Batches started before close are not its attempts: only the failures of its own count.
    const mine = new Set<SentBatch>();
    let failures = 0;
    while (this.#queue.length > 0 || this.#inFlight.size > 0) {
      while (this.#hasRoom() && this.#queue.length > 0 && failures < this.#closeAttempts) {
        const batch = this.#send();
        if (batch.state === 'failed') failures++;
        else mine.add(batch);
      }
      if (failures >= this.#closeAttempts) {
        break;
      }
      await this.#anySettled();
      for (const batch of mine) {
        if (batch.state === 'sending') continue;
        mine.delete(batch);
        if (batch.state === 'failed') failures++;
      }
      if (failures >= this.#closeAttempts) {
        break;
      }
    }
    // Giving up: what is in flight still gets its answer, then whatever is left (its failures too) is lost.
    while (this.#inFlight.size > 0) {
      await this.#anySettled();
    }
    if (this.#queue.length > 0) {
      this.#firstLost = this.#queue.firstSequence();
      this.#lost = this.#queue.clear();
      this.#dropped += this.#lost;
    }
  }

  /** Whether every event numbered below `target` is written. */
  #writtenBelow(target: number): boolean {
    if (this.#firstLost < target || this.#queue.firstSequence() < target) {
      return false;
    }
    for (const batch of this.#inFlight) {
      if ((batch.sequences[0] as number) < target) return false;
    }
    return true;
  }

  #hasRoom(): boolean {
    return this.#inFlight.size < (this.#singleFile ? 1 : this.#concurrentBatches);
  }

  /** Resolves when some batch in flight has settled (at once when none is). */
  async #anySettled(): Promise<void> {
    if (this.#inFlight.size === 0) {
      return;
    }
    await Promise.race(Array.from(this.#inFlight, (batch) => batch.settled));
  }

  /** Hands the next batch to the sink; its state says how the call ended once `settled` resolves. */
  #send(): SentBatch {
    const taken = this.#queue.take(this.#batchSize);
    const batch: SentBatch = { ...taken, state: 'sending', error: undefined, settled: Promise.resolve() };
    this.#inFlight.add(batch);
    this.#inFlightEvents += batch.events.length;
    batch.settled = this.#deliver(batch).then(() => this.#afterSend());
    return batch;
  }

  /** One sink call; the buffer and the counters change in one synchronous step, so stats() always adds up. */
  async #deliver(batch: SentBatch): Promise<void> {
    try {
      await this.#sink(batch.events);
      this.#inFlight.delete(batch);
      this.#inFlightEvents -= batch.events.length;
      this.#written += batch.events.length;
      this.#backingOff = false;
      this.#singleFile = false;
      batch.state = 'written';
    } catch (error) {
      this.#inFlight.delete(batch);
      this.#inFlightEvents -= batch.events.length;
      this.#queue.restore(batch);
      this.#failedBatches++;
      this.#backingOff = true;
      this.#singleFile = true;
      this.#lastError = error;
      // flush() tells failure by the state, so a sink rejecting with undefined still fails with an error.
      batch.error = error ?? new Error('telemetry sink failed');
      batch.state = 'failed';
      this.#report(error);
    }
  }

  /** After a failure, wait for the interval; after a success, send the next full batch soon. */
  #afterSend(): void {
    if (this.#closed) {
      return;
    }
    try {
      if (this.#backingOff) {
        this.#armInterval();
      } else if (this.#queue.length >= this.#batchSize && this.#hasRoom()) {
        this.#sendSoon();
      }
    } catch (error) {
      this.#report(error);
    }
  }

  /** Background sending, from a timer: full batches while there is room, and one partial one on the interval. */
  #pump(partial: boolean): void {
    if (this.#closed) {
      return;
    }
    while (this.#hasRoom() && this.#queue.length >= this.#batchSize && !this.#backingOff) {
      this.#send();
    }
    if (partial && this.#hasRoom() && this.#queue.length > 0 && !this.#backingOff) {
      this.#send();
    }
  }

  #sendSoon(): void {
    this.#soonTimer ??= this.#startTimer(() => {
      this.#soonTimer = undefined;
      this.#pump(false);
    }, 0);
  }

  #armInterval(): void {
    if (this.#intervalTimer !== undefined || this.#closed) {
      return;
    }
    this.#intervalTimer = this.#startTimer(() => {
      this.#intervalTimer = undefined;
      this.#backingOff = false;
      this.#pump(true);
      if (this.#queue.length + this.#inFlightEvents > 0) {
        try {
          this.#armInterval();
        } catch (error) {
          this.#report(error);
        }
      }
    }, this.#flushIntervalMs);
  }

  #startTimer(callback: () => void, delayMs: number): unknown {
    const handle = this.#timers.setTimeout(callback, delayMs);
    // Telemetry must never keep a process alive: close() (or flushOnSignals) is how buffered events get out.
    (handle as { unref?: () => void } | undefined)?.unref?.();
    return handle;
  }

  #clearTimers(): void {
    for (const handle of [this.#intervalTimer, this.#soonTimer]) {
      if (handle !== undefined) {
        this.#timers.clearTimeout(handle);
      }
    }
    this.#intervalTimer = undefined;
    this.#soonTimer = undefined;
  }

  #report(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // An onError that throws must not turn a lost batch into a crashed process.
    }
  }
}

function integerOption(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidConfigError(SUBJECT, [
      { path: field, message: `must be an integer from ${min} to ${max}` },
    ]);
  }
  return value;
}
