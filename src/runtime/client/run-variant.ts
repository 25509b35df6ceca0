import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { CompiledFeature } from '../../core/compile-feature.js';
import type { Attributes, Decision } from '../../core/decision.js';
import { BudgetExceededError, InvalidConfigError, SwitchyardError } from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import type { VariantConfig } from '../../core/feature-config.js';
import { circuitBreakerPolicySchema, type Policy, retryPolicySchema } from '../../core/policy-config.js';
import { checkOutput } from '../guards/check-output.js';
import { type BudgetHold, reserveBudget } from '../limits/reserve-budget.js';
import { callModel, type ModelCallGuards } from '../model-call/call-model.js';
import { estimateTokens } from '../model-call/estimate-tokens.js';
import { ModelCallError } from '../model-call/model-call-error.js';
import {
  type ContentPart,
  type FinishReason,
  NO_USAGE,
  type RunMessage,
  type ToolCall,
  type Usage,
} from '../model-call/model-request.js';
import { toPrompt } from '../model-call/to-prompt.js';
import { trimContext } from '../model-call/trim-context.js';
import { effectivePolicy } from './effective-policy.js';
import type { RunRequest } from './run-types.js';
import type { RuntimeServices } from './runtime-services.js';
import { variantCacheKey } from './variant-cache-key.js';
import { type LlmVariantConfig, type VariantCall, variantCall } from './variant-call.js';

/** Output tokens assumed for a budget reservation when neither the variant nor the request sets a cap. */
const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;

/**
 * Resilience a model call gets when its policy says nothing: a 30 s timeout per attempt, two retries
 * of transient failures, and a breaker that opens after five consecutive failures for 30 s.
 */
export const DEFAULT_CALL_POLICY = {
  timeoutMs: 30_000,
  retry: retryPolicySchema.parse({}),
  circuitBreaker: circuitBreakerPolicySchema.parse({}),
};

/** One variant's execution inside a run. */
export interface VariantPlan {
  readonly feature: CompiledFeature;
  readonly variant: string;
  readonly decision: Decision;
  readonly request: RunRequest;
  readonly messages: readonly RunMessage[];
  readonly attributes: Attributes;
  readonly unitId: string | null;
  readonly requestId: string;
}

/** What trying one variant produced. */
export interface VariantOutcome {
  readonly variant: string;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly content: readonly ContentPart[];
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason;
  readonly errorClass: ErrorClass | null;
  readonly errorMessage: string | null;
  /** The provider's Retry-After of a failed call, when it sent one. */
  readonly retryAfterMs?: number;
  readonly cached: boolean;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly attempts: number;
  readonly latencyMs: number;
  readonly provider: string | null;
  readonly model: string | null;
}

/** An answer produced whole: what the cache keeps. */
export interface Execution {
  readonly value: unknown;
  readonly content: readonly ContentPart[];
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly attempts: number;
}

/** A policy without output checks: no guards, and a failed structured reply is repaired once. */
const DEFAULT_GUARDS: ModelCallGuards = { repair: true };

/**
 * Runs one variant: cache lookup, then the handler or the model call (budget reserve, timeout, retries,
 * breaker, checks of the reply's tool calls, schema and guards), then budget settle and cache store.
 * Failures come back as outcomes; only a budget refusal is thrown, for the chain to decide.
 */
export async function runVariant(services: RuntimeServices, plan: VariantPlan): Promise<VariantOutcome> {
  const started = services.elapsed();
  const config = plan.feature.config.variants[plan.variant];
  const llm = config?.type === 'llm' ? config : undefined;
  const base = { variant: plan.variant, provider: llm?.provider ?? null, model: llm?.model ?? null };
  if (!config) {
    return failed(base, started, services, 'client_error', `variant "${plan.variant}" does not exist`, 0);
  }
  const policy = effectivePolicy(plan.feature.config, config);
  const attempts = { count: 0 };
  try {
    const call = llm === undefined ? undefined : variantCall(llm, plan.request);
    const execute = () => executeVariant(services, plan, config, call, policy, attempts);
    const cacheKey = variantCacheKey({
      feature: plan.feature.key,
      variant: plan.variant,
      config,
      policy,
      request: plan.request,
      ...(call === undefined ? {} : { call }),
    });
    if (cacheKey === undefined || !policy.cache) {
      return succeeded(base, started, services, await execute(), false);
    }
    const ttlMs = policy.cache.ttlSeconds * 1_000;
    const result = await services.cache.getOrLoad(cacheKey, ttlMs, async () => ({
      value: await execute(),
      cacheable: true,
    }));
    // A value another caller loaded (cache hit or a shared in-flight load) cost this run nothing.
    return succeeded(base, started, services, result.value, result.cached || result.shared);
  } catch (error) {
    if (error instanceof BudgetExceededError) throw error;
    return failedWith(base, started, services, error, attempts.count);
  }
}

