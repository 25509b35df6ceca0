/** Every reason a decision can give, in one list that the schemas and the type share. */
export const DECISION_REASONS = [
  'DISABLED',
  'KILLED',
  'TARGETING_MATCH',
  'SPLIT',
  'STICKY',
  'OVERRIDE',
  'DEFAULT',
  'NO_CONSENT',
  'ERROR',
] as const;

/** Why a decision came out as it did. */
export type DecisionReason = (typeof DECISION_REASONS)[number];

/**
 * Why an evaluation failed; the decision then serves the default variant with reason ERROR
 * (for `FEATURE_NOT_FOUND`, the caller's `defaultVariant`, or null without one).
 */
export type DecisionErrorCode =
  | 'INVALID_CONTEXT'
  | 'UNKNOWN_OVERRIDE_VARIANT'
  | 'EVALUATION_FAILED'
  | 'FEATURE_NOT_FOUND';

/** The pure result of evaluating a feature for a context. */
export interface Decision {
  readonly feature: string;
  readonly variant: string;
  readonly payload: unknown;
  readonly reason: DecisionReason;
  /** The rule that decided, or null when no rule did. */
  readonly ruleId: string | null;
  /** The unit's hash bucket in [0, 1) for split decisions, otherwise null. */
  readonly bucket: number | null;
  readonly version: number;
  readonly errorCode?: DecisionErrorCode;
  readonly errorMessage?: string;
}

/**
 * What `decide()` answers for a feature it cannot evaluate (unknown, archived, or failing to evaluate)
 * when the caller gave no `defaultVariant`: no variant, reason ERROR, and the error code (OpenFeature's rule).
 */
export interface UnresolvedDecision extends Omit<Decision, 'variant'> {
  readonly variant: null;
  readonly reason: 'ERROR';
  readonly errorCode: DecisionErrorCode;
}

/** Attribute values a context carries (`userId`, `tier`, `locale`, ...). */
export type Attributes = Readonly<Record<string, unknown>>;

/** What a decision is made for: the unit's attributes and optional QA overrides (feature -> variant). */
export interface EvaluationContext {
  readonly attributes?: Attributes;
  readonly overrides?: Readonly<Record<string, string>>;
  /** The unit's stored experiment arms (experiment key -> variant); they win over the split's weights. */
  readonly assignments?: Readonly<Record<string, string>>;
}
