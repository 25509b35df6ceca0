import type { CompiledFeature } from '../../core/compile-feature.js';
import type { Attributes, Decision } from '../../core/decision.js';
import { BudgetExceededError, InvalidConfigError, SwitchyardError } from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import type { VariantConfig } from '../../core/feature-config.js';
import { circuitBreakerPolicySchema, type Policy, retryPolicySchema } from '../../core/policy-config.js';
import { checkOutput } from '../guards/check-output.js';
import { reserveBudget } from '../limits/reserve-budget.js';
import { callModel, type ModelCallGuards, type ModelCallVariant } from '../model-call/call-model.js';
import { estimateTokens } from '../model-call/estimate-tokens.js';
import { ModelCallError } from '../model-call/model-call-error.js';
import { trimContext } from '../model-call/trim-context.js';
import { effectivePolicy } from './effective-policy.js';
import type { ChatMessage, RunRequest, Usage } from './run-types.js';
import type { RuntimeServices } from './runtime-services.js';
import { variantCacheKey } from './variant-cache-key.js';

/** Output tokens assumed for a budget reservation when a variant sets no `maxTokens`. */
const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;

/**
 * Resilience a model call gets when its policy says nothing: a 30 s timeout per attempt, two retries
 * of transient failures, and a breaker that opens after five consecutive failures for 30 s.
 */
const DEFAULT_CALL_POLICY = {
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
  readonly messages: readonly ChatMessage[];
  readonly attributes: Attributes;
  readonly unitId: string | null;
  readonly requestId: string;
}

/** What trying one variant produced. */
export interface VariantOutcome {
  readonly variant: string;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly errorClass: ErrorClass | null;
  readonly errorMessage: string | null;
  readonly cached: boolean;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly attempts: number;
  readonly latencyMs: number;
  readonly provider: string | null;
  readonly model: string | null;
}

interface Execution {
  readonly value: unknown;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly attempts: number;
}

const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

/** A policy without output checks: no guards, and a failed structured reply is repaired once. */
const DEFAULT_GUARDS: ModelCallGuards = { repair: true };

/**
 * Runs one variant: cache lookup, then the handler or the model call (budget reserve, timeout,
 * retries, breaker, output validation and guards), then budget settle and cache store.
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
    const execute = () => executeVariant(services, plan, config, policy, attempts);
    const cacheKey = policy.cache
      ? variantCacheKey({
          feature: plan.feature.key,
          variant: plan.variant,
          config,
          policy,
          request: plan.request,
          ...(plan.request.parameters ? { parameters: plan.request.parameters } : {}),
        })
      : undefined;
    if (cacheKey === undefined || !policy.cache) {
      const execution = await execute();
      return succeeded(base, started, services, execution, false);
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
    const { errorClass, message } = classify(error);
    return failed(base, started, services, errorClass, message, attempts.count);
  }
}

async function executeVariant(
  services: RuntimeServices,
  plan: VariantPlan,
  config: VariantConfig,
  policy: Policy,
  attempts: { count: number },
): Promise<Execution> {
  if (config.type === 'handler') {
    attempts.count += 1;
    const value = await runHandler(services, plan, config, policy);
    guardOutput(services, policy, value);
    return { value, usage: NO_USAGE, costUsd: 0, attempts: 1 };
  }
  const conversation: readonly ChatMessage[] = config.system
    ? [{ role: 'system', content: config.system }, ...plan.messages]
    : plan.messages;
  const messages = policy.context ? trimContext(conversation, policy.context) : conversation;
  const model = services.providers.languageModel(config.provider, config.model);
  // The variant's own sampling settings win; a request's (a gateway client's) fill what it leaves unset.
  const parameters = plan.request.parameters;
  const variant: ModelCallVariant = {
    system: config.system,
    temperature: config.temperature ?? parameters?.temperature,
    topP: config.topP,
    maxTokens: config.maxTokens ?? parameters?.maxTokens,
    output: config.output,
  };
  const hold = policy.budget
    ? await reserveBudget(services.counters, {
        feature: plan.feature.key,
        policy: policy.budget,
        unitId: plan.unitId,
        maxCostUsd: maxCost(services, config.model, estimateTokens(messages), variant.maxTokens),
        now: services.clock(),
      })
    : undefined;
  let costUsd = 0;
  try {
    const result = await services.resilience.execute(
      { provider: config.provider, model: config.model, feature: plan.feature.key },
      {
        timeoutMs: policy.timeoutMs ?? DEFAULT_CALL_POLICY.timeoutMs,
        retry: policy.retry ?? DEFAULT_CALL_POLICY.retry,
        circuitBreaker: policy.circuitBreaker ?? DEFAULT_CALL_POLICY.circuitBreaker,
        ...(policy.concurrency ? { concurrency: policy.concurrency } : {}),
      },
      (signal) =>
        callModel({
          model,
          variant,
          messages,
          abortSignal: signal,
          guards: policy.output ? outputGuards(services, policy.output) : DEFAULT_GUARDS,
        }),
      () => {
        attempts.count += 1;
      },
      plan.request.signal,
    );
    costUsd = services.pricing.costUsd(config.model, result.usage);
    return {
      value: result.object ?? result.text,
      usage: result.usage,
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

function outputGuards(services: RuntimeServices, output: NonNullable<Policy['output']>): ModelCallGuards {
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

function maxCost(
  services: RuntimeServices,
  model: string,
  inputTokens: number,
  maxTokens: number | undefined,
) {
  if (!services.pricing.priceOf(model)) {
    throw new InvalidConfigError('invalid pricing', [
      { path: `pricing.${model}`, message: 'a budget needs the model price: add it to the pricing option' },
    ]);
  }
  return services.pricing.maxCostUsd(model, inputTokens, maxTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
}

/** A failure inside a variant with its error class. */
class VariantError extends Error {
  readonly errorClass: ErrorClass;

  constructor(errorClass: ErrorClass, message: string) {
    super(message);
    this.errorClass = errorClass;
  }
}

function classify(error: unknown): { errorClass: ErrorClass; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof VariantError) return { errorClass: error.errorClass, message };
  const errorClass = (error as { errorClass?: unknown } | null)?.errorClass;
  if (typeof errorClass === 'string') return { errorClass: errorClass as ErrorClass, message };
  if (error instanceof SwitchyardError && error.code === 'INVALID_CONFIG')
    return { errorClass: 'client_error', message };
  return { errorClass: 'unknown', message };
}

function succeeded(
  base: Pick<VariantOutcome, 'variant' | 'provider' | 'model'>,
  started: number,
  services: RuntimeServices,
  execution: Execution,
  cached: boolean,
): VariantOutcome {
  return {
    variant: base.variant,
    provider: base.provider,
    model: base.model,
    ok: true,
    value: execution.value,
    errorClass: null,
    errorMessage: null,
    cached,
    usage: cached ? NO_USAGE : execution.usage,
    costUsd: cached ? 0 : execution.costUsd,
    attempts: cached ? 0 : execution.attempts,
    latencyMs: services.elapsed() - started,
  };
}

function failed(
  base: Pick<VariantOutcome, 'variant' | 'provider' | 'model'>,
  started: number,
  services: RuntimeServices,
  errorClass: ErrorClass,
  message: string,
  attempts: number,
): VariantOutcome {
  return {
    variant: base.variant,
    provider: base.provider,
    model: base.model,
    ok: false,
    errorClass,
    errorMessage: message.slice(0, 2_000),
    cached: false,
    usage: NO_USAGE,
    costUsd: 0,
    attempts,
    latencyMs: services.elapsed() - started,
  };
}
