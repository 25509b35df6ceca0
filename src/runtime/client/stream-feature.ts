import { AllVariantsFailedError, BudgetExceededError, type VariantFailure } from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import { ModelCallError } from '../model-call/model-call-error.js';
import { admitRequest, refusalClass } from './admit-request.js';
import { effectivePolicy } from './effective-policy.js';
import { type RunEvents, runEvents, unitOf } from './run-events.js';
import { requestMessages, variantChain } from './run-feature.js';
import type { RunPlan } from './run-types.js';
import type { VariantOutcome } from './run-variant.js';
import type { RuntimeServices } from './runtime-services.js';
import type { StreamRequest, StreamResult, StreamRun } from './stream-types.js';
import { type LiveEnd, type StartedVariant, startVariant } from './stream-variant.js';
import { TextQueue } from './text-queue.js';

/** A streamed run in progress: a run plan whose request may carry sampling defaults. */
export interface StreamPlan extends RunPlan {
  readonly request: StreamRequest;
}

interface Progress {
  readonly plan: StreamPlan;
  readonly events: RunEvents;
  readonly outcomes: VariantOutcome[];
  readonly failures: VariantFailure[];
}

/**
 * Streams a decided feature through the run pipeline: input validation, rate limit, then the decided
 * variant, its fallback chain and the default, each with cache, budget and resilience. Resolves as soon
 * as one variant has its first text (or, for a handler, structured or cached variant, its whole value):
 * retries and fallbacks happen only before that point. Records the same call events as `run()`; throws
 * RATE_LIMITED, BUDGET_EXCEEDED, INVALID_INPUT or ALL_VARIANTS_FAILED.
 */
export async function streamFeature(services: RuntimeServices, plan: StreamPlan): Promise<StreamRun> {
  const { feature, decision } = plan;
  const policy = effectivePolicy(feature.config, feature.config.variants[decision.variant]);
  const unitId = unitOf(plan.attributes, policy);
  const events = runEvents(services, plan, unitId, policy);
  try {
    await admitRequest(services, {
      feature: feature.key,
      policy,
      request: plan.request,
      attributes: plan.attributes,
    });
  } catch (error) {
    const errorClass = refusalClass(error);
    if (errorClass !== undefined) {
      events.run({ outcome: 'rejected', errorClass, errorMessage: (error as Error).message });
    }
    throw error;
  }

  // The reader stopping early aborts the run like the caller's own signal does.
  const stopper = new AbortController();
  const signal = plan.request.signal
    ? AbortSignal.any([plan.request.signal, stopper.signal])
    : stopper.signal;
  const request: StreamRequest = Object.assign({}, plan.request, { signal });
  const messages = requestMessages(request);
  const progress: Progress = { plan, events, outcomes: [], failures: [] };
  const chain = variantChain(feature, decision.variant);
  for (let index = 0; index < chain.length; index++) {
    const variant = chain[index] as string;
    let started: StartedVariant;
    try {
      started = await startVariant(services, {
        feature,
        variant,
        decision,
        request,
        messages,
        attributes: plan.attributes,
        unitId,
        requestId: plan.requestId,
        ...(request.parameters ? { parameters: request.parameters } : {}),
      });
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      const downgrade = policy.budget?.onExceed === 'downgrade' ? policy.budget.downgradeTo : undefined;
      const at = downgrade === undefined ? -1 : chain.indexOf(downgrade);
      if (downgrade === undefined || (at !== -1 && at <= index)) {
        events.run({ outcome: 'rejected', errorClass: 'budget_exceeded', errorMessage: error.message });
        throw error;
      }
      // Over budget: the cheaper variant the policy names runs next, as in run().
      progress.failures.push({ variant, errorClass: 'budget_exceeded', message: error.message });
      if (at !== -1) chain.splice(at, 1);
      chain.splice(index + 1, 0, downgrade);
      continue;
    }
    if (started.live) {
      return liveRun(services, progress, started, index > 0, () =>
        stopper.abort(new DOMException('the reader stopped reading the stream', 'AbortError')),
      );
    }
    const outcome = started.outcome;
    progress.outcomes.push(outcome);
    events.attempt(outcome, index > 0);
    if (outcome.ok) return wholeRun(services, progress, outcome);
    progress.failures.push({
      variant,
      errorClass: outcome.errorClass ?? 'unknown',
      message: outcome.errorMessage ?? 'failed',
    });
  }
  const error = new AllVariantsFailedError(feature.key, progress.failures);
  events.run({
    outcome: 'error',
    errorClass: progress.failures.at(-1)?.errorClass as ErrorClass,
    errorMessage: error.message,
    outcomes: progress.outcomes,
  });
  throw error;
}

