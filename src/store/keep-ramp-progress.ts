import type { FeatureConfig } from '../core/feature-config.js';
import { findRamp } from '../core/find-ramp.js';
import type { RampConfig } from '../core/ramp-config.js';

/**
 * Re-applying a config file keeps a ramp's progress: when the incoming rule (matched by id) carries a ramp
 * with the same steps that is at its start (step 0, running, never started), as a file that gives only the
 * plan is, the stored status, step, times and reason are kept. A file that gives other steps or a state of
 * its own replaces the ramp.
 */
export function keepRampProgress(
  existing: FeatureConfig,
  rules: FeatureConfig['rules'],
): FeatureConfig['rules'] {
  const stored = findRamp(existing);
  if (stored === undefined || stored.rule.id === undefined) return rules;
  return rules.map((rule) => {
    if (!('split' in rule) || rule.id !== stored.rule.id || rule.ramp === undefined) return rule;
    const fresh = rule.ramp;
    const atStart = fresh.step === 0 && fresh.status === 'running' && fresh.startedAt === undefined;
    const sameSteps = fresh.steps.join(',') === stored.ramp.steps.join(',');
    if (!atStart || !sameSteps) return rule;
    return { ...rule, ramp: { ...fresh, ...progressOf(stored.ramp) } };
  });
}

function progressOf(ramp: RampConfig): Partial<RampConfig> {
  const { status, step, startedAt, stepStartedAt, reason } = ramp;
  return {
    status,
    step,
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(stepStartedAt === undefined ? {} : { stepStartedAt }),
    ...(reason === undefined ? {} : { reason }),
  };
}
