import { emptyMetricCounts, type MetricCounts } from './metric-counts.js';
import type { LatencyQuantiles } from './metric-values.js';

/** The counts and latency quantiles of one feature and variant, bucket by bucket. */
export interface MetricGroup {
  readonly feature: string;
  readonly variant: string;
  /** One entry per bucket of the range. */
  readonly buckets: MetricCounts[];
  /** One entry per bucket; undefined where the bucket had no executed run. */
  readonly quantiles: (LatencyQuantiles | undefined)[];
  /** Over the whole range, from the merged bucket sketches. */
  totalQuantiles: LatencyQuantiles | undefined;
}

/**
 * The groups one analytics query fills, created as rows name them: memory grows with features, variants
 * and buckets, never with events.
 */
export class MetricGroups {
  readonly bucketCount: number;
  readonly #features = new Map<string, Map<string, MetricGroup>>();
  readonly #overallQuantiles = new Map<string, LatencyQuantiles>();

  constructor(bucketCount: number) {
    this.bucketCount = bucketCount;
  }

  /** The group of a feature and variant, created empty on first use. */
  group(feature: string, variant: string): MetricGroup {
    let variants = this.#features.get(feature);
    if (variants === undefined) {
      variants = new Map();
      this.#features.set(feature, variants);
    }
    let group = variants.get(variant);
    if (group === undefined) {
      group = {
        feature,
        variant,
        buckets: Array.from({ length: this.bucketCount }, emptyMetricCounts),
        quantiles: Array.from({ length: this.bucketCount }, () => undefined),
        totalQuantiles: undefined,
      };
      variants.set(variant, group);
    }
    return group;
  }

  /** The counts of one bucket of a group; a bucket outside the range is a query bug, so it throws. */
  counts(feature: string, variant: string, bucket: number): MetricCounts {
    const counts = this.group(feature, variant).buckets[bucket];
    if (counts === undefined) {
      throw new RangeError(`bucket ${bucket} is outside 0..${this.bucketCount - 1}`);
    }
    return counts;
  }

  /** Makes sure a group exists (configured variants without events still get zeroed buckets). */
  declare(feature: string, variants: Iterable<string>): void {
    for (const variant of variants) {
      this.group(feature, variant);
    }
  }

  /** Records a feature's latency quantiles over every variant and the whole range. */
  setOverallQuantiles(feature: string, quantiles: LatencyQuantiles): void {
    this.#overallQuantiles.set(feature, quantiles);
  }

  /** A feature's latency quantiles over every variant and the whole range; undefined without executed runs. */
  overallQuantiles(feature: string): LatencyQuantiles | undefined {
    return this.#overallQuantiles.get(feature);
  }

  /** Feature keys that have at least one group. */
  features(): string[] {
    return [...this.#features.keys()];
  }

  /** The groups of one feature, in the order they were first named. */
  variantsOf(feature: string): MetricGroup[] {
    return [...(this.#features.get(feature)?.values() ?? [])];
  }
}
