/** Median of the values (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Arithmetic mean of the values. */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The Wilson 95 % interval of a rate of `successes` in `trials`, for the simulated false-positive rates. */
export function wilsonInterval(successes: number, trials: number): [number, number] {
  const z = 1.959963984540054;
  const rate = successes / trials;
  const scale = 1 + z ** 2 / trials;
  const center = (rate + z ** 2 / (2 * trials)) / scale;
  const halfwidth = (z / scale) * Math.sqrt((rate * (1 - rate)) / trials + z ** 2 / (4 * trials ** 2));
  return [Math.max(0, center - halfwidth), Math.min(1, center + halfwidth)];
}
