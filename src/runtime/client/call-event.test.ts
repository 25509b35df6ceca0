import { describe, expect, it } from 'vitest';
import {
  type CallEvent,
  EVENT_TEXT_LIMITS,
  eventSchema,
  type TelemetryEvent,
} from '../../core/event-schema.js';
import { recordCall } from './call-event.js';
import type { RuntimeServices } from './runtime-services.js';

function recorded(fields: Partial<Parameters<typeof recordCall>[1]>): CallEvent {
  const written: TelemetryEvent[] = [];
  const services = {
    telemetry: { write: (event: TelemetryEvent) => written.push(event) },
    newId: () => 'id-1',
    clock: () => 1_700_000_000_000,
  } as unknown as RuntimeServices;
  recordCall(services, {
    requestId: 'request-1',
    feature: 'coach-reply',
    scope: 'run',
    variant: 'v1',
    servedVariant: 'v1',
    outcome: 'success',
    errorClass: null,
    errorMessage: null,
    latencyMs: 5,
    unitId: 'user-1',
    ...fields,
  });
  return written[0] as CallEvent;
}

describe('recordCall', () => {
  it('cuts error messages, prompts and outputs to the limits ingest enforces, never splitting a pair', () => {
    const long = '🧭'.repeat(EVENT_TEXT_LIMITS.prompt);
    const event = recorded({ prompt: long, output: `x${long}`, errorMessage: 'e'.repeat(5_000) });
    expect(event.prompt?.length).toBe(EVENT_TEXT_LIMITS.prompt);
    expect(event.output?.length).toBe(EVENT_TEXT_LIMITS.output - 1);
    expect(event.output?.endsWith('🧭')).toBe(true);
    expect(event.errorMessage).toBe('e'.repeat(EVENT_TEXT_LIMITS.errorMessage));
    expect(eventSchema.safeParse(event).success).toBe(true);
  });

  it('keeps short text and null as they are', () => {
    const event = recorded({ prompt: 'hi', output: null, errorMessage: null });
    expect(event).toMatchObject({ prompt: 'hi', output: null, errorMessage: null });
  });
});
