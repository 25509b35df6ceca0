import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../define-route.js';
import { actorOf } from '../http/change-of.js';
import { parseInput } from '../http/parse-input.js';
import type { ServerContext } from '../server-context.js';

const unitParamsSchema = z.strictObject({
  unitId: z
    .string()
    .min(1)
    .max(500)
    .describe('the unit id as the application knows it (never its pseudonym)'),
});

/** What `DELETE /api/units/:unitId` removed. */
export const unitErasureSchema = z.object({
  erased: z.object({
    events: z.int().describe("the unit's events and every event of the same requests (their feedback)"),
    assignments: z.int().describe("the unit's sticky experiment assignments"),
    preferences: z.int().describe("learned preference entries kept under the unit's id (ranking features)"),
  }),
});

/** Registers `DELETE /api/units/:unitId`: erases one unit's data. */
export function registerUnitRoutes(app: FastifyInstance, context: ServerContext): void {
  defineRoute(app, context, {
    method: 'DELETE',
    url: '/api/units/:unitId',
    permission: 'admin',
    tag: 'privacy',
    summary: "Erase a unit's data",
    description:
      "Deletes the unit's events (with every event of the same requests, such as feedback), its experiment " +
      'assignments and its learned preference profiles in one transaction, audited as `unit.erase` under ' +
      "the unit's pseudonym (`unit:sha256:<hex>` " +
      'with clear unit ids), never the id. Idempotent: a unit without data answers zeros. Limit counters are ' +
      'not erased; they expire with their window.',
    params: unitParamsSchema,
    response: { schema: unitErasureSchema },
    errors: [400],
    handler: async (request) => {
      const { unitId } = parseInput(unitParamsSchema, request.params, 'params');
      return { erased: await context.store.eraseUnit(unitId, { actor: actorOf(request) }) };
    },
  });
}
