import { InvalidConfigError } from '../../src/core/errors.js';
import type { TelemetryEvent } from '../../src/core/event-schema.js';
import type {
  TelemetryWriter,
  TelemetryWriterOptions,
  TelemetryWriterStats,
  WriterTimers,
} from '../../src/runtime/telemetry/telemetry-writer.js';

const SUBJECT = 'invalid telemetry writer options';

const NODE_TIMERS: WriterTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The telemetry writer as it was before it kept a second batch in flight and took batches with a start index
 * rather than `splice`, kept so the ingest bench shows before and after in one run (`concurrentBatches` is
 * ignored: one call at a time). Creates a telemetry writer: `write` appends to a bounded in-memory buffer and
 * returns at once; batches go to the sink one call at a time, when a batch fills, every `flushIntervalMs`, on `flush()` and on `close()`.
 * A failed batch returns to the front of the buffer and is retried on the next interval, so events are lost
 * only when the buffer is full, or when `close` gives up on a sink that keeps failing; `stats()` counts both.
 *
 * @example
 * ```ts
 * const writer = createTelemetryWriterBefore({ sink: (events) => store.appendEvents(events) });
 * writer.write(event);
 * await writer.close();
 * ```
 */
export function createTelemetryWriterBefore(options: TelemetryWriterOptions): TelemetryWriter {
  return new BatchingTelemetryWriter(options);
}

class BatchingTelemetryWriter implements TelemetryWriter {
  readonly #sink: TelemetryWriterOptions['sink'];
  readonly #maxBuffer: number;
  readonly #batchSize: number;
  readonly #flushIntervalMs: number;
  readonly #closeAttempts: number;
  readonly #timers: WriterTimers;
  readonly #onError: (error: unknown) => void;

  #queue: TelemetryEvent[] = [];
  /** The batch the sink is writing; it still counts against `maxBuffer`, so a failed batch always fits back. */
  #inFlight: TelemetryEvent[] = [];
  /** Settles when the sink call in flight ends: undefined on success, the error on failure. */
  #sending: Promise<unknown> | undefined;
  #intervalTimer: unknown;
  #soonTimer: unknown;
  /** Set by a failure: full batches wait for the next interval instead of retrying at once. */
  #backingOff = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #accepted = 0;
  #written = 0;
  #dropped = 0;
  #failedBatches = 0;
  /** Accepted events close() gave up on (also counted in `#dropped`). */
  #lost = 0;
  #lastError: unknown;

  constructor(options: TelemetryWriterOptions) {
    if (typeof options.sink !== 'function') {
      throw new InvalidConfigError(SUBJECT, [{ path: 'sink', message: 'must be a function' }]);
    }
    this.#sink = options.sink;
    this.#maxBuffer = integerOption('maxBuffer', options.maxBuffer ?? 50_000, 1, Number.MAX_SAFE_INTEGER);
    this.#batchSize = integerOption('batchSize', options.batchSize ?? 1_000, 1, this.#maxBuffer);
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
    if (this.#closed || this.#queue.length + this.#inFlight.length >= this.#maxBuffer) {
      this.#dropped++;
      return;
    }
    this.#queue.push(event);
    this.#accepted++;
    try {
      if (this.#queue.length >= this.#batchSize && this.#sending === undefined && !this.#backingOff) {
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
    // The buffer is first in, first out (a failed batch returns to the front), so the events accepted before
    // this call are written exactly when `written` reaches this count.
    const target = this.#accepted;
    while (this.#written < target && !this.#closed) {
      if (this.#sending !== undefined) {
        await this.#sending;
        continue;
      }
      const error = await this.#send();
      if (error !== undefined) {
        throw error;
      }
    }
    if (this.#written < target) {
      // close() took over: it decides, and a flush must not report success for events close gave up on.
      await this.#closing;
      if (this.#written < target) {
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
      buffered: this.#queue.length + this.#inFlight.length,
    };
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    this.#clearTimers();
    let failures = 0;
    while (true) {
      if (this.#sending !== undefined) {
        // A batch the interval started is not one of close's attempts; if it failed it is back in the queue.
        await this.#sending;
        continue;
      }
      if (this.#queue.length === 0) {
        return;
      }
      const error = await this.#send();
      if (error !== undefined && ++failures >= this.#closeAttempts) {
        this.#lost = this.#queue.length;
        this.#dropped += this.#lost;
        this.#queue = [];
        return;
      }
    }
  }

  /** Sends the next batch; resolves to undefined when written, to the error when not. Never rejects. */
  #send(): Promise<unknown> {
    const batch = this.#queue.splice(0, this.#batchSize);
    this.#inFlight = batch;
    // Cleared in a reaction, so even a sink that throws synchronously leaves `#sending` set until it settles.
    const sending = this.#deliver(batch).finally(() => {
      this.#sending = undefined;
      this.#afterSend();
    });
    this.#sending = sending;
    return sending;
  }

  /** One sink call; the buffer and the counters change in one synchronous step, so stats() always adds up. */
  async #deliver(batch: TelemetryEvent[]): Promise<unknown> {
    try {
      await this.#sink(batch);
      this.#inFlight = [];
      this.#written += batch.length;
      this.#backingOff = false;
      return undefined;
    } catch (error) {
      this.#inFlight = [];
      this.#queue = batch.concat(this.#queue);
      this.#failedBatches++;
      this.#backingOff = true;
      this.#lastError = error;
      this.#report(error);
      // flush() tells failure from success by the value, so a sink rejecting with undefined still fails.
      return error ?? new Error('telemetry sink failed');
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
      } else if (this.#queue.length >= this.#batchSize) {
        this.#sendSoon();
      }
    } catch (error) {
      this.#report(error);
    }
  }

  /** Background sending, from a timer: one batch unless a sink call is already in flight. */
  #pump(): void {
    if (!this.#closed && this.#sending === undefined && this.#queue.length > 0) {
      void this.#send();
    }
  }

  #sendSoon(): void {
    this.#soonTimer ??= this.#startTimer(() => {
      this.#soonTimer = undefined;
      this.#pump();
    }, 0);
  }

  #armInterval(): void {
    if (this.#intervalTimer !== undefined || this.#closed) {
      return;
    }
    this.#intervalTimer = this.#startTimer(() => {
      this.#intervalTimer = undefined;
      this.#backingOff = false;
      this.#pump();
      if (this.#queue.length + this.#inFlight.length > 0) {
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
