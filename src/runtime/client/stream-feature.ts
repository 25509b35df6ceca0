import { CancelledError } from '../../core/errors.js';
import { ModelCallError } from '../model-call/model-call-error.js';
import type { ModelStreamPart } from '../model-call/model-stream-part.js';
import { PartQueue } from './part-queue.js';
import { type Chain, type ChainEnd, runChain } from './run-chain.js';
import { runResult } from './run-feature.js';
import type { RunPlan } from './run-types.js';
import type { VariantOutcome } from './run-variant.js';
import type { RuntimeServices } from './runtime-services.js';
import type { RunStreamPart, StreamResult, StreamRun } from './stream-types.js';
import type { LiveEnd, LiveVariant } from './stream-variant.js';

/**
 * Streams a decided feature through the one chain runner (`runChain`): the same admission, cache, budget,
 * resilience and fallback as `run()`, resolving as soon as one variant has its first content (or, for a
 * handler, structured or cached variant, its whole value): retries and fallbacks happen only before that
 * point. A reader that stops reading, like the caller's signal, cancels the run. Records the same call
 * events as `run()`; throws RATE_LIMITED, BUDGET_EXCEEDED, INVALID_INPUT, ALL_VARIANTS_FAILED or CANCELLED.
 */
export async function streamFeature(services: RuntimeServices, plan: RunPlan): Promise<StreamRun> {
  // The reader stopping early cancels the run like the caller's own signal does.
  const stopper = new AbortController();
  const signal = plan.request.signal
    ? AbortSignal.any([plan.request.signal, stopper.signal])
    : stopper.signal;
  const streaming: RunPlan = Object.assign({}, plan, {
    request: Object.assign({}, plan.request, { signal }),
  });
  const end = await runChain(services, streaming, { mode: 'stream', fallback: true });
  if (end.kind === 'served') return wholeRun(services, end, end.served);
  return liveRun(services, end, () =>
    stopper.abort(new DOMException('the reader stopped reading the stream', 'AbortError')),
  );
}

/** A value produced whole (handler, structured output, cache hit): streamed as one text part. */
function wholeRun(services: RuntimeServices, end: ChainEnd, served: VariantOutcome): StreamRun {
  const queue = new PartQueue<RunStreamPart>();
  for (const part of wholeParts(served)) queue.push(part);
  const result = runResult(services, end, served);
  queue.push({ type: 'finish', finishReason: result.finishReason, usage: result.usage });
  queue.end();
  return Object.assign(head(end.chain, served), streams(queue, Promise.resolve(result)));
}

/** A variant whose first content has arrived: the rest is pumped into the reader's queue as it comes. */
function liveRun(
  services: RuntimeServices,
  end: Extract<ChainEnd, { kind: 'live' }>,
  stop: () => void,
): StreamRun {
  const { chain, live } = end;
  const queue = new PartQueue<RunStreamPart>(stop);
  const pump = async (): Promise<StreamResult> => {
    const finished = await drain(live, queue);
    const outcome = finished.outcome;
    chain.outcomes.push(outcome);
    if (finished.cancelled) {
      chain.events.attempt(outcome, end.fallback, 'cancelled');
      const error = new CancelledError(chain.plan.feature.key, chain.plan.request.signal?.reason);
      chain.events.run({
        outcome: 'cancelled',
        errorMessage: error.message,
        served: outcome,
        outcomes: chain.outcomes,
      });
      queue.fail(error);
      throw error;
    }
    chain.events.attempt(outcome, end.fallback);
    if (outcome.ok) {
      chain.events.run({ outcome: 'success', served: outcome, outcomes: chain.outcomes });
      const result = runResult(services, end, outcome);
      queue.push({ type: 'finish', finishReason: result.finishReason, usage: result.usage });
      queue.end();
      return result;
    }
    const error =
      finished.error ?? new ModelCallError('the stream failed', { errorClass: 'unknown', retryable: false });
    chain.events.run({
      outcome: 'error',
      errorClass: outcome.errorClass ?? 'unknown',
      errorMessage: outcome.errorMessage ?? error.message,
      served: outcome,
      outcomes: chain.outcomes,
    });
    queue.fail(error);
    throw error;
  };
  const result = pump();
  // A reader that only iterates the parts sees the error there; `result` must not also go unhandled.
  result.catch(() => {});
  const served = { variant: live.variant, provider: live.provider, model: live.model, cached: false };
  return Object.assign(head(chain, served), streams(queue, result));
}

/** Pumps a live variant's parts into the queue; returns how it ended (never throws). */
async function drain(live: LiveVariant, queue: PartQueue<RunStreamPart>): Promise<LiveEnd> {
  try {
    for (;;) {
      const step = await live.parts.next();
      if (step.done) return step.value;
      queue.push(step.value);
    }
  } catch (caught) {
    // Only a broken counter or cache store gets here; the stream still ends with a recorded error.
    const error = new ModelCallError(caught instanceof Error ? caught.message : String(caught), {
      errorClass: 'unknown',
      retryable: false,
      cause: caught,
    });
    const outcome: VariantOutcome = {
      variant: live.variant,
      provider: live.provider,
      model: live.model,
      ok: false,
      content: [],
      toolCalls: [],
      finishReason: 'error',
      errorClass: 'unknown',
      errorMessage: error.message.slice(0, 2_000),
      cached: false,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 },
      costUsd: 0,
      attempts: 0,
      latencyMs: 0,
    };
    return { outcome, finishReason: 'error', error };
  }
}

/** The parts of an answer produced whole: its text as one text part, then its tool calls. */
function wholeParts(served: VariantOutcome): ModelStreamPart[] {
  const parts: ModelStreamPart[] = [];
  served.content.forEach((part, index) => {
    if (part.type === 'text' && part.text !== '') {
      const id = String(index);
      parts.push(
        { type: 'text-start', id },
        { type: 'text-delta', id, delta: part.text },
        { type: 'text-end', id },
      );
    } else if (part.type === 'tool-call') {
      parts.push(part);
    }
  });
  return parts;
}

/** The parts, a text view of the same queue, and the result. */
function streams(queue: PartQueue<RunStreamPart>, result: Promise<StreamResult>) {
  return { parts: queue, textStream: textOf(queue), result };
}

async function* textOf(parts: AsyncIterable<RunStreamPart>): AsyncGenerator<string, void, undefined> {
  for await (const part of parts) if (part.type === 'text-delta') yield part.delta;
}

// Object.assign onto a fresh literal rather than a spread: on Node 20 a literal that starts with a spread
// costs about 0.8 µs per property after it (docs/benchmarks.md, gateway).
function head(chain: Chain, served: Pick<VariantOutcome, 'variant' | 'provider' | 'model' | 'cached'>) {
  const { plan, failures } = chain;
  const fallback = served.variant !== plan.decision.variant;
  return Object.assign(
    {
      requestId: plan.requestId,
      decision: plan.decision,
      variant: served.variant,
      reason: plan.decision.reason,
      cached: served.cached,
      provider: served.provider,
      model: served.model,
    },
    fallback ? { fallback: { from: plan.decision.variant, causes: [...failures] } } : {},
  );
}
