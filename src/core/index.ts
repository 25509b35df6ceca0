/**
 * `switchyard/core`: pure, synchronous decision engine — GrowthBook-compatible hashing, bucketing and
 * conditions, the feature config schema, and `compileFeature()` + `evaluate()`.
 */
export {
  type AbsoluteAlertRule,
  ALERT_ACTIONS,
  ALERT_PRESETS,
  type AlertPreset,
  type AlertPresetFeature,
  type AlertRule,
  type AlertRuleEntry,
  type AlertRuleInput,
  absoluteAlertRuleSchema,
  alertPresetSchema,
  alertRuleSchema,
  expandAlertPresets,
  type RelativeAlertRule,
  relativeAlertRuleSchema,
  SPEND_TODAY_METRIC,
} from './alert-rule.js';
export { getBucketRanges } from './bucket-ranges.js';
export { chooseVariant } from './choose-variant.js';
export { type CompiledFeature, type CompileOptions, compileFeature } from './compile-feature.js';
export { compileCondition, conditionProblems, evalCondition } from './condition.js';
export type {
  Attributes,
  Decision,
  DecisionErrorCode,
  DecisionReason,
  EvaluationContext,
  UnresolvedDecision,
} from './decision.js';
export { DECISION_REASONS } from './decision.js';
export { getEqualWeights } from './equal-weights.js';
export {
  AllVariantsFailedError,
  AlreadyExistsError,
  BudgetExceededError,
  CancelledError,
  type ConfigProblem,
  ExperimentNotFoundError,
  FeatureNotFoundError,
  formatProblem,
  InvalidConfigError,
  InvalidInputError,
  InvalidTransitionError,
  RateLimitedError,
  SWITCHYARD_ERROR_CODES,
  SwitchyardError,
  type SwitchyardErrorCode,
  type VariantFailure,
  VersionConflictError,
} from './errors.js';
export { evaluate } from './evaluate.js';
export {
  CALL_OUTCOMES,
  type CallEvent,
  type CallOutcome,
  callEventSchema,
  type DecisionEvent,
  decisionEventSchema,
  ERROR_CLASSES,
  type ErrorClass,
  errorClassSchema,
  eventSchema,
  type FeedbackEvent,
  feedbackEventSchema,
  type TelemetryEvent,
} from './event-schema.js';
export {
  type BanditAllocation,
  BUILT_IN_EXPERIMENT_METRICS,
  type BuiltInExperimentMetric,
  EXPERIMENT_STATUSES,
  type ExperimentConfig,
  type ExperimentConfigInput,
  type ExperimentStatus,
  experimentConfigSchema,
  FEEDBACK_METRIC_PREFIX,
  type MetricDirection,
  metricDirection,
} from './experiment-config.js';
export {
  type Condition,
  FEATURE_KEY_PATTERN,
  type FeatureConfig,
  type FeatureConfigInput,
  featureConfigSchema,
  NAME_PATTERN,
  type RuleConfig,
  type SplitRuleConfig,
  type VariantConfig,
} from './feature-config.js';
export { findRamp, type LocatedRamp } from './find-ramp.js';
export { fnv1a32, hash } from './hash.js';
export { inNamespace } from './in-namespace.js';
export { type FeatureFileFormat, formatFromFileName, loadFeatures } from './load-features.js';
export { type Policy, policySchema } from './policy-config.js';
export {
  DEFAULT_RAMP_STEPS,
  RAMP_STATUSES,
  type RampConfig,
  type RampInput,
  type RampStatus,
  rampCoverage,
  rampSchema,
} from './ramp-config.js';
export { type FeatureValidation, formatPath, parseFeature, validateFeature } from './validate-feature.js';
