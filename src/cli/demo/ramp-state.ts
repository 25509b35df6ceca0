/** Where a feature's ramp stands, read from a feature config. */
export interface RampState {
  readonly ruleId: string | undefined;
  /** Coverage steps in percent. */
  readonly steps: readonly number[];
  /** Index into `steps`. */
  readonly step: number;
  readonly status: string;
  readonly reason: string | undefined;
}

/**
 * The ramp of a feature config (the first split rule that carries one), or undefined. It reads the config
 * defensively, so that it also works on the `before` and `after` of an audit entry.
 *
 * @example
 * rampState({ rules: [{ id: 'r', split: { v2: 100 }, ramp: { steps: [5, 25], step: 1, status: 'running' } }] });
 * // { ruleId: 'r', steps: [5, 25], step: 1, status: 'running', reason: undefined }
 */
export function rampState(config: unknown): RampState | undefined {
  const rules = (config as { rules?: unknown } | null | undefined)?.rules;
  if (!Array.isArray(rules)) return undefined;
  for (const rule of rules as Array<Record<string, unknown> | null>) {
    const ramp = rule?.ramp as Record<string, unknown> | undefined;
    if (!ramp || typeof ramp !== 'object' || !Array.isArray(ramp.steps)) continue;
    return {
      ruleId: typeof rule?.id === 'string' ? rule.id : undefined,
      steps: ramp.steps.filter((step): step is number => typeof step === 'number'),
      step: typeof ramp.step === 'number' ? ramp.step : 0,
      status: typeof ramp.status === 'string' ? ramp.status : 'running',
      reason: typeof ramp.reason === 'string' ? ramp.reason : undefined,
    };
  }
  return undefined;
}

/** The ramp's coverage in words: `25 %`, `done (100 %)`, `rolled back at 25 %`, `halted at 25 %`. */
export function describeRamp(ramp: RampState, maxStep = ramp.step): string {
  const percent = (index: number) => `${ramp.steps[Math.min(index, ramp.steps.length - 1)] ?? 0} %`;
  if (ramp.status === 'done') return `done (${percent(ramp.steps.length - 1)})`;
  if (ramp.status === 'rolled-back') return `rolled back at ${percent(maxStep)}`;
  if (ramp.status === 'running') return percent(ramp.step);
  return `${ramp.status} at ${percent(ramp.step)}`;
}
