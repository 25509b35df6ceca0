import { rampCoverage } from '../core/ramp-coverage.js';
import type { RampConfig } from './api-types.js';
import { formatNumber } from './formatters.js';

/**
 * How a ramp reads on the dashboard: its step out of all steps, the coverage it gives now and its status.
 *
 * @example
 * rampLabel({ steps: [1, 5, 10, 25, 50, 100], step: 2, status: 'running' }); // 'ramp step 3/6 (10 %) running'
 */
export function rampLabel(ramp: Pick<RampConfig, 'steps' | 'step' | 'status'>): string {
  const step = Math.min(ramp.step, ramp.steps.length - 1) + 1;
  const shown = ramp.status === 'done' ? ramp.steps.length : step;
  return `ramp step ${shown}/${ramp.steps.length} (${formatNumber(rampCoverage(ramp) * 100, 2)} %) ${ramp.status}`;
}
