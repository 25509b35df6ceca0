import type { LanguageModelV3Message } from '@ai-sdk/provider';
import { type ChainEnd, runChain } from './run-chain.js';
import type { RunAnswer, RunPlan, RunResult } from './run-types.js';
import type { VariantOutcome } from './run-variant.js';
import type { RuntimeServices } from './runtime-services.js';

/**
 * Runs a decided feature through the one chain runner (`runChain`), whole: input validation, rate limit,
 * then the decided variant, its fallback chain and finally the default. Throws RATE_LIMITED,
 * BUDGET_EXCEEDED, INVALID_INPUT, ALL_VARIANTS_FAILED or CANCELLED.
 */
export async function runFeature(services: RuntimeServices, plan: RunPlan): Promise<RunResult> {
  const end = await runChain(services, plan, { mode: 'whole', fallback: true });
  if (end.kind !== 'served') throw new Error('a whole run never streams');
  return runResult(services, end, end.served);
}

/** The result of a chain whose `served` variant answered: the answer, the decision and the run's totals. */
export function runResult(services: RuntimeServices, end: ChainEnd, served: VariantOutcome): RunResult {
  const { plan, failures, outcomes, events } = end.chain;
  const totals = events.totals(outcomes);
  const decision = plan.decision;
  // Object.assign onto fresh literals rather than spreads: on Node 20 a literal that starts with a spread
  // costs about 0.8 µs per property after it (docs/benchmarks.md, gateway).
  return Object.assign(answerOf(served), {
    requestId: plan.requestId,
    variant: served.variant,
    reason: decision.reason,
    decision,
    ...(served.variant === decision.variant
      ? {}
      : { fallback: { from: decision.variant, causes: [...failures] } }),
    cached: served.cached,
    latencyMs: services.elapsed() - plan.started,
    usage: totals.usage,
    costUsd: totals.costUsd,
    attempts: totals.attempts,
  });
}

/** A served outcome as the answer a caller reads: value, parts, tool calls, the assistant message. */
export function answerOf(served: VariantOutcome): RunAnswer {
  return {
    value: served.value,
    content: served.content,
    toolCalls: served.toolCalls,
    responseMessage: responseMessage(served),
    finishReason: served.finishReason,
    provider: served.provider,
    model: served.model,
  };
}

/** The answer as the assistant message of the conversation's next turn (tool inputs parsed, as the spec's prompt has them). */
function responseMessage(served: VariantOutcome): Extract<LanguageModelV3Message, { role: 'assistant' }> {
  const content: Extract<LanguageModelV3Message, { role: 'assistant' }>['content'] = [];
  for (const part of served.content) {
    if (part.type === 'text' || part.type === 'reasoning') {
      content.push({ type: part.type, text: part.text });
    } else if (part.type === 'tool-call') {
      const parsed = served.toolCalls.find((call) => call.toolCallId === part.toolCallId);
      content.push({
        type: 'tool-call',
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        input: parsed === undefined ? part.input : parsed.input,
        ...(part.providerExecuted === undefined ? {} : { providerExecuted: part.providerExecuted }),
      });
    } else if (part.type === 'file') {
      content.push({ type: 'file', data: part.data, mediaType: part.mediaType });
    }
  }
  return { role: 'assistant', content };
}
