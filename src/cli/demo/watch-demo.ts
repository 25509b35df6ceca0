import type { Switchyard } from '../../runtime/client/switchyard-client.js';
import type { AuditEntry, Store, StoredExperiment } from '../../store/store.js';
import type { DemoProgress } from './demo-progress.js';
import type { DemoTally } from './demo-tally.js';
import { formatElapsed } from './format-elapsed.js';
import { describeRamp, rampState } from './ramp-state.js';

/** Options of `startDemoWatch`. */
export interface DemoWatchOptions {
  readonly store: Store;
  /** The demo's SDK client: the features as it currently serves them (ramps, bandit weights). */
  readonly sdk: Switchyard;
  readonly tally: DemoTally;
  readonly progress: DemoProgress;
  readonly clock: () => number;
  /** Epoch ms the traffic started. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Time between two looks; default 500 ms. */
  readonly intervalMs?: number;
  readonly onError: (error: unknown) => void;
}

/** What the watch saw that the store's final state does not keep. */
export interface DemoWatchFacts {
  /** The highest ramp step seen, by feature. */
  readonly rampMaxStep: Readonly<Record<string, number>>;
  /** Every event line printed, in order. */
  readonly events: readonly string[];
}

/** A running watch: `stop()` ends it after one last look (safe to call more than once). */
export interface DemoWatch {
  facts(): DemoWatchFacts;
  stop(): Promise<void>;
}

/** The status line's request rate is over this much recent time. */
const RATE_WINDOW_MS = 5_000;

/** Who acts on their own: their audit entries are the demo's events. */
const AUTOMATIC_ACTORS = new Set(['monitor', 'bandit']);

/**
 * Watches the demo while it runs: prints what the monitor and the bandit do (their audit entries: ramp steps,
 * alerts, rollbacks, re-weighings) as events, and keeps the status lines current (traffic, open alerts, ramps,
 * bandit weights).
 *
 * @example
 * const watch = startDemoWatch({ store, sdk, tally, progress, clock: Date.now, startedAt, durationMs, onError });
 * await watch.stop();
 */
