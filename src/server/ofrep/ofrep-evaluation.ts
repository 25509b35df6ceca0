import type { Decision, DecisionReason, UnresolvedDecision } from '../../core/decision.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import { unreachable } from '../../core/unreachable.js';

/** OFREP's reasons for a successful evaluation (OpenFeature's standard resolution reasons). */
export type OfrepReason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'DEFAULT';

/** Flag metadata as OFREP carries it: flat, with boolean, string or number values. */
export type OfrepMetadata = Record<string, string | number | boolean>;

/** A successful OFREP evaluation. */
export interface OfrepSuccess {
  readonly key: string;
  readonly value: unknown;
  readonly reason: OfrepReason;
  readonly variant: string;
  readonly metadata: OfrepMetadata;
}

/** OFREP's error codes for one flag. */
export type OfrepErrorCode = 'FLAG_NOT_FOUND' | 'INVALID_CONTEXT' | 'PARSE_ERROR' | 'GENERAL';

/** A failed OFREP evaluation of one flag. */
export interface OfrepFailure {
  readonly key: string;
  readonly errorCode: OfrepErrorCode;
  readonly errorDetails: string;
  readonly metadata?: OfrepMetadata;
}

/**
 * An OFREP evaluation from a Switchyard decision. The value is the served variant's `payload` when it has
 * one (not null), else the variant key: a flag with variants `on` and `off` is a string flag, one whose
 * payloads are `true` and `false` a boolean flag. Reasons map to OpenFeature's: a sticky arm is still a
 * split, a kill or a disabled feature is DISABLED, a QA override is targeting on the context, and the
 * default of a feature without rules is STATIC (nothing in the context could change it). `metadata` keeps
 * Switchyard's own reason, the rule that decided, the bucket of a split and the feature's version.
 *
 * @example
 * toOfrepEvaluation(decision, config);
 * // { key: 'coach-reply', value: { prompt: 'v2' }, reason: 'SPLIT', variant: 'v2',
 * //   metadata: { switchyardReason: 'STICKY', ruleId: 'rollout', bucket: 0.73, version: 3 } }
 */
export function toOfrepEvaluation(
  decision: Decision | UnresolvedDecision,
  config: FeatureConfig | undefined,
): OfrepSuccess | OfrepFailure {
  const metadata = metadataOf(decision);
  if (decision.variant === null || decision.reason === 'ERROR') {
    return {
      key: decision.feature,
      errorCode: errorCodeOf(decision.errorCode),
      errorDetails: decision.errorMessage ?? 'evaluation failed',
      metadata,
    };
  }
  const payload = decision.payload;
  return {
    key: decision.feature,
    value: payload === undefined || payload === null ? decision.variant : payload,
    reason: reasonOf(decision.reason, config),
    variant: decision.variant,
    metadata,
  };
}

/** Whether an evaluation failed. */
export function isOfrepFailure(evaluation: OfrepSuccess | OfrepFailure): evaluation is OfrepFailure {
  return 'errorCode' in evaluation;
}

/**
 * The HTTP status of a single-flag failure: 404 for an unknown flag, 400 for a context the rules cannot
 * use or a body that is not JSON, 500 for an evaluation that failed inside the server.
 */
export function statusOfFailure(failure: OfrepFailure): number {
  switch (failure.errorCode) {
    case 'FLAG_NOT_FOUND':
      return 404;
    case 'INVALID_CONTEXT':
    case 'PARSE_ERROR':
      return 400;
    case 'GENERAL':
      return 500;
    default:
      return unreachable(failure.errorCode, 'OFREP error code');
  }
}

function reasonOf(reason: Exclude<DecisionReason, 'ERROR'>, config: FeatureConfig | undefined): OfrepReason {
  switch (reason) {
    case 'TARGETING_MATCH':
    case 'OVERRIDE':
      return 'TARGETING_MATCH';
    case 'SPLIT':
    case 'STICKY':
      return 'SPLIT';
    case 'KILLED':
    case 'DISABLED':
      return 'DISABLED';
    case 'DEFAULT':
      return config !== undefined && config.rules.length === 0 ? 'STATIC' : 'DEFAULT';
    // The unit has not consented: the default variant, as the in-process provider reports it.
    case 'NO_CONSENT':
      return 'DEFAULT';
    default:
      return unreachable(reason, 'decision reason');
  }
}

function errorCodeOf(code: Decision['errorCode']): OfrepErrorCode {
  switch (code) {
    case 'FEATURE_NOT_FOUND':
      return 'FLAG_NOT_FOUND';
    case 'INVALID_CONTEXT':
    case 'UNKNOWN_OVERRIDE_VARIANT':
      return 'INVALID_CONTEXT';
    case 'EVALUATION_FAILED':
    case undefined:
      return 'GENERAL';
    default:
      return unreachable(code, 'decision error code');
  }
}

function metadataOf(decision: Decision | UnresolvedDecision): OfrepMetadata {
  const metadata: OfrepMetadata = { switchyardReason: decision.reason, version: decision.version };
  if (decision.ruleId !== null) metadata.ruleId = decision.ruleId;
  if (decision.bucket !== null) metadata.bucket = decision.bucket;
  if (decision.errorCode !== undefined) metadata.switchyardErrorCode = decision.errorCode;
  return metadata;
}
