import type { VariantConfig } from '../../core/feature-config.js';
import type { Policy } from '../../core/policy-config.js';
import { derivedCacheKey, exactCacheKey } from '../cache/cache-key.js';
import type { ModelParameters, RunRequest } from './run-types.js';

/** What a variant's cache key is computed from. */
export interface VariantCacheKeyInput {
  readonly feature: string;
  readonly variant: string;
  readonly config: VariantConfig;
  readonly policy: Policy;
  readonly request: RunRequest;
  /** Request-level sampling defaults; they change the key only when the variant leaves them unset. */
  readonly parameters?: ModelParameters;
}

/**
 * The cache key of one variant's answer, shared by `run()` and `stream()` so a streamed answer and a
 * whole one use the same entries: `derived` keys on the named input fields (undefined when the input is
 * not an object), `exact` on the variant's model, parameters and the request's messages or input.
 * Undefined when the policy has no cache.
 *
 * @example
 * variantCacheKey({ feature: 'coach-reply', variant: 'v2', config, policy, request: { input: 'Hi' } });
 */
export function variantCacheKey(key: VariantCacheKeyInput): string | undefined {
  const cache = key.policy.cache;
  if (!cache) return undefined;
  if (cache.mode === 'derived') {
    const input = key.request.input;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
    return derivedCacheKey({
      feature: key.feature,
      variant: key.variant,
      fields: cache.key ?? [],
      ...(cache.versionField === undefined ? {} : { versionField: cache.versionField }),
      input: input as Record<string, unknown>,
    });
  }
  const llm = key.config.type === 'llm' ? key.config : undefined;
  return exactCacheKey({
    feature: key.feature,
    variant: key.variant,
    ...(llm ? { model: llm.model } : {}),
    params: llm
      ? {
          provider: llm.provider,
          system: llm.system,
          // Unset values drop out of the key, so without request defaults the key is what it always was.
          temperature: llm.temperature ?? key.parameters?.temperature,
          maxTokens: llm.maxTokens ?? key.parameters?.maxTokens,
          topP: llm.topP,
          output: llm.output,
        }
      : {},
    input: key.request.messages ?? key.request.input ?? null,
  });
}
