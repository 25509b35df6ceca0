// No imports: the dashboard bundles this file, and zod (which ramp-config.ts needs) would add 450 KB to it.

/** The parts of a ramp its coverage depends on (a RampConfig fits). */
export interface RampPosition {
  readonly steps: readonly number[];
  readonly step: number;
  readonly status: string;
}

/**
 * The coverage a ramp gives its split rule, from 0 to 1: the current step's percentage, the last step's once
 * done, and 0 once rolled back (nobody gets the new variant until someone resumes the ramp).
 *
 * @example
 * rampCoverage({ steps: [1, 5, 100], step: 1, status: 'running' }); // 0.05
 */
export function rampCoverage(ramp: RampPosition): number {
  if (ramp.status === 'rolled-back') return 0;
  const index = ramp.status === 'done' ? ramp.steps.length - 1 : ramp.step;
  return (ramp.steps[Math.min(index, ramp.steps.length - 1)] ?? 0) / 100;
}
