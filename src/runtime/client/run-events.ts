import type { Attributes } from '../../core/decision.js';
import type { CallOutcome, ErrorClass } from '../../core/event-schema.js';
import { lacksConsent } from '../../core/lacks-consent.js';
import type { Policy } from '../../core/policy-config.js';
import { redactPII } from '../guards/redact-pii.js';
import { addUsage, NO_USAGE, type Usage } from '../model-call/model-request.js';
import { startRunTrace } from '../telemetry/run-trace.js';
import { recordCall } from './call-event.js';
import type { RunPlan } from './run-types.js';
import type { VariantOutcome } from './run-variant.js';
import type { RuntimeServices } from './runtime-services.js';

/** How a run ended, for its `run` call event. */
export interface RunEnd {
  readonly outcome: CallOutcome;
  readonly errorClass?: ErrorClass;
  readonly errorMessage?: string;
  /** The variant whose value (or, for a stream cut short, whose text) the caller got. */
  readonly served?: VariantOutcome;
  readonly outcomes?: readonly VariantOutcome[];
}

/** The call events of one run, whole or streamed. */
export interface RunEvents {
  /**
   * One `attempt` event for a variant tried; `fallback` when it is not the decided one, `cancelled` when the
   * caller's signal cut it short (then it counts as no success or error).
   */
  attempt(outcome: VariantOutcome, fallback: boolean, status?: 'cancelled'): void;
  /** The one `run` event, with totals over every outcome and the stored prompt and output when asked. */
  run(end: RunEnd): void;
  /** Tokens, cost and attempts summed over outcomes. */
  totals(outcomes: readonly VariantOutcome[]): { usage: Usage; costUsd: number; attempts: number };
}

/**
 * Writes a run's call events, one `attempt` per variant tried and one `run`, the same for `run()` and
 * `stream()` so both read alike in every metric; a stream cut short after its first chunk is a `run`
 * event with outcome `error` that still names the variant whose text was sent.
 */
export function runEvents(
  services: RuntimeServices,
  plan: RunPlan,
  limitedUnit: string | null,
  policy: Policy,
): RunEvents {
  // A unit without the consent the feature requires is recorded without its id, prompt or output.
  const anonymous = lacksConsent(plan.feature, plan.attributes);
  const unitId = anonymous ? null : limitedUnit;
  const totals = (outcomes: readonly VariantOutcome[]) => {
    let usage = NO_USAGE;
    let costUsd = 0;
    let attempts = 0;
    for (const outcome of outcomes) {
      usage = addUsage(usage, outcome.usage);
      costUsd += outcome.costUsd;
      attempts += outcome.attempts;
    }
    return { usage, costUsd, attempts };
  };
  const requestId = plan.requestId;
  const feature = plan.feature.key;
  const variant = plan.decision.variant;
  const decision = plan.decision;
  const trace = startRunTrace({
    feature,
    variant,
    reason: decision.reason,
    ruleId: decision.ruleId,
    version: decision.version,
    startedAt: services.clock() - (services.elapsed() - plan.started),
  });
  // The fields are spelled out: on Node 20 a literal that starts with a spread (`{ ...base, scope, … }`)
  // costs about 0.8 µs per property after it, 10 µs for one of these events (docs/benchmarks.md, gateway).
  return {
    totals,
    attempt(outcome, fallback, status) {
      trace.attempt({
        variant: outcome.variant,
        ok: outcome.ok,
        cancelled: status === 'cancelled',
        errorClass: outcome.errorClass,
        finishReason: outcome.finishReason,
        cached: outcome.cached,
        fallback,
        usage: outcome.usage,
        costUsd: outcome.costUsd,
        provider: outcome.provider,
        model: outcome.model,
        latencyMs: outcome.latencyMs,
        endedAt: services.clock(),
      });
      recordCall(services, {
        requestId,
        feature,
        variant,
        unitId,
        scope: 'attempt',
        servedVariant: outcome.variant,
        outcome: status ?? (outcome.ok ? 'success' : 'error'),
        errorClass: status === 'cancelled' ? null : outcome.errorClass,
        errorMessage: outcome.errorMessage,
        fallback,
        cached: outcome.cached,
        latencyMs: outcome.latencyMs,
        usage: outcome.usage,
        costUsd: outcome.costUsd,
        provider: outcome.provider,
        model: outcome.model,
        attempts: outcome.attempts,
      });
    },
    run(end) {
      const sums = totals(end.outcomes ?? []);
      const served = end.served;
      trace.end({
        outcome: end.outcome,
        errorClass: end.errorClass ?? null,
        servedVariant: served?.variant ?? null,
        fallback: served !== undefined && served.variant !== variant,
        cached: served?.cached ?? false,
        usage: sums.usage,
        costUsd: sums.costUsd,
        endedAt: services.clock(),
      });
      recordCall(services, {
        requestId,
        feature,
        variant,
        unitId,
        scope: 'run',
        servedVariant: served?.variant ?? null,
        outcome: end.outcome,
        errorClass: end.errorClass ?? null,
        errorMessage: end.errorMessage ?? null,
        fallback: served !== undefined && served.variant !== variant,
        cached: served?.cached ?? false,
        latencyMs: services.elapsed() - plan.started,
        usage: sums.usage,
        costUsd: sums.costUsd,
        provider: served?.provider ?? null,
        model: served?.model ?? null,
        attempts: sums.attempts,
        ...(end.outcome === 'success' && served && !anonymous ? storedTexts(policy, plan, served.value) : {}),
      });
    },
  };
}

function storedTexts(policy: Policy, plan: RunPlan, value: unknown) {
  const telemetry = policy.telemetry;
  if (!telemetry) return {};
  const keep = (text: string) => (telemetry.redactPII ? redactPII(text).text : text);
  const request = plan.request;
  const prompt = request.messages ? JSON.stringify(request.messages) : JSON.stringify(request.input ?? null);
  const texts: { prompt?: string; output?: string } = {};
  if (telemetry.storePrompts) texts.prompt = keep(prompt);
  if (telemetry.storeOutputs) texts.output = keep(typeof value === 'string' ? value : JSON.stringify(value));
  return texts;
}

/**
 * The unit a run is counted for: the rate-limit or budget unit attribute, else `userId`. Limits count a
 * unit without consent too (they protect the service, they do not personalize); its events do not name it.
 */
export function unitOf(attributes: Attributes, policy: Policy): string | null {
  const attribute = policy.rateLimit?.unitAttribute ?? policy.budget?.unitAttribute ?? 'userId';
  const value = attributes[attribute];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}
