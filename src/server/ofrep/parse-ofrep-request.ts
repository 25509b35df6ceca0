import type { EvaluationContext } from '../../core/decision.js';
import type { OfrepErrorCode } from './ofrep-evaluation.js';

/** An OFREP request body read into a Switchyard context, or the error to answer. */
export type OfrepRequest =
  | { readonly ok: true; readonly context: EvaluationContext }
  | { readonly ok: false; readonly errorCode: OfrepErrorCode; readonly errorDetails: string };

/**
 * Reads an OFREP request body, `{ "context": { "targetingKey": "u-1", ...attributes } }`, as Switchyard
 * evaluates it: `targetingKey` becomes `attributes.userId` (the unit splits hash on by default) unless the
 * context carries its own `userId`, as the in-process OpenFeature provider does; every other attribute
 * passes through. A body that is not a JSON object, or has fields other than `context`, is a PARSE_ERROR;
 * a missing or non-object `context`, or a `targetingKey` that is not a string, is INVALID_CONTEXT.
 *
 * @example
 * parseOfrepRequest('{"context":{"targetingKey":"u-1","tier":"paid"}}');
 * // { ok: true, context: { attributes: { tier: 'paid', userId: 'u-1' } } }
 */
export function parseOfrepRequest(body: string | undefined): OfrepRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body === undefined || body === '' ? 'null' : body);
  } catch (error) {
    return parseError(`the body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(parsed)) return parseError('the body must be a JSON object: { "context": { ... } }');
  const unknown = Object.keys(parsed).filter((field) => field !== 'context');
  if (unknown.length > 0) {
    return parseError(
      `unknown field ${unknown.map((field) => `"${field}"`).join(', ')}: the body takes only "context"`,
    );
  }
  const { context } = parsed;
  if (!isObject(context)) return invalidContext('context is required and must be an object');
  const { targetingKey, ...attributes } = context;
  if (targetingKey !== undefined && typeof targetingKey !== 'string') {
    return invalidContext('context.targetingKey must be a string');
  }
  if (targetingKey !== undefined && attributes.userId === undefined) attributes.userId = targetingKey;
  return { ok: true, context: { attributes } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseError(errorDetails: string): OfrepRequest {
  return { ok: false, errorCode: 'PARSE_ERROR', errorDetails };
}

function invalidContext(errorDetails: string): OfrepRequest {
  return { ok: false, errorCode: 'INVALID_CONTEXT', errorDetails };
}
