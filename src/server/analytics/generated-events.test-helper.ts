import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { TelemetryEvent } from '../../core/event-schema.js';

const AWKWARD = [
  'plain',
  'comma, inside',
  'quote " inside',
  'line\r\nbreak and\nlone LF',
  '=HYPERLINK("x")',
  ' padded ',
  'Coach 🧭 日本語 e\u0301',
  '',
];

/** The index-th generated event: all three types, every optional field present or absent, awkward text. */
export function generatedEvent(index: number): TelemetryEvent {
  const text = AWKWARD[index % AWKWARD.length]!;
  const common = {
    id: `event-${index}`,
    at: 1_700_000_000_000 + index,
    requestId: `request-${Math.floor(index / 3)}`,
    feature: index % 2 === 0 ? 'coach-reply' : 'persona',
  };
  switch (index % 3) {
    case 0:
      return {
        ...common,
        type: 'decision',
        variant: 'v2',
        reason: 'SPLIT',
        ruleId: index % 4 === 0 ? null : 'rollout',
        unitId: `user-${index % 97}`,
        version: index % 7,
      };
    case 1:
      return {
        ...common,
        type: 'call',
        scope: index % 2 === 0 ? 'run' : 'attempt',
        variant: 'v2',
        servedVariant: index % 5 === 0 ? null : 'legacy',
        outcome: index % 5 === 0 ? 'error' : 'success',
        errorClass: index % 5 === 0 ? 'parse_error' : null,
        errorMessage: index % 5 === 0 ? text : null,
        fallback: index % 2 === 0,
        cached: index % 3 === 0,
        latencyMs: (index % 10_000) / 7,
        inputTokens: index % 1_000,
        outputTokens: index % 300,
        costUsd: (index % 1_000) * 1.25e-6,
        provider: 'openai',
        model: index % 4 === 0 ? null : 'gpt-4o-mini',
        attempts: 1 + (index % 3),
        unitId: null,
        ...(index % 4 === 1 ? { prompt: text, output: `${text} reply` } : {}),
      };
    default:
      return {
        ...common,
        type: 'feedback',
        variant: index % 4 === 0 ? null : 'v2',
        accepted: [true, false, null][index % 3] ?? null,
        selectedVariant: index % 5 === 0 ? 'legacy' : null,
        rating: index % 2 === 0 ? -1.5 : null,
        metric: index % 2 === 0 ? text || 'empty' : null,
        value: index % 2 === 0 ? index / 3 : null,
      };
  }
}

/**
 * `count` generated events, made one at a time as the consumer pulls them; `onPull` runs every 5,000
 * events, from inside the pipeline, where a stage that buffers would show its held memory.
 */
export async function* generatedEvents(
  count: number,
  onPull: () => void = () => {},
): AsyncGenerator<TelemetryEvent> {
  for (let index = 0; index < count; index += 1) {
    if (index % 5_000 === 0) {
      onPull();
    }
    yield generatedEvent(index);
  }
}

/**
 * Samples live heap after a full collection, to bound how much a stream retains: a garbage collector
 * exposed at run time, so the test needs no node flag.
 */
export function heapProbe(): { sample(): void; readonly peakGrowthBytes: number } {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peak = 0;
  return {
    sample() {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    },
    get peakGrowthBytes() {
      return peak;
    },
  };
}
