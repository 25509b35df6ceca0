import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import { abortReason, createHttp1Pool, type Http1Origin, origin, SocketTimeoutError } from './http1-pool.js';

/** A provider's answer, read whole. */
export interface TransportAnswer {
  readonly status: number;
  readonly statusText: string;
  /** Header names in lower case; repeated headers joined with `, `. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What `post` sends. */
export interface TransportRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly signal?: AbortSignal | undefined;
}

/** Keep-alive connections to providers, as a `fetch` for the AI SDK and as a plain `post`. */
export interface ProviderTransport {
  /** Behaves as the global `fetch` for the requests AI SDK providers make (see `createProviderTransport`). */
  readonly fetch: typeof globalThis.fetch;
  /**
   * POSTs `body` and reads the whole answer, whatever its status. Rejects as `fetch` does: with the
   * signal's reason on abort, with `TypeError('fetch failed', { cause })` when the connection fails.
   */
  post(url: URL, request: TransportRequest): Promise<TransportAnswer>;
  /** Closes every pooled connection; later calls open new ones. */
  close(): void;
}

/** Options of `createProviderTransport`. */
export interface ProviderTransportOptions {
  /** How long an unused connection stays open (less when a server's `Keep-Alive` says so). Default 4 s. */
  readonly idleTimeoutMs?: number;
  /** Longest silence while waiting for or reading an answer, as undici's 300 s header and body timeouts. */
  readonly silenceTimeoutMs?: number;
  /** Where `fetch` sends the requests it does not carry; default the global `fetch`. */
  readonly fallback?: typeof globalThis.fetch;
  /** Extra TLS options for `https:` providers (a private CA, say). */
  readonly tls?: ConnectionOptions;
}

type RequestBody = string | Uint8Array | undefined;

/** An open exchange: the answer's head has arrived; the body is still to be read. */
interface Opened {
  readonly response: IncomingMessage;
  /** Removes the abort listener; call once the body has been read or has failed. */
  readonly release: () => void;
}

/**
 * Creates pooled keep-alive `node:http` / `node:https` connections for provider calls. Node's global
 * `fetch` costs about 0.4 ms of CPU more per call than `node:http` on the same connection
 * (docs/decisions/0010-gateway-fast-path.md), and the AI SDK providers accept a `fetch` of their own. This
 * one keeps what the AI SDK relies on: it rejects with the signal's reason on abort (also while the body
 * is read), with `TypeError('fetch failed', { cause })` when the connection fails, and streams bodies that
 * are not JSON (server-sent events) as they arrive; JSON bodies are read whole before it resolves.
 * Requests it does not carry (a `Request` object, a body other than text or bytes, another protocol, a
 * redirect mode other than the default) go to `fallback`. Redirects are not followed; no compression is
 * asked for.
 *
 * @example
 * const transport = createProviderTransport();
 * const provider = createOpenAICompatible({ name: 'local', baseURL, fetch: transport.fetch });
 * // ... on shutdown
 * transport.close();
 */
