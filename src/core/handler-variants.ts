import type { FeatureConfig } from './feature-config.js';

/** A handler variant that a feature may serve while the process registered no handler under its name. */
export interface MissingHandler {
  readonly feature: string;
  readonly variant: string;
  /** Where the feature serves it: `default`, `rule <id>`, `fallback of <variant>`. */
  readonly servedBy: readonly string[];
}

/**
 * The handler variants each feature can reach without a handler registered for them: its default
 * variant, a `serve` rule's variant, a split arm with weight above 0, and a fallback of any of those.
 * A run that lands on one fails with `handler_missing`, so a process that cannot run code (the gateway
 * of `switchyard serve`) should say so at start.
 *
 * @example
 * missingHandlers([coachReply], new Set()); // [{ feature: 'coach-reply', variant: 'v1', servedBy: ['default'] }]
 */
export function missingHandlers(
  features: readonly FeatureConfig[],
  registered: ReadonlySet<string>,
): MissingHandler[] {
  const missing: MissingHandler[] = [];
  for (const feature of features) {
    const servedBy = new Map<string, string[]>();
    const reach = (variant: string, by: string) => {
      const list = servedBy.get(variant) ?? [];
      const first = list.length === 0;
      if (!list.includes(by)) list.push(by);
      servedBy.set(variant, list);
      // Each variant's fallbacks are followed once, so a cycle of fallbacks ends.
      if (first)
        for (const next of feature.variants[variant]?.fallback ?? []) reach(next, `fallback of ${variant}`);
    };
    reach(feature.defaultVariant, 'default');
    feature.rules.forEach((rule, index) => {
      const name = `rule ${rule.id ?? index + 1}`;
      if ('serve' in rule) reach(rule.serve, name);
      else for (const [variant, weight] of Object.entries(rule.split)) if (weight > 0) reach(variant, name);
    });
    for (const [variant, by] of servedBy) {
      if (feature.variants[variant]?.type === 'handler' && !registered.has(variant)) {
        missing.push({ feature: feature.key, variant, servedBy: by });
      }
    }
  }
  return missing;
}
