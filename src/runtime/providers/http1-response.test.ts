import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnswerReader, MalformedAnswerError } from './http1-response.js';

/** Feeds `bytes` to a reader in the given pieces; returns the reader and whether it finished. */
function read(bytes: Buffer, cuts: readonly number[] = []): { reader: AnswerReader; complete: boolean } {
  const reader = new AnswerReader();
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  let complete = false;
  for (const point of [...points, bytes.length]) {
    if (point <= from && point !== bytes.length) continue;
    complete = reader.push(bytes.subarray(from, point)) || complete;
    from = point;
  }
  return { reader, complete };
}

const answer = (text: string) => Buffer.from(text, 'utf8');

describe('AnswerReader', () => {
  it('reads a content-length answer with lower-case headers, repeated ones joined', () => {
    const { reader, complete } = read(
      answer(
        'HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nSet-Cookie: a=1\r\n' +
          'Set-Cookie: b=2\r\nRetry-After: 2\r\nContent-Length: 13\r\n\r\n{"error":"x"}',
      ),
    );
    expect(complete).toBe(true);
    expect(reader.status).toBe(429);
    expect(reader.statusText).toBe('Too Many Requests');
    expect(reader.headers).toEqual({
      'content-type': 'application/json',
      'set-cookie': 'a=1, b=2',
      'retry-after': '2',
      'content-length': '13',
    });
    expect(reader.text()).toBe('{"error":"x"}');
    expect(reader.reusable).toBe(true);
  });

  it('decodes chunked bodies with extensions and trailers, and skips interim answers', () => {
    const { reader, complete } = read(
      answer(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
          '5;name=value\r\nhéll\r\n5\r\no wor\r\n2\r\nld\r\n0\r\nX-Trailer: 1\r\n\r\n',
      ),
    );
    expect(complete).toBe(true);
    expect(reader.status).toBe(200);
    expect(reader.text()).toBe('héllo world');
  });

  it('reads a body delimited by the connection end, which leaves the connection unusable', () => {
    const reader = new AnswerReader();
    expect(reader.push(answer('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nsome'))).toBe(false);
    expect(reader.push(answer(' text'))).toBe(false);
    reader.end();
    expect(reader.done).toBe(true);
    expect(reader.text()).toBe('some text');
    expect(reader.reusable).toBe(false);
  });

  it('knows answers without a body, Connection: close, HTTP/1.0 keep-alive and the Keep-Alive hint', () => {
    expect(read(answer('HTTP/1.1 204 No Content\r\n\r\n')).complete).toBe(true);
    expect(
      read(answer('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')).reader.reusable,
    ).toBe(false);
    const old = read(
      answer('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok'),
    ).reader;
    expect(old.reusable).toBe(true);
    const hinted = read(
      answer('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n'),
    );
    expect(hinted.reader.keepAliveSeconds).toBe(5);
  });

  it('makes the connection unusable when bytes follow the answer', () => {
    const { reader, complete } = read(answer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA'));
    expect(complete).toBe(true);
    expect(reader.text()).toBe('ok');
    expect(reader.reusable).toBe(false);
  });

  it.each([
    ['a status line that is not HTTP/1.x', 'HTTP/2 200\r\n\r\n'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n'],
    ['conflicting content lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok'],
    ['a chunk size that is not hexadecimal', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['a chunk without its CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX'],
  ])('refuses %s', (_what, text) => {
    expect(() => read(answer(text))).toThrow(MalformedAnswerError);
  });

  it('refuses an answer cut short by the connection end', () => {
    const reader = new AnswerReader();
    reader.push(answer('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort'));
    expect(() => reader.end()).toThrow(/closed before the answer was complete/);
  });

  it('reads the same answer however the bytes are split', () => {
    const body = fc.string({ unit: 'grapheme', maxLength: 60 });
    const framed = fc.oneof(
      body.map((text) => ({
        text,
        bytes: answer(
          `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(text)}\r\nX-A: 1\r\n\r\n${text}`,
        ),
      })),
      fc.array(body, { maxLength: 4 }).map((parts) => {
        const chunks = parts
          .filter((part) => part.length > 0)
          .map((part) => `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`)
          .join('');
        return {
          text: parts.join(''),
          bytes: answer(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`),
        };
      }),
    );
    fc.assert(
      fc.property(framed, fc.array(fc.nat(), { maxLength: 8 }), ({ text, bytes }, cuts) => {
        const { reader, complete } = read(bytes, cuts);
        expect(complete).toBe(true);
        expect(reader.status).toBe(200);
        expect(reader.text()).toBe(text);
        expect(reader.reusable).toBe(true);
      }),
    );
  });
});
