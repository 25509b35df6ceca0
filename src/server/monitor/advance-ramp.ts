import { writeRamp } from '../../control/ramps/feature-ramp.js';
import { findRamp } from '../../core/find-ramp.js';
import type { RampConfig } from '../../core/ramp-config.js';
import type { Store, StoredFeature } from '../../store/store.js';
import { MONITOR_ACTOR } from './act-on-alert.js';

/** A ramp move the monitor made. */
export interface RampMove {
  readonly kind: 'started' | 'advanced' | 'completed';
  readonly feature: string;
  /** The ramp as written. */
  readonly ramp: RampConfig;
  /** Why, as audited. */
  readonly reason: string;
}

/**
 * Moves a feature's running ramp on by at most one step at `now`: a ramp never started gets its start times;
 * a step that has lasted `minMinutesPerStep` and served `minSamplesPerStep` runs of the split's new variants
 * (every variant of the split but the feature's default; all of them when that leaves none), while no rule
 * of the feature fires, gives way to the next step, and the last step to `done`. Killed or disabled features
 * and paused, halted, done or rolled-back ramps stay where they are. Each move is one audited feature write
 * (`ramp.start`, `ramp.advance`, `ramp.complete`) as actor `monitor`, versioned against the feature read.
 */
export async function advanceRamp(
  store: Store,
  feature: StoredFeature,
  firing: boolean,
  now: number,
): Promise<RampMove | undefined> {
  const located = findRamp(feature.config);
  if (located === undefined || located.ramp.status !== 'running') return undefined;
  if (feature.config.killed || !feature.config.enabled) return undefined;
  const { ramp } = located;
  const percent = (step: number) => `${ramp.steps[step] ?? 0} %`;
  const write = async (kind: RampMove['kind'], next: RampConfig, reason: string): Promise<RampMove> => {
    await writeRamp(store, feature, located, next, {
      actor: MONITOR_ACTOR,
      reason,
      action: `ramp.${kind === 'started' ? 'start' : kind === 'advanced' ? 'advance' : 'complete'}`,
    });
    return { kind, feature: feature.key, ramp: next, reason };
  };

  if (ramp.startedAt === undefined || ramp.stepStartedAt === undefined) {
    const next = { ...ramp, startedAt: ramp.startedAt ?? now, stepStartedAt: now };
    return write(
      'started',
      next,
      `ramp started at step ${ramp.step + 1} of ${ramp.steps.length} (${percent(ramp.step)})`,
    );
  }
  if (firing) return undefined;
  const elapsedMs = now - ramp.stepStartedAt;
  if (elapsedMs < ramp.minMinutesPerStep * 60_000 || elapsedMs < 1_000) return undefined;
  const samples = await stepSamples(store, feature, located.rule.split, ramp.stepStartedAt, now);
  if (samples < ramp.minSamplesPerStep) return undefined;

  const held = `after ${(elapsedMs / 60_000).toFixed(1)} min and ${samples} runs with no rule firing`;
  const last = ramp.steps.length - 1;
  if (ramp.step >= last) {
    const { reason: _previous, ...rest } = ramp;
    return write('completed', { ...rest, status: 'done' }, `ramp done at ${percent(last)} ${held}`);
  }
  const step = ramp.step + 1;
  const { reason: _previous, ...rest } = ramp;
  return write(
    'advanced',
    { ...rest, step, stepStartedAt: now },
    `ramp step ${step} -> ${step + 1} of ${ramp.steps.length} (${percent(step)}) ${held}`,
  );
}

/** Runs decided to the split's new variants in `[from, now)`. */
async function stepSamples(
  store: Store,
  feature: StoredFeature,
  split: Record<string, number>,
  from: number,
  now: number,
): Promise<number> {
  const variants = Object.keys(split);
  const fresh = variants.filter((variant) => variant !== feature.config.defaultVariant);
  const counted = new Set(fresh.length > 0 ? fresh : variants);
  // The analytics read at most a year; a step that old has served its samples long ago.
  const start = Math.max(from, now - 365 * 86_400_000);
  const metrics = await store.metricsByVariant({
    feature: feature.key,
    from: start,
    to: now,
    latency: false,
    intervalMs: now - start,
  });
  return metrics.totals
    .filter((totals) => counted.has(totals.variant))
    .reduce((sum, totals) => sum + totals.requests, 0);
}
