import { PassThrough } from 'node:stream';
import type { ConfigChange, ConfigPoller } from './config-poller.js';

/** Options for `openConfigEventStream`. */
export interface ConfigEventStreamOptions {
  readonly poller: ConfigPoller;
  /** Time between keep-alive comments, which stop proxies from closing an idle stream. */
  readonly keepAliveIntervalMs: number;
}

/**
 * A server-sent event stream of the config: a `config` event with the whole document first, then a
 * `change` event (features written since, archived ones flagged) after every poll that found changes, and
 * a keep-alive comment every interval. Each event's `id` is the revision it brings the client to.
 * `end()` finishes the stream cleanly; it also ends by itself once the consumer goes away.
 */
export function openConfigEventStream(options: ConfigEventStreamOptions): {
  stream: PassThrough;
  end(): void;
} {
  const { poller } = options;
  const stream = new PassThrough();
  const snapshot = poller.snapshot();
  // Same tick as the snapshot: no change can fall between the first event and the subscription.
  stream.write(formatEvent('config', snapshot.document.revision, snapshot.body));
  const unsubscribe = poller.subscribe((change: ConfigChange) => {
    stream.write(formatEvent('change', change.revision, JSON.stringify(change)));
  });
  const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), options.keepAliveIntervalMs);
  keepAlive.unref();

  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(keepAlive);
    unsubscribe();
    stream.end();
  };
  stream.on('close', end);
  stream.on('error', end);
  return { stream, end };
}

function formatEvent(event: string, id: number, data: string): string {
  // JSON.stringify never emits a raw newline, so the data is always one `data:` line.
  return `event: ${event}\nid: ${id}\ndata: ${data}\n\n`;
}
