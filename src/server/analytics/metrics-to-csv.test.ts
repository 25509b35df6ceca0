import { describe, expect, it } from 'vitest';
import type { MetricsByVariant } from '../../store/analytics/analytics-types.js';
import { emptyMetricCounts } from '../../store/analytics/metric-counts.js';
import { toMetricValues } from '../../store/analytics/metric-values.js';
import { parseCsv } from './csv-records.test-helper.js';
import { METRIC_CSV_COLUMNS, metricsToCsv } from './metrics-to-csv.js';

const FROM = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

describe('metricsToCsv', () => {
  it('writes one record per variant and bucket, then the totals, nulls as empty cells', () => {
    const busy = toMetricValues(
      {
        ...emptyMetricCounts(),
        requests: 4,
        successes: 3,
        errors: 1,
        costUsd: 0.5,
        accepted: 2,
        latencyCount: 3,
        latencySum: 30,
      },
      { p50: 9, p95: 12, p99: 12.5 },
    );
    const idle = toMetricValues(emptyMetricCounts(), undefined);
    const metrics: MetricsByVariant = {
      feature: 'coach-reply',
      from: FROM,
      to: FROM + 2 * HOUR,
      intervalMs: HOUR,
      series: [
        {
          variant: 'v2, "new"',
          buckets: [
            { start: FROM, ...busy },
            { start: FROM + HOUR, ...idle },
          ],
        },
      ],
      totals: [{ variant: 'v2, "new"', ...busy }],
      overall: busy,
    };
    const [header, first, second, total, ...rest] = parseCsv(metricsToCsv(metrics));
    expect(rest).toEqual([]);
    expect(header).toEqual(['variant', 'start', ...METRIC_CSV_COLUMNS]);
    const cell = (record: (string | null)[] | undefined, column: string) => record?.[header!.indexOf(column)];
    expect(first?.slice(0, 2)).toEqual(['v2, "new"', '2025-01-01T00:00:00.000Z']);
    expect(cell(first, 'requests')).toBe('4');
    expect(cell(first, 'errorRate')).toBe('0.25');
    expect(cell(first, 'latencyP95Ms')).toBe('12');
    expect(cell(first, 'latencyMeanMs')).toBe('10');
    expect(cell(first, 'costPerAcceptedUsd')).toBe('0.25');
    expect(cell(second, 'start')).toBe('2025-01-01T01:00:00.000Z');
    expect(cell(second, 'requests')).toBe('0');
    expect(cell(second, 'errorRate')).toBeNull();
    expect(cell(second, 'latencyP50Ms')).toBeNull();
    expect(cell(total, 'start')).toBe('total');
    expect(total).toHaveLength(header!.length);
  });
});
