import { type CallEvent, type ErrorClass, EVENT_TEXT_LIMITS } from '../../core/event-schema.js';
import type { Usage } from './run-types.js';
import type { RuntimeServices } from './runtime-services.js';

/** The fields of a call event that vary; the rest are filled from the run. */
export interface CallEventFields {
  readonly requestId: string;
  readonly feature: string;
  readonly scope: CallEvent['scope'];
  readonly variant: string;
  readonly servedVariant: string | null;
  readonly outcome: CallEvent['outcome'];
  readonly errorClass: ErrorClass | null;
  readonly errorMessage: string | null;
  readonly fallback?: boolean;
  readonly cached?: boolean;
  readonly latencyMs: number;
  readonly usage?: Usage;
  readonly costUsd?: number;
  readonly provider?: string | null;
  readonly model?: string | null;
  readonly attempts?: number;
  readonly unitId: string | null;
  /** Stored only when the feature's telemetry policy asks, already redacted. */
  readonly prompt?: string | null;
  readonly output?: string | null;
}

/** Writes one call event to telemetry; never throws. */
export function recordCall(services: RuntimeServices, fields: CallEventFields): void {
  services.telemetry.write({
    type: 'call',
    id: services.newId(),
    at: services.clock(),
    requestId: fields.requestId,
    feature: fields.feature,
    scope: fields.scope,
    variant: fields.variant,
    servedVariant: fields.servedVariant,
    outcome: fields.outcome,
    errorClass: fields.errorClass,
    errorMessage: cut(fields.errorMessage, EVENT_TEXT_LIMITS.errorMessage),
    fallback: fields.fallback ?? false,
    cached: fields.cached ?? false,
    latencyMs: Math.max(0, fields.latencyMs),
    inputTokens: fields.usage?.inputTokens ?? 0,
    outputTokens: fields.usage?.outputTokens ?? 0,
    costUsd: fields.costUsd ?? 0,
    provider: fields.provider ?? null,
    model: fields.model ?? null,
    attempts: fields.attempts ?? 0,
    unitId: fields.unitId,
    ...(fields.prompt === undefined ? {} : { prompt: cut(fields.prompt, EVENT_TEXT_LIMITS.prompt) }),
    ...(fields.output === undefined ? {} : { output: cut(fields.output, EVENT_TEXT_LIMITS.output) }),
  });
}

/** Text cut to `limit` code units, never in the middle of a surrogate pair. */
function cut(text: string | null, limit: number): string | null {
  if (text === null || text.length <= limit) return text;
  const end = isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
  return text.slice(0, end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
