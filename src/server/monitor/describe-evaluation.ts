import type { RuleEvaluation } from './evaluate-feature-rules.js';

/**
 * One line that says why a rule fired, for audit reasons, kill reasons and webhook payloads.
 *
 * @example
 * describeEvaluation(evaluation);
 * // 'alert v2-errors: error-rate of v2 worse than v1 (0.041 vs 0.019, p = 0.003, 1204 vs 1189 units)'
 */
export function describeEvaluation(evaluation: RuleEvaluation): string {
  const { rule, evidence } = evaluation;
  const prefix = `alert ${rule.id}`;
  if (rule.kind === 'absolute') {
    const scope = evaluation.variant === null ? '' : ` of ${evaluation.variant}`;
    return `${prefix}: ${rule.metric}${scope} ${format(evidence.value)} ${rule.comparator} ${rule.threshold} over ${String(evidence.samples)} samples`;
  }
  const samples = evidence.samples as { control?: number; treatment?: number } | undefined;
  return (
    `${prefix}: ${rule.metric} of ${String(evidence.treatment)} worse than ${String(evidence.control)} ` +
    `(${format(evidence.treatmentValue)} vs ${format(evidence.controlValue)}, p = ${format(evidence.pValue)}, ` +
    `${String(samples?.treatment ?? 0)} vs ${String(samples?.control ?? 0)} units)`
  );
}

function format(value: unknown): string {
  if (typeof value !== 'number') return 'n/a';
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}
