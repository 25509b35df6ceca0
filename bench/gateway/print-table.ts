import type { TargetSummary } from './summarize-runs.js';

const HEADER = [
  '| target     | requests/s | p50 (ms) | p99 (ms) | added p50 (ms) | added p99 (ms) | server CPU/answer (µs) | errors + non-2xx |',
  '| ---------- | ---------: | -------: | -------: | -------------: | -------------: | ---------------------: | ---------------: |',
];

/**
 * Prints the summaries as a Markdown table, with the latency each target adds over the first one (the
 * direct call): ready to paste into docs/benchmarks.md.
 *
 * @example
 * printTable(summarizeRuns(runs, ['direct', 'Switchyard', 'Portkey']));
 */
export function printTable(summaries: readonly TargetSummary[]): void {
  const floor = summaries[0];
  for (const line of HEADER) console.log(line);
  for (const summary of summaries) {
    const added = (value: number) => (summary === floor ? '—' : value.toFixed(2));
    const cells = [
      summary.target.padEnd(10),
      Math.round(summary.requestsPerSecond).toLocaleString('en-US').padStart(10),
      summary.p50.toFixed(2).padStart(8),
      summary.p99.toFixed(2).padStart(8),
      added(summary.p50 - (floor?.p50 ?? 0)).padStart(14),
      added(summary.p99 - (floor?.p99 ?? 0)).padStart(14),
      Math.round(summary.serverCpuUsPerAnswer).toLocaleString('en-US').padStart(22),
      String(summary.errors + summary.non2xx).padStart(16),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}
