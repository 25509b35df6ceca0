import type {
  ErrorCode,
  FlagMetadata,
  EvaluationContext as OpenFeatureContext,
  ResolutionDetails,
  ResolutionReason,
} from '@openfeature/server-sdk';
import type { Decision, DecisionErrorCode, DecisionReason, UnresolvedDecision } from '../core/decision.js';
import { unreachable } from '../core/unreachable.js';
import type { FlagReader } from './flag-readers.js';
import type { SwitchyardLike } from './switchyard-like.js';
import { toSwitchyardContext } from './to-switchyard-context.js';

/** One flag evaluation request as the provider receives it. */
export interface FlagRequest<T> {
  readonly flagKey: string;
  readonly defaultValue: T;
  readonly context: OpenFeatureContext;
  readonly read: FlagReader<T>;
  /** The context attribute whose object value becomes Switchyard's `overrides`. */
  readonly overridesAttribute?: string | undefined;
}

// Values of the SDK's ErrorCode enum, written as type-checked literals so this module needs no
// runtime import from @openfeature packages.
const FLAG_NOT_FOUND = 'FLAG_NOT_FOUND' as ErrorCode.FLAG_NOT_FOUND;
const TYPE_MISMATCH = 'TYPE_MISMATCH' as ErrorCode.TYPE_MISMATCH;
const INVALID_CONTEXT = 'INVALID_CONTEXT' as ErrorCode.INVALID_CONTEXT;
const GENERAL = 'GENERAL' as ErrorCode.GENERAL;

/**
 * The closest OpenFeature standard reason for each Switchyard reason: a sticky arm is still a
 * pseudorandom split, a kill is a disabled flag, a QA override is targeting on the context, and a unit
 * without the consent a feature requires gets the default;
 * `flagMetadata.switchyardReason` keeps the exact one.
 */
const REASONS: Readonly<Record<DecisionReason, ResolutionReason>> = {
  TARGETING_MATCH: 'TARGETING_MATCH',
  SPLIT: 'SPLIT',
  STICKY: 'SPLIT',
  OVERRIDE: 'TARGETING_MATCH',
  DEFAULT: 'DEFAULT',
  NO_CONSENT: 'DEFAULT',
  DISABLED: 'DISABLED',
  KILLED: 'DISABLED',
  ERROR: 'ERROR',
};

/**
 * Evaluates one flag through a Switchyard client and reports it as OpenFeature resolution details.
 * Never throws: an unknown feature, a malformed context, a payload of the wrong type or an
 * evaluation error each come back as the caller's default value with reason ERROR and an error code,
 * the way the OpenFeature SDK reports errors (its error hooks run for them).
 *
 * @example
 * await resolveFlag(client, { flagKey: 'coach-reply', defaultValue: 'v1', context, read: flagReaders.string });
 * // { value: 'v2', variant: 'v2', reason: 'SPLIT', flagMetadata: { switchyardReason: 'SPLIT', ... } }
 */
export function resolveFlag<T>(client: SwitchyardLike, request: FlagRequest<T>): ResolutionDetails<T> {
  try {
    return resolveOrFail(client, request);
  } catch (error) {
    // Defensive: nothing below is expected to throw, but a provider must never throw into the app.
    return failure(request.defaultValue, GENERAL, error instanceof Error ? error.message : String(error));
  }
}

function resolveOrFail<T>(client: SwitchyardLike, request: FlagRequest<T>): ResolutionDetails<T> {
  const { flagKey, defaultValue } = request;
  const translated = toSwitchyardContext(request.context, request.overridesAttribute);
  if (!translated.ok) return failure(defaultValue, INVALID_CONTEXT, translated.message);
  let decision: Decision | UnresolvedDecision;
  try {
    decision = client.decide(flagKey, translated.context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    return failure(defaultValue, code === 'FEATURE_NOT_FOUND' ? FLAG_NOT_FOUND : GENERAL, message);
  }
  const flagMetadata = metadataOf(decision);
  if (decision.reason === 'ERROR' || decision.variant === null) {
    return failure(
      defaultValue,
      flagErrorOf(decision.errorCode),
      decision.errorMessage ?? 'evaluation failed',
      flagMetadata,
    );
  }
  const read = request.read(decision);
  if (!read.ok) return failure(defaultValue, TYPE_MISMATCH, read.message, flagMetadata);
  return { value: read.value, variant: decision.variant, reason: REASONS[decision.reason], flagMetadata };
}

/** OpenFeature's error code for a decision's; a context naming an unknown override variant is a context problem. */
function flagErrorOf(code: DecisionErrorCode | undefined): ErrorCode {
  switch (code) {
    case 'FEATURE_NOT_FOUND':
      return FLAG_NOT_FOUND;
    case 'INVALID_CONTEXT':
    case 'UNKNOWN_OVERRIDE_VARIANT':
      return INVALID_CONTEXT;
    case 'EVALUATION_FAILED':
    case undefined:
      return GENERAL;
    default:
      return unreachable(code, 'decision error code');
  }
}

function metadataOf(decision: Decision | UnresolvedDecision): FlagMetadata {
  const metadata: FlagMetadata = { switchyardReason: decision.reason, version: decision.version };
  if (decision.ruleId !== null) metadata.ruleId = decision.ruleId;
  if (decision.bucket !== null) metadata.bucket = decision.bucket;
  if (decision.errorCode !== undefined) metadata.switchyardErrorCode = decision.errorCode;
  return metadata;
}

function failure<T>(
  value: T,
  errorCode: ErrorCode,
  errorMessage: string,
  flagMetadata: FlagMetadata = {},
): ResolutionDetails<T> {
  return { value, reason: 'ERROR', errorCode, errorMessage, flagMetadata };
}
