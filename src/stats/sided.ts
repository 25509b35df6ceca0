/** Which side the alternative hypothesis is on, for B versus A (`greater`: B is larger). */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** Shared arithmetic of two-sided and one-sided tests whose statistic has a symmetric null distribution. */
export const sided = {
  /** The probability level whose quantile is the critical value: 1 - alpha/2 two-sided, 1 - alpha one-sided. */
  criticalLevel(alpha: number, alternative: Alternative): number {
    return alternative === 'two-sided' ? 1 - alpha / 2 : 1 - alpha;
  },

  /**
   * The p-value of `statistic` given the null CDF; lower tails are used throughout (cdf(-|s|) rather than
   * 1 - cdf(|s|)) so that small p-values keep their precision.
   */
  pValue(statistic: number, alternative: Alternative, cdf: (x: number) => number): number {
    if (alternative === 'greater') return cdf(-statistic);
    if (alternative === 'less') return cdf(statistic);
    return Math.min(1, 2 * cdf(-Math.abs(statistic)));
  },

  /** The interval `estimate ± halfwidth`, open on the side the alternative does not test. */
  interval(estimate: number, halfwidth: number, alternative: Alternative): [number, number] {
    if (alternative === 'greater') return [estimate - halfwidth, Number.POSITIVE_INFINITY];
    if (alternative === 'less') return [Number.NEGATIVE_INFINITY, estimate + halfwidth];
    return [estimate - halfwidth, estimate + halfwidth];
  },
};
