import { experimentResults } from '../../control/experiments/experiment-results.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import type { MetricValues } from '../../store/analytics/analytics-types.js';
import type { Store, StoredAlert } from '../../store/store.js';
import type { FeatureCounts } from './demo-tally.js';
import { formatElapsed } from './format-elapsed.js';
import { describeRamp, type RampState, rampState } from './ramp-state.js';

/** What happened to one feature during the demo, from the store (and the live tally for refusals). */
export interface DemoFeatureSummary {
  readonly feature: string;
  /** `sdk` or `gateway`. */
  readonly via: string;
  /** Every variant together over the demo. */
  readonly metrics: MetricValues;
  /** Selections by variant (session builder), from feedback. */
  readonly selections: Readonly<Record<string, number>>;
  readonly ramp?: RampState & {
    readonly maxStep: number;
    /** The rollback rule's alert, when a rule rolled the ramp back. */
    readonly rollback?: { readonly ruleId: string; readonly atMs: number; readonly detail: string };
  };
  readonly experiment?: {
    readonly key: string;
    readonly allocation: 'fixed' | 'bandit';
    readonly status: string;
    readonly verdict: string | null;
    readonly winner: string | null;
    /** The split's current weights (normalised), by arm. */
    readonly weights: Readonly<Record<string, number>>;
    readonly reweighs: number;
    /** The primary metric's comparison in words (`50.1 % -> 68.3 %, +36 %, p 0.0004`). */
    readonly detail: string;
  };
  readonly killed: boolean;
  /** One line: ramp reached / rolled back, experiment verdict, bandit weights, selections, refusals. */
  readonly outcome: string;
}

/** Inputs of `buildDemoSummary`. */
export interface DemoSummaryInput {
  readonly store: Store;
  readonly features: ReadonlyArray<{ readonly key: string; readonly via: string }>;
  /** Epoch ms: the demo's traffic started at `from`; `to` is the end of the range read. */
  readonly from: number;
  readonly to: number;
  /** The highest ramp step seen while the demo ran, by feature. */
  readonly rampMaxStep: Readonly<Record<string, number>>;
  /** The live tally, for refusals by code. */
  readonly counts: Readonly<Record<string, FeatureCounts>>;
}

/**
 * Reads what the demo did from the store: each feature's metrics over the run (requests, error, fallback
 * and cache-hit rates, p95, cost, acceptance), its ramp, its experiments' verdicts or bandit weights.
 */
export async function buildDemoSummary(input: DemoSummaryInput): Promise<DemoFeatureSummary[]> {
  const { store, from, to } = input;
  const alerts = (await store.listAlerts({ from, limit: 1_000 })).alerts;
  const summaries: DemoFeatureSummary[] = [];
  for (const { key, via } of input.features) {
    const stored = await store.getFeature(key);
    if (!stored) continue;
    const metrics = await store.metricsByVariant({
      feature: key,
      from,
      to,
      intervalMs: Math.max(1_000, to - from),
    });
    const selections = Object.fromEntries(
      metrics.totals
        .filter((total) => total.feedback.selections > 0)
        .map((total) => [total.variant, total.feedback.selections]),
    );
    const ramp = summarizeRamp(stored.config, input.rampMaxStep[key], alerts, key, from);
    const experiment = await summarizeExperiment(store, key, stored.config, to);
    const partial = {
      feature: key,
      via,
      metrics: metrics.overall,
      selections,
      killed: stored.config.killed === true,
    };
    const summary = { ...partial, ...(ramp ? { ramp } : {}), ...(experiment ? { experiment } : {}) };
    summaries.push({ ...summary, outcome: outcomeOf(summary, stored.config, input.counts[key]) });
  }
  return summaries;
}

function summarizeRamp(
  config: FeatureConfig,
  maxSeen: number | undefined,
  alerts: readonly StoredAlert[],
  feature: string,
  from: number,
): DemoFeatureSummary['ramp'] {
  const ramp = rampState(config);
  if (!ramp) return undefined;
  const maxStep = Math.max(maxSeen ?? 0, ramp.step);
  const alert = alerts
    .filter((candidate) => candidate.feature === feature && candidate.action === 'rollback')
    .sort((left, right) => left.openedAt - right.openedAt)[0];
  if (ramp.status !== 'rolled-back' || !alert) return { ...ramp, maxStep };
  // The ramp keeps the reason written at the rollback; the alert's evidence moves on while it stays open.
  const reason = ramp.reason?.replace(new RegExp(`^alert ${escapeRegExp(alert.ruleId)}: `), '');
  const evidence = alert.evidence as { value?: unknown; threshold?: unknown; comparator?: unknown };
  const detail =
    reason ??
    (typeof evidence.value === 'number'
      ? `${alert.metric} ${Math.round(evidence.value * 1_000) / 1_000} ${String(evidence.comparator ?? '>')} ${String(evidence.threshold)}`
      : alert.metric);
  return { ...ramp, maxStep, rollback: { ruleId: alert.ruleId, atMs: alert.openedAt - from, detail } };
}

