import type { Store, StoredAlert, StoredExperiment, StoredFeature } from '../../store/store.js';
import { startPeriodicPass } from '../periodic-pass.js';
import { type ActionOutcome, actOnAlert, MONITOR_ACTOR } from './act-on-alert.js';
import { advanceRamp, type RampMove } from './advance-ramp.js';
import { describeEvaluation } from './describe-evaluation.js';
import { evaluateFeatureRules, type RuleEvaluation } from './evaluate-feature-rules.js';
import type { MonitorNotifier } from './monitor-notifier.js';
import { watchedRules } from './watched-rules.js';

/** The lease name servers on one store compete for; its holder is the one monitor that acts. */
export const MONITOR_LEASE = 'monitor';

/** Options of startMonitor. */
export interface MonitorOptions {
  store: Store;
  clock: () => number;
  /** Time between passes. */
  intervalMs: number;
  /** How long the lease lasts without renewal; default 3 intervals. */
  leaseMs?: number;
  /** This server's lease holder name (unique per server). */
  holder: string;
  /** Fresh alert ids. */
  newId: () => string;
  notifier: MonitorNotifier;
  /** Called after a pass wrote features (so this server serves the change at once). */
  onChange: () => Promise<void>;
  onError: (error: unknown) => void;
}

/** What one pass did. */
export interface MonitorPass {
  /** False when another server holds the lease (and nothing was evaluated). */
  readonly leader: boolean;
  /** Every verdict, feature by feature. */
  readonly evaluations: ReadonlyArray<RuleEvaluation & { readonly feature: string }>;
  /** Alerts this pass opened, with what was done about each. */
  readonly opened: ReadonlyArray<{ readonly alert: StoredAlert; readonly outcome: ActionOutcome }>;
  readonly resolved: readonly StoredAlert[];
  readonly rampMoves: readonly RampMove[];
}

/** A pass as it is being filled in. */
type PassRecord = { -readonly [Field in keyof MonitorPass]: Writable<MonitorPass[Field]> };
type Writable<T> = T extends ReadonlyArray<infer Item> ? Item[] : T;

/** A running monitor: `tick()` runs a pass now (one at a time); `close()` stops it and gives the lease up. */
export interface Monitor {
  tick(): Promise<MonitorPass>;
  close(): Promise<void>;
}

/**
 * Starts the guardrail monitor: every interval, when this server holds (or takes, or renews) the store's
 * `monitor` lease, it evaluates every live feature's rules (watchedRules, evaluateFeatureRules); a firing rule
 * opens an alert once per incident (the store keeps one open alert per rule, feature and variant) and only
 * then acts (actOnAlert), audits `alert.open` and notifies webhooks; a rule found `ok` resolves its open alert
 * (`alert.resolve`); ramps move on (advanceRamp) while no rule of their feature fires. Insufficient data
 * changes nothing. Several servers may run it: the lease makes exactly one act.
 */
