import { useId, useState } from 'preact/hooks';
import type { MetricsByVariant } from '../api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Link } from '../components/link.js';
import { TimeSeriesChart } from '../components/time-series-chart.js';
import { formatMs, formatNumber, formatPercent, formatTime, formatUsd } from '../formatters.js';
import { chartData, METRIC_CHARTS } from '../metric-charts.js';
import { pathOf } from '../route-match.js';
import { useSession } from '../session-context.js';
import { useResource } from '../use-resource.js';

/** Ranges the page offers, with a bucket width that keeps each chart under about a hundred points. */
const RANGES = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000, interval: '15s' },
  { id: '1h', label: 'Last hour', ms: 3_600_000, interval: '1m' },
  { id: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000, interval: '5m' },
  { id: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000, interval: '15m' },
] as const;

/** How often the page reads the metrics again. */
const REFRESH_MS = 5_000;

/** Live metrics of a feature per variant: six time-series charts and the totals, read every 5 s. */
export function FeatureMetricsPage({ featureKey }: { featureKey: string }) {
  const { api } = useSession();
  const id = useId();
  const [rangeId, setRangeId] = useState<(typeof RANGES)[number]['id']>('15m');
  const range = RANGES.find((entry) => entry.id === rangeId) ?? RANGES[1];
  const metrics = useResource(
    (signal) => {
      const to = Date.now();
      return api.get<MetricsByVariant>(
        `/api/metrics/${encodeURIComponent(featureKey)}`,
        { from: to - range.ms, to, interval: range.interval },
        signal,
      );
    },
    [api, featureKey, range.id],
    REFRESH_MS,
  );
  const data = metrics.data;
  return (
    <>
      <p class="breadcrumb">
        <Link href="/features">Features</Link> /{' '}
        <Link href={pathOf('feature', featureKey)}>{featureKey}</Link> /
      </p>
      <h1>Metrics of {featureKey}</h1>
      <div class="toolbar">
        <div class="field field-inline">
          <label for={`${id}-range`}>Range</label>
          <select
            id={`${id}-range`}
            value={rangeId}
            onChange={(event) => setRangeId(event.currentTarget.value as typeof rangeId)}
          >
            {RANGES.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
        <p class="muted" role="status">
          {data ? `Updated ${formatTime(data.to)}; refreshes every ${REFRESH_MS / 1000} s.` : 'Loading…'}
        </p>
      </div>
      <ErrorNotice error={metrics.error} />
      {data && (
        <>
          <div class="charts">
            {METRIC_CHARTS.map((chart) => (
              <TimeSeriesChart
                key={chart.id}
                title={chart.title}
                data={chartData(data, chart)}
                format={chart.format}
                share={chart.share === true}
              />
            ))}
          </div>
          <h2>Totals over the range</h2>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">Variant</th>
                <th scope="col">Requests</th>
                <th scope="col">Error rate</th>
                <th scope="col">Fallback rate</th>
                <th scope="col">p95 latency</th>
                <th scope="col">Cost</th>
                <th scope="col">Acceptance</th>
              </tr>
            </thead>
            <tbody>
              {data.totals.map((totals) => (
                <tr key={totals.variant}>
                  <th scope="row" data-label="Variant">
                    {totals.variant}
                  </th>
                  <td data-label="Requests">{formatNumber(totals.requests, 0)}</td>
                  <td data-label="Error rate">{formatPercent(totals.errorRate)}</td>
                  <td data-label="Fallback rate">{formatPercent(totals.fallbackRate)}</td>
                  <td data-label="p95 latency">{formatMs(totals.latencyMs.p95)}</td>
                  <td data-label="Cost">{formatUsd(totals.costUsd)}</td>
                  <td data-label="Acceptance">{formatPercent(totals.feedback.acceptanceRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
