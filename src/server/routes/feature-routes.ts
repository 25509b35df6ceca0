import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FeatureNotFoundError, VersionConflictError } from '../../core/errors.js';
import { featureConfigSchema } from '../../core/feature-config.js';
import { applyFeature } from '../../store/feature-commands.js';
import type { StoredFeature } from '../../store/store.js';
import { defineRoute } from '../define-route.js';
import { ApiError } from '../http/api-error.js';
import { changeOf } from '../http/change-of.js';
import { expectedVersion } from '../http/expected-version.js';
import { parseInput } from '../http/parse-input.js';
import { applyMergePatch } from '../schemas/apply-merge-patch.js';
import { parseFeatureBody } from '../schemas/parse-feature-body.js';
import {
  changeQuerySchema,
  featureKeyParamsSchema,
  listFeaturesQuerySchema,
} from '../schemas/request-schemas.js';
import { featureListSchema, storedFeatureSchema } from '../schemas/response-schemas.js';
import type { ServerContext } from '../server-context.js';

const IF_MATCH = { 'If-Match': 'the version you read, e.g. "3" (instead of `version` in the body)' };
const mergePatchSchema = z
  .record(z.string(), z.unknown())
  .describe('JSON merge patch (RFC 7386) of the config; `version` is the version you read');
const patchVersionSchema = z.looseObject({ version: z.int().min(1).optional() });

/** Registers `GET|POST /api/features` and `GET|PUT|PATCH|DELETE /api/features/:key`. */
export function registerFeatureRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;
  // A merge patch is JSON with its own media type (RFC 7386).
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  const liveFeature = async (key: string): Promise<StoredFeature> => {
    const feature = await store.getFeature(key);
    if (feature === undefined) throw new FeatureNotFoundError(key);
    return feature;
  };
  const written = async (feature: StoredFeature) => {
    await context.featuresChanged();
    return feature;
  };

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/features',
    permission: 'read',
    summary: 'List features',
    query: listFeaturesQuerySchema,
    response: { schema: featureListSchema },
    errors: [400],
    handler: async (request) => {
      const query = parseInput(listFeaturesQuerySchema, request.query, 'query');
      return { features: await store.listFeatures({ includeArchived: query.archived === 'true' }) };
    },
  });

  defineRoute(app, context, {
    method: 'POST',
    url: '/api/features',
    permission: 'write',
    summary: 'Create a feature',
    description:
      'The body is a feature config, validated as `features apply` validates it; created at version 1.',
    query: changeQuerySchema,
    body: featureConfigSchema,
    response: { status: 201, schema: storedFeatureSchema },
    errors: [400, 409, 413, 422],
    handler: async (request, reply) => {
      const { reason } = parseInput(changeQuerySchema, request.query, 'query');
      const { version: _ignored, ...config } = parseFeatureBody(request.body);
      const feature = await store.createFeature(config, changeOf(request, reason));
      reply.code(201).header('location', `/api/features/${encodeURIComponent(feature.key)}`);
      return written(feature);
    },
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/api/features/:key',
    permission: 'read',
    summary: 'Get a feature',
    description: 'The ETag is the version, ready for If-Match on a later write.',
    params: featureKeyParamsSchema,
    response: { schema: storedFeatureSchema },
    errors: [404],
    handler: async (request, reply) => {
      const { key } = parseInput(featureKeyParamsSchema, request.params, 'params');
      const feature = await liveFeature(key);
      reply.header('etag', `"${feature.version}"`);
      return feature;
    },
  });

  defineRoute(app, context, {
    method: 'PUT',
    url: '/api/features/:key',
    permission: 'write',
    summary: 'Replace a feature config',
    description:
      'Replaces the config as `features apply` does: a kill survives unless the body sets `killed`; an ' +
      'identical config writes nothing. Needs the version you read (`version` or If-Match); 409 when stale.',
    params: featureKeyParamsSchema,
    query: changeQuerySchema,
    headers: IF_MATCH,
    body: featureConfigSchema,
    response: { schema: storedFeatureSchema },
    errors: [400, 404, 409, 413, 422],
    handler: async (request) => {
      const { key } = parseInput(featureKeyParamsSchema, request.params, 'params');
      const { reason } = parseInput(changeQuerySchema, request.query, 'query');
      const config = parseFeatureBody(request.body);
      const version = expectedVersion(request, config.version, true)!;
      if (config.key !== key) throw keyMismatch(key);
      await liveFeature(key);
      const outcome = await applyFeature(store, { ...config, version }, changeOf(request, reason));
      return outcome.result === 'unchanged' ? outcome.feature : written(outcome.feature);
    },
  });

  defineRoute(app, context, {
    method: 'PATCH',
    url: '/api/features/:key',
    permission: 'write',
    summary: 'Change part of a feature config (JSON merge patch)',
    description:
      'Merges the body into the current config (RFC 7386: `null` removes a field, arrays are replaced) and ' +
      'validates the result. Needs the version you read (`version` in the body or If-Match); 409 when stale.',
    params: featureKeyParamsSchema,
    query: changeQuerySchema,
    headers: IF_MATCH,
    body: mergePatchSchema,
    bodyTypes: ['application/merge-patch+json', 'application/json'],
    response: { schema: storedFeatureSchema },
    errors: [400, 404, 409, 413, 422],
    handler: async (request) => {
      const { key } = parseInput(featureKeyParamsSchema, request.params, 'params');
      const { reason } = parseInput(changeQuerySchema, request.query, 'query');
      const { version: _expected, ...patch } = parseInput(mergePatchSchema, request.body, 'body');
      const { version } = parseInput(patchVersionSchema, request.body, 'body');
      const expected = expectedVersion(request, version, true)!;
      const current = await liveFeature(key);
      if (current.version !== expected) {
        throw new VersionConflictError(`feature "${key}"`, expected, current.version);
      }
      const { version: _stored, ...base } = current.config;
      const config = parseFeatureBody(applyMergePatch(base, patch));
      if (config.key !== key) throw keyMismatch(key);
      if (isDeepStrictEqual({ ...config, version: current.version }, current.config)) return current;
      const change = { ...changeOf(request, reason), expectedVersion: expected };
      return written(await store.updateFeature(key, config, change));
    },
  });

  defineRoute(app, context, {
    method: 'DELETE',
    url: '/api/features/:key',
    permission: 'write',
    summary: 'Archive a feature',
    description: 'Archives (never erases): the key stays taken and the history stays readable.',
    params: featureKeyParamsSchema,
    query: changeQuerySchema,
    headers: { 'If-Match': 'optional: the version you read; 409 when stale' },
    response: { schema: storedFeatureSchema },
    errors: [400, 404, 409],
    handler: async (request) => {
      const { key } = parseInput(featureKeyParamsSchema, request.params, 'params');
      const { reason } = parseInput(changeQuerySchema, request.query, 'query');
      const expected = expectedVersion(request, undefined, false);
      const change = {
        ...changeOf(request, reason),
        ...(expected === undefined ? {} : { expectedVersion: expected }),
      };
      return written(await store.archiveFeature(key, change));
    },
  });
}

function keyMismatch(key: string): ApiError {
  return new ApiError(400, 'INVALID_INPUT', `key: must be "${key}", the feature in the path`, {
    path: 'key',
  });
}
