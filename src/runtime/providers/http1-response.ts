/** An HTTP/1.x answer whose bytes could not be read as one. */
export class MalformedAnswerError extends Error {
  readonly code = 'HPE_INVALID_RESPONSE';
}

/** The longest answer head (status line and headers) read; providers send a few hundred bytes. */
const MAX_HEAD_BYTES = 65_536;
const CRLF = Buffer.from('\r\n');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/;
const HEX = /^[0-9a-fA-F]{1,15}$/;

type Stage = 'head' | 'length' | 'size' | 'data' | 'data-end' | 'trailers' | 'close' | 'done';

/**
 * Reads one HTTP/1.0 or 1.1 answer from the bytes of a connection, as they arrive: the status line and
 * headers (1xx interim answers skipped), then a body framed by `content-length`, by chunked transfer
 * coding (extensions and trailers ignored), or by the end of the connection. Header names are lower case;
 * a repeated header's values are joined with `, `, as `Headers` joins them. `push` throws
 * `MalformedAnswerError` for bytes that are not such an answer.
 *
 * @example
 * const reader = new AnswerReader();
 * socket.on('data', (chunk) => { if (reader.push(chunk)) use(reader.status, reader.headers, reader.text()); });
 * socket.on('end', () => { reader.end(); use(reader.status, reader.headers, reader.text()); });
 */
export class AnswerReader {
  status = 0;
  statusText = '';
  headers: Record<string, string> = {};
  /** Whether the connection can carry another request once the answer is done. */
  reusable = false;
  /** Seconds the server keeps an idle connection open (`Keep-Alive: timeout=N`), when it says. */
  keepAliveSeconds: number | undefined;
  private stage: Stage = 'head';
  private pending: Buffer | undefined;
  private remaining = 0;
  private readonly chunks: Buffer[] = [];

  /** Whether the whole answer has been read. */
  get done(): boolean {
    return this.stage === 'done';
  }

  /** Reads the next bytes; true once the answer is complete (bytes beyond it make the connection unusable). */
  push(chunk: Buffer): boolean {
    let data = chunk;
    if (this.pending !== undefined) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    let at = 0;
    while (at < data.length || this.stage === 'done') {
      switch (this.stage) {
        case 'head': {
          const end = data.indexOf('\r\n\r\n', at, 'latin1');
          if (end === -1) return this.keep(data, at, MAX_HEAD_BYTES, 'answer head');
          this.readHead(data.toString('latin1', at, end));
          at = end + 4;
          break;
        }
        case 'length':
          at = this.take(data, at, 'done');
          break;
        case 'size': {
          const end = data.indexOf(CRLF, at);
          if (end === -1) return this.keep(data, at, 1_024, 'chunk size line');
          const size = data.toString('latin1', at, end).split(';', 1)[0]?.trim() ?? '';
          if (!HEX.test(size)) throw new MalformedAnswerError(`invalid chunk size "${size}"`);
          this.remaining = Number.parseInt(size, 16);
          this.stage = this.remaining === 0 ? 'trailers' : 'data';
          at = end + 2;
          break;
        }
        case 'data':
          at = this.take(data, at, 'data-end');
          break;
        case 'data-end': {
          if (data.length - at < 2) return this.keep(data, at, 2, 'chunk end');
          if (data[at] !== 13 || data[at + 1] !== 10)
            throw new MalformedAnswerError('chunk not followed by CRLF');
          at += 2;
          this.stage = 'size';
          break;
        }
        case 'trailers': {
          // Trailer lines up to an empty line; their values are not used.
          const end = data.indexOf(CRLF, at);
          if (end === -1) return this.keep(data, at, MAX_HEAD_BYTES, 'trailers');
          if (end === at) this.stage = 'done';
          at = end + 2;
          break;
        }
        case 'close':
          this.chunks.push(data.subarray(at));
          at = data.length;
          break;
        case 'done':
          // Anything after the answer was never asked for: the connection cannot be trusted with another.
          if (at < data.length) this.reusable = false;
          return true;
      }
    }
    return false;
  }

