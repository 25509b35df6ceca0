import {
  context,
  type Histogram,
  type MeterProvider,
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { DecisionReason } from '../../core/decision.js';
import type { CallOutcome, ErrorClass } from '../../core/event-schema.js';
import type { FinishReason, Usage } from '../model-call/model-request.js';

const SCOPE = 'switchyard';

/** OpenFeature's reason for each Switchyard reason, lowercase as `feature_flag.result.reason` takes it. */
const FLAG_REASONS: Readonly<Record<DecisionReason, string>> = {
  TARGETING_MATCH: 'targeting_match',
  SPLIT: 'split',
  STICKY: 'split',
  OVERRIDE: 'targeting_match',
  DEFAULT: 'default',
  NO_CONSENT: 'default',
  DISABLED: 'disabled',
  KILLED: 'disabled',
  ERROR: 'error',
};

/** What a run span is opened with. */
export interface RunTraceStart {
  readonly feature: string;
  readonly variant: string;
  readonly reason: DecisionReason;
  readonly ruleId: string | null;
  readonly version: number;
  /** Epoch ms the run started at. */
  readonly startedAt: number;
}

/** One variant tried, as the model call span and the metrics record it. */
export interface TracedAttempt {
  readonly variant: string;
  readonly ok: boolean;
  readonly cancelled: boolean;
  readonly errorClass: ErrorClass | null;
  readonly finishReason: FinishReason;
  readonly cached: boolean;
  readonly fallback: boolean;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly provider: string | null;
  readonly model: string | null;
  readonly latencyMs: number;
  /** Epoch ms the attempt ended at. */
  readonly endedAt: number;
}

/** How the run ended, for its span. */
export interface TracedRunEnd {
  readonly outcome: CallOutcome;
  readonly errorClass: ErrorClass | null;
  readonly servedVariant: string | null;
  readonly fallback: boolean;
  readonly cached: boolean;
  readonly usage: Usage;
  readonly costUsd: number;
  /** Epoch ms the run ended at. */
  readonly endedAt: number;
}

/** The spans and metrics of one run. */
export interface RunTrace {
  attempt(attempt: TracedAttempt): void;
  end(end: TracedRunEnd): void;
}

interface Instruments {
  readonly provider: MeterProvider;
  readonly tokens: Histogram;
  readonly duration: Histogram;
}

let instruments: Instruments | undefined;

/** The GenAI client histograms of the meter provider registered now (re-created when it changes). */
function instrumentsNow(): Instruments {
  const provider = metrics.getMeterProvider();
  if (instruments?.provider === provider) return instruments;
  const meter = provider.getMeter(SCOPE);
  instruments = {
    provider,
    tokens: meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Tokens used per model call, by gen_ai.token.type',
      unit: '{token}',
      advice: { explicitBucketBoundaries: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576] },
    }),
    duration: meter.createHistogram('gen_ai.client.operation.duration', {
      description: 'Duration of each model call',
      unit: 's',
      advice: {
        explicitBucketBoundaries: [
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
        ],
      },
    }),
  };
  return instruments;
}

/**
 * Opens the OpenTelemetry span of one run, through `@opentelemetry/api`: a no-op unless the application
 * registered an SDK. The run span (`run {feature}`, INTERNAL) carries the `feature_flag.evaluation` event
 * and Switchyard's attributes; each variant tried is a child span following the GenAI semantic conventions
 * (`chat {model}`, CLIENT, for a model call; `handler {variant}` for application code), and each model
 * call records `gen_ai.client.token.usage` and `gen_ai.client.operation.duration` with the variant as an
 * attribute. Unit ids, prompts and outputs are never put on spans.
 */
