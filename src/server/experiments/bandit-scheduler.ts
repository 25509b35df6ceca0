import { reweighBandit } from '../../control/experiments/reweigh-bandit.js';
import { VersionConflictError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { startPeriodicPass } from '../periodic-pass.js';

/** Options of startBanditScheduler. */
export interface BanditSchedulerOptions {
  store: Store;
  clock: () => number;
  /** Uniform source in [0, 1) for the posterior draws. */
  random: () => number;
  /** How often due bandits are looked for; default 10 s. */
  tickMs?: number;
  /** Called after a bandit wrote new weights (so the server serves them at once). */
  onReweigh: () => Promise<void>;
  onError: (error: unknown) => void;
}

/** A running scheduler: `tick()` runs one pass now; `close()` stops it and waits for a pass in progress. */
export interface BanditScheduler {
  tick(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Re-weighs every running bandit whose interval has passed, once per tick. Several servers on one store may
 * all tick: each write is checked against the experiment version it read, so exactly one of them lands per
 * interval and the others' conflicts are ignored.
 */
export function startBanditScheduler(options: BanditSchedulerOptions): BanditScheduler {
  const { store, clock, onError } = options;
  let closed = false;

  const pass = async () => {
    const experiments = await store.listExperiments({ status: 'running' });
    let changed = false;
    for (const experiment of experiments) {
      if (closed) break;
      if (experiment.config.allocation.type !== 'bandit') continue;
      try {
        const outcome = await reweighBandit(store, experiment.key, { now: clock(), rng: options.random });
        changed ||= outcome.due;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) onError(error);
      }
    }
    if (changed) await options.onReweigh();
  };
  const periodic = startPeriodicPass(pass, options.tickMs ?? 10_000, onError);
  return {
    tick: () => periodic.tick().catch(onError),
    async close() {
      closed = true;
      await periodic.stop();
    },
  };
}