  /** The connection ended: completes an answer framed by the connection's end, or throws. */
  end(): void {
    if (this.stage === 'close') {
      this.stage = 'done';
      return;
    }
    if (this.stage !== 'done') {
      throw new MalformedAnswerError(`the connection closed before the answer was complete (${this.stage})`);
    }
  }

  /** The body as UTF-8 text. */
  text(): string {
    const { chunks } = this;
    if (chunks.length === 0) return '';
    if (chunks.length === 1) return (chunks[0] as Buffer).toString('utf8');
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Takes body bytes up to what the framing says remains; moves to `next` when none remain. */
  private take(data: Buffer, at: number, next: Stage): number {
    const taken = Math.min(this.remaining, data.length - at);
    this.chunks.push(data.subarray(at, at + taken));
    this.remaining -= taken;
    if (this.remaining === 0) this.stage = next;
    return at + taken;
  }

  /** Keeps an unfinished line for the next bytes, up to `limit` bytes. */
  private keep(data: Buffer, at: number, limit: number, what: string): false {
    if (data.length - at > limit) throw new MalformedAnswerError(`${what} longer than ${limit} bytes`);
    this.pending = data.subarray(at);
    return false;
  }

  private readHead(head: string): void {
    const lines = head.split('\r\n');
    const match = STATUS_LINE.exec(lines[0] ?? '');
    if (match === null)
      throw new MalformedAnswerError(`invalid status line "${(lines[0] ?? '').slice(0, 80)}"`);
    const minor = match[1];
    const status = Number(match[2]);
    const headers: Record<string, string> = {};
    let last: string | undefined;
    for (let index = 1; index < lines.length; index++) {
      const line = lines[index] as string;
      if (line.length === 0) continue;
      if ((line[0] === ' ' || line[0] === '\t') && last !== undefined) {
        headers[last] = `${headers[last]} ${line.trim()}`; // obsolete line folding
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) throw new MalformedAnswerError(`invalid header line "${line.slice(0, 80)}"`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const previous = headers[name];
      headers[name] = previous === undefined ? value : `${previous}, ${value}`;
      last = name;
    }
    // An interim answer (100 Continue, 103 Early Hints): the real one follows on the same connection.
    if (status >= 100 && status < 200) {
      if (status === 101) throw new MalformedAnswerError('the server switched protocols');
      return;
    }
    this.status = status;
    this.statusText = match[3] ?? '';
    this.headers = headers;
    const connection = (headers.connection ?? '').toLowerCase();
    this.reusable = minor === '1' ? !connection.includes('close') : connection.includes('keep-alive');
    const hint = /timeout=(\d+)/i.exec(headers['keep-alive'] ?? '');
    this.keepAliveSeconds = hint === null ? undefined : Number(hint[1]);
    this.stage = this.bodyStage(status, headers);
    if (this.stage === 'close') this.reusable = false;
  }

  private bodyStage(status: number, headers: Record<string, string>): Stage {
    if (status === 204 || status === 304) return 'done';
    const coding = headers['transfer-encoding'];
    if (coding !== undefined) {
      // Chunked must be the last coding; anything else is delimited by the connection's end.
      return /(?:^|,)\s*chunked\s*$/i.test(coding) ? 'size' : 'close';
    }
    const length = headers['content-length'];
    if (length === undefined) return 'close';
    const values = new Set(length.split(',').map((value) => value.trim()));
    const only = values.size === 1 ? [...values][0] : undefined;
    if (only === undefined || !/^\d{1,15}$/.test(only)) {
      throw new MalformedAnswerError(`invalid content-length "${length.slice(0, 80)}"`);
    }
    this.remaining = Number(only);
    return this.remaining === 0 ? 'done' : 'length';
  }
}