export function startMonitor(options: MonitorOptions): Monitor {
  const { store, clock, onError } = options;
  const leaseMs = options.leaseMs ?? 3 * options.intervalMs;
  let closed = false;

  const pass = async (): Promise<MonitorPass> => {
    const now = clock();
    const result: PassRecord = { leader: false, evaluations: [], opened: [], resolved: [], rampMoves: [] };
    if (!(await store.acquireLease(MONITOR_LEASE, options.holder, leaseMs, now))) return result;
    result.leader = true;
    const [features, experiments] = await Promise.all([store.listFeatures(), store.listExperiments()]);
    let changed = false;
    for (const feature of features) {
      if (closed) break;
      try {
        changed = (await watchFeature(feature, experiments, now, result)) || changed;
      } catch (error) {
        onError(error);
      }
    }
    if (changed) await options.onChange();
    return result;
  };

  const watchFeature = async (
    feature: StoredFeature,
    experiments: readonly StoredExperiment[],
    now: number,
    result: PassRecord,
  ): Promise<boolean> => {
    const rules = watchedRules(feature.config, experiments);
    const evaluations = await evaluateFeatureRules(store, feature, rules, experiments, now);
    result.evaluations.push(...evaluations.map((evaluation) => ({ ...evaluation, feature: feature.key })));
    let acted = false;
    const open = evaluations.some((evaluation) => evaluation.state === 'ok')
      ? (await store.listAlerts({ status: 'open', feature: feature.key, limit: 1_000 })).alerts
      : [];
    for (const evaluation of evaluations) {
      if (evaluation.state === 'firing') {
        const opened = await openIncident(feature.key, evaluation, now);
        if (opened !== undefined) {
          result.opened.push(opened);
          acted ||= opened.outcome.changed;
        }
      } else if (evaluation.state === 'ok') {
        const alert = open.find(
          (candidate) => candidate.ruleId === evaluation.rule.id && candidate.variant === evaluation.variant,
        );
        if (alert !== undefined) result.resolved.push(await resolveIncident(alert, evaluation, now));
      }
    }
    if (acted) return true;
    const firing = evaluations.some((evaluation) => evaluation.state === 'firing');
    const move = await advanceRamp(store, feature, firing, now);
    if (move === undefined) return false;
    result.rampMoves.push(move);
    if (move.kind !== 'started') {
      options.notifier.notify({
        type: move.kind === 'completed' ? 'ramp.completed' : 'ramp.advanced',
        at: now,
        feature: feature.key,
        ramp: move.ramp,
        reason: move.reason,
      });
    }
    return true;
  };

  const openIncident = async (feature: string, evaluation: RuleEvaluation, now: number) => {
    const { rule } = evaluation;
    const { alert, opened } = await store.openAlert({
      id: options.newId(),
      ruleId: rule.id,
      feature,
      experiment: evaluation.experiment,
      variant: evaluation.variant,
      metric: rule.metric,
      severity: rule.severity,
      action: rule.action,
      evidence: evaluation.evidence,
      at: now,
    });
    if (!opened) return undefined;
    const reason = describeEvaluation(evaluation);
    let outcome: ActionOutcome;
    try {
      outcome = await actOnAlert(
        store,
        { action: rule.action, feature, experiment: evaluation.experiment, reason },
        now,
      );
    } catch (error) {
      onError(error);
      outcome = {
        action: rule.action,
        done: `failed: ${error instanceof Error ? error.message : String(error)}`,
        changed: false,
      };
    }
    await store.appendAudit({
      actor: MONITOR_ACTOR,
      action: 'alert.open',
      target: `feature:${feature}`,
      before: null,
      after: { alert, outcome: outcome.done },
      reason,
      at: now,
    });
    options.notifier.notify({
      type: 'alert.opened',
      at: now,
      feature,
      severity: alert.severity,
      alert,
      reason,
      outcome: outcome.done,
    });
    return { alert, outcome };
  };

  const resolveIncident = async (alert: StoredAlert, evaluation: RuleEvaluation, now: number) => {
    const resolved =
      (await store.resolveAlert(alert.id, { at: now, evidence: evaluation.evidence })) ?? alert;
    const reason = `alert ${alert.ruleId} no longer fires`;
    await store.appendAudit({
      actor: MONITOR_ACTOR,
      action: 'alert.resolve',
      target: `feature:${alert.feature}`,
      before: { id: alert.id, status: alert.status },
      after: { id: resolved.id, status: resolved.status },
      reason,
      at: now,
    });
    options.notifier.notify({
      type: 'alert.resolved',
      at: now,
      feature: alert.feature,
      severity: alert.severity,
      alert: resolved,
      reason,
    });
    return resolved;
  };

  const periodic = startPeriodicPass(pass, options.intervalMs, onError);
  return {
    tick: periodic.tick,
    async close() {
      closed = true;
      await periodic.stop();
      await store.releaseLease(MONITOR_LEASE, options.holder).catch(onError);
      await options.notifier.close();
    },
  };
}
