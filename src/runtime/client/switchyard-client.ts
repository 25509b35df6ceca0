import type { Decision, EvaluationContext, UnresolvedDecision } from '../../core/decision.js';
import { FeatureNotFoundError, InvalidInputError, SwitchyardError } from '../../core/errors.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import { isRankingFeature } from '../../core/validate-feature.js';
import type { PreferenceUpdate } from '../personalization/preference-update.js';
import { preferenceUpdates } from '../personalization/preference-updates.js';
import { type RankServices, rankFeature } from '../personalization/rank-feature.js';
import type { RankItem, RankRequest, RankResult } from '../personalization/rank-types.js';
import type { ExperimentAssignments } from './experiment-assignments.js';
import type { FeatureEventListener } from './feature-events.js';
import type { FeatureRegistry } from './feature-registry.js';
import type { RequestLog } from './request-log.js';
import { runAll } from './run-all.js';
import { runFeature } from './run-feature.js';
import type { FeedbackInput, RunAllResult, RunPlan, RunRequest, RunResult } from './run-types.js';
import type { RuntimeServices } from './runtime-services.js';
import { streamFeature } from './stream-feature.js';
import type { StreamRequest, StreamRun } from './stream-types.js';

/** A Switchyard client: decide, run, run several variants, report feedback, close. */
export interface Switchyard {
  /**
   * The Decision for a context, synchronously; records an exposure. Experiment units keep the arm this client
   * knows for them; a new assignment is stored in the background. Never throws: a feature this client does
   * not serve (unknown, archived) answers `defaultVariant` (or null without one) with reason ERROR and
   * errorCode FEATURE_NOT_FOUND, and one that fails to evaluate the same with EVALUATION_FAILED.
   */
  decide(
    feature: string,
    context: EvaluationContext | undefined,
    options: DecideOptions & { defaultVariant: string },
  ): Decision;
  decide(
    feature: string,
    context?: EvaluationContext,
    options?: DecideOptions,
  ): Decision | UnresolvedDecision;
  /**
   * Like `decide()`, but first loads the unit's stored experiment assignment and waits until a new one is
   * stored: the arm holds across processes even when the split's weights moved (bandits). Never rejects.
   */
  decideAsync(
    feature: string,
    context: EvaluationContext | undefined,
    options: DecideOptions & { defaultVariant: string },
  ): Promise<Decision>;
  decideAsync(
    feature: string,
    context?: EvaluationContext,
    options?: DecideOptions,
  ): Promise<Decision | UnresolvedDecision>;
  /** Runs the feature for a context through the whole pipeline. */
  run<T = unknown>(
    feature: string,
    context: EvaluationContext | undefined,
    request: RunRequest,
  ): Promise<RunResult<T>>;
  /**
   * Runs the feature like `run()` but streams the answer: resolves once the first text is ready, with
   * retries and fallback only before it (docs/decisions/0006-streaming.md).
   */
  stream<T = unknown>(
    feature: string,
    context: EvaluationContext | undefined,
    request: StreamRequest,
  ): Promise<StreamRun<T>>;
  /** The current configuration of a feature, read-only. Throws FEATURE_NOT_FOUND. */
  featureConfig(feature: string): FeatureConfig;
  /** Runs several variants in parallel; each comes back with its value or its error, never a rejection of all. */
  runAll<T = unknown>(
    feature: string,
    context: EvaluationContext | undefined,
    request: RunRequest,
    options: { variants: readonly string[] },
  ): Promise<RunAllResult<T>>;
  /**
   * Orders items for a unit with the decided ranker of a ranking feature (variants of type `ranker`); the
   * caller's order is the control. Throws INVALID_INPUT naming the field for bad items, and for a feature
   * without rankers; FEATURE_NOT_FOUND for an unknown one.
   */
  rank<I extends RankItem>(
    feature: string,
    context: EvaluationContext | undefined,
    request: RankRequest<I>,
  ): Promise<RankResult<I>>;
  /**
   * Records an outcome for a run: accepted, selected variant, rating or a named metric; for a ranking, the
   * item judged (`itemId`) or chosen (`selectedItem`), which also teaches the unit's preference profiles.
   */
  feedback(requestId: string, feedback: FeedbackInput): void;
  /** Pulls store changes now instead of at the next poll. */
  refresh(): Promise<void>;
  /**
   * Tells `listener` when features change (`changed`, with their keys) and, for a client that follows a
   * server, when its config stream is lost (`stale`: it keeps serving what it has) and back (`ready`).
   * Returns the function that removes the listener.
   */
  subscribe(listener: FeatureEventListener): () => void;
  /** Keys of the features this client serves. */
  features(): string[];
  /** Telemetry counters: accepted, written, dropped, failed batches, buffered. */
  telemetryStats(): ReturnType<RuntimeServices['telemetry']['stats']>;
  /** Flushes telemetry and releases every connection. */
  close(): Promise<void>;
}

