import { BudgetExceededError, InvalidConfigError } from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import type { VariantConfig } from '../../core/feature-config.js';
import { circuitBreakerPolicySchema, type Policy, retryPolicySchema } from '../../core/policy-config.js';
import { checkOutput } from '../guards/check-output.js';
import { type BudgetHold, reserveBudget } from '../limits/reserve-budget.js';
import { classifyError } from '../model-call/classify-error.js';
import { estimateTokens } from '../model-call/estimate-tokens.js';
import { ModelCallError } from '../model-call/model-call-error.js';
import { type ModelStream, type ModelStreamEnd, streamModel } from '../model-call/stream-model.js';
import { trimContext } from '../model-call/trim-context.js';
import { effectivePolicy } from './effective-policy.js';
import type { ChatMessage, Usage } from './run-types.js';
import { runVariant, type VariantOutcome, type VariantPlan } from './run-variant.js';
import type { RuntimeServices } from './runtime-services.js';
import type { ModelParameters, StreamFinishReason } from './stream-types.js';
import { variantCacheKey } from './variant-cache-key.js';

/** The defaults `run()` applies when a policy says nothing (30 s per attempt, two retries, a breaker). */
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY = retryPolicySchema.parse({});
const DEFAULT_BREAKER = circuitBreakerPolicySchema.parse({});
/** Output tokens assumed for a budget reservation when neither the variant nor the request sets a cap. */
const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;
const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

/** One variant of a streamed run. */
export interface StreamVariantPlan extends VariantPlan {
  /** Request-level sampling defaults for an LLM variant that leaves them unset. */
  readonly parameters?: ModelParameters;
}

/** How a live variant's stream ended: its outcome, and the error that ended it early, if one did. */
export interface LiveEnd {
  readonly outcome: VariantOutcome;
  readonly finishReason: StreamFinishReason;
  readonly error?: ModelCallError;
}

/** A started variant: produced whole (or failed before any text), or streaming with its first text in hand. */
export type StartedVariant =
  | { readonly live: false; readonly outcome: VariantOutcome }
  | {
      readonly live: true;
      readonly variant: string;
      readonly provider: string;
      readonly model: string;
      /** Every chunk, the first included; returns how the stream ended and never throws. */
      readonly chunks: AsyncGenerator<string, LiveEnd, undefined>;
    };

interface LiveContext {
  readonly services: RuntimeServices;
  readonly base: Pick<VariantOutcome, 'variant' | 'provider' | 'model'>;
  readonly model: string;
  readonly policy: Policy;
  readonly stream: ModelStream;
  readonly hold: BudgetHold | undefined;
  readonly started: number;
  readonly attempts: { count: number };
  /** The prompt as sent, for estimating the usage of a reply cut short. */
  readonly messages: readonly ChatMessage[];
  readonly cache: { readonly key: string; readonly ttlMs: number } | undefined;
}

/**
 * Starts one variant of a streamed run. A plain-text LLM variant is looked up in the cache, then called
 * with `streamText` under the variant's budget, timeout (to the first chunk), retries and breaker: a
 * failure before its first text comes back as a failed outcome, so the chain can move on. Once text
 * flows the variant is live, and a later failure only ends its stream. Handler variants and structured
 * output variants run whole through `runVariant`. Only a budget refusal is thrown.
 */
