import type { FastifyInstance } from 'fastify';
import { createExperiment } from '../../control/experiments/create-experiment.js';
import { experimentResults } from '../../control/experiments/experiment-results.js';
import {
  type ExperimentTransition,
  transitionExperiment,
} from '../../control/experiments/transition-experiment.js';
import { ExperimentNotFoundError } from '../../core/errors.js';
import { defineRoute } from '../define-route.js';
import { changeOf } from '../http/change-of.js';
import { parseInput } from '../http/parse-input.js';
import {
  experimentKeyParamsSchema,
  experimentListQuerySchema,
  experimentResultsSchema,
  promoteBodySchema,
  resultsQuerySchema,
  storedExperimentSchema,
  transitionBodySchema,
  transitionResultSchema,
} from '../schemas/experiment-schemas.js';
import type { ServerContext } from '../server-context.js';

const TRANSITIONS: ReadonlyArray<[ExperimentTransition, string, string]> = [
  [
    'start',
    'Start an experiment',
    "Marks the split rule as the experiment's: assignments become sticky and the analysis range starts. " +
      'A bandit starts on equal weights.',
  ],
  [
    'pause',
    'Pause an experiment',
    'Units already assigned keep their arm; new units are not enrolled and fall through the rule.',
  ],
  ['resume', 'Resume a paused experiment', 'Enrolment goes on with the same assignments.'],
  [
    'stop',
    'Stop an experiment',
    'The rule serves the control to everyone it matches; the analysis range ends.',
  ],
  [
    'promote',
    'Promote a variant',
    'The rule serves `variant` to everyone it matches (the holdback included) and the feature version is bumped.',
  ],
];

/** Registers the experiment routes: list, create, read, transitions and results. */
export function registerExperimentRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/experiments',
    permission: 'read',
    summary: 'List experiments',
    query: experimentListQuerySchema,
    response: { schema: storedExperimentSchema.array() },
    errors: [400],
    handler: async (request) => {
      const query = parseInput(experimentListQuerySchema, request.query, 'query');
      return store.listExperiments(query);
    },
  });

  defineRoute(app, context, {
    method: 'POST',
    url: '/api/experiments',
    permission: 'write',
    summary: "Create an experiment (a draft) on a feature's split rule",
    description:
      "Arms are the split's variants; the control defaults to the feature's default variant. Defaults: " +
      'alpha 0.05, power 0.8, mde 0.1 (relative), minSamplePerArm 30, correction holm, sequential off, ' +
      'allocation fixed.',
    response: { status: 201, schema: storedExperimentSchema },
    errors: [400, 409, 422],
    handler: async (request, reply) => {
      const experiment = await createExperiment(store, request.body, changeOf(request, undefined));
      reply.code(201);
      return experiment;
    },
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/experiments/:key',
    permission: 'read',
    summary: 'An experiment',
    params: experimentKeyParamsSchema,
    response: { schema: storedExperimentSchema },
    errors: [400, 404],
    handler: async (request) => {
      const { key } = parseInput(experimentKeyParamsSchema, request.params, 'params');
      const experiment = await store.getExperiment(key);
      if (!experiment) throw new ExperimentNotFoundError(key);
      return experiment;
    },
  });

  for (const [transition, summary, description] of TRANSITIONS) {
    const promote = transition === 'promote';
    const body = promote ? promoteBodySchema : transitionBodySchema;
    defineRoute(app, context, {
      method: 'POST',
      url: `/api/experiments/:key/${transition}`,
      permission: 'write',
      summary,
      description: `${description} Audited on the experiment and the feature.`,
      params: experimentKeyParamsSchema,
      body,
      ...(promote ? {} : { bodyOptional: true }),
      response: { schema: transitionResultSchema },
      errors: [400, 404, 409, 422],
      handler: async (request) => {
        const { key } = parseInput(experimentKeyParamsSchema, request.params, 'params');
        const input = parseInput(body, request.body ?? {}, 'body') as {
          reason?: string;
          version?: number;
          variant?: string;
        };
        const result = await transitionExperiment(store, key, transition, {
          ...changeOf(request, input.reason),
          now: context.clock(),
          ...(input.version === undefined ? {} : { expectedVersion: input.version }),
          ...(input.variant === undefined ? {} : { variant: input.variant }),
        });
        if (result.feature) await context.featuresChanged();
        return result;
      },
    });
  }

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/experiments/:key/results',
    permission: 'read',
    summary: "An experiment's results",
    description:
      'Aggregated in the store from decision, call and feedback events joined by requestId, per unit: per ' +
      'arm and metric the value with its interval, each treatment against control (difference and relative ' +
      'lift with intervals, raw and adjusted p-values, chance to beat control, verdict), SRM, achieved power ' +
      'and the sample still needed for the MDE. Methods: docs/experiments.md.',
    params: experimentKeyParamsSchema,
    query: resultsQuerySchema,
    response: { schema: experimentResultsSchema },
    errors: [400, 404],
    handler: async (request) => {
      const { key } = parseInput(experimentKeyParamsSchema, request.params, 'params');
      const query = parseInput(resultsQuerySchema, request.query, 'query');
      return experimentResults(store, key, query.at ?? context.clock());
    },
  });
}
