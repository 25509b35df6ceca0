import type { CompiledFeature } from '../../core/compile-feature.js';
import type { Attributes, Decision, EvaluationContext } from '../../core/decision.js';
import { InvalidInputError } from '../../core/errors.js';
import { evaluate } from '../../core/evaluate.js';
import { admitRequest, refusalClass } from './admit-request.js';
import { recordCall } from './call-event.js';
import { effectivePolicy } from './effective-policy.js';
import { requestMessages } from './run-feature.js';
import type { RunAllResult, RunRequest, VariantRunResult } from './run-types.js';
import { runVariant, type VariantOutcome } from './run-variant.js';
import type { RuntimeServices } from './runtime-services.js';

/** One `runAll` call: the feature, the caller's context and the variants to run side by side. */
export interface RunAllPlan {
  readonly feature: CompiledFeature;
  readonly context: EvaluationContext | undefined;
  readonly attributes: Attributes;
  readonly request: RunRequest;
  readonly variants: readonly string[];
  /** Records the exposure of one variant of the group. */
  readonly expose: (decision: Decision, requestId: string) => void;
}

/**
 * Runs several variants of one feature in parallel for one request (four session drafts): one request id
 * for the group, the input and rate limit checked once, each variant alone (retries, no fallback chain),
 * each coming back with its value or its error. A killed or disabled feature runs only its default.
 */
export async function runAll<T>(services: RuntimeServices, plan: RunAllPlan): Promise<RunAllResult<T>> {
  const started = services.elapsed();
  const { feature, request } = plan;
  if (!Array.isArray(plan.variants) || plan.variants.length === 0) {
    throw new InvalidInputError('variants', 'name at least one variant');
  }
  const decision = evaluate(feature, plan.context);
  const requestId = services.newId();
  try {
    await admitRequest(services, {
      feature: feature.key,
      policy: effectivePolicy(feature.config, undefined),
      request,
      attributes: plan.attributes,
    });
  } catch (error) {
    const errorClass = refusalClass(error);
    if (errorClass !== undefined) {
      recordCall(services, {
        requestId,
        feature: feature.key,
        scope: 'run',
        variant: decision.variant,
        servedVariant: null,
        outcome: 'rejected',
        errorClass,
        errorMessage: (error as Error).message,
        latencyMs: services.elapsed() - started,
        unitId: null,
      });
    }
    throw error;
  }
  // A killed or disabled feature serves only its default: new variants must not run behind a kill.
  const off = decision.reason === 'KILLED' || decision.reason === 'DISABLED';
  const messages = requestMessages(request);
  const results = await Promise.all(
    plan.variants.map(async (variant): Promise<VariantRunResult<T>> => {
      if (off && variant !== feature.defaultVariant) {
        return refused(
          variant,
          `FEATURE_${decision.reason}`,
          `${feature.key} is ${decision.reason.toLowerCase()}`,
        );
      }
      if (!(variant in feature.config.variants)) {
        return refused(variant, 'INVALID_INPUT', `variant "${variant}" does not exist in ${feature.key}`);
      }
      const forced: Decision = Object.assign({}, decision, {
        variant,
        reason: off ? decision.reason : ('OVERRIDE' as const),
      });
      plan.expose(forced, requestId);
      const outcome = await runVariant(services, {
        feature,
        variant,
        decision: forced,
        request,
        messages,
        attributes: plan.attributes,
        unitId: null,
        requestId,
      }).catch((error: unknown) => budgetRefusal(variant, error));
      recordCall(services, {
        requestId,
        feature: feature.key,
        scope: 'run',
        variant,
        servedVariant: outcome.ok ? variant : null,
        outcome: outcome.ok ? 'success' : 'error',
        errorClass: outcome.errorClass,
        errorMessage: outcome.errorMessage,
        cached: outcome.cached,
        latencyMs: outcome.latencyMs,
        usage: outcome.usage,
        costUsd: outcome.costUsd,
        provider: outcome.provider,
        model: outcome.model,
        attempts: outcome.attempts,
        unitId: null,
      });
      return toResult<T>(outcome);
    }),
  );
  return { requestId, latencyMs: services.elapsed() - started, results };
}

function toResult<T>(outcome: VariantOutcome): VariantRunResult<T> {
  const base = {
    variant: outcome.variant,
    cached: outcome.cached,
    latencyMs: outcome.latencyMs,
    usage: outcome.usage,
    costUsd: outcome.costUsd,
    attempts: outcome.attempts,
  };
  // Object.assign rather than a literal that starts with `...base` (slow on Node 20, docs/benchmarks.md).
  if (outcome.ok) return Object.assign(base, { value: outcome.value as T });
  return Object.assign(base, {
    error: {
      code: outcome.errorClass === 'budget_exceeded' ? 'BUDGET_EXCEEDED' : 'VARIANT_FAILED',
      errorClass: outcome.errorClass ?? 'unknown',
      message: outcome.errorMessage ?? 'failed',
    },
  });
}

/** runVariant throws only a budget refusal; in a group it becomes that variant's error. */
function budgetRefusal(variant: string, error: unknown): VariantOutcome {
  return {
    variant,
    ok: false,
    errorClass: 'budget_exceeded',
    errorMessage: error instanceof Error ? error.message : String(error),
    cached: false,
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
    attempts: 0,
    latencyMs: 0,
    provider: null,
    model: null,
  };
}

function refused<T>(variant: string, code: string, message: string): VariantRunResult<T> {
  return {
    variant,
    error: { code, errorClass: 'client_error', message },
    cached: false,
    latencyMs: 0,
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
    attempts: 0,
  };
}