export function startRunTrace(start: RunTraceStart): RunTrace {
  const tracer = trace.getTracer(SCOPE);
  const run = tracer.startSpan(`run ${start.feature}`, {
    kind: SpanKind.INTERNAL,
    startTime: start.startedAt,
    attributes: {
      'switchyard.feature': start.feature,
      'switchyard.variant': start.variant,
      'switchyard.reason': start.reason,
      'switchyard.version': start.version,
      ...(start.ruleId === null ? {} : { 'switchyard.rule_id': start.ruleId }),
    },
  });
  const recording = run.isRecording();
  if (recording) {
    run.addEvent(
      'feature_flag.evaluation',
      {
        'feature_flag.key': start.feature,
        'feature_flag.result.variant': start.variant,
        'feature_flag.result.reason': FLAG_REASONS[start.reason],
        'feature_flag.provider.name': SCOPE,
        'feature_flag.version': String(start.version),
      },
      start.startedAt,
    );
  }
  // The run span joins the application's active trace; the variants' spans are its children.
  const parent = trace.setSpan(context.active(), run);
  return {
    attempt(attempt) {
      recordMetrics(start.feature, attempt);
      if (!recording) return;
      const startTime = attempt.endedAt - attempt.latencyMs;
      const isModel = attempt.model !== null;
      const span = tracer.startSpan(
        isModel ? `chat ${attempt.model}` : `handler ${attempt.variant}`,
        {
          kind: isModel ? SpanKind.CLIENT : SpanKind.INTERNAL,
          startTime,
          attributes: {
            ...(isModel
              ? {
                  'gen_ai.operation.name': 'chat',
                  'gen_ai.request.model': attempt.model as string,
                  ...(attempt.provider === null ? {} : { 'gen_ai.provider.name': attempt.provider }),
                  'gen_ai.usage.input_tokens': attempt.usage.inputTokens,
                  'gen_ai.usage.output_tokens': attempt.usage.outputTokens,
                  ...(attempt.ok ? { 'gen_ai.response.finish_reasons': [attempt.finishReason] } : {}),
                }
              : {}),
            'switchyard.feature': start.feature,
            'switchyard.variant': attempt.variant,
            'switchyard.fallback': attempt.fallback,
            'switchyard.cached': attempt.cached,
            'switchyard.cost_usd': attempt.costUsd,
          },
        },
        parent,
      );
      if (!attempt.ok && !attempt.cancelled) {
        span.setAttribute('error.type', attempt.errorClass ?? 'unknown');
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end(attempt.endedAt);
    },
    end(end) {
      if (!recording) {
        run.end(end.endedAt);
        return;
      }
      run.setAttributes({
        'switchyard.outcome': end.outcome,
        'switchyard.fallback': end.fallback,
        'switchyard.cached': end.cached,
        'switchyard.cost_usd': end.costUsd,
        'gen_ai.usage.input_tokens': end.usage.inputTokens,
        'gen_ai.usage.output_tokens': end.usage.outputTokens,
        ...(end.servedVariant === null ? {} : { 'switchyard.served_variant': end.servedVariant }),
      });
      if (end.outcome === 'error' || end.outcome === 'rejected') {
        run.setAttribute('error.type', end.errorClass ?? 'unknown');
        run.setStatus({ code: SpanStatusCode.ERROR });
      }
      run.end(end.endedAt);
    },
  };
}

function recordMetrics(feature: string, attempt: TracedAttempt): void {
  if (attempt.model === null || attempt.cached) return;
  const { tokens, duration } = instrumentsNow();
  const attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': attempt.model,
    ...(attempt.provider === null ? {} : { 'gen_ai.provider.name': attempt.provider }),
    'switchyard.feature': feature,
    'switchyard.variant': attempt.variant,
    ...(attempt.ok || attempt.cancelled ? {} : { 'error.type': attempt.errorClass ?? 'unknown' }),
  };
  duration.record(attempt.latencyMs / 1_000, attributes);
  if (attempt.usage.inputTokens > 0) {
    tokens.record(attempt.usage.inputTokens, { ...attributes, 'gen_ai.token.type': 'input' });
  }
  if (attempt.usage.outputTokens > 0) {
    tokens.record(attempt.usage.outputTokens, { ...attributes, 'gen_ai.token.type': 'output' });
  }
}
