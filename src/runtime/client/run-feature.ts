import type { CompiledFeature } from '../../core/compile-feature.js';
import type { Attributes, Decision } from '../../core/decision.js';
import { AllVariantsFailedError, BudgetExceededError, type VariantFailure } from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import type { Policy } from '../../core/policy-config.js';
import { redactPII } from '../guards/redact-pii.js';
import { admitRequest, refusalClass } from './admit-request.js';
import { recordCall } from './call-event.js';
import { effectivePolicy } from './effective-policy.js';
import type { ChatMessage, RunRequest, RunResult } from './run-types.js';
import { runVariant, type VariantOutcome } from './run-variant.js';
import type { RuntimeServices } from './runtime-services.js';

/** A run in progress: the decided feature, its request and the unit it is for. */
export interface RunPlan {
  readonly feature: CompiledFeature;
  readonly decision: Decision;
  readonly request: RunRequest;
  readonly attributes: Attributes;
  readonly requestId: string;
  readonly started: number;
}

/**
 * Runs a decided feature through the pipeline: input validation, rate limit, then the decided variant,
 * its fallback chain and finally the default, each with cache, budget, resilience and output checks.
 * Records one `attempt` call event per variant tried and one `run` event; throws RATE_LIMITED,
 * BUDGET_EXCEEDED, INVALID_INPUT or ALL_VARIANTS_FAILED.
 */
export async function runFeature(services: RuntimeServices, plan: RunPlan): Promise<RunResult> {
  const { feature, decision, request } = plan;
  const policy = effectivePolicy(feature.config, feature.config.variants[decision.variant]);
  const unitId = unitOf(plan.attributes, policy);
  const reject = (error: Error, errorClass: ErrorClass): never => {
    recordRun(services, plan, unitId, { outcome: 'rejected', errorClass, errorMessage: error.message });
    throw error;
  };

  const messages = requestMessages(request);
  try {
    await admitRequest(services, { feature: feature.key, policy, request, attributes: plan.attributes });
  } catch (error) {
    const errorClass = refusalClass(error);
    if (errorClass !== undefined) return reject(error as Error, errorClass);
    throw error;
  }

  const failures: VariantFailure[] = [];
  const outcomes: VariantOutcome[] = [];
  const chain = variantChain(feature, decision.variant);
  for (let index = 0; index < chain.length; index++) {
    const variant = chain[index] as string;
    let outcome: VariantOutcome;
    try {
      outcome = await runVariant(services, {
        feature,
        variant,
        decision,
        request,
        messages,
        attributes: plan.attributes,
        unitId,
        requestId: plan.requestId,
      });
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      const downgrade = policy.budget?.onExceed === 'downgrade' ? policy.budget.downgradeTo : undefined;
      const at = downgrade === undefined ? -1 : chain.indexOf(downgrade);
      // The downgrade target itself over budget (or already tried): nothing cheaper is left.
      if (downgrade === undefined || (at !== -1 && at <= index)) return reject(error, 'budget_exceeded');
      // Over budget: the cheaper variant the policy names runs next instead of refusing the run.
      failures.push({ variant, errorClass: 'budget_exceeded', message: error.message });
      if (at !== -1) chain.splice(at, 1);
      chain.splice(index + 1, 0, downgrade);
      continue;
    }
    outcomes.push(outcome);
    recordAttempt(services, plan, unitId, outcome, index > 0);
    if (outcome.ok) return finish(services, plan, unitId, policy, outcome, outcomes, failures);
    failures.push({
      variant,
      errorClass: outcome.errorClass ?? 'unknown',
      message: outcome.errorMessage ?? 'failed',
    });
  }
  const error = new AllVariantsFailedError(feature.key, failures);
  recordRun(services, plan, unitId, {
    outcome: 'error',
    errorClass: failures.at(-1)?.errorClass as ErrorClass,
    errorMessage: error.message,
    outcomes,
  });
  throw error;
}

function finish(
  services: RuntimeServices,
  plan: RunPlan,
  unitId: string | null,
  policy: Policy,
  served: VariantOutcome,
  outcomes: readonly VariantOutcome[],
  failures: readonly VariantFailure[],
): RunResult {
  const totals = sumOutcomes(outcomes);
  const latencyMs = services.elapsed() - plan.started;
  const fallback = served.variant !== plan.decision.variant;
  recordRun(services, plan, unitId, {
    outcome: 'success',
    served,
    outcomes,
    ...storedTexts(policy, plan.request, served.value),
  });
  return {
    requestId: plan.requestId,
    value: served.value,
    variant: served.variant,
    reason: plan.decision.reason,
    decision: plan.decision,
    ...(fallback ? { fallback: { from: plan.decision.variant, causes: failures } } : {}),
    cached: served.cached,
    latencyMs,
    usage: totals.usage,
    costUsd: totals.costUsd,
    attempts: totals.attempts,
  };
}

