import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { openConfigEventStream } from '../config/config-event-stream.js';
import { defineRoute } from '../define-route.js';
import {
  type ContentCoding,
  chooseContentCoding,
  compressBody,
  createEventStreamGzip,
  MIN_COMPRESSED_BYTES,
} from '../http/content-coding.js';
import { configDocumentSchema } from '../schemas/response-schemas.js';
import type { ServerContext } from '../server-context.js';

/** Registers `GET /api/config` (ETag, 304) and `GET /api/config/stream` (server-sent events). */
export function registerConfigRoutes(app: FastifyInstance, context: ServerContext): void {
  const { configPoller } = context;
  const openStreams = new Gauge({
    name: 'switchyard_config_streams_open',
    help: 'Config event streams (GET /api/config/stream) open now.',
    registers: [context.promRegistry],
  });
  // The compressed copies of the current document, made once per change and coding (7 MB at 10,000
  // features compresses to a few hundred kB; every SDK asks for the same bytes).
  let compressed: { etag: string; bodies: Map<ContentCoding, Buffer> } = { etag: '', bodies: new Map() };
  const compressedBody = (etag: string, body: string, coding: ContentCoding): Buffer => {
    if (compressed.etag !== etag) compressed = { etag, bodies: new Map() };
    let bytes = compressed.bodies.get(coding);
    if (bytes === undefined) {
      bytes = compressBody(body, coding);
      compressed.bodies.set(coding, bytes);
    }
    return bytes;
  };

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/config',
    permission: 'config',
    summary: 'Everything an SDK needs',
    description:
      'Every live feature config with its version, and the store revision. The strong ETag is a hash of the ' +
      'body: send it back as If-None-Match to get 304 until something changes. Compressed with brotli or gzip ' +
      'when Accept-Encoding allows (each coding has its own ETag, `-br` or `-gzip` after the hash).',
    headers: {
      'If-None-Match': 'the ETag of the copy you hold',
      'Accept-Encoding': '`br` and `gzip` are answered compressed',
    },
    response: { schema: configDocumentSchema },
    handler: async (request, reply) => {
      const snapshot = configPoller.snapshot();
      const coding =
        snapshot.body.length < MIN_COMPRESSED_BYTES
          ? undefined
          : chooseContentCoding(request.headers['accept-encoding']);
      reply
        .header('etag', coding === undefined ? snapshot.etag : codedEtag(snapshot.etag, coding))
        .header('cache-control', 'no-cache')
        .header('vary', 'Accept-Encoding');
      if (matchesEtag(request.headers['if-none-match'], snapshot.etag)) return reply.code(304).send();
      reply.type('application/json; charset=utf-8');
      if (coding === undefined) return reply.send(snapshot.body);
      return reply
        .header('content-encoding', coding)
        .send(compressedBody(snapshot.etag, snapshot.body, coding));
    },
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/config/stream',
    permission: 'config',
    summary: 'Follow config changes (server-sent events)',
    description:
      'A `config` event with the whole document (as `GET /api/config`), then a `change` event listing the ' +
      'features written since (with `archived: true` for removed ones) within about 200 ms of each change, ' +
      'and a keep-alive comment every 15 s. The stream ends when the server shuts down; reconnect then. ' +
      'Gzip-compressed when Accept-Encoding allows it, each event flushed as it is written.',
    response: { type: 'text/event-stream', description: '`config` and `change` events' },
    handler: async (request, reply) => {
      await configPoller.refresh();
      const events = openConfigEventStream({
        poller: configPoller,
        keepAliveIntervalMs: context.keepAliveIntervalMs,
      });
      const forget = context.onShutdown(events.end);
      openStreams.inc();
      events.stream.once('close', () => {
        forget();
        openStreams.dec();
      });
      reply
        .type('text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache')
        // Proxies such as nginx would otherwise buffer the stream.
        .header('x-accel-buffering', 'no')
        .header('vary', 'Accept-Encoding');
      if (chooseContentCoding(request.headers['accept-encoding'], ['gzip']) === undefined) {
        return reply.send(events.stream);
      }
      const gzip = createEventStreamGzip();
      // The client leaving closes the gzip stream; the event stream must hear of it to stop its timers.
      gzip.once('close', () => events.end());
      return reply.header('content-encoding', 'gzip').send(events.stream.pipe(gzip));
    },
  });
}

/** The ETag of a document's copy in a coding: the document's, with the coding after the hash. */
function codedEtag(etag: string, coding: ContentCoding): string {
  return `${etag.slice(0, -1)}-${coding}"`;
}

/**
 * If-None-Match comparison (weak, as RFC 9110 asks for this header): `*` or any listed tag matches, in
 * any coding (the client's copy is the same document however it travelled).
 */
function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((tag) => tag.trim());
  return tags.some((tag) => tag === '*' || tag.replace(/^W\//, '').replace(/-(?:br|gzip)"$/, '"') === etag);
}
