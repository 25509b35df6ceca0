import type { CompiledFeature } from './compile-feature.js';
import type { Attributes } from './decision.js';

/**
 * Whether a feature requires consent that this unit has not given: then nothing may be stored about the
 * unit (no assignment, no unit id, prompt or output in telemetry), whatever the decision's reason.
 *
 * @example
 * lacksConsent(compiled, { userId: 'u-1', consent: { personalization: false } }); // true
 */
export function lacksConsent(feature: CompiledFeature, attributes: Attributes): boolean {
  return feature.consented !== null && !feature.consented(attributes);
}
