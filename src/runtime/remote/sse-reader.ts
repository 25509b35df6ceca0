/** One server-sent event as the WHATWG event-stream format defines it. */
export interface ServerSentEvent {
  /** The `event:` field; `message` when the event named none. */
  readonly event: string;
  /** Every `data:` line of the event, joined with newlines. */
  readonly data: string;
  /** The last `id:` seen on the stream so far, if any. */
  readonly id: string | undefined;
}

/**
 * Reads server-sent events from a response body: lines end in LF, CRLF or CR (a CRLF split across two
 * chunks counts once), comment lines (`: keep-alive`) are skipped, an event is dispatched at its blank
 * line, and an unfinished event at the end of the stream is dropped, as browsers do. `onActivity` hears
 * of every chunk, comments included, so a caller can tell a quiet stream from a dead one.
 *
 * @example
 * for await (const event of readServerSentEvents(response.body)) console.log(event.event, event.data);
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onActivity: () => void = () => {},
): AsyncGenerator<ServerSentEvent> {
  let buffer = '';
  let started = false;
  let type = '';
  let data: string[] = [];
  let lastId: string | undefined;

  const takeLine = (line: string): ServerSentEvent | undefined => {
    if (line === '') {
      const event =
        data.length === 0 ? undefined : { event: type || 'message', data: data.join('\n'), id: lastId };
      type = '';
      data = [];
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    // `retry` and unknown fields are ignored: the caller owns its reconnect policy.
    return undefined;
  };

  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    onActivity();
    buffer += text;
    if (!started && buffer.length > 0) {
      started = true;
      if (buffer.startsWith('\uFEFF')) buffer = buffer.slice(1);
    }
    let start = 0;
    while (true) {
      const end = lineEnd(buffer, start);
      if (end === -1) break;
      const event = takeLine(buffer.slice(start, end));
      if (event !== undefined) yield event;
      // A CR at the very end may be the first half of a CRLF: lineEnd waits for the next chunk then.
      start = buffer[end] === '\r' && buffer[end + 1] === '\n' ? end + 2 : end + 1;
    }
    buffer = buffer.slice(start);
  }
  // The stream ended: a held-back CR was a line end after all.
  if (buffer.endsWith('\r')) {
    const event = takeLine(buffer.slice(0, -1));
    if (event !== undefined) yield event;
  }
}

/** Index of the next line terminator from `start`, or -1; a trailing lone CR waits for more text. */
function lineEnd(buffer: string, start: number): number {
  for (let index = start; index < buffer.length; index++) {
    const char = buffer[index];
    if (char === '\n') return index;
    if (char === '\r') return index + 1 < buffer.length ? index : -1;
  }
  return -1;
}
