/** One standard normal draw from two uniforms of `rng` (Box–Muller, cosine branch). */
export function sampleNormal(rng: () => number): number {
  // 1 - u lies in (0, 1], so the logarithm stays finite.
  const radius = Math.sqrt(-2 * Math.log(1 - rng()));
  return radius * Math.cos(2 * Math.PI * rng());
}
