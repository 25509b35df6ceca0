import type { TelemetryEvent } from '../../core/event-schema.js';
import { chunkText } from './chunk-text.js';

/**
 * Streams events as newline-delimited JSON (one event per line, each line valid JSON), in chunks of about
 * 64 KiB; memory holds one chunk.
 *
 * @example
 * ```ts
 * const body = Readable.from(eventsToNdjson(store.streamEvents({ type: 'call' })));
 * ```
 */
export async function* eventsToNdjson(
  events: AsyncIterable<TelemetryEvent> | Iterable<TelemetryEvent>,
): AsyncGenerator<string> {
  yield* chunkText(ndjsonLines(events));
}

async function* ndjsonLines(
  events: AsyncIterable<TelemetryEvent> | Iterable<TelemetryEvent>,
): AsyncGenerator<string> {
  for await (const event of events) {
    yield `${JSON.stringify(event)}\n`;
  }
}