function recordAttempt(
  services: RuntimeServices,
  plan: RunPlan,
  unitId: string | null,
  outcome: VariantOutcome,
  fallback: boolean,
): void {
  recordCall(services, {
    requestId: plan.requestId,
    feature: plan.feature.key,
    scope: 'attempt',
    variant: plan.decision.variant,
    servedVariant: outcome.variant,
    outcome: outcome.ok ? 'success' : 'error',
    errorClass: outcome.errorClass,
    errorMessage: outcome.errorMessage,
    fallback,
    cached: outcome.cached,
    latencyMs: outcome.latencyMs,
    usage: outcome.usage,
    costUsd: outcome.costUsd,
    provider: outcome.provider,
    model: outcome.model,
    attempts: outcome.attempts,
    unitId,
  });
}

interface RunEventFields {
  readonly outcome: 'success' | 'error' | 'rejected';
  readonly errorClass?: ErrorClass;
  readonly errorMessage?: string;
  readonly served?: VariantOutcome;
  readonly outcomes?: readonly VariantOutcome[];
  readonly prompt?: string | null;
  readonly output?: string | null;
}

function recordRun(
  services: RuntimeServices,
  plan: RunPlan,
  unitId: string | null,
  fields: RunEventFields,
): void {
  const totals = sumOutcomes(fields.outcomes ?? []);
  recordCall(services, {
    requestId: plan.requestId,
    feature: plan.feature.key,
    scope: 'run',
    variant: plan.decision.variant,
    servedVariant: fields.served?.variant ?? null,
    outcome: fields.outcome,
    errorClass: fields.errorClass ?? null,
    errorMessage: fields.errorMessage ?? null,
    fallback: fields.served !== undefined && fields.served.variant !== plan.decision.variant,
    cached: fields.served?.cached ?? false,
    latencyMs: services.elapsed() - plan.started,
    usage: totals.usage,
    costUsd: totals.costUsd,
    provider: fields.served?.provider ?? null,
    model: fields.served?.model ?? null,
    attempts: totals.attempts,
    unitId,
    ...(fields.prompt === undefined ? {} : { prompt: fields.prompt }),
    ...(fields.output === undefined ? {} : { output: fields.output }),
  });
}

function sumOutcomes(outcomes: readonly VariantOutcome[]) {
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  let attempts = 0;
  for (const outcome of outcomes) {
    inputTokens += outcome.usage.inputTokens;
    outputTokens += outcome.usage.outputTokens;
    costUsd += outcome.costUsd;
    attempts += outcome.attempts;
  }
  return { usage: { inputTokens, outputTokens }, costUsd, attempts };
}

/** The decided variant, its fallbacks in order, then the default; each once. */
export function variantChain(feature: CompiledFeature, decided: string): string[] {
  const fallback = feature.config.variants[decided]?.fallback ?? [];
  return [...new Set([decided, ...fallback, feature.defaultVariant])];
}

/** The chat messages a request stands for: its messages, or its input as one user message. */
export function requestMessages(request: RunRequest): readonly ChatMessage[] {
  if (request.messages) return request.messages;
  if (request.input === undefined || request.input === null) return [];
  const content = typeof request.input === 'string' ? request.input : JSON.stringify(request.input);
  return [{ role: 'user', content }];
}

function unitOf(attributes: Attributes, policy: Policy): string | null {
  const attribute = policy.rateLimit?.unitAttribute ?? policy.budget?.unitAttribute ?? 'userId';
  const value = attributes[attribute];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function storedTexts(policy: Policy, request: RunRequest, value: unknown) {
  const telemetry = policy.telemetry;
  if (!telemetry) return {};
  const keep = (text: string) => (telemetry.redactPII ? redactPII(text).text : text);
  const prompt = request.messages ? JSON.stringify(request.messages) : JSON.stringify(request.input ?? null);
  return {
    ...(telemetry.storePrompts ? { prompt: keep(prompt) } : {}),
    ...(telemetry.storeOutputs
      ? { output: keep(typeof value === 'string' ? value : JSON.stringify(value)) }
      : {}),
  };
}
