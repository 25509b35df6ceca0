import type { RankerLearnConfig } from '../../core/feature-config.js';
import type { PreferenceEvidence } from '../../stats/preferences/preference-evidence.js';
import { shrunkAffinity } from '../../stats/preferences/shrunk-affinity.js';
import { sampleBeta } from '../../stats/sample-beta.js';
import type { ProfileLevel } from './preference-update.js';
import type { RankItem } from './rank-types.js';

/** Milliseconds in a day. */
const DAY_MS = 86_400_000;

/** The half-life of a learn setting in milliseconds. */
export function halfLifeMs(learn: RankerLearnConfig): number {
  return learn.halfLifeDays * DAY_MS;
}

/** The learned attributes an item carries, as `[attribute, value]` with the value as text. */
export function itemValues(item: RankItem, learn: RankerLearnConfig): [string, string][] {
  const values: [string, string][] = [];
  for (const attribute of learn.attributes) {
    const value = item.attributes?.[attribute];
    if (value !== undefined) values.push([attribute, String(value)]);
  }
  return values;
}

/** What `scoreItems` needs. */
export interface ScoreItemsInput {
  readonly feature: string;
  readonly items: readonly RankItem[];
  readonly learn: RankerLearnConfig;
  /** The profiles the unit's affinities come from, the global one first and the unit's own last. */
  readonly levels: readonly ProfileLevel[];
  readonly evidence: (
    level: ProfileLevel,
    attribute: string,
    value: string,
  ) => PreferenceEvidence | undefined;
  readonly now: number;
  /** Thompson: score by one posterior draw per attribute value (shared by the items with it); else by means. */
  readonly draw: boolean;
  readonly rng: () => number;
}

/** The affinity score of an item with none of the learned attributes: the uninformed prior mean. */
const UNINFORMED_SCORE = 0.5;

/**
 * One score per item: the mean, over the learned attributes it carries, of the unit's affinity for its value
 * (the shrunk posterior, drawn from or averaged).
 */
export function scoreItems(input: ScoreItemsInput): number[] {
  const options = { now: input.now, halfLifeMs: halfLifeMs(input.learn) };
  const affinities = new Map<string, number>();
  const affinity = (attribute: string, value: string) => {
    const key = `${attribute}\u0000${value}`;
    let known = affinities.get(key);
    if (known === undefined) {
      const posterior = shrunkAffinity(
        input.levels.map((level) => input.evidence(level, attribute, value)),
        options,
      );
      known = input.draw ? sampleBeta(posterior.alpha, posterior.beta, input.rng) : posterior.mean;
      affinities.set(key, known);
    }
    return known;
  };
  return input.items.map((item) => {
    const values = itemValues(item, input.learn);
    if (values.length === 0) return UNINFORMED_SCORE;
    let sum = 0;
    for (const [attribute, value] of values) sum += affinity(attribute, value);
    return sum / values.length;
  });
}
