/** Converters that keep analysis results clean JSON: every number finite, everything else null. */
export const jsonSafe = {
  /** The value when it is a finite number, else null (NaN and ±Infinity would not survive JSON). */
  number(value: number | null | undefined): number | null {
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  },

  /** The interval when both ends are finite, else null (a one-sided or undefined interval). */
  interval(value: readonly [number, number] | null | undefined): [number, number] | null {
    if (!value) return null;
    const [lower, upper] = value;
    return Number.isFinite(lower) && Number.isFinite(upper) ? [lower, upper] : null;
  },
};
