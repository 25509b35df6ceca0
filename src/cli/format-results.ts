import type { ExperimentResults } from '../control/experiments/experiment-results.js';
import type { MetricAnalysis } from '../stats/experiment-analysis.js';
import { formatTable } from './format-table.js';

/** An experiment's results as text: status, SRM, then one table per metric with every comparison. */
export function formatResults(results: ExperimentResults): string {
  const { experiment, analysis, range } = results;
  const lines = [`${experiment.key} on ${experiment.feature}: ${experiment.status}`];
  if (analysis === null || range === null) {
    lines.push('not started yet: no results');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `range ${new Date(range.from).toISOString()} .. ${new Date(range.to).toISOString()}; control ${analysis.control}; ` +
      `alpha ${analysis.alpha}; ${analysis.sequential ? 'sequential (always valid)' : 'fixed-horizon'}; correction ${analysis.correction}`,
  );
  lines.push(`units: ${analysis.arms.map((arm) => `${arm.variant} ${arm.units}`).join(', ')}`);
  if (analysis.multipleExposureUnits > 0) {
    lines.push(`left out: ${analysis.multipleExposureUnits} units seen in more than one arm`);
  }
  if (analysis.srm) {
    lines.push(
      analysis.srm.mismatch
        ? `WARNING sample ratio mismatch (chi-square ${round(analysis.srm.chiSquare)}, p ${pValue(analysis.srm.pValue)}): do not trust these results`
        : `sample ratio ok (p ${pValue(analysis.srm.pValue)})`,
    );
  }
  lines.push(
    `verdict: ${analysis.verdict.verdict}${analysis.verdict.winner ? ` (${analysis.verdict.winner})` : ''}`,
  );
  if (analysis.bandit) {
    const { bandit } = analysis;
    lines.push(`stopping rule: ${bandit.decision.rule}`);
    lines.push(
      `\n${bandit.metric} (bandit posteriors; the comparisons below are fixed-horizon tests, for reference only)`,
    );
    lines.push(
      formatTable(
        ['ARM', 'N', 'MEAN', 'CREDIBLE INTERVAL', 'P(BEST)', 'EXPECTED LOSS'],
        bandit.arms.map((arm) => [
          arm.failing ? `${arm.variant} (out)` : arm.variant,
          String(arm.n),
          value(arm.mean),
          arm.credibleInterval
            ? `[${value(arm.credibleInterval[0])}, ${value(arm.credibleInterval[1])}]`
            : '-',
          `${round(arm.probabilityBest * 100)} %`,
          value(arm.expectedLoss),
        ]),
      ).trimEnd(),
    );
    lines.push(`regret so far: ${value(bandit.regret)}`);
  }
  const tables = analysis.metrics.map(
    (metric) => `\n${metric.metric} (${metric.role}, ${metric.direction} is better)\n${metricTable(metric)}`,
  );
  return `${lines.join('\n')}\n${tables.join('')}`;
}

function metricTable(metric: MetricAnalysis): string {
  const comparisons = new Map(metric.comparisons.map((comparison) => [comparison.variant, comparison]));
  const rows = metric.arms.map((arm) => {
    const comparison = comparisons.get(arm.variant);
    const power = comparison?.power;
    return [
      arm.variant,
      String(arm.n),
      value(arm.value),
      interval(arm.interval),
      comparison ? percent(comparison.relativeLift) : 'control',
      comparison ? interval(comparison.relativeLiftCI, percent) : '',
      comparison ? pValue(comparison.pValue) : '',
      comparison ? pValue(comparison.adjustedPValue) : '',
      comparison ? percent(comparison.chanceToBeatControl) : '',
      comparison?.verdict ?? '',
      power ? `${percent(power.power)} (${power.remainingPerArm ?? '-'} more/arm)` : '',
    ];
  });
  return formatTable(
    [
      'ARM',
      'N',
      'VALUE',
      'INTERVAL',
      'LIFT',
      'LIFT INTERVAL',
      'P',
      'ADJ P',
      'CHANCE BETTER',
      'VERDICT',
      'POWER',
    ],
    rows,
  );
}

const round = (number: number) => String(Math.round(number * 10_000) / 10_000);
const value = (number: number | null) => (number === null ? '-' : round(number));
const percent = (number: number | null) => (number === null ? '-' : `${(number * 100).toFixed(1)}%`);
const pValue = (number: number | null) =>
  number === null ? '-' : number < 0.0001 ? '<0.0001' : number.toFixed(4);
const interval = (bounds: [number, number] | null, format: (number: number) => string = round) =>
  bounds === null ? '-' : `[${format(bounds[0])}, ${format(bounds[1])}]`;
