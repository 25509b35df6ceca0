import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { errorSchema } from '../schemas/response-schemas.js';
import type { RouteDoc } from './route-docs.js';

/** A JSON Schema object as zod emits it. */
type JsonSchema = Record<string, unknown>;

/** The OpenAPI 3.1 document, as plain JSON. */
export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: Record<string, unknown>;
}

/**
 * Builds the OpenAPI 3.1 document from the route entries, converting each zod schema with `z.toJSONSchema`
 * (request schemas as their input, responses as their output), so the document always says what the
 * routes actually validate and return.
 */
export function buildOpenApiDocument(docs: readonly RouteDoc[], version: string): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    const path = doc.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][doc.method.toLowerCase()] = operation(doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard control plane',
      version,
      description:
        'Features, decisions, config for SDKs, audit and tokens. Every route but /health and /docs needs ' +
        '`Authorization: Bearer sy_<id>_<secret>` (OFREP and gateway routes also `X-API-Key`); errors are ' +
        "`{ error: { code, message, path? } }` (OFREP routes answer in their protocol's format).",
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'sy_<id>_<secret>' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'sy_<id>_<secret>' },
      },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
  };
}

function operation(doc: RouteDoc): Record<string, unknown> {
  const parameters = [
    ...objectParameters(doc.params, 'path'),
    ...objectParameters(doc.query, 'query'),
    ...Object.entries(doc.headers ?? {}).map(([name, description]) => ({
      name,
      in: 'header',
      required: false,
      description,
      schema: { type: 'string' },
    })),
  ];
  const success = doc.response?.status ?? 200;
  const responses: Record<string, unknown> = {
    [success]: {
      description: doc.response?.description ?? STATUS_CODES[success] ?? 'OK',
      ...(doc.response?.schema !== undefined || doc.response?.type !== undefined
        ? {
            content: {
              [doc.response?.type ?? 'application/json']: {
                schema:
                  doc.response?.schema === undefined
                    ? { type: 'string' }
                    : jsonSchema(doc.response.schema, 'output'),
              },
            },
          }
        : {}),
    },
  };
  const errors = new Set([...(doc.permission === 'public' ? [] : [401, 403]), ...(doc.errors ?? [])]);
  for (const status of [...errors].sort((left, right) => left - right)) {
    const schema =
      doc.errorSchema === undefined || status === 401 || status === 403
        ? { $ref: '#/components/schemas/Error' }
        : jsonSchema(doc.errorSchema, 'output');
    responses[status] = {
      description: STATUS_CODES[status] ?? 'Error',
      ...(status === 304 ? {} : { content: { 'application/json': { schema } } }),
    };
  }
  return {
    operationId: `${doc.method.toLowerCase()}${doc.url.replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ?? '').toUpperCase())}`,
    summary: doc.summary,
    ...(doc.description === undefined ? {} : { description: doc.description }),
    tags: [doc.tag ?? defaultTag(doc.url)],
    security:
      doc.permission === 'public'
        ? []
        : doc.url.startsWith('/ofrep/') || doc.url.startsWith('/v1/')
          ? [{ bearer: [] }, { apiKey: [] }]
          : [{ bearer: [] }],
    'x-switchyard-permission': doc.permission,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body === undefined
      ? {}
      : {
          requestBody: {
            required: doc.bodyOptional !== true,
            content: Object.fromEntries(
              (doc.bodyTypes ?? ['application/json']).map((type) => [
                type,
                { schema: jsonSchema(doc.body!, 'input') },
              ]),
            ),
          },
        }),
    responses,
  };
}

function objectParameters(schema: z.ZodType | undefined, location: 'path' | 'query'): unknown[] {
  if (schema === undefined) return [];
  const converted = jsonSchema(schema, 'input');
  const properties = (converted.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((converted.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/api/features/:key` → `features`; `/health` → `health`. */
function defaultTag(url: string): string {
  const segments = url.split('/').filter((segment) => segment !== '' && !segment.startsWith(':'));
  return (segments[0] === 'api' || segments[0] === 'v1' ? segments[1] : segments[0]) ?? 'server';
}
