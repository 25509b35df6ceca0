import type { CompiledFeature } from '../../core/compile-feature.js';
import {
  AllVariantsFailedError,
  BudgetExceededError,
  CancelledError,
  type VariantFailure,
} from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import type { Policy } from '../../core/policy-config.js';
import type { RunMessage } from '../model-call/model-request.js';
import { admitRequest, refusalClass } from './admit-request.js';
import { effectivePolicy } from './effective-policy.js';
import { type RunEvents, runEvents, unitOf } from './run-events.js';
import type { RunPlan, RunRequest } from './run-types.js';
import { runVariant, type VariantOutcome } from './run-variant.js';
import type { RuntimeServices } from './runtime-services.js';
import { type LiveVariant, startVariant } from './stream-variant.js';

/** How a chain runs its variants. */
export interface ChainOptions {
  /** `whole` runs each variant to its end; `stream` stops at a live variant's first content. */
  readonly mode: 'whole' | 'stream';
  /**
   * Whether a failure moves on to the variant's fallbacks and the default, and a budget refusal to the
   * policy's downgrade; `runAll()`'s entries run alone (a fallback would make two entries one variant).
   */
  readonly fallback: boolean;
  /** The request was admitted already (input rules and rate limit), as a `runAll()` group is, once. */
  readonly admitted?: boolean;
  /** Hears of the chain as it starts, to read its outcomes after a failure (a `runAll()` entry's totals). */
  readonly observe?: (chain: Chain) => void;
}

/** A run under way: its plan, policy, unit, events and what its variants have done so far. */
export interface Chain {
  readonly plan: RunPlan;
  readonly policy: Policy;
  readonly unitId: string | null;
  readonly events: RunEvents;
  readonly outcomes: VariantOutcome[];
  readonly failures: VariantFailure[];
}

/** How a chain ended: a variant served its whole answer, or one is live (streaming its answer). */
export type ChainEnd =
  | { readonly kind: 'served'; readonly chain: Chain; readonly served: VariantOutcome }
  | { readonly kind: 'live'; readonly chain: Chain; readonly live: LiveVariant; readonly fallback: boolean };

/**
 * The one run pipeline behind `run()`, `stream()` and each entry of `runAll()`, after the decision: the
 * request's admission (input rules and the unit's rate limit, unless the caller admitted a group already),
 * then the decided variant, its fallbacks and the default, each with cache, budget reserve and settle for
 * the unit, the call with timeout, retries and breaker, validation and repair; one `attempt` event per
 * variant and one `run` event (recorded here, or when a live stream ends).
 *
 * Cancellation is its own outcome: once the request's signal aborts, the chain stops at once (the call in
 * flight is aborted by the resilience layer, no retry or fallback starts, the budget is settled at what was
 * spent), records outcome `cancelled` and rejects with a CancelledError carrying the signal's reason.
 * Throws INVALID_INPUT, RATE_LIMITED, BUDGET_EXCEEDED, ALL_VARIANTS_FAILED or CANCELLED.
 */