/** A value produced whole (handler, structured output, cache hit): streamed as one chunk. */
function wholeRun(services: RuntimeServices, progress: Progress, served: VariantOutcome): StreamRun {
  progress.events.run({ outcome: 'success', served, outcomes: progress.outcomes });
  const queue = new TextQueue();
  const text = textOf(served.value);
  if (text !== '') queue.push(text);
  queue.end();
  const result: StreamResult = Object.assign(runResult(services, progress, served), {
    finishReason: 'stop' as const,
  });
  return Object.assign(head(progress, served), { textStream: queue, result: Promise.resolve(result) });
}

/** A variant whose first text has arrived: the rest is pumped into the reader's queue as it comes. */
function liveRun(
  services: RuntimeServices,
  progress: Progress,
  started: Extract<StartedVariant, { live: true }>,
  fallback: boolean,
  stop: () => void,
): StreamRun {
  const queue = new TextQueue(stop);
  const pump = async (): Promise<StreamResult> => {
    let end: LiveEnd;
    try {
      for (;;) {
        const step = await started.chunks.next();
        if (step.done) {
          end = step.value;
          break;
        }
        queue.push(step.value);
      }
    } catch (caught) {
      // Only a broken counter or cache store gets here; the stream still ends with a recorded error.
      const error = new ModelCallError(caught instanceof Error ? caught.message : String(caught), {
        errorClass: 'unknown',
        retryable: false,
        cause: caught,
      });
      end = { outcome: brokenOutcome(started, error), finishReason: 'other', error };
    }
    const outcome = end.outcome;
    progress.outcomes.push(outcome);
    progress.events.attempt(outcome, fallback);
    if (outcome.ok) {
      progress.events.run({ outcome: 'success', served: outcome, outcomes: progress.outcomes });
      queue.end();
      return Object.assign(runResult(services, progress, outcome), { finishReason: end.finishReason });
    }
    const error =
      end.error ?? new ModelCallError('the stream failed', { errorClass: 'unknown', retryable: false });
    progress.events.run({
      outcome: 'error',
      errorClass: outcome.errorClass ?? 'unknown',
      errorMessage: outcome.errorMessage ?? error.message,
      served: outcome,
      outcomes: progress.outcomes,
    });
    queue.fail(error);
    throw error;
  };
  const result = pump();
  // A reader that only iterates textStream sees the error there; `result` must not also go unhandled.
  result.catch(() => {});
  const served = {
    variant: started.variant,
    provider: started.provider,
    model: started.model,
    cached: false,
  };
  return Object.assign(head(progress, served), { textStream: queue, result });
}

/** What a stream and its result both say of the run: ids, the decision, the served variant, any fallback. */
function identity(progress: Progress, served: Pick<VariantOutcome, 'variant' | 'cached'>) {
  const { plan, failures } = progress;
  const fallback = served.variant !== plan.decision.variant;
  return {
    requestId: plan.requestId,
    decision: plan.decision,
    variant: served.variant,
    reason: plan.decision.reason,
    ...(fallback ? { fallback: { from: plan.decision.variant, causes: [...failures] } } : {}),
    cached: served.cached,
  };
}

// Object.assign onto a fresh literal rather than `{ ...identity(…), … }`: on Node 20 a literal that starts
// with a spread costs about 0.8 µs per property after it (docs/benchmarks.md, gateway).
function head(progress: Progress, served: Pick<VariantOutcome, 'variant' | 'provider' | 'model' | 'cached'>) {
  return Object.assign(identity(progress, served), { provider: served.provider, model: served.model });
}

function runResult(services: RuntimeServices, progress: Progress, served: VariantOutcome) {
  const totals = progress.events.totals(progress.outcomes);
  return Object.assign(identity(progress, served), {
    value: served.value,
    latencyMs: services.elapsed() - progress.plan.started,
    usage: totals.usage,
    costUsd: totals.costUsd,
    attempts: totals.attempts,
  });
}

function brokenOutcome(
  started: Extract<StartedVariant, { live: true }>,
  error: ModelCallError,
): VariantOutcome {
  return {
    variant: started.variant,
    provider: started.provider,
    model: started.model,
    ok: false,
    errorClass: error.errorClass,
    errorMessage: error.message.slice(0, 2_000),
    cached: false,
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
    attempts: 0,
    latencyMs: 0,
  };
}

/** A value as the text a stream carries: strings as they are, anything else as JSON. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}
