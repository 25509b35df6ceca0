import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { BudgetExceededError } from '../../core/errors.js';
import type { Policy } from '../../core/policy-config.js';
import { checkOutput } from '../guards/check-output.js';
import type { BudgetHold } from '../limits/reserve-budget.js';
import { classifyError } from '../model-call/classify-error.js';
import { estimateTokens } from '../model-call/estimate-tokens.js';
import { ModelCallError } from '../model-call/model-call-error.js';
import type { FinishReason, Usage } from '../model-call/model-request.js';
import type { ModelStreamPart } from '../model-call/model-stream-part.js';
import { prepareReplyChecks, readReply } from '../model-call/read-reply.js';
import { type ModelStream, type ModelStreamEnd, streamModel } from '../model-call/stream-model.js';
import { effectivePolicy } from './effective-policy.js';
import {
  DEFAULT_CALL_POLICY,
  type Execution,
  failed,
  failedWith,
  reserveVariantBudget,
  runVariant,
  succeeded,
  type VariantOutcome,
  type VariantPlan,
  variantPrompt,
} from './run-variant.js';
import type { RuntimeServices } from './runtime-services.js';
import { variantCacheKey } from './variant-cache-key.js';
import { type VariantCall, variantCall } from './variant-call.js';

/** How a live variant's stream ended: its outcome, and the error that ended it early, if one did. */
export interface LiveEnd {
  readonly outcome: VariantOutcome;
  readonly finishReason: FinishReason;
  readonly error?: ModelCallError;
  /** The caller's signal aborted, or the reader stopped reading: the run is cancelled, not failed. */
  readonly cancelled?: boolean;
}

/** A variant streaming its answer, its first content in hand. */
export interface LiveVariant {
  readonly live: true;
  readonly variant: string;
  readonly provider: string;
  readonly model: string;
  /** Every part, the first included; returns how the stream ended and never throws. */
  readonly parts: AsyncGenerator<ModelStreamPart, LiveEnd, undefined>;
}

/** A started variant: produced whole (or failed before any content), or live. */
export type StartedVariant = { readonly live: false; readonly outcome: VariantOutcome } | LiveVariant;

interface LiveContext {
  readonly services: RuntimeServices;
  readonly plan: VariantPlan;
  readonly base: Pick<VariantOutcome, 'variant' | 'provider' | 'model'>;
  readonly model: string;
  readonly policy: Policy;
  readonly call: VariantCall;
  readonly stream: ModelStream;
  readonly hold: BudgetHold | undefined;
  readonly started: number;
  readonly attempts: { count: number };
  /** The prompt as sent, for estimating the usage of a reply cut short. */
  readonly prompt: LanguageModelV3Prompt;
  readonly cache: { readonly key: string; readonly ttlMs: number } | undefined;
}

/**
 * Starts one variant of a streamed run. An LLM variant without an output schema is looked up in the cache,
 * then called with the model's `doStream` under the variant's budget, timeout (to the first content),
 * retries and breaker: a failure before its first content comes back as a failed outcome, so the chain can
 * move on. Once content flows the variant is live, and a later failure only ends its stream; at the end its
 * tool calls and JSON are checked as `run()` checks them (without a repair: the text was sent). Handler
 * variants and structured-output variants run whole through `runVariant`. Only a budget refusal is thrown.
 */
export async function startVariant(services: RuntimeServices, plan: VariantPlan): Promise<StartedVariant> {
  const config = plan.feature.config.variants[plan.variant];
  if (config?.type !== 'llm' || config.output !== undefined) {
    return { live: false, outcome: await runVariant(services, plan) };
  }
  const started = services.elapsed();
  const base = { variant: plan.variant, provider: config.provider, model: config.model };
  const attempts = { count: 0 };
  const fail = (error: unknown): StartedVariant => {
    return { live: false, outcome: failedWith(base, started, services, error, attempts.count) };
  };
  const policy = effectivePolicy(plan.feature.config, config);
  let call: VariantCall;
  let cache: LiveContext['cache'];
  let prompt: LanguageModelV3Prompt;
  let hold: BudgetHold | undefined;
  let model: ReturnType<RuntimeServices['providers']['languageModel']>;
  try {
    call = variantCall(config, plan.request);
    const key = variantCacheKey({
      feature: plan.feature.key,
      variant: plan.variant,
      config,
      policy,
      request: plan.request,
      call,
    });
    cache = key !== undefined && policy.cache ? { key, ttlMs: policy.cache.ttlSeconds * 1_000 } : undefined;
    if (cache) {
      const hit = await services.cache.get<Execution>(cache.key);
      if (hit !== undefined && hit !== null && 'value' in hit) {
        return { live: false, outcome: succeeded(base, started, services, hit, true) };
      }
    }
    const missingGuard = (policy.output?.guards ?? []).find(
      (name) => typeof services.guards[name] !== 'function',
    );
    if (missingGuard !== undefined) {
      return fail(
        new ModelCallError(`no guard named "${missingGuard}" is registered`, {
          errorClass: 'client_error',
          retryable: false,
        }),
      );
    }
    prepareReplyChecks(call);
    prompt = variantPrompt(plan.messages, config, policy, plan.feature.config.system);
    model = services.providers.languageModel(config.provider, config.model);
    hold = await reserveVariantBudget(services, plan, config, policy, prompt, call);
  } catch (error) {
    if (error instanceof BudgetExceededError) throw error;
    return fail(error);
  }

  const timeoutMs = policy.timeoutMs ?? DEFAULT_CALL_POLICY.timeoutMs;
  let stream: ModelStream;
  try {
    stream = await services.resilience.execute(
      { provider: config.provider, model: config.model, feature: plan.feature.key },
      {
        timeoutMs,
        retry: policy.retry ?? DEFAULT_CALL_POLICY.retry,
        circuitBreaker: policy.circuitBreaker ?? DEFAULT_CALL_POLICY.circuitBreaker,
        ...(policy.concurrency ? { concurrency: policy.concurrency } : {}),
      },
      async (signal) => {
        const opening = await streamModel(
          Object.assign({}, call, {
            model,
            prompt,
            firstChunkSignal: signal,
            ...(plan.request.signal ? { abortSignal: plan.request.signal } : {}),
            idleTimeoutMs: timeoutMs,
            clock: services.clock,
          }),
        );
        // An attempt that lost the race with its timeout must not leave its stream running.
        if (signal.aborted) opening.abort(signal.reason);
        return opening;
      },
      () => {
        attempts.count += 1;
      },
      plan.request.signal,
    );
  } catch (error) {
    await hold?.settle(0);
    return fail(classifyError(error));
  }
  const context: LiveContext = {
    services,
    plan,
    base,
    model: config.model,
    policy,
    call,
    stream,
    hold,
    started,
    attempts,
    prompt,
    cache,
  };
  return { live: true, ...base, parts: liveParts(context) };
}

