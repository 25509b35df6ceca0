import type { ExperimentResults } from '../api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Link } from '../components/link.js';
import { TimeSeriesChart } from '../components/time-series-chart.js';
import { formatPercent, formatTime } from '../formatters.js';
import { weightChartData } from '../metric-charts.js';
import { pathOf } from '../route-match.js';
import { useSession } from '../session-context.js';
import { useResource } from '../use-resource.js';
import { ExperimentActions } from './experiment-actions.js';
import { ExperimentResultsView } from './experiment-results-view.js';

/** One experiment: its settings, lifecycle buttons, results, and bandit weights over time. */
export function ExperimentPage({ experimentKey }: { experimentKey: string }) {
  const { api } = useSession();
  const results = useResource(
    (signal) =>
      api.get<ExperimentResults>(`/api/experiments/${encodeURIComponent(experimentKey)}/results`, {}, signal),
    [api, experimentKey],
    15_000,
  );
  const data = results.data;
  if (data === undefined) {
    return (
      <>
        <h1>{experimentKey}</h1>
        <ErrorNotice error={results.error} />
        {results.loading && <p class="loading">Loading…</p>}
      </>
    );
  }
  const { experiment, analysis, range } = data;
  const { config } = experiment;
  const arms = config.arms ?? [];
  return (
    <>
      <p class="breadcrumb">
        <Link href="/experiments">Experiments</Link> /
      </p>
      <h1>
        {experiment.key} <span class={`badge badge-${experiment.status}`}>{experiment.status}</span>
      </h1>
      <ErrorNotice error={results.error} prefix="Could not refresh" />
      {config.hypothesis && <p class="hypothesis">{config.hypothesis}</p>}
      <dl class="facts">
        <div>
          <dt>Feature</dt>
          <dd>
            <Link href={pathOf('feature', experiment.feature)}>{experiment.feature}</Link>
            {config.ruleId && ` (rule ${config.ruleId})`}
          </dd>
        </div>
        <div>
          <dt>Arms</dt>
          <dd>
            {arms.join(', ')}; control {config.control ?? '—'}
          </dd>
        </div>
        <div>
          <dt>Metrics</dt>
          <dd>
            primary {config.primaryMetric}
            {config.secondaryMetrics.length > 0 && `; secondary ${config.secondaryMetrics.join(', ')}`}
            {config.guardrailMetrics.length > 0 && `; guardrails ${config.guardrailMetrics.join(', ')}`}
          </dd>
        </div>
        <div>
          <dt>Allocation</dt>
          <dd>{config.allocation.type}</dd>
        </div>
        <div>
          <dt>Analysed</dt>
          <dd>{range ? `${formatTime(range.from)} to ${formatTime(range.to)}` : 'not started'}</dd>
        </div>
        {experiment.winner && (
          <div>
            <dt>Promoted</dt>
            <dd>{experiment.winner}</dd>
          </div>
        )}
      </dl>
      <ExperimentActions experiment={experiment} analysis={analysis ?? null} onChanged={results.reload} />
      {analysis ? (
        <ExperimentResultsView analysis={analysis} />
      ) : (
        <p>No results until the experiment starts.</p>
      )}
      {experiment.weightHistory.length > 0 && (
        <section aria-labelledby="weights-title">
          <h2 id="weights-title">Bandit weights over time</h2>
          <TimeSeriesChart
            title="Share of new units per arm"
            data={weightChartData(experiment.weightHistory, arms, range?.to ?? Date.now())}
            format={(value) => formatPercent(value)}
            share
            stepped
          />
        </section>
      )}
    </>
  );
}
