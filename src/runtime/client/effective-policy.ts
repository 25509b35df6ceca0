import type { FeatureConfig, VariantConfig } from '../../core/feature-config.js';
import type { Policy } from '../../core/policy-config.js';

const NO_POLICY: Policy = Object.freeze({});

/**
 * A variant's policy over its feature's: each section the variant sets replaces the feature's section. A
 * variant without a policy of its own gets the feature's object itself (every run asks, twice).
 */
export function effectivePolicy(feature: FeatureConfig, variant: VariantConfig | undefined): Policy {
  const own = variant?.policy;
  if (own === undefined) return feature.policy ?? NO_POLICY;
  return Object.assign({}, feature.policy, own);
}
