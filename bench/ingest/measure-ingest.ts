import type { TelemetryEvent } from '../../src/core/event-schema.js';
import {
  createTelemetryWriter,
  type TelemetryWriter,
  type TelemetryWriterOptions,
} from '../../src/runtime/telemetry/telemetry-writer.js';
import type { Store } from '../../src/store/store.js';

/** What one timed ingest run did. */
export interface IngestRun {
  readonly eventsPerSecond: number;
  readonly seconds: number;
  /** CPU time of this Node process per event, in microseconds (writer, store, driver, garbage collection). */
  readonly nodeMicrosPerEvent: number;
  /** CPU time of the database server's backends per event, in microseconds, when it can be read. */
  readonly serverMicrosPerEvent: number | undefined;
}

/** Cumulative CPU milliseconds of the database server's backends, or undefined when they cannot be read. */
export type ServerCpu = () => Promise<number | undefined>;

/** Makes the writer a run goes through: `createTelemetryWriter`, with other options or another writer. */
export type CreateWriter = (options: TelemetryWriterOptions) => TelemetryWriter;

/**
 * Writes every event through a telemetry writer (batches of `batchSize`) into the store and times it from the
 * first `write` until `close()` has flushed the last batch. Throws unless the store inserted every event.
 */
export async function measureWriterIngest(
  store: Store,
  events: readonly TelemetryEvent[],
  batchSize: number,
  serverCpu: ServerCpu = async () => undefined,
  createWriter: CreateWriter = createTelemetryWriter,
): Promise<IngestRun> {
  let inserted = 0;
  const writer = createWriter({
    sink: async (batch) => {
      // Awaited first: `inserted += await …` would read `inserted` before the wait and lose the count of a
      // batch that settled meanwhile, now that two are in flight.
      const result = await store.appendEvents(batch);
      inserted += result.inserted;
    },
    batchSize,
    // Room for the whole run: the figure is the sink's rate, not how many events a full buffer sheds.
    maxBuffer: Math.max(events.length, batchSize),
  });
  const serverBefore = await serverCpu();
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  for (const event of events) writer.write(event);
  await writer.close();
  const seconds = (performance.now() - started) / 1_000;
  const node = process.cpuUsage(nodeBefore);
  const serverAfter = await serverCpu();
  const stats = writer.stats();
  if (inserted !== events.length || stats.written !== events.length || stats.dropped !== 0) {
    throw new Error(
      `ingest lost events: inserted ${inserted} of ${events.length}, stats ${JSON.stringify(stats)}`,
    );
  }
  return {
    eventsPerSecond: events.length / seconds,
    seconds,
    nodeMicrosPerEvent: (node.user + node.system) / events.length,
    serverMicrosPerEvent:
      serverBefore === undefined || serverAfter === undefined
        ? undefined
        : ((serverAfter - serverBefore) * 1_000) / events.length,
  };
}

/** Calls `appendEvents` directly, one batch after another, and times it; the writer's overhead is the difference. */
export async function measureDirectAppend(
  store: Store,
  events: readonly TelemetryEvent[],
  batchSize: number,
): Promise<IngestRun> {
  let inserted = 0;
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  for (let start = 0; start < events.length; start += batchSize) {
    inserted += (await store.appendEvents(events.slice(start, start + batchSize))).inserted;
  }
  const seconds = (performance.now() - started) / 1_000;
  const node = process.cpuUsage(nodeBefore);
  if (inserted !== events.length) throw new Error(`appendEvents inserted ${inserted} of ${events.length}`);
  return {
    eventsPerSecond: events.length / seconds,
    seconds,
    nodeMicrosPerEvent: (node.user + node.system) / events.length,
    serverMicrosPerEvent: undefined,
  };
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
