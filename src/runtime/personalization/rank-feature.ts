import type { CompiledFeature } from '../../core/compile-feature.js';
import type { Attributes, Decision, EvaluationContext } from '../../core/decision.js';
import { InvalidInputError } from '../../core/errors.js';
import type { RankerLearnConfig } from '../../core/feature-config.js';
import { lacksConsent } from '../../core/lacks-consent.js';
import { unitId } from '../../core/unit-id.js';
import { isRankingFeature, rankerLearning } from '../../core/validate-feature.js';
import { recordCall } from '../client/call-event.js';
import type { ExperimentAssignments } from '../client/experiment-assignments.js';
import type { RuntimeServices } from '../client/runtime-services.js';
import { checkRankRequest } from './check-rank-request.js';
import { GLOBAL_LEVEL, type ProfileLevel } from './preference-update.js';
import type { ProfileBook } from './profile-book.js';
import type { RankItem, RankRequest, RankResult } from './rank-types.js';
import type { RankingMemory } from './ranking-memory.js';
import { itemValues, scoreItems } from './score-items.js';

/** What ranking needs from a client. */
export interface RankServices {
  readonly services: RuntimeServices;
  readonly assignments: ExperimentAssignments;
  readonly book: ProfileBook;
  readonly rankings: RankingMemory;
  /** Uniform source in [0, 1) for Thompson draws. */
  readonly random: () => number;
  /** Loads the profiles a ranking reads into the book (from the store or server); resolves when current. */
  readonly loadProfiles: (feature: string, levels: readonly ProfileLevel[]) => Promise<void>;
  /** Records the exposure of a decision under a request id. */
  readonly expose: (decision: Decision, requestId: string, context: EvaluationContext | undefined) => void;
  /** Remembers the request so feedback can name its feature and variant. */
  readonly remember: (requestId: string, feature: string, variant: string) => void;
}

/**
 * Orders items for a unit: decides the feature (the split between rankers is an ordinary sticky split, so a
 * holdback keeps the caller's order), orders by the decided ranker, records the exposure and a `run` call
 * event like any run, and remembers the served order so feedback naming an item teaches the profiles.
 */
export async function rankFeature<I extends RankItem>(
  parts: RankServices,
  feature: CompiledFeature,
  context: EvaluationContext | undefined,
  request: RankRequest<I>,
): Promise<RankResult<I>> {
  const { services } = parts;
  const started = services.elapsed();
  if (!isRankingFeature(feature.config)) {
    throw new InvalidInputError('feature', `"${feature.key}" has no ranker variants: call run()`);
  }
  const { items, limit } = checkRankRequest(request);
  const attributes = attributesOf(context);
  const decision = await parts.assignments.decide(feature, context);
  const learn = rankerLearning(feature.config);
  const consented = !lacksConsent(feature, attributes);
  const levels = learn === undefined ? [] : profileLevels(learn, attributes, consented);
  if (learn !== undefined) await parts.loadProfiles(feature.key, levels);

  const variant = feature.config.variants[decision.variant];
  const mode = feature.config.mode ?? 'serve';
  const personalized =
    mode === 'serve' &&
    variant?.type === 'ranker' &&
    variant.strategy === 'personalized' &&
    learn !== undefined;
  const scores =
    learn === undefined
      ? undefined
      : scoreItems({
          feature: feature.key,
          items,
          learn,
          levels,
          evidence: (level, attribute, value) => parts.book.get(feature.key, level, attribute, value),
          now: services.clock(),
          draw: personalized && learn.explore === 'thompson',
          rng: parts.random,
        });
  const order = items.map((_, index) => index);
  if (personalized && scores !== undefined) {
    // Array.prototype.sort is stable: equal scores keep the caller's order.
    order.sort((left, right) => (scores[right] as number) - (scores[left] as number));
  }
  const served = order.slice(0, limit);

  const requestId = services.newId();
  parts.expose(decision, requestId, context);
  parts.remember(requestId, feature.key, decision.variant);
  if (learn !== undefined && consented) {
    parts.rankings.remember(requestId, {
      feature: feature.key,
      learn,
      levels,
      served: served.map((index) => {
        const item = items[index] as I;
        return { id: item.id, values: itemValues(item, learn) };
      }),
    });
  }
  recordCall(services, {
    requestId,
    feature: feature.key,
    scope: 'run',
    variant: decision.variant,
    servedVariant: decision.variant,
    outcome: 'success',
    errorClass: null,
    errorMessage: null,
    latencyMs: services.elapsed() - started,
    unitId: parts.assignments.unitOf(feature, decision, attributes),
  });
  return {
    requestId,
    items: served.map((index) => Object.assign({}, items[index] as I, { score: scores?.[index] ?? null })),
    variant: decision.variant,
    reason: decision.reason,
    strategy: personalized ? 'personalized' : 'original',
    mode,
  };
}

/**
 * The profiles a unit's ranking reads and its feedback updates, the global one first, then the `by`
 * attributes from the last (the widest group) to the first (the unit). A unit without the consent the
 * feature requires reads only the global profile and teaches nothing.
 */
export function profileLevels(
  learn: RankerLearnConfig,
  attributes: Attributes,
  consented: boolean,
): ProfileLevel[] {
  const levels: ProfileLevel[] = [GLOBAL_LEVEL];
  if (!consented) return levels;
  for (let index = learn.by.length - 1; index >= 0; index -= 1) {
    const scope = learn.by[index] as string;
    const key = unitId(attributes[scope]);
    if (key !== null) levels.push({ scope, key });
  }
  return levels;
}

function attributesOf(context: EvaluationContext | undefined): Attributes {
  return context &&
    typeof context === 'object' &&
    context.attributes &&
    typeof context.attributes === 'object'
    ? context.attributes
    : {};
}
