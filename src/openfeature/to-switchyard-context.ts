import type { EvaluationContext as OpenFeatureContext } from '@openfeature/server-sdk';
import type { EvaluationContext } from '../core/decision.js';

/** A translated context, or the reason the OpenFeature context cannot be translated. */
export type ContextTranslation =
  | { readonly ok: true; readonly context: EvaluationContext }
  | { readonly ok: false; readonly message: string };

/**
 * Translates an OpenFeature evaluation context into a Switchyard one: `targetingKey` becomes
 * `attributes.userId` (unless the context carries its own `userId`), every other attribute passes
 * through, and the object under `overridesAttribute` (when named and present) becomes `overrides`.
 *
 * @example
 * toSwitchyardContext({ targetingKey: 'u-42', tier: 'paid', qa: { 'coach-reply': 'v2' } }, 'qa');
 * // { ok: true, context: { attributes: { tier: 'paid', userId: 'u-42' }, overrides: { 'coach-reply': 'v2' } } }
 */
export function toSwitchyardContext(
  context: OpenFeatureContext,
  overridesAttribute?: string,
): ContextTranslation {
  const { targetingKey, ...rest } = context;
  const attributes: Record<string, unknown> = rest;
  let overrides: Record<string, string> | undefined;
  if (overridesAttribute !== undefined && overridesAttribute in attributes) {
    const given = attributes[overridesAttribute];
    delete attributes[overridesAttribute];
    if (given !== undefined && given !== null) {
      if (typeof given !== 'object' || Array.isArray(given) || given instanceof Date) {
        return {
          ok: false,
          message: `context.${overridesAttribute} must be an object of feature key -> variant key`,
        };
      }
      // Non-string entries are left for the core to report: only the evaluated feature's entry matters.
      overrides = given as Record<string, string>;
    }
  }
  if (targetingKey !== undefined && attributes.userId === undefined) attributes.userId = targetingKey;
  return { ok: true, context: overrides === undefined ? { attributes } : { attributes, overrides } };
}
