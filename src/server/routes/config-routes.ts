import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { openConfigEventStream } from '../config/config-event-stream.js';
import { defineRoute } from '../define-route.js';
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

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/config',
    permission: 'config',
    summary: 'Everything an SDK needs',
    description:
      'Every live feature config with its version, and the store revision. The strong ETag is a hash of the ' +
      'body: send it back as If-None-Match to get 304 until something changes.',
    headers: { 'If-None-Match': 'the ETag of the copy you hold' },
    response: { schema: configDocumentSchema },
    handler: async (request, reply) => {
      const snapshot = configPoller.snapshot();
      reply.header('etag', snapshot.etag).header('cache-control', 'no-cache');
      if (matchesEtag(request.headers['if-none-match'], snapshot.etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(snapshot.body);
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
      'and a keep-alive comment every 15 s. The stream ends when the server shuts down; reconnect then.',
    response: { type: 'text/event-stream', description: '`config` and `change` events' },
    handler: async (_request, reply) => {
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
        .header('x-accel-buffering', 'no');
      return reply.send(events.stream);
    },
  });
}

/** If-None-Match comparison (weak, as RFC 9110 asks for this header): `*` or any listed tag matches. */
function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((tag) => tag.trim());
  return tags.some((tag) => tag === '*' || tag.replace(/^W\//, '') === etag);
}