export function startDemoWatch(options: DemoWatchOptions): DemoWatch {
  const { store, sdk, tally, progress, clock, startedAt } = options;
  const seenAudit = new Set<string>();
  const rampMaxStep: Record<string, number> = {};
  const events: string[] = [];
  // Recent (time, total requests) samples: the rate shown is over the last few seconds.
  const samples: Array<{ at: number; total: number }> = [];
  let running: Promise<void> | undefined;
  let auditFrom = startedAt;

  const event = (at: number, text: string) => {
    const line = `${formatElapsed(at - startedAt).padStart(5)}  ${text}`;
    events.push(line);
    progress.event(line);
  };
  const lastBanditLine = new Map<string, string>();
  const look = async () => {
    // From the last entry seen on (inclusive, so entries written in the same millisecond are not missed).
    const audit = await store.listAudit({ from: auditFrom, limit: 1_000 });
    for (const entry of audit.entries.slice().reverse()) {
      if (seenAudit.has(entry.id)) continue;
      seenAudit.add(entry.id);
      auditFrom = Math.max(auditFrom, entry.at);
      if (!AUTOMATIC_ACTORS.has(entry.actor)) continue;
      noteRamp(entry.target.replace(/^feature:/, ''), entry.after);
      const text = describeAudit(entry);
      // A bandit that has settled writes the same weights every interval: print a line only when they move.
      const subject = entry.actor === 'bandit' ? entry.target : undefined;
      if (subject !== undefined && lastBanditLine.get(subject) === text) continue;
      if (subject !== undefined && text !== undefined) lastBanditLine.set(subject, text);
      if (text !== undefined) event(entry.at, text);
    }
    const openAlerts = (await store.listAlerts({ status: 'open', limit: 1_000 })).alerts.length;
    const bandits = (await store.listExperiments({ status: 'running' })).filter(
      (experiment) => experiment.config.allocation.type === 'bandit',
    );
    for (const key of sdk.features()) noteRamp(key, sdk.featureConfig(key));
    progress.status([trafficLine(openAlerts), featureLine(bandits)]);
  };
  const noteRamp = (feature: string, config: unknown) => {
    const ramp = rampState((config as { config?: unknown } | null)?.config ?? config);
    if (ramp) rampMaxStep[feature] = Math.max(rampMaxStep[feature] ?? 0, ramp.step);
  };
  const trafficLine = (openAlerts: number) => {
    const now = clock();
    const total = tally.total();
    samples.push({ at: now, total });
    while (samples.length > 1 && (samples[0]?.at ?? now) < now - RATE_WINDOW_MS) samples.shift();
    const oldest = samples[0] ?? { at: now, total };
    const rate = ((total - oldest.total) * 1_000) / Math.max(1, now - oldest.at);
    const totals = { ok: 0, errors: 0, rejected: 0, fallbacks: 0, cached: 0 };
    for (const counts of Object.values(tally.snapshot())) {
      for (const field of Object.keys(totals) as Array<keyof typeof totals>) totals[field] += counts[field];
    }
    return [
      `${formatElapsed(now - startedAt)}/${formatElapsed(options.durationMs)}`,
      `${total.toLocaleString('en-US')} requests, ${Math.round(rate)}/s`,
      `errors ${percent(totals.errors, total)}`,
      `refused ${totals.rejected}`,
      `fallbacks ${percent(totals.fallbacks, totals.ok)}`,
      `cache hits ${percent(totals.cached, totals.ok)}`,
      `open alerts ${openAlerts}`,
    ].join('  ');
  };
  const featureLine = (bandits: readonly StoredExperiment[]) => {
    const notes = sdk.features().flatMap((key) => {
      const ramp = rampState(sdk.featureConfig(key));
      return ramp ? [`${key} ramp ${describeRamp(ramp, rampMaxStep[key])}`] : [];
    });
    for (const bandit of bandits) {
      const rule = sdk
        .featureConfig(bandit.feature)
        .rules.find((candidate) => candidate.id === bandit.config.ruleId);
      if (!rule || !('split' in rule)) continue;
      const weights = Object.entries(rule.split).sort((left, right) => right[1] - left[1]);
      const total = weights.reduce((all, [, weight]) => all + weight, 0);
      notes.push(
        `${bandit.key} ${weights.map(([arm, weight]) => `${arm} ${percent(weight, total)}`).join(', ')}`,
      );
    }
    return notes.join(' · ');
  };

  const tick = () => {
    running ??= look()
      .catch(options.onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 500);
  void tick();
  let stopping: Promise<void> | undefined;
  return {
    facts: () => ({ rampMaxStep: { ...rampMaxStep }, events: [...events] }),
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await running;
        await tick();
        progress.end();
      })();
      return stopping;
    },
  };
}

/** A percentage with one decimal below 10 %, none above; `-` without a denominator. */
function percent(part: number, whole: number): string {
  if (!(whole > 0)) return '-';
  const value = (100 * part) / whole;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} %`;
}

function describeAudit(entry: AuditEntry): string | undefined {
  if (entry.actor === 'bandit') {
    // The feature half of a re-weighing repeats the experiment half: print one line.
    if (!entry.target.startsWith('experiment:')) return undefined;
    const history = (entry.after as { weightHistory?: Array<{ weights?: Record<string, number> }> } | null)
      ?.weightHistory;
    const weights = history?.at(-1)?.weights ?? {};
    const shares = Object.entries(weights)
      .map(([arm, weight]) => `${arm} ${Math.round(weight * 100)} %`)
      .join(', ');
    const why = entry.reason?.includes('burn-in') ? ' (burn-in)' : '';
    return `bandit   ${entry.target.slice('experiment:'.length)} re-weighed: ${shares}${why}`;
  }
  const target = entry.target.replace(/^feature:/, '');
  return `monitor  ${target} ${entry.action}${entry.reason ? `: ${entry.reason}` : ''}`;
}