export function createProviderTransport(options: ProviderTransportOptions = {}): ProviderTransport {
  const idleTimeoutMs = options.idleTimeoutMs ?? 4_000;
  const silenceTimeoutMs = options.silenceTimeoutMs ?? 300_000;
  const fallback = options.fallback ?? globalThis.fetch;
  const httpAgent = new HttpAgent({ keepAlive: true, timeout: idleTimeoutMs });
  const httpsAgent = new HttpsAgent({ ...options.tls, keepAlive: true, timeout: idleTimeoutMs });
  const targetOf = (url: URL): RequestOptions => {
    const secure = url.protocol === 'https:';
    return {
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      agent: secure ? httpsAgent : httpAgent,
      timeout: silenceTimeoutMs,
      ...(url.username === ''
        ? {}
        : { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }),
    };
  };
  // `post` runs on its own pool, without node:http's request and answer streams (see createHttp1Pool).
  const pool = createHttp1Pool({
    idleTimeoutMs,
    silenceTimeoutMs,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  });
  // A model posts to the same URL every time: its origin is worked out once.
  const origins = new WeakMap<URL, Http1Origin>();

  /** Sends the request and resolves once the answer's head arrives. */
  const open = (
    target: RequestOptions,
    method: string,
    headers: Record<string, string>,
    body: RequestBody,
    signal: AbortSignal | undefined,
  ) =>
    new Promise<Opened>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const outgoing = send(Object.assign({}, target, { method, headers }));
      let response: IncomingMessage | undefined;
      const onAbort = () => {
        const reason = abortReason(signal as AbortSignal);
        // A body being read fails with the reason, as the global fetch's does; a pending call rejects.
        response?.destroy(reason as Error);
        outgoing.destroy();
        reject(reason);
      };
      const release = () => signal?.removeEventListener('abort', onAbort);
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.on('timeout', () => {
        outgoing.destroy(
          new SocketTimeoutError(`no data from ${target.hostname} for ${silenceTimeoutMs} ms`),
        );
      });
      outgoing.on('error', (error) => {
        if (response !== undefined) return;
        release();
        reject(new TypeError('fetch failed', { cause: error }));
      });
      outgoing.on('response', (incoming) => {
        response = incoming;
        resolve({ response: incoming, release });
      });
      outgoing.end(body);
    });

  /** Reads a whole body as text; a failure is an abort's reason or a failed connection. */
  const readText = ({ response, release }: Opened, signal: AbortSignal | undefined) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', (error) => {
        release();
        reject(signal?.aborted ? abortReason(signal) : new TypeError('fetch failed', { cause: error }));
      });
      response.once('end', () => {
        release();
        resolve(
          chunks.length === 1
            ? (chunks[0] as Buffer).toString('utf8')
            : Buffer.concat(chunks).toString('utf8'),
        );
      });
    });

  const post = (url: URL, request: TransportRequest): Promise<TransportAnswer> => {
    let target = origins.get(url);
    if (target === undefined) {
      target = origin(url);
      origins.set(url, target);
    }
    return pool.post(target, request.headers, request.body, request.signal);
  };

  const fetchOver = async (url: URL, init: RequestInit, body: RequestBody): Promise<Response> => {
    const signal = init.signal ?? undefined;
    const method = init.method ?? 'GET';
    const opened = await open(targetOf(url), method, outgoingHeaders(init.headers, body), body, signal);
    const { response } = opened;
    const status = response.statusCode ?? 0;
    const head = { status, statusText: response.statusMessage ?? '', headers: headerPairs(response) };
    if (status === 204 || status === 304 || method === 'HEAD') {
      opened.release();
      response.resume();
      return new Response(null, head);
    }
    if ((response.headers['content-type'] ?? '').includes('json')) {
      return new Response(await readText(opened, signal), head);
    }
    // Streamed as it arrives (server-sent events); the abort listener stays until the body is done.
    response.once('close', opened.release);
    return new Response(Readable.toWeb(response) as ReadableStream<Uint8Array>, head);
  };

  const fetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body ?? undefined;
    if (
      input instanceof Request ||
      !(body === undefined || typeof body === 'string' || body instanceof Uint8Array) ||
      (init.redirect !== undefined && init.redirect !== 'follow')
    ) {
      return fallback(input, init);
    }
    const url = input instanceof URL ? input : new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fallback(input, init);
    return fetchOver(url, init, body);
  };

  return {
    fetch: fetch as typeof globalThis.fetch,
    post,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
      pool.close();
    },
  };
}

/** The request headers as `node:http` takes them, with the defaults the global `fetch` adds. */
function outgoingHeaders(headers: RequestInit['headers'], body: RequestBody): Record<string, string> {
  const result: Record<string, string> = {};
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      result[name] = value;
    });
  } else if (Array.isArray(headers)) {
    for (const [name, value] of headers as [string, string][]) result[name.toLowerCase()] = value;
  } else if (headers !== undefined) {
    const record = headers as Record<string, string | undefined>;
    for (const name in record) {
      const value = record[name];
      // The AI SDK leaves unset headers as undefined; node:http refuses those.
      if (value !== undefined) result[name.toLowerCase()] = value;
    }
  }
  result.accept ??= '*/*';
  if (body !== undefined) {
    if (typeof body === 'string') result['content-type'] ??= 'text/plain;charset=UTF-8';
    result['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  }
  return result;
}

/** The answer's headers as name-value pairs, repeated headers (`set-cookie`) included. */
function headerPairs(response: IncomingMessage): [string, string][] {
  const raw = response.rawHeaders;
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    pairs.push([raw[index] as string, raw[index + 1] as string]);
  }
  return pairs;
}
