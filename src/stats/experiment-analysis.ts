import type { ExperimentConfig, MetricDirection } from '../core/experiment-config.js';
import type { BanditDecision, BanditSnapshot } from './bandit-types.js';
import type { ExperimentData } from './experiment-data.js';

/**
 * The experiment settings the analysis reads (a validated `ExperimentConfig` fits); the metric lists
 * default to empty.
 */
export type AnalysisConfig = Pick<
  ExperimentConfig,
  'primaryMetric' | 'alpha' | 'power' | 'mde' | 'minSamplePerArm' | 'correction' | 'sequential'
> &
  Partial<Pick<ExperimentConfig, 'secondaryMetrics' | 'guardrailMetrics'>>;

/** Input of `analyzeExperiment`. */
export interface AnalyzeExperimentInput {
  data: ExperimentData;
  config: AnalysisConfig;
  /** The arm every other arm is compared with. */
  control: string;
  /** Configured traffic weights by variant, for the sample-ratio-mismatch check; omit for bandits. */
  expectedWeights?: Record<string, number>;
}

/**
 * How a metric is estimated and compared: a per-unit rate (`proportion`), a per-unit mean (`mean`), a ratio
 * of per-unit sums by the delta method (`ratio`), or a quantile of run latencies (`quantile`).
 */
export type MetricKind = 'proportion' | 'mean' | 'ratio' | 'quantile';

/** Which list of the config a metric came from. */
export type MetricRole = 'primary' | 'secondary' | 'guardrail';

/** The verdict on one treatment arm for one metric. */
export type ComparisonVerdict =
  | 'significant win'
  | 'significant loss'
  | 'no significant difference'
  | 'insufficient data';

/** One arm's value of one metric. */
export interface ArmMetricResult {
  variant: string;
  /** Units with data (executed runs, for a latency quantile). */
  n: number;
  /** Rate, mean, ratio or quantile; null without data. */
  value: number | null;
  /** Interval for the arm's value at 1 - alpha; null when it cannot be estimated. */
  interval: [number, number] | null;
}

/** Power of the primary metric's comparison for the configured minimum detectable effect. */
export interface PowerEstimate {
  /** Probability of a significant result if the true relative effect were the configured MDE, at the current sizes. */
  power: number | null;
  /** Units per arm with data needed for the MDE at the configured alpha and power. */
  sampleNeededPerArm: number | null;
  /** max(0, needed - the smaller of the two arms' units with data). */
  remainingPerArm: number | null;
  method: string;
}

/** One treatment arm against control on one metric. Every number is finite or null. */
export interface ArmComparison {
  variant: string;
  /** Treatment minus control. */
  diff: number | null;
  diffCI: [number, number] | null;
  /** Treatment / control - 1; null when the control value is 0. */
  relativeLift: number | null;
  relativeLiftCI: [number, number] | null;
  pValue: number | null;
  /** Corrected over primary metric x treatment arms (raw when the correction is 'none'); null on other metrics. */
  adjustedPValue: number | null;
  /** Probability that the treatment is better than control in the metric's direction (lower, for costs). */
  chanceToBeatControl: number | null;
  verdict: ComparisonVerdict;
  method: string;
  /** For the primary metric only. */
  power: PowerEstimate | null;
}

/** Everything the analysis says about one metric. */
export interface MetricAnalysis {
  metric: string;
  role: MetricRole;
  direction: MetricDirection;
  kind: MetricKind;
  /** One entry per arm, in the data's order. */
  arms: ArmMetricResult[];
  /** One entry per treatment arm (every arm but control), in the data's order. */
  comparisons: ArmComparison[];
}

/** The sample-ratio-mismatch check of the arms' units against the expected weights. */
export interface SrmSummary {
  chiSquare: number;
  pValue: number;
  /** True at p < 0.001: the split is broken and no result should be trusted. */
  mismatch: boolean;
}

/** The experiment's verdict, read from the primary metric. */
export interface OverallVerdict {
  /**
   * Fixed allocation: 'significant win' when some treatment wins; else 'insufficient data' when some
   * comparison lacks data; else 'significant loss' when every treatment loses; else 'no significant
   * difference'. A bandit: its stopping rule's 'best arm found' or 'no best arm yet' (`BanditDecision`),
   * never a fixed-horizon test.
   */
  verdict: ComparisonVerdict | BanditDecision['verdict'];
  /** The winning treatment with the best difference, or null. */
  winner: string | null;
}

/** The result of `analyzeExperiment`: plain data, safe to serialise as JSON (no NaN or Infinity). */
export interface ExperimentAnalysis {
  control: string;
  alpha: number;
  sequential: boolean;
  correction: AnalysisConfig['correction'];
  arms: Array<{ variant: string; units: number }>;
  multipleExposureUnits: number;
  /** Null without expected weights, with fewer than two arms or with no units. */
  srm: SrmSummary | null;
  /** Primary first, then secondary, then guardrail metrics; a metric listed twice appears once, in its first role. */
  metrics: MetricAnalysis[];
  verdict: OverallVerdict;
  /**
   * For a bandit: the Bayesian summary of the primary metric (probability best, expected loss, credible
   * intervals, regret) and the stopping rule's decision, which also gives `verdict`; null for fixed allocation.
   */
  bandit: (BanditSnapshot & { decision: BanditDecision }) | null;
}
