import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { z } from 'zod';
import { eventSchema, type TelemetryEvent } from '../../core/event-schema.js';
import { defineRoute } from '../define-route.js';
import { invalidInput } from '../http/api-error.js';
import { parseInput } from '../http/parse-input.js';
import type { ServerContext } from '../server-context.js';

/** Events one `POST /api/events` may carry (the SDK sends at most this many too). */
const MAX_EVENTS_PER_BATCH = 10_000;

/**
 * The body limit of the ingest route: a full batch of call events with prompts and outputs outgrows the
 * server's default 1 MiB, and a batch cut short by a 413 would only be split and sent again.
 */
const INGEST_BODY_LIMIT = 16 * 1_048_576;

/** `POST /api/events` body. */
const ingestBodySchema = z.strictObject({
  events: z.array(eventSchema).max(MAX_EVENTS_PER_BATCH).describe('telemetry events, at most 10,000'),
});

/** The envelope alone, checked first so that an oversized batch is refused before its events are read. */
const envelopeSchema = z.strictObject({
  events: z.array(z.unknown()).max(MAX_EVENTS_PER_BATCH, `must hold at most ${MAX_EVENTS_PER_BATCH} events`),
});

const ingestResultSchema = z.object({
  inserted: z.int().describe('events new to the store'),
  duplicates: z.int().describe('events whose id the store held already (a batch sent twice)'),
});

/** Registers `POST /api/events`: telemetry batches from remote SDKs, stored idempotently by event id. */
export function registerEventIngestRoutes(app: FastifyInstance, context: ServerContext): void {
  const ingested = new Counter({
    name: 'switchyard_events_ingested_total',
    help: 'Telemetry events received through POST /api/events, by result (inserted or duplicate).',
    labelNames: ['result'],
    registers: [context.promRegistry],
  });

  defineRoute(app, context, {
    method: 'POST',
    url: '/api/events',
    permission: 'ingest',
    tag: 'events',
    summary: 'Store a batch of telemetry events',
    description:
      'Decision, call and feedback events as an SDK records them, at most 10,000 per batch and 16 MiB per ' +
      'body. The batch is checked whole: one bad event gets 400 naming it (`events[3].at`) and nothing is ' +
      'stored. Events are idempotent by `id`, so a batch sent again after a lost answer is counted as ' +
      'duplicates rather than stored twice. Every event must name a feature the store holds (archived ones ' +
      'included): an event for any other is refused by name (`events[3].feature`). Text fields have the ' +
      'length limits the schema shows (`maxLength`); an SDK cuts error messages, prompts and outputs to theirs.',
    body: ingestBodySchema,
    response: { schema: ingestResultSchema },
    errors: [400, 413],
    bodyLimit: INGEST_BODY_LIMIT,
    handler: async (request) => {
      parseInput(envelopeSchema, request.body, 'body');
      const { events } = parseInput(ingestBodySchema, request.body, 'body');
      await refuseUnknownFeatures(context, events);
      const result = await context.store.appendEvents(events);
      ingested.inc({ result: 'inserted' }, result.inserted);
      ingested.inc({ result: 'duplicate' }, result.duplicates);
      return { inserted: result.inserted, duplicates: result.duplicates };
    },
  });
}

/**
 * Throws a 400 listing every event whose feature the store does not hold. Features this server has polled
 * are known without a round trip; the rest (created on another server since the last poll, or never) cost
 * one read of the feature list.
 */
async function refuseUnknownFeatures(
  context: ServerContext,
  events: readonly TelemetryEvent[],
): Promise<void> {
  const unpolled = new Set(
    events.map((event) => event.feature).filter((key) => !context.configPoller.knows(key)),
  );
  if (unpolled.size === 0) {
    return;
  }
  const stored = new Set(
    (await context.store.listFeatures({ includeArchived: true })).map((feature) => feature.key),
  );
  const problems = events.flatMap((event, index) =>
    stored.has(event.feature) || !unpolled.has(event.feature)
      ? []
      : [{ path: `events[${index}].feature`, message: `unknown feature "${event.feature}"` }],
  );
  if (problems.length > 0) {
    throw invalidInput('body', problems);
  }
}