export async function runChain(
  services: RuntimeServices,
  plan: RunPlan,
  options: ChainOptions,
): Promise<ChainEnd> {
  const { feature, decision } = plan;
  const policy = effectivePolicy(feature.config, feature.config.variants[decision.variant]);
  const unitId = unitOf(plan.attributes, policy);
  const events = runEvents(services, plan, unitId, policy);
  const chain: Chain = { plan, policy, unitId, events, outcomes: [], failures: [] };
  options.observe?.(chain);
  const signal = plan.request.signal;
  if (signal?.aborted) return cancel(chain, signal);
  if (options.admitted !== true) {
    try {
      await admitRequest(services, {
        feature: feature.key,
        policy,
        request: plan.request,
        attributes: plan.attributes,
      });
    } catch (error) {
      const errorClass = refusalClass(error);
      if (errorClass !== undefined)
        events.run({ outcome: 'rejected', errorClass, errorMessage: (error as Error).message });
      throw error;
    }
  }
  const messages = requestMessages(plan.request);
  const variants = options.fallback ? variantChain(feature, decision.variant) : [decision.variant];
  for (let index = 0; index < variants.length; index++) {
    if (signal?.aborted) return cancel(chain, signal);
    const variant = variants[index] as string;
    const variantPlan = {
      feature,
      variant,
      decision,
      request: plan.request,
      messages,
      attributes: plan.attributes,
      unitId,
      requestId: plan.requestId,
    };
    let outcome: VariantOutcome;
    try {
      const running =
        options.mode === 'stream'
          ? startVariant(services, variantPlan)
          : runVariant(services, variantPlan).then(whole);
      const started = await untilAborted(running, signal);
      if (started.live) return { kind: 'live', chain, live: started, fallback: index > 0 };
      outcome = started.outcome;
    } catch (error) {
      if (error === ABORTED && signal !== undefined) return cancel(chain, signal);
      if (!(error instanceof BudgetExceededError)) throw error;
      const downgrade =
        options.fallback && policy.budget?.onExceed === 'downgrade' ? policy.budget.downgradeTo : undefined;
      const at = downgrade === undefined ? -1 : variants.indexOf(downgrade);
      // The downgrade target itself over budget (or already tried): nothing cheaper is left.
      if (downgrade === undefined || (at !== -1 && at <= index)) {
        events.run({
          outcome: 'rejected',
          errorClass: 'budget_exceeded',
          errorMessage: error.message,
          outcomes: chain.outcomes,
        });
        throw error;
      }
      // Over budget: the cheaper variant the policy names runs next instead of refusing the run.
      chain.failures.push({ variant, errorClass: 'budget_exceeded', message: error.message });
      if (at !== -1) variants.splice(at, 1);
      variants.splice(index + 1, 0, downgrade);
      continue;
    }
    // A call that failed because the caller left is the caller's doing, not the variant's.
    if (!outcome.ok && signal?.aborted) return cancel(chain, signal, outcome, index > 0);
    chain.outcomes.push(outcome);
    events.attempt(outcome, index > 0);
    if (outcome.ok) {
      events.run({ outcome: 'success', served: outcome, outcomes: chain.outcomes });
      return { kind: 'served', chain, served: outcome };
    }
    chain.failures.push({
      variant,
      errorClass: outcome.errorClass ?? 'unknown',
      message: outcome.errorMessage ?? 'failed',
      ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
    });
  }
  const error = new AllVariantsFailedError(feature.key, chain.failures);
  events.run({
    outcome: 'error',
    errorClass: chain.failures.at(-1)?.errorClass as ErrorClass,
    errorMessage: error.message,
    outcomes: chain.outcomes,
  });
  throw error;
}

/** The decided variant, its fallbacks in order, then the default; each once. */
export function variantChain(feature: CompiledFeature, decided: string): string[] {
  const fallback = feature.config.variants[decided]?.fallback ?? [];
  return [...new Set([decided, ...fallback, feature.defaultVariant])];
}

/** The messages a request stands for: its messages, or its input as one user message. */
export function requestMessages(request: RunRequest): readonly RunMessage[] {
  if (request.messages) return request.messages;
  if (request.input === undefined || request.input === null) return [];
  const content = typeof request.input === 'string' ? request.input : JSON.stringify(request.input);
  return [{ role: 'user', content }];
}

/** Records the run (and the attempt the caller cut short) as cancelled and rejects with the signal's reason. */
function cancel(chain: Chain, signal: AbortSignal, cut?: VariantOutcome, fallback = false): never {
  if (cut !== undefined) {
    chain.outcomes.push(cut);
    chain.events.attempt(cut, fallback, 'cancelled');
  }
  const error = new CancelledError(chain.plan.feature.key, signal.reason);
  chain.events.run({ outcome: 'cancelled', errorMessage: error.message, outcomes: chain.outcomes });
  throw error;
}

type Started = { readonly live: false; readonly outcome: VariantOutcome } | LiveVariant;

function whole(outcome: VariantOutcome): Started {
  return { live: false, outcome };
}

/** Thrown by `untilAborted` when the caller's signal wins the race. */
const ABORTED = Symbol('aborted');

/**
 * The work's result, or a rejection with ABORTED the moment the signal aborts, so a caller who leaves is
 * answered at once even when a handler or a shared cache load ignores the signal (their own settling,
 * budget included, still happens when they finish).
 */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // The loser of the race must not surface as an unhandled rejection.
  aborted.catch(() => {});
  work.catch(() => {});
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
