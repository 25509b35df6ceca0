import { validateHeaderName, validateHeaderValue } from 'node:http';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import { AnswerReader } from './http1-response.js';

/** Where requests of a pool go: one origin and path, as `origin(url)` derives it. */
export interface Http1Origin {
  readonly secure: boolean;
  /** Host name or IP address, without brackets. */
  readonly hostname: string;
  readonly port: number;
  /** The `host` header: the URL's host, the port only when it is not the protocol's default. */
  readonly host: string;
  /** The request target: path and query. */
  readonly path: string;
  /** `authorization` from the URL's user and password, sent unless the request has its own. */
  readonly authorization?: string;
  /** Which idle connections can carry the request: one list per scheme, host and port. */
  readonly key: string;
}

/** An answer read whole. */
export interface Http1Answer {
  readonly status: number;
  readonly statusText: string;
  /** Header names in lower case; repeated headers joined with `, `. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Options of `createHttp1Pool`. */
export interface Http1PoolOptions {
  /** How long an unused connection stays open (less when the server's `Keep-Alive` says so). */
  readonly idleTimeoutMs: number;
  /** Longest silence while waiting for or reading an answer. */
  readonly silenceTimeoutMs: number;
  /** Idle connections kept per origin; default 256, as Node's agent keeps. */
  readonly maxIdlePerOrigin?: number;
  /** Extra TLS options for `https:` origins (a private CA, say). */
  readonly tls?: ConnectionOptions;
}

/** Keep-alive HTTP/1.1 connections that POST a body and read the whole answer. */
export interface Http1Pool {
  /**
   * POSTs `body` with `headers` (names as given; `host`, `connection` and `content-length` are the
   * pool's) and reads the whole answer. Rejects with the signal's reason on abort, and with
   * `TypeError('fetch failed', { cause })` when the connection fails, stays silent for `silenceTimeoutMs`
   * (cause: an `ETIMEDOUT` error) or answers with bytes that are not HTTP/1.x.
   */
  post(
    origin: Http1Origin,
    headers: Readonly<Record<string, string>>,
    body: string,
    signal?: AbortSignal,
  ): Promise<Http1Answer>;
  /** Closes every connection, failing the requests on them; later posts open new ones. */
  close(): void;
}

/** The error a silent connection fails with; `ETIMEDOUT` is classified as a `timeout`. */
export class SocketTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

/** The server closed the connection before a whole answer, without a socket error. */
class ClosedError extends Error {
  readonly code = 'ECONNRESET';
}

/** Node's agent keeps a connection one second less than the server says it will, so the server never closes it under a request. */
const KEEP_ALIVE_MARGIN_MS = 1_000;

/** One request in flight on a connection. */
interface Exchange {
  readonly reader: AnswerReader;
  settle(error: unknown): void;
}

/** A pooled connection: its socket's listeners stay for its life and act on the exchange in flight. */
interface Connection {
  readonly socket: Socket;
  readonly key: string;
  exchange: Exchange | undefined;
}

/**
 * Creates a pool of keep-alive HTTP/1.1 connections for provider calls. Each call is one write of the
 * request and one pass over the answer's bytes as they arrive (`AnswerReader`), without Node's
 * `ClientRequest` and `IncomingMessage` streams, which on a quiet gateway cost about 0.4 ms of latency
 * per call (docs/decisions/0015-gateway-request-path.md). Connections are reused last-in first-out;
 * an idle one is closed after `idleTimeoutMs` or the server's `Keep-Alive: timeout` less a second, and
 * does not keep the process alive.
 *
 * @example
 * const pool = createHttp1Pool({ idleTimeoutMs: 4_000, silenceTimeoutMs: 300_000 });
 * const answer = await pool.post(origin(new URL('http://127.0.0.1:8080/v1/chat/completions')),
 *   { 'content-type': 'application/json' }, '{"model":"m","messages":[]}');
 */
export function createHttp1Pool(options: Http1PoolOptions): Http1Pool {
  const maxIdle = options.maxIdlePerOrigin ?? 256;
  const idle = new Map<string, Connection[]>();
  const open = new Set<Connection>();
  // A model sends the same headers object on every call: its lines are checked and joined once.
  const headerLines = new WeakMap<object, string>();

  const connect = (origin: Http1Origin): Connection => {
    const socket = origin.secure
      ? connectTls({
          host: origin.hostname,
          port: origin.port,
          ALPNProtocols: ['http/1.1'],
          ...(isIP(origin.hostname) === 0 ? { servername: origin.hostname } : {}),
          ...options.tls,
        })
      : connectTcp({ host: origin.hostname, port: origin.port });
    socket.setNoDelay(true);
    const connection: Connection = { socket, key: origin.key, exchange: undefined };
    open.add(connection);
    socket.on('data', (chunk: Buffer) => {
      const { exchange } = connection;
      if (exchange === undefined) {
        socket.destroy(); // bytes nobody asked for
        return;
      }
      let complete: boolean;
      try {
        complete = exchange.reader.push(chunk);
      } catch (error: unknown) {
        socket.destroy();
        exchange.settle(error);
        return;
      }
      if (complete) exchange.settle(undefined);
    });
    socket.on('end', () => {
      const { exchange } = connection;
      if (exchange === undefined) return;
      try {
        exchange.reader.end();
        exchange.settle(undefined);
      } catch (error: unknown) {
        exchange.settle(error);
      }
    });
    socket.on('timeout', () => {
      if (connection.exchange === undefined) socket.destroy();
      else
        socket.destroy(
          new SocketTimeoutError(`no data from ${origin.hostname} for ${options.silenceTimeoutMs} ms`),
        );
    });
    socket.on('error', (error) => connection.exchange?.settle(error));
    socket.on('close', () => {
      open.delete(connection);
      forget(connection);
      connection.exchange?.settle(new ClosedError('the connection closed before the answer was complete'));
    });
    return connection;
  };

  const forget = (connection: Connection) => {
    const list = idle.get(connection.key);
    const at = list === undefined ? -1 : list.indexOf(connection);
    if (at !== -1) list?.splice(at, 1);
  };

  const acquire = (origin: Http1Origin): Connection => {
    const list = idle.get(origin.key);
    let connection = list?.pop();
    while (connection?.socket.destroyed) connection = list?.pop();
    if (connection === undefined) return connect(origin);
    connection.socket.ref();
    return connection;
  };

  const release = (connection: Connection, reader: AnswerReader) => {
    const { socket } = connection;
    const serverMs =
      reader.keepAliveSeconds === undefined
        ? Number.POSITIVE_INFINITY
        : reader.keepAliveSeconds * 1_000 - KEEP_ALIVE_MARGIN_MS;
    const idleMs = Math.min(options.idleTimeoutMs, serverMs);
    let list = idle.get(connection.key);
    if (!reader.reusable || socket.destroyed || idleMs <= 0 || (list?.length ?? 0) >= maxIdle) {
      socket.destroy();
      return;
    }
    if (list === undefined) {
      list = [];
      idle.set(connection.key, list);
    }
    socket.setTimeout(idleMs);
    socket.unref();
    list.push(connection);
  };

  const linesOf = (headers: Readonly<Record<string, string>>): string => {
    let lines = headerLines.get(headers);
    if (lines !== undefined) return lines;
    lines = '';
    for (const name in headers) {
      const lower = name.toLowerCase();
      if (
        lower === 'host' ||
        lower === 'connection' ||
        lower === 'content-length' ||
        lower === 'transfer-encoding'
      ) {
        continue;
      }
      const value = headers[name] as string;
      validateHeaderName(name);
      validateHeaderValue(name, value);
      lines += `${name}: ${value}\r\n`;
    }
    headerLines.set(headers, lines);
    return lines;
  };

  const post = (
    origin: Http1Origin,
    headers: Readonly<Record<string, string>>,
    body: string,
    signal?: AbortSignal,
  ): Promise<Http1Answer> =>
    new Promise<Http1Answer>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      let lines: string;
      try {
        lines = linesOf(headers);
      } catch (error: unknown) {
        reject(error);
        return;
      }
      const authorization =
        origin.authorization !== undefined && !hasHeader(headers, 'authorization')
          ? `authorization: ${origin.authorization}\r\n`
          : '';
      const connection = acquire(origin);
      const { socket } = connection;
      const reader = new AnswerReader();
      // Settling with an error destroys the socket and rejects with the signal's reason.
      const onAbort = () => settle(abortReason(signal as AbortSignal));
      const settle = (error: unknown) => {
        if (connection.exchange !== exchange) return;
        connection.exchange = undefined;
        signal?.removeEventListener('abort', onAbort);
        if (error !== undefined) {
          socket.destroy();
          reject(signal?.aborted ? abortReason(signal) : new TypeError('fetch failed', { cause: error }));
          return;
        }
        release(connection, reader);
        resolve({
          status: reader.status,
          statusText: reader.statusText,
          headers: reader.headers,
          body: reader.text(),
        });
      };
      const exchange: Exchange = { reader, settle };
      connection.exchange = exchange;
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.setTimeout(options.silenceTimeoutMs);
      socket.write(
        `POST ${origin.path} HTTP/1.1\r\nhost: ${origin.host}\r\nconnection: keep-alive\r\n${lines}${authorization}` +
          `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });

  return {
    post,
    close() {
      idle.clear();
      for (const connection of [...open]) connection.socket.destroy();
    },
  };
}

/** Where `url`'s requests go, for `Http1Pool.post`. */
export function origin(url: URL): Http1Origin {
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') throw new TypeError(`${url.protocol} is not http: or https:`);
  return {
    secure,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    host: url.host,
    path: `${url.pathname}${url.search}`,
    key: `${url.protocol}//${url.host}`,
    ...(url.username === ''
      ? {}
      : {
          authorization: `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`,
        }),
  };
}

function hasHeader(headers: Readonly<Record<string, string>>, wanted: string): boolean {
  for (const name in headers) if (name.toLowerCase() === wanted) return true;
  return false;
}

/** What the global `fetch` rejects with on abort: the signal's reason, or an AbortError. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