async function executeVariant(
  services: RuntimeServices,
  plan: VariantPlan,
  config: VariantConfig,
  call: VariantCall | undefined,
  policy: Policy,
  attempts: { count: number },
): Promise<Execution> {
  if (config.type === 'ranker') {
    // The client refuses run() on a ranking feature before any variant; this guards every other path.
    throw new InvalidConfigError('ranking feature', [
      { path: `variants.${plan.variant}`, message: 'is a ranker: call rank(), not run()' },
    ]);
  }
  if (config.type === 'handler' || call === undefined) {
    attempts.count += 1;
    const value = await runHandler(services, plan, config, policy);
    guardOutput(services, policy, value);
    return wholeValue(value);
  }
  const prompt = variantPrompt(plan.messages, config, policy, plan.feature.config.system);
  const model = services.providers.languageModel(config.provider, config.model);
  const hold = await reserveVariantBudget(services, plan, config, policy, prompt, call);
  let costUsd = 0;
  try {
    const reply = await services.resilience.execute(
      { provider: config.provider, model: config.model, feature: plan.feature.key },
      {
        timeoutMs: policy.timeoutMs ?? DEFAULT_CALL_POLICY.timeoutMs,
        retry: policy.retry ?? DEFAULT_CALL_POLICY.retry,
        circuitBreaker: policy.circuitBreaker ?? DEFAULT_CALL_POLICY.circuitBreaker,
        ...(policy.concurrency ? { concurrency: policy.concurrency } : {}),
      },
      (signal) =>
        callModel(
          Object.assign({}, call, {
            model,
            prompt,
            abortSignal: signal,
            guards: policy.output ? outputGuards(services, policy.output) : DEFAULT_GUARDS,
          }),
        ),
      () => {
        attempts.count += 1;
      },
      plan.request.signal,
    );
    costUsd = services.pricing.costUsd(config.model, reply.usage);
    return {
      value: reply.object ?? reply.text,
      content: reply.content,
      toolCalls: reply.toolCalls,
      finishReason: reply.finishReason,
      usage: reply.usage,
      costUsd,
      attempts: attempts.count,
    };
  } catch (error) {
    // Tokens billed before a failure (a refused guard, a failed repair) still count against the budget.
    if (error instanceof ModelCallError && error.usage)
      costUsd = services.pricing.costUsd(config.model, error.usage);
    throw error;
  } finally {
    await hold?.settle(costUsd);
  }
}

/** The prompt an LLM variant sends: its system prompt first, the conversation cut to the context policy. */
export function variantPrompt(
  messages: readonly RunMessage[],
  config: LlmVariantConfig,
  policy: Policy,
  systemMode: 'prepend' | 'replace' = 'prepend',
): LanguageModelV3Prompt {
  const prompt = toPrompt(messages, config.system, systemMode);
  return policy.context ? trimContext(prompt, policy.context) : prompt;
}

/** Reserves the most the call can cost against the variant's budget; undefined without a budget. */
export async function reserveVariantBudget(
  services: RuntimeServices,
  plan: Pick<VariantPlan, 'feature' | 'unitId'>,
  config: LlmVariantConfig,
  policy: Policy,
  prompt: LanguageModelV3Prompt,
  call: VariantCall,
): Promise<BudgetHold | undefined> {
  if (!policy.budget) return undefined;
  if (!services.pricing.priceOf(config.model)) {
    throw new InvalidConfigError('invalid pricing', [
      {
        path: `pricing.${config.model}`,
        message: 'a budget needs the model price: add it to the pricing option',
      },
    ]);
  }
  const maxTokens = call.settings.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  return reserveBudget(services.counters, {
    feature: plan.feature.key,
    policy: policy.budget,
    unitId: plan.unitId === null ? null : services.pseudonymize(plan.unitId),
    maxCostUsd: services.pricing.maxCostUsd(config.model, estimateTokens(prompt), maxTokens),
    now: services.clock(),
  });
}

/** A value produced whole (a handler's, a cache hit's) as an answer: one text part, finished. */
export function wholeValue(value: unknown): Execution {
  const text = textOf(value);
  return {
    value,
    content: text === '' ? [] : [{ type: 'text', text }],
    toolCalls: [],
    finishReason: 'stop',
    usage: NO_USAGE,
    costUsd: 0,
    attempts: 1,
  };
}

