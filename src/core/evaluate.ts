import { chooseVariant } from './choose-variant.js';
import type { CompiledFeature } from './compile-feature.js';
import type { Attributes, Decision, DecisionErrorCode, EvaluationContext } from './decision.js';
import { hashV2FromSeedState } from './hash.js';
import { inNamespace } from './in-namespace.js';
import { lacksConsent } from './lacks-consent.js';
import { unitId } from './unit-id.js';

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/**
 * Decides which variant a unit gets; pure, synchronous and never throws.
 * Order: KILLED, then OVERRIDE (QA forcing), then DISABLED, then NO_CONSENT (a feature that requires
 * consent, for a unit without it), then the first matching rule (TARGETING_MATCH, SPLIT or STICKY), else
 * DEFAULT. A malformed context yields the default with reason ERROR.
 *
 * @example
 * const decision = evaluate(compiled, { attributes: { userId: 'u-42', tier: 'paid' } });
 * decision.variant; // 'v2'
 */
export function evaluate(feature: CompiledFeature, context?: EvaluationContext): Decision {
  try {
    if (feature.killed) return feature.decisions.killed;
    let attributes = NO_ATTRIBUTES;
    if (context !== undefined) {
      if (!isPlainObject(context))
        return errorDecision(feature, 'INVALID_CONTEXT', 'context must be an object');
      const given = context.attributes;
      if (given !== undefined) {
        if (!isPlainObject(given)) {
          return errorDecision(feature, 'INVALID_CONTEXT', 'context.attributes must be an object');
        }
        attributes = given;
      }
      const overrides = context.overrides;
      if (overrides !== undefined) {
        if (!isPlainObject(overrides)) {
          return errorDecision(feature, 'INVALID_CONTEXT', 'context.overrides must be an object');
        }
        const forced = overrides[feature.key];
        if (forced !== undefined) {
          const decision = typeof forced === 'string' ? feature.decisions.overrides.get(forced) : undefined;
          return (
            decision ??
            errorDecision(
              feature,
              'UNKNOWN_OVERRIDE_VARIANT',
              `context.overrides.${feature.key}: unknown variant ${JSON.stringify(forced)}`,
            )
          );
        }
      }
    }
    if (!feature.enabled) return feature.decisions.disabled;
    // Without consent nothing about the unit may decide: no rule, no split, no stored arm.
    if (lacksConsent(feature, attributes)) return feature.decisions.noConsent;
    let assignments: Readonly<Record<string, unknown>> | undefined;
    if (context?.assignments !== undefined) {
      if (!isPlainObject(context.assignments)) {
        return errorDecision(feature, 'INVALID_CONTEXT', 'context.assignments must be an object');
      }
      assignments = context.assignments;
    }

    for (const rule of feature.rules) {
      if (rule.matches !== null && !rule.matches(attributes)) continue;
      if (rule.kind === 'serve') return rule.decision;
      if (rule.experiment !== null) {
        const assigned = assignments?.[rule.experiment.key];
        // An arm that left the split (renamed, removed) no longer holds: the unit is bucketed afresh.
        const sticky = typeof assigned === 'string' ? rule.stickyDecisions.get(assigned) : undefined;
        if (sticky !== undefined) return sticky;
        // A paused experiment keeps its assigned units but enrols nobody new: they fall through.
        if (rule.experiment.status === 'paused') continue;
      }
      const unit = unitId(attributes[rule.hashAttribute]);
      // A unit without the hash attribute cannot be bucketed stickily: the rule does not apply to it.
      if (unit === null) continue;
      if (rule.namespace !== null && !inNamespace(unit, rule.namespace)) continue;
      const bucket = hashV2FromSeedState(rule.seedState, unit);
      const index = chooseVariant(bucket, rule.ranges as Array<[number, number]>);
      if (index < 0) continue;
      return {
        feature: feature.key,
        variant: rule.variants[index] as string,
        payload: rule.payloads[index],
        reason: 'SPLIT',
        ruleId: rule.id,
        bucket,
        version: feature.version,
      };
    }
    return feature.decisions.fallthrough;
  } catch (error) {
    return errorDecision(
      feature,
      'EVALUATION_FAILED',
      error instanceof Error ? error.message : String(error),
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorDecision(
  feature: CompiledFeature,
  errorCode: DecisionErrorCode,
  errorMessage: string,
): Decision {
  const fallback = feature.decisions.fallthrough;
  return { ...fallback, reason: 'ERROR', errorCode, errorMessage };
}
