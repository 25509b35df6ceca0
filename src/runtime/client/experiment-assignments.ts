import { LRUCache } from 'lru-cache';
import type { CompiledFeature, CompiledSplitRule } from '../../core/compile-feature.js';
import type { Attributes, Decision, EvaluationContext } from '../../core/decision.js';
import { evaluate } from '../../core/evaluate.js';
import { lacksConsent } from '../../core/lacks-consent.js';
import { unitId } from '../../core/unit-id.js';
import type { Assignment } from '../../store/store.js';

/** Where sticky assignments live: the store, or a Switchyard server in remote mode. */
export interface AssignmentBackend {
  /** The unit's assignment in the experiment, or undefined. */
  find(experiment: string, unitId: string): Promise<Assignment | undefined>;
  /** Stores the assignment unless one exists; returns the one that holds (first write wins). */
  assignOnce(assignment: Assignment): Promise<Assignment>;
}

/** A backend that keeps nothing: every unit is bucketed by the split's current weights. */
export const NOOP_ASSIGNMENT_BACKEND: AssignmentBackend = {
  find: async () => undefined,
  assignOnce: async (assignment) => assignment,
};

/** Sticky experiment arms for one client: a local cache in front of the shared backend. */
export interface ExperimentAssignments {
  /** Evaluates with the assignments this client already knows; synchronous, no I/O. */
  decideKnown(feature: CompiledFeature, context: EvaluationContext | undefined): Decision;
  /**
   * Evaluates with the unit's stored assignments (loaded when not known here) and records a new one when a
   * running experiment's split placed the unit; when another process assigned the unit first, its arm wins.
   */
  decide(feature: CompiledFeature, context: EvaluationContext | undefined): Promise<Decision>;
  /** Records the assignment a decision made, in the background (errors go to `onError`). */
  recordInBackground(
    feature: CompiledFeature,
    context: EvaluationContext | undefined,
    decision: Decision,
  ): void;
  /**
   * The unit a decision is about: the deciding split's hash attribute, else `userId`; null when absent or
   * when the feature requires consent the unit has not given.
   */
  unitOf(feature: CompiledFeature, decision: Decision, attributes: Attributes): string | null;
}

/** Options of createExperimentAssignments. */
export interface ExperimentAssignmentsOptions {
  backend: AssignmentBackend;
  clock: () => number;
  onError: (error: unknown) => void;
  /** Assignments remembered locally; default 100,000. */
  maxEntries?: number;
}

/**
 * Keeps units in the arm an experiment first gave them, across weight changes (bandits) and processes.
 * Assignments never change once written (first write wins), so a local cache of them is never stale; a new
 * hash seed or an arm leaving the split releases them (docs/experiments.md).
 */
export function createExperimentAssignments(options: ExperimentAssignmentsOptions): ExperimentAssignments {
  const { backend, clock, onError } = options;
  const known = new LRUCache<string, string>({ max: options.maxEntries ?? 100_000 });
  const cacheKey = (rule: CompiledSplitRule, unit: string) =>
    `${rule.experiment?.key}\u0000${rule.seed}\u0000${unit}`;

  const experimentRules = (feature: CompiledFeature): CompiledSplitRule[] =>
    feature.rules.filter(
      (rule): rule is CompiledSplitRule => rule.kind === 'split' && rule.experiment !== null,
    );

  const withAssignments = (
    context: EvaluationContext | undefined,
    assignments: Record<string, string>,
  ): EvaluationContext | undefined =>
    Object.keys(assignments).length === 0
      ? context
      : Object.assign({}, context, { assignments: Object.assign({}, assignments, context?.assignments) });

  const knownAssignments = (feature: CompiledFeature, attributes: Attributes): Record<string, string> => {
    const assignments: Record<string, string> = {};
    for (const rule of experimentRules(feature)) {
      const unit = unitId(attributes[rule.hashAttribute]);
      const variant = unit === null ? undefined : known.get(cacheKey(rule, unit));
      if (variant !== undefined && rule.experiment) assignments[rule.experiment.key] = variant;
    }
    return assignments;
  };

  const record = async (feature: CompiledFeature, attributes: Attributes, decision: Decision) => {
    const rule = splitRuleOf(feature, decision);
    if (decision.reason !== 'SPLIT' || rule?.experiment?.status !== 'running') return undefined;
    if (lacksConsent(feature, attributes)) return undefined;
    const unit = unitId(attributes[rule.hashAttribute]);
    if (unit === null) return undefined;
    const holding = await backend.assignOnce({
      experiment: rule.experiment.key,
      unitId: unit,
      variant: decision.variant,
      seed: rule.seed,
      at: clock(),
    });
    if (holding.seed === rule.seed) known.set(cacheKey(rule, unit), holding.variant);
    return holding;
  };

  return {
    decideKnown(feature, context) {
      const assignments = knownAssignments(feature, attributesOf(context));
      return evaluate(feature, withAssignments(context, assignments));
    },

    async decide(feature, context) {
      const attributes = attributesOf(context);
      // A unit without the consent the feature requires is neither looked up nor enrolled.
      if (lacksConsent(feature, attributes)) return evaluate(feature, context);
      const assignments = knownAssignments(feature, attributes);
      for (const rule of experimentRules(feature)) {
        const experiment = rule.experiment?.key as string;
        const unit = unitId(attributes[rule.hashAttribute]);
        if (unit === null || assignments[experiment] !== undefined) continue;
        // The store being unreachable must not fail the request: the unit is bucketed by weight instead.
        const stored = await backend.find(experiment, unit).catch((error: unknown) => {
          onError(error);
          return undefined;
        });
        if (stored !== undefined && stored.seed === rule.seed) {
          known.set(cacheKey(rule, unit), stored.variant);
          assignments[experiment] = stored.variant;
        }
      }
      const decision = evaluate(feature, withAssignments(context, assignments));
      const holding = await record(feature, attributes, decision).catch((error: unknown) => {
        onError(error);
        return undefined;
      });
      // An arm stored under another seed no longer holds (the seed was changed to reshuffle every unit).
      const rule = splitRuleOf(feature, decision);
      if (holding === undefined || holding.variant === decision.variant || holding.seed !== rule?.seed) {
        return decision;
      }
      // Another process placed the unit first: serve its arm so the unit sees one arm only.
      const experiment = rule.experiment?.key as string;
      return evaluate(
        feature,
        withAssignments(context, Object.assign({}, assignments, { [experiment]: holding.variant })),
      );
    },

    recordInBackground(feature, context, decision) {
      record(feature, attributesOf(context), decision).catch(onError);
    },

    unitOf(feature, decision, attributes) {
      if (lacksConsent(feature, attributes)) return null;
      const rule = splitRuleOf(feature, decision);
      return unitId(attributes[rule?.hashAttribute ?? 'userId']);
    },
  };
}

function splitRuleOf(feature: CompiledFeature, decision: Decision): CompiledSplitRule | undefined {
  if (decision.ruleId === null) return undefined;
  const rule = feature.rules.find((candidate) => candidate.id === decision.ruleId);
  return rule?.kind === 'split' ? rule : undefined;
}

function attributesOf(context: EvaluationContext | undefined): Attributes {
  return context &&
    typeof context === 'object' &&
    context.attributes &&
    typeof context.attributes === 'object'
    ? context.attributes
    : {};
}
