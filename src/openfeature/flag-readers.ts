import type { JsonValue } from '@openfeature/server-sdk';
import type { Decision } from '../core/decision.js';

/** The flag value read from a decision, or why the decision holds no value of the requested type. */
export type ReadResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

/** Reads a typed flag value from a decision. */
export type FlagReader<T> = (decision: Decision) => ReadResult<T>;

/**
 * How each OpenFeature flag type reads a Switchyard decision: a string flag is the variant key; a
 * boolean, number or object flag is the variant's payload, which must have that type (an object flag
 * takes a JSON object or array). Anything else, a variant without a payload included, is a mismatch.
 *
 * @example
 * flagReaders.number(decision); // { ok: true, value: 0.7 } when the served variant's payload is 0.7
 */
export const flagReaders = {
  string: (decision: Decision): ReadResult<string> => ({ ok: true, value: decision.variant }),
  boolean: (decision: Decision): ReadResult<boolean> =>
    typeof decision.payload === 'boolean'
      ? { ok: true, value: decision.payload }
      : mismatch(decision, 'a boolean'),
  number: (decision: Decision): ReadResult<number> =>
    typeof decision.payload === 'number' && Number.isFinite(decision.payload)
      ? { ok: true, value: decision.payload }
      : mismatch(decision, 'a finite number'),
  object: (decision: Decision): ReadResult<JsonValue> =>
    typeof decision.payload === 'object' && decision.payload !== null
      ? { ok: true, value: decision.payload as JsonValue }
      : mismatch(decision, 'a JSON object or array'),
} as const;

function mismatch(decision: Decision, expected: string): { ok: false; message: string } {
  const found =
    decision.payload === null || decision.payload === undefined
      ? 'has no payload'
      : `has a payload of type ${typeof decision.payload}`;
  return {
    ok: false,
    message: `variant "${decision.variant}" of feature "${decision.feature}" ${found}; expected ${expected}`,
  };
}
