import type { VariantConfig } from '../../core/feature-config.js';
import type { Policy } from '../../core/policy-config.js';
import { derivedCacheKey, exactCacheKey } from '../cache/cache-key.js';
import type { RunRequest } from './run-types.js';
import type { VariantCall } from './variant-call.js';

/** What a variant's cache key is computed from. */
export interface VariantCacheKeyInput {
  readonly feature: string;
  readonly variant: string;
  readonly config: VariantConfig;
  readonly policy: Policy;
  readonly request: RunRequest;
  /** What an LLM variant sends besides the prompt (`variantCall`): settings, tools, response format. */
  readonly call?: VariantCall;
}

/**
 * The cache key of one variant's answer, shared by `run()` and `stream()` so a streamed answer and a
 * whole one use the same entries: `derived` keys on the named input fields (undefined when the input is
 * not an object), `exact` on the variant's model and system prompt, everything it sends besides the prompt
 * (sampling settings, tools, tool choice, response format, provider options) and the request's typed
 * messages or input. Undefined when the policy has no cache.
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
  const call = key.call;
  return exactCacheKey({
    feature: key.feature,
    variant: key.variant,
    ...(llm ? { model: llm.model } : {}),
    params:
      llm && call
        ? {
            provider: llm.provider,
            system: llm.system,
            // Unset values drop out of the key, so a plain call keys as it always did.
            temperature: call.settings.temperature,
            maxTokens: call.settings.maxOutputTokens,
            topP: call.settings.topP,
            topK: call.settings.topK,
            stopSequences: call.settings.stopSequences,
            seed: call.settings.seed,
            presencePenalty: call.settings.presencePenalty,
            frequencyPenalty: call.settings.frequencyPenalty,
            output: llm.output,
            tools: call.tools,
            toolChoice: call.toolChoice,
            responseFormat: llm.output === undefined ? call.responseFormat : undefined,
            providerOptions: call.providerOptions,
          }
        : {},
    input: key.request.messages ?? key.request.input ?? null,
  });
}