export async function startVariant(
  services: RuntimeServices,
  plan: StreamVariantPlan,
): Promise<StartedVariant> {
  const config = plan.feature.config.variants[plan.variant];
  if (config?.type !== 'llm' || config.output !== undefined) {
    return { live: false, outcome: await runVariant(services, plan) };
  }
  const started = services.elapsed();
  const base = { variant: plan.variant, provider: config.provider, model: config.model };
  const attempts = { count: 0 };
  const fail = (errorClass: ErrorClass, message: string): StartedVariant => ({
    live: false,
    outcome: failed(services, base, started, { errorClass, message, attempts: attempts.count }),
  });
  const policy = effectivePolicy(plan.feature.config, config);
  const settings = {
    system: config.system,
    temperature: config.temperature ?? plan.parameters?.temperature,
    topP: config.topP,
    maxTokens: config.maxTokens ?? plan.parameters?.maxTokens,
  };
  const key = variantCacheKey({
    feature: plan.feature.key,
    variant: plan.variant,
    config,
    policy,
    request: plan.request,
    ...(plan.parameters ? { parameters: plan.parameters } : {}),
  });
  const cache =
    key !== undefined && policy.cache ? { key, ttlMs: policy.cache.ttlSeconds * 1_000 } : undefined;
  if (cache) {
    const hit = await services.cache.get<{ value?: unknown }>(cache.key);
    if (hit !== undefined && hit !== null && 'value' in hit) {
      return {
        live: false,
        outcome: Object.assign({}, base, success(services, started, hit.value), { cached: true }),
      };
    }
  }
  const missingGuard = (policy.output?.guards ?? []).find(
    (name) => typeof services.guards[name] !== 'function',
  );
  if (missingGuard !== undefined)
    return fail('client_error', `no guard named "${missingGuard}" is registered`);

  let hold: BudgetHold | undefined;
  let messages: ReturnType<typeof trimContext>;
  let model: ReturnType<RuntimeServices['providers']['languageModel']>;
  try {
    messages = trimContext(
      config.system ? [{ role: 'system', content: config.system }, ...plan.messages] : [...plan.messages],
      policy.context ?? {},
    );
    model = services.providers.languageModel(config.provider, config.model);
    hold = policy.budget
      ? await reserve(services, plan, config, policy, estimateTokens(messages))
      : undefined;
  } catch (error) {
    if (error instanceof BudgetExceededError) throw error;
    return fail('client_error', error instanceof Error ? error.message : String(error));
  }

  const timeoutMs = policy.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let stream: ModelStream;
  try {
    stream = await services.resilience.execute(
      { provider: config.provider, model: config.model, feature: plan.feature.key },
      {
        timeoutMs,
        retry: policy.retry ?? DEFAULT_RETRY,
        circuitBreaker: policy.circuitBreaker ?? DEFAULT_BREAKER,
        ...(policy.concurrency ? { concurrency: policy.concurrency } : {}),
      },
      async (signal) => {
        const opening = await streamModel({
          model,
          variant: settings,
          messages,
          firstChunkSignal: signal,
          ...(plan.request.signal ? { abortSignal: plan.request.signal } : {}),
          idleTimeoutMs: timeoutMs,
          clock: services.clock,
        });
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
    const failure = classifyError(error);
    return fail(failure.errorClass, failure.message);
  }
  const context: LiveContext = {
    services,
    base,
    model: config.model,
    policy,
    stream,
    hold,
    started,
    attempts,
    messages,
    cache,
  };
  return { live: true, ...base, chunks: liveChunks(context) };
}

async function* liveChunks(context: LiveContext): AsyncGenerator<string, LiveEnd, undefined> {
  const { services, stream, hold, policy } = context;
  let text = stream.first;
  let end: ModelStreamEnd | undefined;
  let error: ModelCallError | undefined;
  try {
    if (text !== '') yield text;
    for (;;) {
      const step = await stream.rest.next();
      if (step.done) {
        end = step.value;
        break;
      }
      text += step.value;
      yield step.value;
    }
  } catch (caught) {
    error = classifyError(caught);
  } finally {
    // The reader stopped early: stop the provider and charge what was sent so far.
    if (end === undefined && error === undefined) {
      stream.abort();
      await hold?.settle(services.pricing.costUsd(context.model, partialUsage(context, text)));
    }
  }
  if (error !== undefined || end === undefined) {
    const failure =
      error ?? new ModelCallError('the stream ended early', { errorClass: 'unknown', retryable: false });
    const usage = failure.usage ?? partialUsage(context, text);
    return finishFailed(context, failure, usage);
  }
  const usage = end.usage;
  const costUsd = services.pricing.costUsd(context.model, usage);
  const verdict = policy.output ? checkOutput(text, policy.output, services.guards) : { ok: true as const };
  if (!verdict.ok) {
    const message = `${verdict.guard}: ${verdict.message}`;
    return finishFailed(
      context,
      new ModelCallError(message, { errorClass: 'guard_failed', retryable: false, usage }),
      usage,
    );
  }
  await hold?.settle(costUsd);
  const execution = { value: text, usage, costUsd, attempts: context.attempts.count };
  if (context.cache) await services.cache.set(context.cache.key, execution, context.cache.ttlMs);
  return {
    outcome: Object.assign({}, context.base, success(services, context.started, text), {
      usage,
      costUsd,
      attempts: execution.attempts,
    }),
    finishReason: finishReasonOf(end.finishReason),
  };
}

async function finishFailed(context: LiveContext, error: ModelCallError, usage: Usage): Promise<LiveEnd> {
  const costUsd = context.services.pricing.costUsd(context.model, usage);
  await context.hold?.settle(costUsd);
  const outcome = failed(context.services, context.base, context.started, {
    errorClass: error.errorClass,
    message: error.message,
    attempts: context.attempts.count,
    usage,
    costUsd,
  });
  return { outcome, finishReason: 'other', error };
}

/** Tokens of a reply cut short: the provider reports none, so the prompt and the text sent are estimated. */
function partialUsage(context: LiveContext, text: string): Usage {
  return {
    inputTokens: estimateTokens(context.messages),
    outputTokens: text === '' ? 0 : estimateTokens(text),
  };
}

async function reserve(
  services: RuntimeServices,
  plan: StreamVariantPlan,
  config: Extract<VariantConfig, { type: 'llm' }>,
  policy: Policy,
  inputTokens: number,
): Promise<BudgetHold> {
  if (!services.pricing.priceOf(config.model)) {
    throw new InvalidConfigError('invalid pricing', [
      {
        path: `pricing.${config.model}`,
        message: 'a budget needs the model price: add it to the pricing option',
      },
    ]);
  }
  const maxTokens = config.maxTokens ?? plan.parameters?.maxTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  return reserveBudget(services.counters, {
    feature: plan.feature.key,
    policy: policy.budget as NonNullable<Policy['budget']>,
    unitId: plan.unitId,
    maxCostUsd: services.pricing.maxCostUsd(config.model, inputTokens, maxTokens),
    now: services.clock(),
  });
}

function finishReasonOf(reason: string): StreamFinishReason {
  return reason === 'stop' || reason === 'length' || reason === 'content-filter' ? reason : 'other';
}

function success(services: RuntimeServices, started: number, value: unknown) {
  return {
    ok: true,
    value,
    errorClass: null,
    errorMessage: null,
    cached: false,
    usage: NO_USAGE,
    costUsd: 0,
    attempts: 0,
    latencyMs: services.elapsed() - started,
  };
}

function failed(
  services: RuntimeServices,
  base: Pick<VariantOutcome, 'variant' | 'provider' | 'model'>,
  started: number,
  failure: { errorClass: ErrorClass; message: string; attempts: number; usage?: Usage; costUsd?: number },
): VariantOutcome {
  return {
    variant: base.variant,
    provider: base.provider,
    model: base.model,
    ok: false,
    errorClass: failure.errorClass,
    errorMessage: failure.message.slice(0, 2_000),
    cached: false,
    usage: failure.usage ?? NO_USAGE,
    costUsd: failure.costUsd ?? 0,
    attempts: failure.attempts,
    latencyMs: services.elapsed() - started,
  };
}
