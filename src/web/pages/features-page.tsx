import type { StoredFeature } from '../api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Link } from '../components/link.js';
import { featureState, isSplitRule, splitSummary } from '../feature-summary.js';
import { formatTime } from '../formatters.js';
import { rampLabel } from '../ramp-label.js';
import { pathOf } from '../route-match.js';
import { useSession } from '../session-context.js';
import { useResource } from '../use-resource.js';

/** The features list: state, variants, splits with coverage, ramp and last change of every feature. */
export function FeaturesPage() {
  const { api } = useSession();
  const features = useResource(
    (signal) => api.get<{ features: StoredFeature[] }>('/api/features', {}, signal),
    [api],
    10_000,
  );
  const list = features.data?.features ?? [];
  return (
    <>
      <h1>Features</h1>
      <ErrorNotice error={features.error} />
      {features.loading && features.data === undefined && <p class="loading">Loading…</p>}
      {features.data !== undefined && list.length === 0 && <p>No features yet.</p>}
      {list.length > 0 && (
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">State</th>
              <th scope="col">Variants</th>
              <th scope="col">Split and coverage</th>
              <th scope="col">Ramp</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {list.map((feature) => {
              const { config } = feature;
              const state = featureState(config);
              const splits = config.rules.filter(isSplitRule);
              const ramps = splits.flatMap((rule) => (rule.ramp ? [rule.ramp] : []));
              return (
                <tr key={feature.key} data-feature={feature.key}>
                  <th scope="row" data-label="Feature">
                    <Link href={pathOf('feature', feature.key)}>{feature.key}</Link>
                  </th>
                  <td data-label="State">
                    <span class={`badge badge-${state}`}>{state}</span>
                  </td>
                  <td data-label="Variants">
                    {Object.keys(config.variants).map((variant) => (
                      <span
                        key={variant}
                        class={variant === config.defaultVariant ? 'chip chip-default' : 'chip'}
                      >
                        {variant}
                      </span>
                    ))}
                  </td>
                  <td data-label="Split">
                    {splits.length === 0
                      ? '—'
                      : splits.map((rule, index) => <div key={rule.id ?? index}>{splitSummary(rule)}</div>)}
                  </td>
                  <td data-label="Ramp">
                    {ramps.length === 0
                      ? '—'
                      : ramps.map((ramp, index) => <div key={index}>{rampLabel(ramp)}</div>)}
                  </td>
                  <td data-label="Last change">
                    {formatTime(feature.updatedAt)}, version {feature.version}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
