import { PassThrough } from 'node:stream';
import type { ConfigPoller } from '../config/config-poller.js';

/** Options for `openOfrepEventStream`. */
export interface OfrepEventStreamOptions {
  readonly poller: ConfigPoller;
  /**
   * Brings the evaluating client up to the poller's config before a client is told to re-fetch, so the
   * re-fetch sees the change; a failure still sends the notice (the next poll catches up).
   */
  readonly beforeNotice: () => Promise<void>;
  /** Time between keep-alive comments, which stop proxies from closing an idle stream. */
  readonly keepAliveIntervalMs: number;
}

/**
 * OFREP's change notices as server-sent events (protocol ADR-0008): after every config change this server
 * sees, `event: message` with `data: {"type":"refetchEvaluation","etag":"<revision>"}` and `id: <revision>`;
 * the etag travels back as `flagConfigEtag` on the re-fetch. Keep-alive comments between them. The stream
 * carries no flag data: clients re-fetch through the bulk endpoint, which evaluates for their context.
 */
export function openOfrepEventStream(options: OfrepEventStreamOptions): { stream: PassThrough; end(): void } {
  const { poller, beforeNotice } = options;
  const stream = new PassThrough();
  // Sends the headers at once and tells EventSource clients how soon to reconnect.
  stream.write('retry: 1000\n: connected\n\n');
  let ended = false;
  let chain = Promise.resolve();
  const unsubscribe = poller.subscribe((change) => {
    chain = chain
      .then(() => beforeNotice().catch(() => {}))
      .then(() => {
        if (ended) return;
        const data = JSON.stringify({ type: 'refetchEvaluation', etag: String(change.revision) });
        stream.write(`event: message\nid: ${change.revision}\ndata: ${data}\n\n`);
      });
  });
  const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), options.keepAliveIntervalMs);
  keepAlive.unref();
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
