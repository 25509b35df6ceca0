import { metrics, trace } from '@opentelemetry/api';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { InvalidConfigError } from '../../core/errors.js';

/** The OTLP export `serve` runs, and how to stop it (flushing what is buffered). */
export interface OtlpExport {
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly endpoint: string;
  shutdown(): Promise<void>;
}

/**
 * Exports the runtime's OpenTelemetry spans and metrics over OTLP when the standard
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set (traces to `<endpoint>/v1/traces`, metrics to `/v1/metrics`), with
 * `OTEL_EXPORTER_OTLP_PROTOCOL` `http/protobuf` (the default) or `http/json`, `OTEL_EXPORTER_OTLP_HEADERS`
 * (`key=value,…`), `OTEL_SERVICE_NAME` (default `switchyard`) and `OTEL_METRIC_EXPORT_INTERVAL` (ms, default
 * 60 s); registers the SDK globally. Without the endpoint nothing is registered and undefined is returned.
 * Throws INVALID_CONFIG naming the variable for a protocol it does not speak (`grpc`) or a bad value.
 */
export function startOtlpExport(env: Readonly<Record<string, string | undefined>>): OtlpExport | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (endpoint === undefined || endpoint === '') return undefined;
  const protocol = env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim() || 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    throw invalid(
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      `"${protocol}" is not supported: use http/protobuf or http/json`,
    );
  }
  if (!/^https?:\/\//.test(endpoint)) throw invalid('OTEL_EXPORTER_OTLP_ENDPOINT', 'must be an http(s) URL');
  const interval =
    env.OTEL_METRIC_EXPORT_INTERVAL === undefined ? 60_000 : Number(env.OTEL_METRIC_EXPORT_INTERVAL);
  if (!Number.isInteger(interval) || interval < 100) {
    throw invalid('OTEL_METRIC_EXPORT_INTERVAL', 'must be a whole number of milliseconds, at least 100');
  }
  const headers = parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS);
  const base = endpoint.replace(/\/+$/, '');
  const json = protocol === 'http/json';
  const traceOptions = { url: `${base}/v1/traces`, headers };
  const metricOptions = { url: `${base}/v1/metrics`, headers };
  const resource = resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || 'switchyard' });
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: json ? new JsonTraceExporter(traceOptions) : new ProtoTraceExporter(traceOptions),
      }),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: json ? new JsonMetricExporter(metricOptions) : new ProtoMetricExporter(metricOptions),
        exportIntervalMillis: interval,
      }),
    ],
  });
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    protocol,
    endpoint: base,
    async shutdown() {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
    },
  };
}

function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (text === undefined || text.trim() === '') return headers;
  for (const pair of text.split(',')) {
    const index = pair.indexOf('=');
    if (index <= 0) throw invalid('OTEL_EXPORTER_OTLP_HEADERS', `"${pair.trim()}" is not key=value`);
    headers[decodeURIComponent(pair.slice(0, index).trim())] = decodeURIComponent(
      pair.slice(index + 1).trim(),
    );
  }
  return headers;
}

function invalid(variable: string, message: string): InvalidConfigError {
  return new InvalidConfigError('invalid OpenTelemetry settings', [{ path: variable, message }]);
}