async function summarizeExperiment(
  store: Store,
  feature: string,
  config: FeatureConfig,
  to: number,
): Promise<DemoFeatureSummary['experiment']> {
  const experiments = await store.listExperiments({ feature });
  const experiment = experiments.find((candidate) => candidate.startedAt !== null);
  if (!experiment) return undefined;
  const results = await experimentResults(store, experiment.key, to);
  const analysis = results.analysis;
  const primary = analysis?.metrics.find((metric) => metric.role === 'primary');
  const control = primary?.arms.find((arm) => arm.variant === analysis?.control);
  const best = primary?.comparisons
    .slice()
    .sort((left, right) => (right.chanceToBeatControl ?? 0) - (left.chanceToBeatControl ?? 0))[0];
  const treatment = primary?.arms.find((arm) => arm.variant === best?.variant);
  const detail =
    primary && control && treatment && best
      ? `${primary.metric} ${control.variant} ${percent(control.value)} vs ${treatment.variant} ${percent(treatment.value)}, ` +
        `lift ${signedPercent(best.relativeLift)}, p ${pValue(best.pValue)}`
      : '';
  const rule = config.rules.find((candidate) => candidate.id === experiment.config.ruleId);
  const split = rule && 'split' in rule ? rule.split : {};
  const total = Object.values(split).reduce((sum, weight) => sum + weight, 0);
  return {
    key: experiment.key,
    allocation: experiment.config.allocation.type,
    status: experiment.status,
    verdict: analysis?.verdict.verdict ?? null,
    winner: analysis?.verdict.winner ?? null,
    weights: Object.fromEntries(
      Object.entries(split).map(([arm, weight]) => [arm, total > 0 ? weight / total : 0]),
    ),
    reweighs: experiment.weightHistory.length,
    detail,
  };
}

function outcomeOf(
  summary: Omit<DemoFeatureSummary, 'outcome'>,
  config: FeatureConfig,
  counts: FeatureCounts | undefined,
): string {
  const notes: string[] = [];
  const { ramp, experiment } = summary;
  if (ramp) {
    const reached = `${ramp.steps[Math.min(ramp.maxStep, ramp.steps.length - 1)] ?? 0} %`;
    if (ramp.rollback) {
      notes.push(
        `ramp reached ${reached}; rolled back by rule ${ramp.rollback.ruleId} at ${formatElapsed(ramp.rollback.atMs)} (${ramp.rollback.detail})`,
      );
    } else
      notes.push(
        ramp.status === 'running'
          ? `ramp at ${reached}, still running`
          : `ramp ${describeRamp(ramp, ramp.maxStep)}`,
      );
  }
  if (summary.killed && !ramp?.rollback)
    notes.push(`killed${config.killReason ? `: ${config.killReason}` : ''}`);
  if (experiment?.allocation === 'bandit') {
    const shares = Object.entries(experiment.weights)
      .sort((left, right) => right[1] - left[1])
      .map(([arm, weight]) => `${arm} ${Math.round(weight * 100)} %`)
      .join(', ');
    notes.push(`bandit weights ${shares} after ${experiment.reweighs} re-weighings`);
  } else if (experiment) {
    const verdict = experiment.verdict ?? 'no results';
    notes.push(
      `${experiment.key}: ${verdict}${experiment.winner ? ` for ${experiment.winner}` : ''} (${experiment.detail})`,
    );
  }
  const selected = Object.entries(summary.selections);
  const picks = selected.reduce((sum, [, count]) => sum + count, 0);
  if (picks > 0) {
    const shares = selected
      .sort((left, right) => right[1] - left[1])
      .map(([variant, count]) => `${variant} ${Math.round((100 * count) / picks)} %`);
    notes.push(`picked ${shares.join(', ')}`);
  }
  const cache = config.policy?.cache;
  if (cache?.mode === 'derived')
    notes.push(`cache keyed on ${[...(cache.key ?? []), cache.versionField].filter(Boolean).join(' + ')}`);
  if (Object.values(config.variants).some((variant) => variant.type === 'llm' && variant.output)) {
    notes.push(`parse errors ${percent(summary.metrics.parseErrorRate)}`);
  }
  const codes = counts?.byCode ?? {};
  const refusals = [
    codes.RATE_LIMITED ? `${codes.RATE_LIMITED} rate-limited` : '',
    codes.BUDGET_DOWNGRADE
      ? `${codes.BUDGET_DOWNGRADE} budget downgrades to ${config.policy?.budget?.downgradeTo ?? 'a cheaper variant'}`
      : '',
    codes.BUDGET_EXCEEDED ? `${codes.BUDGET_EXCEEDED} over budget` : '',
    codes.INVALID_INPUT ? `${codes.INVALID_INPUT} invalid inputs` : '',
  ].filter(Boolean);
  if (refusals.length > 0) notes.push(refusals.join(', '));
  return notes.join('; ') || '-';
}

function percent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  const scaled = value * 100;
  return `${scaled < 10 ? scaled.toFixed(1) : scaled.toFixed(0)} %`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pValue(value: number | null): string {
  if (value === null) return '-';
  return value < 0.0001 ? '< 0.0001' : value.toPrecision(2);
}

function signedPercent(value: number | null): string {
  if (value === null) return '-';
  return `${value >= 0 ? '+' : ''}${Math.round(value * 100)} %`;
}
