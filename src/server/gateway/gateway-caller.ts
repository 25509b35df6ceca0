import type { Attributes } from '../../core/decision.js';
import { InvalidInputError } from '../../core/errors.js';

/** The feature header and the model prefix that name a feature. */
export const FEATURE_HEADER = 'x-switchyard-feature';
const USER_HEADER = 'x-switchyard-user';
const ATTRIBUTES_HEADER = 'x-switchyard-attributes';
export const MODEL_PREFIX = 'switchyard/';

/** Request headers as Node gives them. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Which feature a gateway request runs, and for whom. */
export interface GatewayCaller {
  readonly feature: string;
  readonly attributes: Attributes;
}

/**
 * The feature and evaluation attributes of a gateway request, whatever API it speaks: the feature from the
 * `x-switchyard-feature` header or from `model: "switchyard/<feature>"` (the header wins), the unit
 * (`userId`) from `x-switchyard-user` or the body's user field, other attributes from
 * `x-switchyard-attributes` (a JSON object). Throws InvalidInputError naming the field or header at fault.
 */
export function gatewayCaller(
  model: string | undefined,
  user: string | undefined,
  headers: RequestHeaders,
): GatewayCaller {
  const feature = headerOf(headers, FEATURE_HEADER) ?? featureOfModel(model);
  if (feature === undefined) {
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
