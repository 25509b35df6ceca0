/** One bandit arm as its posterior describes it. */
export interface BanditArmSummary {
  variant: string;
  /** Units with data in the periods every arm has data in. */
  n: number;
  /** Posterior mean of the primary metric (period-weighted); null while the arm has no data. */
  mean: number | null;
  /** Central 1 - alpha credible interval of the metric; null without data. */
  credibleInterval: [number, number] | null;
  /** Share of posterior draws in which this arm is best in the metric's direction; 0 for a failing arm. */
  probabilityBest: number;
  /** E[best arm's value - this arm's value] in the metric's better direction (0 for a sure best arm). */
  expectedLoss: number | null;
  /** Left out of the race: it significantly loses on a guardrail metric. */
  failing: boolean;
}

/** The Bayesian summary of a bandit's primary metric at one moment. */
export interface BanditSnapshot {
  metric: string;
  arms: BanditArmSummary[];
  /**
   * Outcomes given up so far against sending every unit to the arm with the best posterior mean:
   * Σ units × (best mean - arm mean), in the metric's better direction (conversions for a rate); null
   * without data.
   */
  regret: number | null;
  method: string;
}

/** What the stopping rule decides. */
export interface BanditDecision {
  verdict: 'best arm found' | 'no best arm yet';
  winner: string | null;
  rule: string;
}
