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
  /** Pieces of the line under way, from earlier chunks: joined once, when its end arrives. */
  let pending: string[] = [];
  /** The last chunk ended in a CR: a LF opening the next one is the second half of that CRLF. */
  let afterCR = false;
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

  // Each chunk is scanned once and a line's pieces are joined once, so a line arriving in many chunks
  // (a config document of megabytes) costs linear time: appending chunks to one string and searching it
  // again made the 7 MB first event of a 10,000-feature config take seconds.
  for await (let text of body.pipeThrough(new TextDecoderStream())) {
    onActivity();
    if (text.length === 0) continue;
    if (!started) {
      started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    let start = 0;
    if (afterCR) {
      afterCR = false;
      if (text.startsWith('\n')) start = 1;
    }
    while (start < text.length) {
      const end = lineEnd(text, start);
      if (end === -1) {
        pending.push(text.slice(start));
        break;
      }
      const piece = text.slice(start, end);
      const line = pending.length === 0 ? piece : pending.join('') + piece;
      pending = [];
      const event = takeLine(line);
      if (event !== undefined) yield event;
      if (text.charCodeAt(end) === CR) {
        if (end + 1 === text.length) afterCR = true;
        start = text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
  }
}

const LF = 10;
const CR = 13;

/** Index of the next LF or CR from `start`, or -1. */
function lineEnd(text: string, start: number): number {
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === LF || code === CR) return index;
  }
  return -1;
}