/** A value as the text an answer carries: strings as they are, anything else as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

async function runHandler(
  services: RuntimeServices,
  plan: VariantPlan,
  config: VariantConfig,
  policy: Policy,
): Promise<unknown> {
  const handler = plan.request.handlers?.[plan.variant] ?? services.handlers[plan.variant];
  if (!handler)
    throw new VariantError('handler_missing', `no handler registered for variant "${plan.variant}"`);
  const signals = [policy.timeoutMs ? AbortSignal.timeout(policy.timeoutMs) : undefined, plan.request.signal];
  const signal = AbortSignal.any(signals.filter((item): item is AbortSignal => item !== undefined));
  const context = {
    feature: plan.feature.key,
    variant: plan.variant,
    payload: config.payload ?? null,
    input: plan.request.input,
    messages: plan.messages,
    attributes: plan.attributes,
    decision: plan.decision,
    requestId: plan.requestId,
    signal,
  };
  const aborted = new Promise<never>((_, reject) => {
    const fail = () =>
      reject(new VariantError('timeout', `handler "${plan.variant}" did not finish in time`));
    if (signal.aborted) fail();
    signal.addEventListener('abort', fail, { once: true });
  });
  try {
    return await Promise.race([Promise.resolve().then(() => handler(context)), aborted]);
  } catch (error) {
    if (error instanceof VariantError) throw error;
    throw new VariantError('handler_error', error instanceof Error ? error.message : String(error));
  }
}

function guardOutput(services: RuntimeServices, policy: Policy, value: unknown): void {
  if (typeof value !== 'string' || !policy.output) return;
  const verdict = checkOutput(value, policy.output, services.guards);
  if (!verdict.ok) throw new VariantError('guard_failed', `${verdict.guard}: ${verdict.message}`);
}

/** The checks a model's reply must pass under a policy's `output`: banned phrases, named guards, repair. */
export function outputGuards(
  services: RuntimeServices,
  output: NonNullable<Policy['output']>,
): ModelCallGuards {
  const names = output.guards ?? [];
  return {
    repair: output.repair ?? true,
    bannedPhrases: output.bannedPhrases,
    guards: names.map((name, index) => {
      const guard = services.guards[name];
      if (!guard) {
        throw new InvalidConfigError('invalid policy', [
          { path: `policy.output.guards[${index}]`, message: `no guard named "${name}" is registered` },
        ]);
      }
      return (text: string) => {
        const verdict = guard(text);
        if (verdict === true || verdict === null) return null;
        return verdict === false ? `${name} refused the output` : verdict;
      };
    }),
  };
}

/** A failure inside a variant with its error class. */
class VariantError extends Error {
  readonly errorClass: ErrorClass;

  constructor(errorClass: ErrorClass, message: string) {
    super(message);
    this.errorClass = errorClass;
  }
}

/** A variant's outcome for the error that stopped it, with the provider's Retry-After when it sent one. */
export function failedWith(
  base: Pick<VariantOutcome, 'variant' | 'provider' | 'model'>,
  started: number,
  services: RuntimeServices,
  error: unknown,
  attempts: number,
): VariantOutcome {
  const { errorClass, message } = classify(error);
  const outcome = failed(base, started, services, errorClass, message, attempts);
  const wait = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof wait === 'number' ? { ...outcome, retryAfterMs: wait } : outcome;
}

/** The error class and message of a variant's failure. */
export function classify(error: unknown): { errorClass: ErrorClass; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof VariantError) return { errorClass: error.errorClass, message };
  const errorClass = (error as { errorClass?: unknown } | null)?.errorClass;
  if (typeof errorClass === 'string') return { errorClass: errorClass as ErrorClass, message };
  if (error instanceof SwitchyardError && (error.code === 'INVALID_CONFIG' || error.code === 'INVALID_INPUT'))
    return { errorClass: 'client_error', message };
  return { errorClass: 'unknown', message };
}

/** A served variant's outcome; a cached one cost this run nothing. */
export function succeeded(
  base: Pick<VariantOutcome, 'variant' | 'provider' | 'model'>,
  started: number,
  services: RuntimeServices,
  execution: Execution,
  cached: boolean,
): VariantOutcome {
  // A cache entry written before answers carried their parts has only its value.
  const content = execution.content ?? wholeValue(execution.value).content;
  return {
    variant: base.variant,
    provider: base.provider,
    model: base.model,
    ok: true,
    value: execution.value,
    content,
    toolCalls: execution.toolCalls ?? [],
    finishReason: execution.finishReason ?? 'stop',
    errorClass: null,
    errorMessage: null,
    cached,
    usage: cached ? NO_USAGE : execution.usage,
    costUsd: cached ? 0 : execution.costUsd,
    attempts: cached ? 0 : execution.attempts,
    latencyMs: services.elapsed() - started,
  };
}

/** A failed variant's outcome. */
export function failed(
  base: Pick<VariantOutcome, 'variant' | 'provider' | 'model'>,
  started: number,
  services: RuntimeServices,
  errorClass: ErrorClass,
  message: string,
  attempts: number,
  spent: { usage: Usage; costUsd: number } = { usage: NO_USAGE, costUsd: 0 },
): VariantOutcome {
  return {
    variant: base.variant,
    provider: base.provider,
    model: base.model,
    ok: false,
    content: [],
    toolCalls: [],
    finishReason: 'error',
    errorClass,
    errorMessage: message.slice(0, 2_000),
    cached: false,
    usage: spent.usage,
    costUsd: spent.costUsd,
    attempts,
    latencyMs: services.elapsed() - started,
  };
}
