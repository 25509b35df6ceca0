import type { LanguageModelV3Usage } from '@ai-sdk/provider';
import type { Usage } from './model-request.js';

/**
 * A run's usage from the spec's: totals, with the cache reads and reasoning tokens the provider reported
 * (0 for what it did not).
 *
 * @example
 * usageOf({ inputTokens: { total: 12, noCache: 2, cacheRead: 10, cacheWrite: undefined }, outputTokens: { total: 5, text: 5, reasoning: undefined } });
 * // { inputTokens: 12, outputTokens: 5, cachedInputTokens: 10, reasoningTokens: 0 }
 */
export function usageOf(usage: LanguageModelV3Usage | undefined): Usage {
  return {
    inputTokens: usage?.inputTokens.total ?? 0,
    outputTokens: usage?.outputTokens.total ?? 0,
    cachedInputTokens: usage?.inputTokens.cacheRead ?? 0,
    reasoningTokens: usage?.outputTokens.reasoning ?? 0,
  };
}
