/**
 * `switchyard/stats`: pure experiment statistics — frequentist tests with intervals for absolute and
 * relative lift, multiple-testing corrections, power, sample-ratio mismatch, always-valid sequential
 * intervals, Bayesian comparison of rates, and Thompson-sampling bandit weights. Every result names its method.
 */
export { adjustPValues, type PValueAdjustment } from './adjust-p-values.js';
export { analyzeExperiment } from './analyze-experiment.js';
export {
  BANDIT_STOPPING_RULE,
  type BanditArmSummary,
  type BanditDecision,
  type BanditSnapshot,
  type BanditSnapshotInput,
  banditDecision,
  banditSnapshot,
} from './bandit-analysis.js';
export { type BanditWeightsInput, type BanditWeightsResult, banditWeights } from './bandit-weights.js';
export {
  type BayesProportionsInput,
  type BayesProportionsResult,
  bayesProportions,
} from './bayes-proportions.js';
export { createRng } from './create-rng.js';
export {
  type AbsoluteAlertEvaluation,
  type AbsoluteAlertEvidence,
  type AbsoluteRuleSettings,
  type AlertState,
  evaluateAbsoluteRule,
  evaluateRelativeRule,
  type RelativeAlertEvaluation,
  type RelativeAlertEvidence,
  type RelativeAlertInput,
  type RelativeRuleSettings,
} from './evaluate-alert-rule.js';
export type {
  AnalysisConfig,
  AnalyzeExperimentInput,
  ArmComparison,
  ArmMetricResult,
  ComparisonVerdict,
  ExperimentAnalysis,
  MetricAnalysis,
  MetricKind,
  MetricRole,
  OverallVerdict,
  PowerEstimate,
  SrmSummary,
} from './experiment-analysis.js';
export type {
  ArmData,
  ExperimentData,
  LatencyDistribution,
  MetricSums,
  PeriodData,
} from './experiment-data.js';
export {
  type MinimumDetectableEffectInput,
  type MinimumDetectableEffectResult,
  minimumDetectableEffect,
} from './minimum-detectable-effect.js';
export { periodWeightedArms } from './period-weighted-arms.js';
export {
  addEvidence,
  decayEvidence,
  decayFactor,
  type PreferenceEvidence,
} from './preferences/preference-evidence.js';
export {
  type BetaPosterior,
  DEFAULT_SHRINK_STRENGTH,
  type ShrunkAffinityOptions,
  shrunkAffinity,
} from './preferences/shrunk-affinity.js';
export {
  type SampleSizeInput,
  type SampleSizeResult,
  sampleSizeTwoProportions,
} from './sample-size-two-proportions.js';
export {
  type SequentialInput,
  type SequentialMeansInput,
  type SequentialOptions,
  type SequentialProportionsInput,
  type SequentialResult,
  sequentialInterval,
} from './sequential-interval.js';
export type { Alternative } from './sided.js';
export { type SrmResult, srmTest } from './srm-test.js';
export {
  type BanditArm,
  type BernoulliArm,
  type GaussianArm,
  type ThompsonOptions,
  type ThompsonResult,
  thompsonWeights,
} from './thompson-weights.js';
export {
  type TwoProportionInput,
  type TwoProportionResult,
  twoProportionTest,
} from './two-proportion-test.js';
export { type WelchInput, type WelchResult, welchTest } from './welch-test.js';
