import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type KillAllOutcome,
  killAllFeatures,
  MAX_KILL_ALL_REASON_LENGTH,
} from '../../store/kill-all-features.js';
import { defineRoute } from '../define-route.js';
import { changeOf } from '../http/change-of.js';
import { parseInput } from '../http/parse-input.js';
import type { ServerContext } from '../server-context.js';

/** Body of `POST /api/kill-all`. */
export const killAllBodySchema = z.strictObject({
  reason: z
    .string()
    .regex(/\S/, 'must not be blank')
    .max(MAX_KILL_ALL_REASON_LENGTH)
    .optional()
    .describe('why, recorded in the audit log as `kill-all: <reason>`'),
});

/** What `POST /api/kill-all` did. */
export const killAllResultSchema = z.object({
  killed: z
    .array(z.object({ key: z.string(), version: z.int() }))
    .describe('features this call killed, with the version the kill wrote'),
  alreadyKilled: z.array(z.string()).describe('features that were killed before; left as they were'),
  failed: z
    .array(z.object({ key: z.string(), code: z.string(), message: z.string() }))
    .describe('features still not killed after one retry; empty when every kill succeeded'),
});

/** Registers `POST /api/kill-all`, the emergency stop for every feature at once. */
export function registerKillAllRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'POST',
    url: '/api/kill-all',
    permission: 'write',
    tag: 'features',
    summary: 'Kill every feature',
    description:
      'Emergency stop: kills every live feature that is not killed already, so everyone gets each default ' +
      'variant (reason KILLED); SDKs on the config stream obey within a second. Each kill is audited as ' +
      '`feature.kill` with the reason `kill-all: <reason>` (`kill-all` without one). A feature whose kill ' +
      'fails is retried once and then listed in `failed` without stopping the others, so the answer is 200 ' +
      'even then: check that `failed` is empty. Lift the kills one feature at a time with ' +
      '`POST /api/features/:key/enable`.',
    body: killAllBodySchema,
    bodyOptional: true,
    response: { schema: killAllResultSchema },
    errors: [400],
    handler: async (request) => {
      const body = parseInput(killAllBodySchema, request.body ?? {}, 'body');
      const outcome = await killAllFeatures(context.store, changeOf(request, body.reason));
      if (outcome.killed.length > 0) await context.featuresChanged();
      return withoutInternalDetail(outcome, (failure) =>
        request.log.error({ feature: failure.key, message: failure.message }, 'kill-all: kill failed'),
      );
    },
  });
}

/** Unexpected errors are logged, not answered: their text may describe the store's internals. */
function withoutInternalDetail(
  outcome: KillAllOutcome,
  log: (failure: KillAllOutcome['failed'][number]) => void,
): KillAllOutcome {
  return {
    ...outcome,
    failed: outcome.failed.map((failure) => {
      if (failure.code !== 'INTERNAL') return failure;
      log(failure);
      return { ...failure, message: 'internal error (see the server log)' };
    }),
  };
}
