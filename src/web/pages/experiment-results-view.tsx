import type { ExperimentAnalysis, MetricAnalysis } from '../api-types.js';
import { formatInterval, formatNumber, formatPercent, formatPValue } from '../formatters.js';
import { metricFormat } from '../metric-format.js';
import { plainVerdict } from '../plain-verdict.js';

function verdictClass(verdict: string): string {
  return `verdict verdict-${verdict.replaceAll(' ', '-')}`;
}

function MetricTable({ analysis, metric }: { analysis: ExperimentAnalysis; metric: MetricAnalysis }) {
  const format = metricFormat(metric.metric, metric.kind);
  const percent = (value: number) => formatPercent(value, 1);
  const primaryPower = metric.comparisons.find((comparison) => comparison.power !== null)?.power;
  return (
    <section class="metric-result" data-metric={metric.metric} aria-labelledby={`metric-${metric.metric}`}>
      <h3 id={`metric-${metric.metric}`}>
        {metric.metric}{' '}
        <span class="muted">
          ({metric.role}, {metric.direction} is better, {metric.kind})
        </span>
      </h3>
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">n</th>
            <th scope="col">Estimate</th>
            <th scope="col">Interval</th>
            <th scope="col">Difference</th>
            <th scope="col">Relative lift</th>
            <th scope="col">p-value</th>
            <th scope="col">Adjusted p</th>
            <th scope="col">Chance to beat control</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {metric.arms.map((arm) => {
            const comparison = metric.comparisons.find((entry) => entry.variant === arm.variant);
            const control = arm.variant === analysis.control;
            return (
              <tr key={arm.variant} data-arm={arm.variant}>
                <th scope="row" data-label="Arm">
                  {arm.variant}
                  {control && <span class="muted"> (control)</span>}
                </th>
                <td data-label="n">{formatNumber(arm.n, 0)}</td>
                <td data-label="Estimate">{arm.value === null ? '—' : format(arm.value)}</td>
                <td data-label="Interval">{formatInterval(arm.interval, format)}</td>
                <td data-label="Difference">
                  {comparison && comparison.diff !== null
                    ? `${format(comparison.diff)} ${formatInterval(comparison.diffCI, format)}`
                    : '—'}
                </td>
                <td data-label="Relative lift">
                  {comparison && comparison.relativeLift !== null
                    ? `${percent(comparison.relativeLift)} ${formatInterval(comparison.relativeLiftCI, percent)}`
                    : '—'}
                </td>
                <td data-label="p-value">{formatPValue(comparison?.pValue)}</td>
                <td data-label="Adjusted p">{formatPValue(comparison?.adjustedPValue)}</td>
                <td data-label="Chance to beat control">{formatPercent(comparison?.chanceToBeatControl)}</td>
                <td data-label="Verdict">
                  {comparison ? (
                    <span class={verdictClass(comparison.verdict)}>{comparison.verdict}</span>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {metric.comparisons[0] && <p class="muted">Method: {metric.comparisons[0].method}</p>}
      {primaryPower && (
        <p class="muted">
          Power {formatPercent(primaryPower.power)} for the minimum detectable effect; needs{' '}
          {formatNumber(primaryPower.sampleNeededPerArm, 0)} units per arm,{' '}
          {formatNumber(primaryPower.remainingPerArm, 0)} to go.
        </p>
      )}
    </section>
  );
}

/** A bandit's arms as their posteriors describe them, and the stopping rule that decides. */
function BanditTable({ bandit, kind }: { bandit: NonNullable<ExperimentAnalysis['bandit']>; kind: string }) {
  const format = metricFormat(bandit.metric, kind);
  return (
    <section class="metric-result bandit-result" aria-labelledby="bandit-title">
      <h3 id="bandit-title">
        {bandit.metric} <span class="muted">(bandit: posterior summaries)</span>
      </h3>
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">n</th>
            <th scope="col">Posterior mean</th>
            <th scope="col">Credible interval</th>
            <th scope="col">Probability best</th>
            <th scope="col">Expected loss</th>
          </tr>
        </thead>
        <tbody>
          {bandit.arms.map((arm) => (
            <tr key={arm.variant} data-arm={arm.variant}>
              <th scope="row" data-label="Arm">
                {arm.variant}
                {arm.failing && <span class="muted"> (out: loses on a guardrail)</span>}
              </th>
              <td data-label="n">{formatNumber(arm.n, 0)}</td>
              <td data-label="Posterior mean">{arm.mean === null ? '—' : format(arm.mean)}</td>
              <td data-label="Credible interval">{formatInterval(arm.credibleInterval, format)}</td>
              <td data-label="Probability best">{formatPercent(arm.probabilityBest)}</td>
              <td data-label="Expected loss">{arm.expectedLoss === null ? '—' : format(arm.expectedLoss)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        Regret so far: {formatNumber(bandit.regret, 1)} outcomes against sending everyone to the best arm.
        Stopping rule: {bandit.decision.rule}. The comparisons below are fixed-horizon tests on adaptively
        allocated data, shown for reference only; they do not decide a bandit.
      </p>
      <p class="muted">Method: {bandit.method}</p>
    </section>
  );
}

/** An experiment's analysis: verdict, sample-ratio check, units per arm and every metric's comparison. */
export function ExperimentResultsView({ analysis }: { analysis: ExperimentAnalysis }) {
  const { srm, verdict } = analysis;
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Results</h2>
      <p class="plain-verdict">
        <strong>{plainVerdict(analysis)}</strong>
      </p>
      <p class="overall">
        Verdict: <span class={verdictClass(verdict.verdict)}>{verdict.verdict}</span>
        {verdict.winner && (
          <>
            {' '}
            — winner <strong>{verdict.winner}</strong>
          </>
        )}
      </p>
      {srm?.mismatch ? (
        <p class="notice notice-error srm-warning" role="alert">
          Sample ratio mismatch (χ² {formatNumber(srm.chiSquare)}, p {formatPValue(srm.pValue)}): the split
          does not match its weights, so no result here should be trusted until the cause is found.
        </p>
      ) : (
        <p class="muted">
          {srm
            ? `Sample ratio check passed (χ² ${formatNumber(srm.chiSquare)}, p ${formatPValue(srm.pValue)}).`
            : 'No sample ratio check (bandit allocation or no units yet).'}
        </p>
      )}
      <p class="muted">
        Units: {analysis.arms.map((arm) => `${arm.variant} ${formatNumber(arm.units, 0)}`).join(', ')}. Alpha{' '}
        {analysis.alpha}, correction {analysis.correction}
        {analysis.sequential ? ', always-valid (sequential) intervals' : ''}.
        {analysis.multipleExposureUnits > 0 &&
          ` ${formatNumber(analysis.multipleExposureUnits, 0)} units saw more than one arm and were left out.`}
      </p>
      {analysis.bandit && (
        <BanditTable
          bandit={analysis.bandit}
          kind={analysis.metrics.find((metric) => metric.metric === analysis.bandit?.metric)?.kind ?? 'mean'}
        />
      )}
      {analysis.metrics.map((metric) => (
        <MetricTable key={metric.metric} analysis={analysis} metric={metric} />
      ))}
    </section>
  );
}