async function* liveParts(context: LiveContext): AsyncGenerator<ModelStreamPart, LiveEnd, undefined> {
  const { services, stream, hold, policy } = context;
  const signal = context.plan.request.signal;
  let text = '';
  let end: ModelStreamEnd | undefined;
  let error: ModelCallError | undefined;
  let stopped = true;
  try {
    for (const part of stream.first) {
      if (part.type === 'text-delta') text += part.delta;
      yield part;
    }
    for (;;) {
      const step = await stream.rest.next();
      if (step.done) {
        end = step.value;
        break;
      }
      if (step.value.type === 'text-delta') text += step.value.delta;
      yield step.value;
    }
    stopped = false;
  } catch (caught) {
    stopped = false;
    error = classifyError(caught);
  } finally {
    // The reader stopped early: stop the provider and charge what was sent so far.
    if (stopped) {
      stream.abort();
      await hold?.settle(services.pricing.costUsd(context.model, partialUsage(context, text)));
    }
  }
  if (error !== undefined || end === undefined) {
    const failure =
      error ?? new ModelCallError('the stream ended early', { errorClass: 'unknown', retryable: false });
    return finishFailed(
      context,
      failure,
      failure.usage ?? partialUsage(context, text),
      signal?.aborted === true,
    );
  }
  const usage = end.usage;
  const read = readReply(end.content, context.call);
  if (read.problem !== undefined) {
    const problem = read.problem;
    const failure = new ModelCallError(`${problem.summary}: ${problem.detail}`, {
      errorClass: problem.errorClass,
      retryable: false,
      usage,
    });
    return finishFailed(context, failure, usage, false);
  }
  const verdict =
    policy.output && (text !== '' || read.toolCalls.length === 0)
      ? checkOutput(text, policy.output, services.guards)
      : { ok: true as const };
  if (!verdict.ok) {
    const failure = new ModelCallError(`${verdict.guard}: ${verdict.message}`, {
      errorClass: 'guard_failed',
      retryable: false,
      usage,
    });
    return finishFailed(context, failure, usage, false);
  }
  const costUsd = services.pricing.costUsd(context.model, usage);
  await hold?.settle(costUsd);
  const execution: Execution = {
    value: read.object ?? text,
    content: end.content,
    toolCalls: read.toolCalls,
    finishReason: end.finishReason,
    usage,
    costUsd,
    attempts: context.attempts.count,
  };
  if (context.cache) await services.cache.set(context.cache.key, execution, context.cache.ttlMs);
  const outcome: VariantOutcome = {
    variant: context.base.variant,
    provider: context.base.provider,
    model: context.base.model,
    ok: true,
    value: execution.value,
    content: execution.content,
    toolCalls: execution.toolCalls,
    finishReason: execution.finishReason,
    errorClass: null,
    errorMessage: null,
    cached: false,
    usage,
    costUsd,
    attempts: execution.attempts,
    latencyMs: services.elapsed() - context.started,
  };
  return { outcome, finishReason: end.finishReason };
}

async function finishFailed(
  context: LiveContext,
  error: ModelCallError,
  usage: Usage,
  cancelled: boolean,
): Promise<LiveEnd> {
  const costUsd = context.services.pricing.costUsd(context.model, usage);
  await context.hold?.settle(costUsd);
  const outcome = failed(
    context.base,
    context.started,
    context.services,
    error.errorClass,
    error.message,
    context.attempts.count,
    { usage, costUsd },
  );
  return { outcome, finishReason: 'error', error, ...(cancelled ? { cancelled } : {}) };
}

/** Tokens of a reply cut short: the provider reports none, so the prompt and the text sent are estimated. */
function partialUsage(context: LiveContext, text: string): Usage {
  return {
    inputTokens: estimateTokens(context.prompt),
    outputTokens: text === '' ? 0 : estimateTokens(text),
    cachedInputTokens: 0,
    reasoningTokens: 0,
  };
}