/** Options of `decide()`. */
export interface DecideOptions {
  /** The variant to answer when the feature cannot be evaluated (OpenFeature's default value). */
  readonly defaultVariant?: string;
}

interface ClientParts {
  readonly services: RuntimeServices;
  readonly registry: FeatureRegistry;
  readonly requests: RequestLog;
  readonly assignments: ExperimentAssignments;
  readonly personalization: Pick<RankServices, 'book' | 'rankings' | 'random' | 'loadProfiles'> & {
    /** Sends preference updates on (to the store or server); never throws. */
    readonly learn: (updates: readonly PreferenceUpdate[]) => void;
  };
  readonly close: () => Promise<void>;
}

/** Builds the client object over its services. */
export function createSwitchyardClient(parts: ClientParts): Switchyard {
  const { services, registry, requests, assignments } = parts;
  let closing: Promise<void> | undefined;

  const compiled = (key: string) => {
    const feature = registry.get(key);
    if (!feature) throw new FeatureNotFoundError(key);
    return feature;
  };
  /** A feature run() and its kin answer: one whose variants are rankers is ranked instead. */
  const runnable = (key: string) => {
    const feature = compiled(key);
    if (isRankingFeature(feature.config)) {
      throw new InvalidInputError('feature', `"${feature.key}" is a ranking feature: call rank()`);
    }
    return feature;
  };
  const attributesOf = (context: EvaluationContext | undefined) =>
    context && typeof context === 'object' && context.attributes && typeof context.attributes === 'object'
      ? context.attributes
      : {};

  const exposure = (decision: Decision, requestId: string, context: EvaluationContext | undefined) => {
    const feature = registry.get(decision.feature);
    const unit = feature ? assignments.unitOf(feature, decision, attributesOf(context)) : null;
    services.telemetry.write({
      type: 'decision',
      id: services.newId(),
      at: services.clock(),
      requestId,
      feature: decision.feature,
      variant: decision.variant,
      reason: decision.reason,
      ruleId: decision.ruleId,
      unitId: unit,
      version: decision.version,
    });
  };

  /** Decides, records the exposure and remembers the request: the start of every run, whole or streamed. */
  const begin = async (
    key: string,
    context: EvaluationContext | undefined,
    request: RunRequest,
  ): Promise<RunPlan> => {
    const started = services.elapsed();
    const feature = runnable(key);
    const decision = await assignments.decide(feature, context);
    const requestId = services.newId();
    exposure(decision, requestId, context);
    requests.remember(requestId, { feature: key, variant: decision.variant });
    return {
      feature,
      decision,
      request: request ?? {},
      attributes: attributesOf(context),
      requestId,
      started,
    };
  };
  /** After a fallback, feedback on the request belongs to the variant that served it. */
  const served = (plan: RunPlan, variant: string) => {
    if (variant !== plan.decision.variant)
      requests.remember(plan.requestId, { feature: plan.feature.key, variant });
  };

  /** A decision for a feature that cannot be evaluated: the caller's default, reason ERROR, and why. */
  const unresolved = (
    key: string,
    errorCode: 'FEATURE_NOT_FOUND' | 'EVALUATION_FAILED',
    errorMessage: string,
    options: DecideOptions | undefined,
  ): Decision | UnresolvedDecision => {
    const base = { feature: String(key), payload: null, ruleId: null, bucket: null, version: 0 };
    const defaultVariant = typeof options?.defaultVariant === 'string' ? options.defaultVariant : null;
    return Object.assign(base, {
      variant: defaultVariant,
      reason: 'ERROR' as const,
      errorCode,
      errorMessage,
    });
  };
  const failedDecision = (key: string, error: unknown, options: DecideOptions | undefined) =>
    FeatureNotFoundError.isInstance(error)
      ? unresolved(key, 'FEATURE_NOT_FOUND', error.message, options)
      : unresolved(key, 'EVALUATION_FAILED', error instanceof Error ? error.message : String(error), options);

  // The overloads of decide() and decideAsync() narrow one implementation's type; the object has it.
  return {
    decide(key: string, context?: EvaluationContext, options?: DecideOptions) {
      let decision: Decision;
      try {
        const feature = compiled(key);
        decision = assignments.decideKnown(feature, context);
        assignments.recordInBackground(feature, context, decision);
      } catch (error) {
        // Evaluation never throws (OpenFeature's rule): the caller gets its default and the reason.
        return failedDecision(key, error, options);
      }
      exposure(decision, services.newId(), context);
      return decision;
    },

    async decideAsync(key: string, context?: EvaluationContext, options?: DecideOptions) {
      let decision: Decision;
      try {
        decision = await assignments.decide(compiled(key), context);
      } catch (error) {
        return failedDecision(key, error, options);
      }
      exposure(decision, services.newId(), context);
      return decision;
    },

    async run<T>(key: string, context: EvaluationContext | undefined, request: RunRequest) {
      const plan = await begin(key, context, request);
      let result: RunResult;
      try {
        result = await runFeature(services, plan);
      } catch (error) {
        throw withRequestId(error, plan.requestId);
      }
      served(plan, result.variant);
      return result as RunResult<T>;
    },

    async stream<T>(key: string, context: EvaluationContext | undefined, request: StreamRequest) {
      const plan = await begin(key, context, request);
      let run: StreamRun;
      try {
        run = await streamFeature(services, plan);
      } catch (error) {
        throw withRequestId(error, plan.requestId);
      }
      served(plan, run.variant);
      return run as StreamRun<T>;
    },

    featureConfig: (key) => compiled(key).config,

    async rank<I extends RankItem>(
      key: string,
      context: EvaluationContext | undefined,
      request: RankRequest<I>,
    ) {
      return rankFeature(
        {
          ...parts.personalization,
          services,
          assignments,
          expose: exposure,
          remember: (requestId, feature, variant) => requests.remember(requestId, { feature, variant }),
        },
        compiled(key),
        context,
        request,
      );
    },

    async runAll<T>(
      key: string,
      context: EvaluationContext | undefined,
      request: RunRequest,
      options: { variants: readonly string[] },
    ) {
      const started = services.elapsed();
      const feature = runnable(key);
      // The unit's stored experiment arm applies, as in run(): the group runs under the unit's own decision.
      const decision = await assignments.decide(feature, context);
      const requestId = services.newId();
      const result = await runAll<T>(services, {
        feature,
        decision,
        attributes: attributesOf(context),
        request: request ?? {},
        variants: options?.variants,
        requestId,
        started,
        expose: (forced) => exposure(forced, requestId, context),
      });
      // A group has no single variant: feedback on it names the chosen one (`selectedVariant`).
      requests.remember(result.requestId, { feature: key, variant: null });
      return result;
    },

    feedback(requestId, feedback) {
      if (typeof requestId !== 'string' || requestId === '') {
        throw new InvalidInputError('requestId', 'must be the requestId a run returned');
      }
      const fields = checkFeedback(feedback);
      const remembered = requests.recall(requestId);
      const feature = remembered?.feature ?? feedback.feature;
      if (!feature) {
        throw new InvalidInputError('feature', 'this client does not remember the request; pass its feature');
      }
      const ranking = parts.personalization.rankings.recall(requestId);
      const namesItem = fields.itemId !== null || fields.selectedItem !== null;
      if (namesItem && ranking !== undefined) {
        // Computed before anything is written: an item the ranking did not serve is refused and changes nothing.
        const updates = preferenceUpdates(ranking, fields, services.clock());
        parts.personalization.book.apply(updates);
        parts.personalization.learn(updates);
      } else if (namesItem && remembered !== undefined) {
        const config = registry.get(feature)?.config;
        if (config !== undefined && !isRankingFeature(config)) {
          throw new InvalidInputError(
            fields.itemId !== null ? 'itemId' : 'selectedItem',
            'names an item, but the request was not a ranking',
          );
        }
      }
      const { itemId, selectedItem, ...outcome } = fields;
      services.telemetry.write({
        type: 'feedback',
        id: services.newId(),
        at: services.clock(),
        requestId,
        feature,
        variant: remembered?.variant ?? null,
        ...outcome,
        ...(itemId === null ? {} : { itemId }),
        ...(selectedItem === null ? {} : { selectedItem }),
      });
    },

    refresh: () => registry.refresh(),
    subscribe: (listener) => registry.subscribe(listener),
    features: () => registry.keys(),
    telemetryStats: () => services.telemetry.stats(),
    close() {
      closing ??= parts.close();
      return closing;
    },
  } as Switchyard;
}

