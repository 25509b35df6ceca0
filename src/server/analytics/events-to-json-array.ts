import type { TelemetryEvent } from '../../core/event-schema.js';
import { chunkText } from './chunk-text.js';

/**
 * Streams events as one JSON array, one element per line (`[]` for no events), in chunks of about 64 KiB;
 * the text is valid JSON once complete, and memory holds one chunk.
 *
 * @example
 * ```ts
 * const body = Readable.from(eventsToJsonArray(store.streamEvents({ from, to })));
 * ```
 */
export async function* eventsToJsonArray(
  events: AsyncIterable<TelemetryEvent> | Iterable<TelemetryEvent>,
): AsyncGenerator<string> {
  yield* chunkText(jsonArrayPieces(events));
}

async function* jsonArrayPieces(
  events: AsyncIterable<TelemetryEvent> | Iterable<TelemetryEvent>,
): AsyncGenerator<string> {
  let first = true;
  for await (const event of events) {
    yield `${first ? '[\n' : ',\n'}${JSON.stringify(event)}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}
