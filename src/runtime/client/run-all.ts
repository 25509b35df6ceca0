import type { CompiledFeature } from '../../core/compile-feature.js';
import type { Attributes, Decision } from '../../core/decision.js';
import {
  AllVariantsFailedError,
  BudgetExceededError,
  CancelledError,
  InvalidInputError,
} from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import { lacksConsent } from '../../core/lacks-consent.js';
import { NO_USAGE } from '../model-call/model-request.js';
import { admitRequest, refusalClass } from './admit-request.js';
import { recordCall } from './call-event.js';
import { effectivePolicy } from './effective-policy.js';
import { type Chain, runChain } from './run-chain.js';
import { unitOf } from './run-events.js';
import { answerOf } from './run-feature.js';
import type { RunAllResult, RunPlan, RunRequest, VariantRunResult } from './run-types.js';
import type { RuntimeServices } from './runtime-services.js';

/** One `runAll` call: the decided feature, the caller's request and the variants to run side by side. */
export interface RunAllPlan {
  readonly feature: CompiledFeature;
  /** The unit's decision, with its stored experiment assignment applied. */
  readonly decision: Decision;
  readonly attributes: Attributes;
  readonly request: RunRequest;
  readonly variants: readonly string[];
  readonly requestId: string;
  /** Monotonic start time (ms). */
  readonly started: number;
  /** Records the exposure of one variant of the group. */
  readonly expose: (decision: Decision) => void;
}

/**
 * Runs several variants of one feature in parallel for one request (four session drafts): one request id
 * for the group, the input and the unit's rate limit checked once, then each variant as a single-variant
 * chain through the one chain runner (`runChain`: cache, the unit's own budget, retries, validation, its
 * attempt and run events; no fallback, which would make two entries the same variant), each coming back
 * with its value or its error. A killed or disabled feature runs only its default. A cancelled group
 * rejects with CancelledError.
 */
export async function runAll<T>(services: RuntimeServices, plan: RunAllPlan): Promise<RunAllResult<T>> {
  const { feature, decision, request, requestId } = plan;
  if (!Array.isArray(plan.variants) || plan.variants.length === 0) {
    throw new InvalidInputError('variants', 'name at least one variant');
  }
  const policy = effectivePolicy(feature.config, undefined);
  const refuse = (error: unknown, outcome: 'rejected' | 'cancelled', errorClass: ErrorClass | null) =>
    recordCall(services, {
      requestId,
      feature: feature.key,
      scope: 'run',
      variant: decision.variant,
      servedVariant: null,
      outcome,
      errorClass,
      errorMessage: (error as Error).message,
      latencyMs: services.elapsed() - plan.started,
      unitId: lacksConsent(feature, plan.attributes) ? null : unitOf(plan.attributes, policy),
    });
  if (request.signal?.aborted) {
    const error = new CancelledError(feature.key, request.signal.reason);
    refuse(error, 'cancelled', null);
    throw error;
  }
  try {
    await admitRequest(services, { feature: feature.key, policy, request, attributes: plan.attributes });
  } catch (error) {
    const errorClass = refusalClass(error);
    if (errorClass !== undefined) refuse(error, 'rejected', errorClass);
    throw error;
  }
  // A killed or disabled feature serves only its default: new variants must not run behind a kill; nor may
  // they for a unit without the consent the feature requires.
  const off =
    decision.reason === 'KILLED' || decision.reason === 'DISABLED' || decision.reason === 'NO_CONSENT';
  const results = await Promise.all(
    plan.variants.map(async (variant): Promise<VariantRunResult<T>> => {
      if (off && variant !== feature.defaultVariant) {
        return refused(
          variant,
          `FEATURE_${decision.reason}`,
          decision.reason === 'NO_CONSENT'
            ? `${feature.key} requires consent the unit has not given: only its default variant runs`
            : `${feature.key} is ${decision.reason.toLowerCase()}`,
        );
      }
      if (!(variant in feature.config.variants)) {
        return refused(variant, 'INVALID_INPUT', `variant "${variant}" does not exist in ${feature.key}`);
      }
      const forced: Decision = Object.assign({}, decision, {
        variant,
        reason: off ? decision.reason : ('OVERRIDE' as const),
      });
      plan.expose(forced);
      const entry: RunPlan = {
        feature,
        decision: forced,
        request,
        attributes: plan.attributes,
        requestId,
        started: services.elapsed(),
      };
      let chain: Chain | undefined;
      const observe = (started: Chain) => {
        chain = started;
      };
      try {
        const end = await runChain(services, entry, {
          mode: 'whole',
          fallback: false,
          admitted: true,
          observe,
        });
        if (end.kind !== 'served') throw new Error('a whole run never streams');
        const { served } = end;
        const totals = end.chain.events.totals(end.chain.outcomes);
        return {
          variant,
          value: served.value as T,
          answer: answerOf(served) as VariantRunResult<T>['answer'],
          cached: served.cached,
          latencyMs: served.latencyMs,
          usage: totals.usage,
          costUsd: totals.costUsd,
          attempts: totals.attempts,
        };
      } catch (error) {
        // A cancelled entry cancels the group: the caller left.
        if (CancelledError.isInstance(error)) throw error;
        return failedEntry<T>(variant, error, chain);
      }
    }),
  );
  return { requestId, latencyMs: services.elapsed() - plan.started, results };
}

/** An entry whose chain failed or was refused: its code, error class and message. */
function failedEntry<T>(variant: string, error: unknown, chain: Chain | undefined): VariantRunResult<T> {
  const message = error instanceof Error ? error.message : String(error);
  if (BudgetExceededError.isInstance(error)) {
    return errorEntry(variant, 'BUDGET_EXCEEDED', 'budget_exceeded', message, chain);
  }
  const outcome = chain?.outcomes.at(-1);
  if (!AllVariantsFailedError.isInstance(error) || outcome === undefined) throw error;
  return errorEntry(
    variant,
    'VARIANT_FAILED',
    outcome.errorClass ?? 'unknown',
    outcome.errorMessage ?? message,
    chain,
  );
}

function errorEntry<T>(
  variant: string,
  code: string,
  errorClass: ErrorClass,
  message: string,
  chain?: Chain,
): VariantRunResult<T> {
  const totals = chain?.events.totals(chain.outcomes);
  return {
    variant,
    error: { code, errorClass, message },
    cached: false,
    latencyMs: chain?.outcomes.at(-1)?.latencyMs ?? 0,
    usage: totals?.usage ?? NO_USAGE,
    costUsd: totals?.costUsd ?? 0,
    attempts: totals?.attempts ?? 0,
  };
}

function refused<T>(variant: string, code: string, message: string): VariantRunResult<T> {
  return errorEntry(variant, code, 'client_error', message);
}