function checkFeedback(feedback: FeedbackInput) {
  if (typeof feedback !== 'object' || feedback === null) {
    throw new InvalidInputError('feedback', 'must be an object such as { accepted: true }');
  }
  const { accepted, selectedVariant, rating, metric, value, itemId, selectedItem } = feedback;
  for (const [field, item] of [
    ['itemId', itemId],
    ['selectedItem', selectedItem],
  ] as const) {
    if (item !== undefined && (typeof item !== 'string' || item === '' || item.length > 200)) {
      throw new InvalidInputError(field, 'must be the id of a ranked item (1 to 200 characters)');
    }
  }
  if (itemId !== undefined && accepted === undefined) {
    throw new InvalidInputError('accepted', 'itemId names the item accepted judges: give accepted with it');
  }
  if (accepted !== undefined && typeof accepted !== 'boolean')
    throw new InvalidInputError('accepted', 'must be a boolean');
  if (selectedVariant !== undefined && (typeof selectedVariant !== 'string' || selectedVariant === '')) {
    throw new InvalidInputError('selectedVariant', 'must be a variant key');
  }
  if (rating !== undefined && !Number.isFinite(rating))
    throw new InvalidInputError('rating', 'must be a finite number');
  if (metric !== undefined && (typeof metric !== 'string' || metric === '' || metric.length > 100)) {
    throw new InvalidInputError('metric', 'must be a name of 1 to 100 characters');
  }
  if ((metric === undefined) !== (value === undefined)) {
    throw new InvalidInputError(metric === undefined ? 'metric' : 'value', 'metric and value go together');
  }
  if (value !== undefined && !Number.isFinite(value))
    throw new InvalidInputError('value', 'must be a finite number');
  if ([accepted, selectedVariant, rating, metric, selectedItem].every((field) => field === undefined)) {
    throw new InvalidInputError(
      'feedback',
      'give at least one of accepted, selectedVariant, selectedItem, rating or metric',
    );
  }
  return {
    itemId: itemId ?? null,
    selectedItem: selectedItem ?? null,
    accepted: accepted ?? null,
    selectedVariant: selectedVariant ?? null,
    rating: rating ?? null,
    metric: metric ?? null,
    value: value ?? null,
  };
}

/** A run's failure, marked with the run's request id (the one telemetry recorded it under). */
function withRequestId(error: unknown, requestId: string): unknown {
  if (SwitchyardError.isInstance(error) && error.requestId === undefined) error.requestId = requestId;
  return error;
}
