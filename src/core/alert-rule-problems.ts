import { expandAlertPresets, SPEND_TODAY_METRIC } from './alert-rule.js';
import type { ConfigProblem } from './errors.js';
import { experimentConfigSchema } from './experiment-config.js';
import { type FeatureConfig, NAME_PATTERN } from './feature-config.js';

// The experiment schema's own metric check, so that alerts accept exactly the metrics experiments do.
const experimentMetricSchema = experimentConfigSchema.shape.primaryMetric;

/**
 * The problems of a parsed feature's `alerts` that its schema cannot see (paths like `alerts[1].scope`): ids
 * must follow NAME_PATTERN and be unique, also against the ids presets add; metrics must be experiment
 * metrics (or spend-today); scope, treatment and control must name variants, with treatment not control.
 */
export function alertRuleProblems(feature: FeatureConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const variantKeys = new Set(Object.keys(feature.variants));
  const requireVariant = (variant: string, path: string) => {
    if (!variantKeys.has(variant)) problems.push({ path, message: `unknown variant "${variant}"` });
  };
  // Every id a preset can add, whatever the feature's policies.
  const presetIds = new Set(
    expandAlertPresets([{ preset: 'field-reports' }], { policy: { cache: {}, budget: { dailyUsd: 1 } } }).map(
      (rule) => rule.id,
    ),
  );
  const ids = new Map<string, number>();
  let presetAt: number | undefined;

  (feature.alerts ?? []).forEach((rule, index) => {
    const at = `alerts[${index}]`;
    if ('preset' in rule) {
      if (presetAt !== undefined) {
        problems.push({ path: `${at}.preset`, message: `duplicate preset (also alerts[${presetAt}])` });
      } else presetAt = index;
      return;
    }
    if (!NAME_PATTERN.test(rule.id)) {
      problems.push({
        path: `${at}.id`,
        message: 'must be 1-64 letters, digits, "-", "_" or ".", starting with a letter or digit',
      });
    }
    const first = ids.get(rule.id);
    if (first !== undefined) {
      problems.push({ path: `${at}.id`, message: `duplicate alert id "${rule.id}" (also alerts[${first}])` });
    } else ids.set(rule.id, index);
    const metric = experimentMetricSchema.safeParse(rule.metric);
    if (!metric.success && !(rule.kind === 'absolute' && rule.metric === SPEND_TODAY_METRIC)) {
      const message = metric.error.issues[0]?.message ?? 'must be an experiment metric';
      problems.push({
        path: `${at}.metric`,
        message: rule.kind === 'absolute' ? `${message} or "${SPEND_TODAY_METRIC}"` : message,
      });
    }
    if (rule.kind === 'absolute') {
      if (rule.scope !== 'all') requireVariant(rule.scope, `${at}.scope`);
      if (rule.metric.startsWith('feedback:')) {
        // Named feedback metrics are summed per unit for experiments, not aggregated over windows.
        problems.push({ path: `${at}.metric`, message: 'feedback metrics are for relative rules only' });
      }
      return;
    }
    const control = rule.control ?? feature.defaultVariant;
    if (rule.control !== undefined) requireVariant(rule.control, `${at}.control`);
    if (rule.treatment !== undefined) {
      requireVariant(rule.treatment, `${at}.treatment`);
      if (rule.treatment === control) {
        problems.push({ path: `${at}.treatment`, message: `is the control ("${control}")` });
      }
    } else if (![...variantKeys].some((variant) => variant !== control)) {
      problems.push({ path: `${at}.treatment`, message: `no variant other than the control ("${control}")` });
    }
  });

  if (presetAt !== undefined) {
    for (const [id, index] of ids) {
      if (presetIds.has(id)) {
        problems.push({
          path: `alerts[${index}].id`,
          message: `duplicate alert id "${id}" (the preset at alerts[${presetAt}] adds it)`,
        });
      }
    }
  }
  return problems;
}
