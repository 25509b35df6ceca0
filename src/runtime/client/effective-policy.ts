import type { FeatureConfig, VariantConfig } from '../../core/feature-config.js';
import type { Policy } from '../../core/policy-config.js';

/** A variant's policy over its feature's: each section the variant sets replaces the feature's section. */
export function effectivePolicy(feature: FeatureConfig, variant: VariantConfig | undefined): Policy {
  return { ...feature.policy, ...variant?.policy };
}
