import { formatTable } from '../format-table.js';
import { METHOD_NAMES, METHODS } from './judge-run.js';
import type { MethodSummary } from './summarize-method.js';
import type { ScenarioResult } from './summarize-scenario.js';

/** Goal (a): the relative rule's median v2 requests until rollback. */
export const GOAL_MEDIAN_V2_REQUESTS = 2_000;

const HEADER = [
  'scenario',
  'method',
  'rolled back',
  'v2 requests to rollback (median)',
  'p90',
  'minutes (median)',
  'excess v2 failures (median)',
  'false rollbacks',
];

/**
 * Renders the results as one table (plain text for a terminal, or Markdown for docs/benchmarks.md), one row
 * per scenario and method, followed by the goals and whether they are met.
 *
 * @example
 * io.stdout(formatDetection(results, 'markdown'));
 */
export function formatDetection(results: readonly ScenarioResult[], format: 'plain' | 'markdown'): string {
  const rows = results.flatMap((result) =>
    METHODS.map((method) => [
      `(${result.scenario}) ${result.title}`,
      METHOD_NAMES[method],
      ...figures(result.summary[method]),
    ]),
  );
  const table = format === 'markdown' ? markdownTable(HEADER, rows) : formatTable(HEADER, rows);
  const goals = detectionGoals(results).map((goal) => (format === 'markdown' ? `- ${goal}` : goal));
  return `${table}\n${goals.join('\n')}${goals.length > 0 ? '\n' : ''}`;
}

/** One line per goal that the results bear on: its figure and MET or NOT MET. */
export function detectionGoals(results: readonly ScenarioResult[]): string[] {
  const goals: string[] = [];
  const bad = results.find((result) => result.scenario === 'a');
  if (bad !== undefined && bad.seeds.length > 0) {
    const median = bad.summary.relative.v2RequestsMedian;
    goals.push(
      `Goal (a) median v2 requests until the relative rule's rollback <= ${count(GOAL_MEDIAN_V2_REQUESTS)}: ` +
        `${Number.isFinite(median) ? count(median) : 'no rollback in most runs'} -> ${median <= GOAL_MEDIAN_V2_REQUESTS ? 'MET' : 'NOT MET'}`,
    );
  }
  const harmless = results.filter(
    (result) => (result.scenario === 'c' || result.scenario === 'd') && result.seeds.length > 0,
  );
  if (harmless.length > 0) {
    const falseBy = (method: 'relative' | 'flagger' | 'argo') =>
      harmless
        .map((result) => `(${result.scenario}) ${result.summary[method].rolledBack}/${result.seeds.length}`)
        .join(', ');
    const relativeFalse = harmless.reduce((sum, result) => sum + result.summary.relative.rolledBack, 0);
    goals.push(
      `Goal (c)/(d) no false rollback from the relative rule: ${falseBy('relative')} -> ` +
        `${relativeFalse === 0 ? 'MET' : 'NOT MET'}; beside it ${METHOD_NAMES.flagger} ${falseBy('flagger')}, ` +
        `${METHOD_NAMES.argo} ${falseBy('argo')}`,
    );
  }
  return goals;
}

function figures(summary: MethodSummary): string[] {
  const untilRollback = (value: number, digits = 0) =>
    Number.isFinite(value) ? count(value, digits) : summary.rolledBack === 0 ? '-' : 'not in run';
  return [
    `${summary.rolledBack}/${summary.runs}`,
    untilRollback(summary.v2RequestsMedian),
    untilRollback(summary.v2RequestsP90),
    untilRollback(summary.minutesMedian, 1),
    Number.isFinite(summary.excessFailuresMedian) ? count(summary.excessFailuresMedian, 1) : '-',
    summary.falseRollbacks === null ? 'n/a' : String(summary.falseRollbacks),
  ];
}

function count(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = `| ${header.map((_, index) => (index < 2 ? '---' : '---:')).join(' | ')} |`;
  return `${[line(header), rule, ...rows.map(line)].join('\n')}\n`;
}
