import { SPEND_TODAY_METRIC } from '../../core/alert-rule.js';
import type { MetricValues } from '../../store/analytics/analytics-types.js';

/** One metric read from aggregated values: the value (null without data) and how many samples it rests on. */
export interface ObservedValue {
  value: number | null;
  samples: number;
}

/**
 * Reads an absolute rule's metric from a variant's (or the whole feature's) aggregated values, with the count
 * its `minSamples` is compared with: runs for the error rate and spend, successful runs for the fallback and
 * cache-hit rates, model attempts for the parse-error rate, executed runs for latency and mean cost, feedback
 * for acceptance, ratings and cost per accepted. Undefined for a metric the analytics do not aggregate
 * (named `feedback:` metrics, which relative rules compare instead).
 */
export function absoluteMetricValue(metric: string, values: MetricValues): ObservedValue | undefined {
  const executed = values.successes + values.errors;
  const judged = values.feedback.accepted + values.feedback.rejected;
  switch (metric) {
    case 'error-rate':
      return { value: values.errorRate, samples: values.requests };
    case 'failure-rate':
      return {
        value: values.requests === 0 ? null : (values.errors + values.fallbacks) / values.requests,
        samples: values.requests,
      };
    case 'fallback-rate':
      return { value: values.fallbackRate, samples: values.successes };
    case 'cache-hit-rate':
      return { value: values.cacheHitRate, samples: values.successes };
    case 'parse-error-rate':
      return { value: values.parseErrorRate, samples: values.llmAttempts };
    case 'p95-latency':
      return { value: values.latencyMs.p95, samples: executed };
    case 'mean-latency':
      return { value: values.latencyMs.mean, samples: executed };
    case 'mean-cost':
      return { value: values.meanCostUsd, samples: executed };
    case 'cost-per-accepted':
      return { value: values.costPerAcceptedUsd, samples: values.feedback.accepted };
    case 'acceptance-rate':
      return { value: values.feedback.acceptanceRate, samples: judged };
    case 'rating':
      return { value: values.feedback.ratingMean, samples: values.feedback.ratings };
    case SPEND_TODAY_METRIC:
      return { value: values.costUsd, samples: values.requests };
    default:
      return undefined;
  }
}
