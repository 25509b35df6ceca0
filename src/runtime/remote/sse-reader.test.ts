import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from './sse-reader.js';

/** A body that delivers `bytes` cut at the given offsets. */
function bodyOf(bytes: Uint8Array, cuts: readonly number[] = []): ReadableStream<Uint8Array> {
  const offsets = [
    ...new Set([0, ...cuts.filter((cut) => cut > 0 && cut < bytes.length), bytes.length]),
  ].sort((left, right) => left - right);
  const chunks = offsets.slice(1).map((end, index) => bytes.slice(offsets[index], end));
  return ReadableStream.from(chunks);
}

async function readAll(text: string, cuts: readonly number[] = []): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(bodyOf(new TextEncoder().encode(text), cuts))) {
    events.push(event);
  }
  return events;
}

describe('readServerSentEvents', () => {
  it('reads named events, ids, multi-line data and skips comments', async () => {
    const text =
      ': keep-alive\n\n' +
      'event: config\nid: 7\ndata: {"revision":7}\n\n' +
      'data: first line\ndata:second line\n\n' +
      'event: change\ndata\nretry: 100\nunknown: x\n\n' +
      'event: empty\n\n';
    expect(await readAll(text)).toEqual([
      { event: 'config', data: '{"revision":7}', id: '7' },
      { event: 'message', data: 'first line\nsecond line', id: '7' },
      { event: 'change', data: '', id: '7' },
    ]);
  });

  it('takes LF, CRLF and CR line ends and a leading byte order mark', async () => {
    const text = '\uFEFFevent: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n';
    expect((await readAll(text)).map(({ event, data }) => `${event}=${data}`)).toEqual(['a=1', 'b=2', 'c=3']);
  });

  it('drops an event the stream ended in the middle of', async () => {
    expect(await readAll('data: whole\n\ndata: half')).toEqual([
      { event: 'message', data: 'whole', id: undefined },
    ]);
    expect(await readAll('data: ends in CR\r\r')).toEqual([
      { event: 'message', data: 'ends in CR', id: undefined },
    ]);
  });

  it('tells the caller of every chunk, comments included', async () => {
    let chunks = 0;
    const body = bodyOf(new TextEncoder().encode(': ping\n\n: ping\n\ndata: x\n\n'), [8, 16]);
    const events: ServerSentEvent[] = [];
    for await (const event of readServerSentEvents(body, () => chunks++)) events.push(event);
    expect(chunks).toBe(3);
    expect(events).toHaveLength(1);
  });

  it('reads the same events however the bytes are cut, multi-byte characters and CRLF included', async () => {
    const piece = fc.constantFrom('a', 'z', 'é', '€', '😀', ' ', '{', '"', ':', ',', '7');
    const line = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));
    const event = fc.record({
      name: fc.constantFrom('config', 'change', ''),
      data: fc.array(line, { minLength: 1, maxLength: 3 }),
      ending: fc.constantFrom('\n', '\r\n', '\r'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 5 }), fc.array(fc.nat(400)), async (events, cuts) => {
        const text = events
          .map(
            ({ name, data, ending }) =>
              [...(name ? [`event: ${name}`] : []), ...data.map((part) => `data: ${part}`), ''].join(ending) +
              ending,
          )
          .join('');
        const whole = await readAll(text);
        expect(whole.map((item) => item.data)).toEqual(events.map(({ data }) => data.join('\n')));
        expect(await readAll(text, cuts)).toEqual(whole);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
