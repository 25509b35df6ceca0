import type { RuleConfig, StoredFeature } from '../api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { JsonBlock } from '../components/json-block.js';
import { Link } from '../components/link.js';
import { featureState, isSplitRule, splitSummary } from '../feature-summary.js';
import { formatTime } from '../formatters.js';
import { pathOf } from '../route-match.js';
import { useSession } from '../session-context.js';
import { useResource } from '../use-resource.js';
import { FeatureActions } from './feature-actions.js';
import { FeatureHistory } from './feature-history.js';
import { RampControls } from './ramp-controls.js';
import { SplitRuleEditor } from './split-rule-editor.js';

function RuleCard({
  feature,
  rule,
  index,
  onChanged,
}: {
  feature: StoredFeature;
  rule: RuleConfig;
  index: number;
  onChanged: () => void;
}) {
  return (
    <li class="card rule" data-rule={rule.id ?? String(index)}>
      <h3>
        Rule {index + 1}
        {rule.id && (
          <>
            {' '}
            <code>{rule.id}</code>
          </>
        )}
      </h3>
      {rule.description && <p>{rule.description}</p>}
      <p>
        {rule.when ? 'When the context matches:' : 'Everyone'}
        {isSplitRule(rule) ? ' split ' : ' serve '}
        {isSplitRule(rule) ? splitSummary(rule) : <code>{rule.serve}</code>}
      </p>
      {rule.when && <JsonBlock value={rule.when} />}
      {isSplitRule(rule) && rule.experiment && (
        <p>
          Owned by experiment{' '}
          <Link href={pathOf('experiment', rule.experiment.key)}>{rule.experiment.key}</Link> (
          {rule.experiment.status}).
        </p>
      )}
      {isSplitRule(rule) && rule.ramp && (
        <RampControls feature={feature} ramp={rule.ramp} onChanged={onChanged} />
      )}
      {isSplitRule(rule) && (
        <SplitRuleEditor feature={feature} ruleIndex={index} rule={rule} onSaved={onChanged} />
      )}
    </li>
  );
}

/** One feature: its state and switches, its rules (split weights and coverage editable) and its history. */
export function FeaturePage({ featureKey }: { featureKey: string }) {
  const { api } = useSession();
  const resource = useResource(
    (signal) => api.get<StoredFeature>(`/api/features/${encodeURIComponent(featureKey)}`, {}, signal),
    [api, featureKey],
  );
  const feature = resource.data;
  if (feature === undefined) {
    return (
      <>
        <h1>{featureKey}</h1>
        <ErrorNotice error={resource.error} />
        {resource.loading && <p class="loading">Loading…</p>}
      </>
    );
  }
  const { config } = feature;
  const state = featureState(config);
  return (
    <>
      <p class="breadcrumb">
        <Link href="/features">Features</Link> /
      </p>
      <h1>
        {feature.key} <span class={`badge badge-${state}`}>{state}</span>
      </h1>
      <ErrorNotice error={resource.error} prefix="Could not refresh" />
      {config.description && <p>{config.description}</p>}
      <p class="muted">
        Version {feature.version}, changed {formatTime(feature.updatedAt)}. Default variant{' '}
        <code>{config.defaultVariant}</code>; variants {Object.keys(config.variants).join(', ')}.
      </p>
      {config.consent && (
        <p class="notice">
          Requires consent: units whose <code>{config.consent.attribute}</code> is not <code>true</code> get{' '}
          <code>{config.defaultVariant}</code> (reason NO_CONSENT), enter no experiment and are recorded
          without their unit id, prompt or output.
        </p>
      )}
      {state === 'killed' && config.killReason && (
        <p class="notice notice-error">Killed: {config.killReason}</p>
      )}
      <FeatureActions feature={feature} onChanged={resource.reload} />
      <p>
        <Link href={pathOf('feature-metrics', feature.key)}>Live metrics per variant</Link>
      </p>
      <section aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        {config.rules.length === 0 ? (
          <p>No rules: everyone gets {config.defaultVariant}.</p>
        ) : (
          <ol class="rules">
            {config.rules.map((rule, index) => (
              <RuleCard
                key={`${rule.id ?? index}`}
                feature={feature}
                rule={rule}
                index={index}
                onChanged={resource.reload}
              />
            ))}
          </ol>
        )}
      </section>
      <FeatureHistory featureKey={feature.key} version={feature.version} />
    </>
  );
}
