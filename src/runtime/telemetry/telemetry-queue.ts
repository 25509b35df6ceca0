import type { TelemetryEvent } from '../../core/event-schema.js';

/** Events taken from a `TelemetryQueue` together, with the acceptance number of each, in ascending order. */
export interface QueuedBatch {
  readonly events: TelemetryEvent[];
  readonly sequences: number[];
}

/** Taken slots the queue keeps before it copies its live part down: small queues never copy. */
const COMPACT_AFTER = 1_024;

/**
 * The telemetry writer's buffer: events in the order they were accepted, each numbered by that order, taken
 * from the front in batches and put back by number when a batch fails, so the queue stays sorted by number
 * however batches in flight settle. Taking moves a start index rather than the rest of the array (`splice`
 * moved every queued event after each batch), and the array is compacted once most of it has been taken.
 */
export class TelemetryQueue {
  #events: (TelemetryEvent | undefined)[] = [];
  #sequences: number[] = [];
  #head = 0;
  #nextSequence = 0;

  /** Events queued. */
  get length(): number {
    return this.#events.length - this.#head;
  }

  /** The number of the first queued event, or Infinity when the queue is empty. */
  firstSequence(): number {
    return this.length === 0 ? Number.POSITIVE_INFINITY : (this.#sequences[this.#head] as number);
  }

  /** Appends an event, numbering it after every event pushed before. */
  push(event: TelemetryEvent): void {
    this.#events.push(event);
    this.#sequences.push(this.#nextSequence++);
  }

  /** Removes and returns up to `count` events from the front. */
  take(count: number): QueuedBatch {
    const start = this.#head;
    const end = Math.min(start + count, this.#events.length);
    const events = this.#events.slice(start, end) as TelemetryEvent[];
    const sequences = this.#sequences.slice(start, end);
    // Taken slots release their events at once, so a long queue never holds written events alive.
    this.#events.fill(undefined, start, end);
    this.#head = end;
    if (this.#head === this.#events.length) {
      this.#events = [];
      this.#sequences = [];
      this.#head = 0;
    } else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#sequences = this.#sequences.slice(this.#head);
      this.#head = 0;
    }
    return { events, sequences };
  }

  /** Puts a taken batch back where its numbers belong (usually the front), keeping the queue sorted. */
  restore(batch: QueuedBatch): void {
    const { events, sequences } = batch;
    if (events.length === 0) {
      return;
    }
    const last = sequences[sequences.length - 1] as number;
    if (last < this.firstSequence() && this.#head >= events.length) {
      // The common case: the whole batch goes before the queue, into the slots it was taken from.
      const start = this.#head - events.length;
      for (let index = 0; index < events.length; index++) {
        this.#events[start + index] = events[index];
        this.#sequences[start + index] = sequences[index] as number;
      }
      this.#head = start;
      return;
    }
    // Another batch failed first, or the slots were compacted away: merge the two sorted runs.
    const mergedEvents: (TelemetryEvent | undefined)[] = [];
    const mergedSequences: number[] = [];
    let restored = 0;
    for (let index = this.#head; index < this.#events.length; index++) {
      const sequence = this.#sequences[index] as number;
      while (restored < events.length && (sequences[restored] as number) < sequence) {
        mergedEvents.push(events[restored]);
        mergedSequences.push(sequences[restored++] as number);
      }
      mergedEvents.push(this.#events[index]);
      mergedSequences.push(sequence);
    }
    for (; restored < events.length; restored++) {
      mergedEvents.push(events[restored]);
      mergedSequences.push(sequences[restored] as number);
    }
    this.#events = mergedEvents;
    this.#sequences = mergedSequences;
    this.#head = 0;
  }

  /** Empties the queue and returns how many events it held. */
  clear(): number {
    const cleared = this.length;
    this.#events = [];
    this.#sequences = [];
    this.#head = 0;
    return cleared;
  }
}
