import { InvalidConfigError } from '../../core/errors.js';
import { type FeatureConfig, featureConfigSchema } from '../../core/feature-config.js';
import { validateFeature, zodProblems } from '../../core/validate-feature.js';
import { invalidInput } from '../http/api-error.js';

/**
 * Validates a feature config from a request with the schema the CLI and SDK use: a body that does not fit
 * the schema is a 400 (INVALID_INPUT); one that fits but contradicts itself (a split naming an unknown
 * variant, duplicate rule ids) is a 422 (INVALID_CONFIG). Both name every problem with its path.
 */
export function parseFeatureBody(body: unknown): FeatureConfig {
  const parsed = featureConfigSchema.safeParse(body);
  if (!parsed.success) throw invalidInput('feature', zodProblems(parsed.error));
  const validation = validateFeature(parsed.data);
  if (!validation.ok) throw new InvalidConfigError('invalid feature', validation.problems);
  return validation.feature;
}
