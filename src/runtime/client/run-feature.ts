import type { CompiledFeature } from '../../core/compile-feature.js';
import { AllVariantsFailedError, BudgetExceededError, type VariantFailure } from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import { admitRequest, refusalClass } from './admit-request.js';
import { effectivePolicy } from './effective-policy.js';
import { runEvents, unitOf } from './run-events.js';
import type { ChatMessage, RunPlan, RunRequest, RunResult } from './run-types.js';

import { runVariant, type VariantOutcome } from './run-variant.js';
import type { RuntimeServices } from './runtime-services.js';

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
  const events = runEvents(services, plan, unitId, policy);
  const reject = (error: Error, errorClass: ErrorClass): never => {
    events.run({ outcome: 'rejected', errorClass, errorMessage: error.message });
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
    events.attempt(outcome, index > 0);
    if (outcome.ok) {
      events.run({ outcome: 'success', served: outcome, outcomes });
      const totals = events.totals(outcomes);
      return {
        requestId: plan.requestId,
        value: outcome.value,
        variant: outcome.variant,
        reason: decision.reason,
        decision,
        ...(outcome.variant === decision.variant
          ? {}
          : { fallback: { from: decision.variant, causes: failures } }),
        cached: outcome.cached,
        latencyMs: services.elapsed() - plan.started,
        usage: totals.usage,
        costUsd: totals.costUsd,
        attempts: totals.attempts,
      };
    }
    failures.push({
      variant,
      errorClass: outcome.errorClass ?? 'unknown',
      message: outcome.errorMessage ?? 'failed',
    });
  }
  const error = new AllVariantsFailedError(feature.key, failures);
  events.run({
    outcome: 'error',
    errorClass: failures.at(-1)?.errorClass as ErrorClass,
    errorMessage: error.message,
    outcomes,
  });
  throw error;
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
