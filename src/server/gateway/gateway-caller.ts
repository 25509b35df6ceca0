import type { Attributes } from '../../core/decision.js';
import { InvalidInputError } from '../../core/errors.js';

/** The feature header and the model prefix that name a feature. */
export const FEATURE_HEADER = 'x-switchyard-feature';
const USER_HEADER = 'x-switchyard-user';
const ATTRIBUTES_HEADER = 'x-switchyard-attributes';
export const MODEL_PREFIX = 'switchyard/';

/** Request headers as Node gives them. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Raw model names the server maps to features (`{ "gpt-4o-mini": "coach-reply" }`); `*` names the feature
 * for any other model name. Only `switchyard/<feature>` is served without a route.
 */
export type ModelRoutes = Readonly<Record<string, string>>;

/** The key of `ModelRoutes` that serves every model name no other route names. */
export const DEFAULT_ROUTE = '*';

/** Which feature a gateway request runs, and for whom. */
export interface GatewayCaller {
  readonly feature: string;
  readonly attributes: Attributes;
}

/**
 * The feature and evaluation attributes of a gateway request, whatever API it speaks: the feature from the
 * `x-switchyard-feature` header or from `model: "switchyard/<feature>"` (the header wins), the unit
 * (`userId`) from `x-switchyard-user` or the body's user field, other attributes from
 * `x-switchyard-attributes` (a JSON object). A raw model name (`gpt-4o-mini`) runs the feature `routes`
 * maps it to (or the `*` route); an unmapped one is a 404 `model_not_found` naming it. Throws
 * InvalidInputError naming the field or header at fault.
 */
export function gatewayCaller(
  model: string | undefined,
  user: string | undefined,
  headers: RequestHeaders,
  routes?: ModelRoutes,
): GatewayCaller {
  const feature = headerOf(headers, FEATURE_HEADER) ?? featureOfModel(model) ?? routed(model, routes);
  if (feature === undefined) {
    if (model !== undefined && model !== '' && model !== MODEL_PREFIX) throw new ModelNotFoundError(model);
    throw new InvalidInputError(
      'model',
      `name the feature as "${MODEL_PREFIX}<feature>" or send the ${FEATURE_HEADER} header`,
    );
  }
  const attributes: Record<string, unknown> = attributesOf(headerOf(headers, ATTRIBUTES_HEADER));
  const unit = headerOf(headers, USER_HEADER) ?? user;
  if (unit !== undefined && unit !== '') attributes.userId = unit;
  return { feature, attributes };
}

/** A model name no route serves: OpenAI's 404 `model_not_found`, naming it. */
export class ModelNotFoundError extends Error {
  readonly statusCode = 404;
  readonly code = 'model_not_found';
  readonly field = 'model';

  constructor(model: string) {
    super(
      `The model "${model}" does not exist: name a feature as "${MODEL_PREFIX}<feature>", or map the model name to a feature in the server's routes`,
    );
    this.name = 'ModelNotFoundError';
  }
}

function routed(model: string | undefined, routes: ModelRoutes | undefined): string | undefined {
  if (routes === undefined || model === undefined || model === '') return undefined;
  return Object.hasOwn(routes, model) ? routes[model] : routes[DEFAULT_ROUTE];
}

function featureOfModel(model: string | undefined): string | undefined {
  if (model === undefined || !model.startsWith(MODEL_PREFIX)) return undefined;
  const feature = model.slice(MODEL_PREFIX.length);
  return feature === '' ? undefined : feature;
}

function headerOf(headers: RequestHeaders, name: string) {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

function attributesOf(header: string | undefined): Record<string, unknown> {
  if (header === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch {
    throw new InvalidInputError(ATTRIBUTES_HEADER, 'must be a JSON object, such as {"tier":"paid"}');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(ATTRIBUTES_HEADER, 'must be a JSON object, such as {"tier":"paid"}');
  }
  return { ...(value as Record<string, unknown>) };
}
