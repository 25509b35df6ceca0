import { createExperiment } from '../../control/experiments/create-experiment.js';
import { experimentResults } from '../../control/experiments/experiment-results.js';
import { transitionExperiment } from '../../control/experiments/transition-experiment.js';
import type { FeatureConfigInput, RankerLearnConfig } from '../../core/feature-config.js';
import { createSwitchyard } from '../../runtime/client/create-switchyard.js';
import { ProfileBook } from '../../runtime/personalization/profile-book.js';
import { profileLevels } from '../../runtime/personalization/rank-feature.js';
import { scoreItems } from '../../runtime/personalization/score-items.js';
import { storeProfiles } from '../../runtime/personalization/store-profiles.js';
import { createRng } from '../../stats/create-rng.js';
import { sampleNormal } from '../../stats/sample-normal.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';

const DAY_MS = 86_400_000;
const LEARN: RankerLearnConfig = {
  signals: ['accepted', 'selected'],
  by: ['userId', 'tenant'],
  attributes: ['category', 'source'],
  halfLifeDays: 14,
  explore: 'thompson',
};
const START = Date.parse('2026-01-05T00:00:00Z');
const CATEGORIES = ['music', 'news', 'sports', 'travel', 'food', 'film', 'tech', 'games'];
const SOURCES = ['rag', 'web', 'catalog', 'partner'];

/** Settings of a personalization simulation. */
export interface PersonalizationSimulationOptions {
  readonly seed: number;
  readonly users: number;
  readonly tenants: number;
  readonly days: number;
  /** Rankings each user asks for per simulated day. */
  readonly rankingsPerUserDay: number;
  /** Candidates per ranking. */
  readonly items: number;
  /** Share of users in the holdback (the caller's order). */
  readonly holdback: number;
  /** `observe`: every unit gets the caller's order while the profiles learn. */
  readonly mode: 'serve' | 'observe';
  readonly onProgress?: (day: number) => void;
}

/** What a simulation measured. */
export interface PersonalizationSimulationResult {
  readonly mode: 'serve' | 'observe';
  readonly rankings: number;
  /** Acceptance of the first item per arm, from the experiment analysis (per-unit, delta method). */
  readonly control: { readonly units: number; readonly acceptance: number };
  readonly personalized: { readonly units: number; readonly acceptance: number };
  readonly lift: number | null;
  readonly interval: readonly [number, number] | null;
  readonly pValue: number | null;
  /**
   * How well the learned profiles rank, whatever was served: the acceptance the personalized order's first
   * item would have had, averaged over a fresh sample of requests at the end, against the caller's order.
   */
  readonly learned: { readonly original: number; readonly personalized: number };
  readonly seconds: number;
}

interface World {
  readonly base: number;
  readonly category: Record<string, number>;
  readonly source: Record<string, number>;
  readonly tenantCategory: Record<string, number>[];
  readonly tenantSource: Record<string, number>[];
  readonly userCategory: Record<string, number>[];
  readonly tenantOf: number[];
}

/** A world where acceptance depends on category and source, with tenant- and user-level preferences. */
function buildWorld(options: PersonalizationSimulationOptions, rng: () => number): World {
  const effects = (names: readonly string[], sd: number) =>
    Object.fromEntries(names.map((name) => [name, sd * sampleNormal(rng)]));
  const tenantOf = Array.from({ length: options.users }, (_, user) => user % options.tenants);
  return {
    base: Math.log(0.3 / 0.7),
    category: effects(CATEGORIES, 0.3),
    source: effects(SOURCES, 0.2),
    tenantCategory: Array.from({ length: options.tenants }, () => effects(CATEGORIES, 0.6)),
    tenantSource: Array.from({ length: options.tenants }, () => effects(SOURCES, 0.4)),
    userCategory: Array.from({ length: options.users }, () => effects(CATEGORIES, 0.5)),
    tenantOf,
  };
}

interface Item {
  readonly id: string;
  readonly attributes: { readonly category: string; readonly source: string };
}

function acceptance(world: World, user: number, item: Item): number {
  const tenant = world.tenantOf[user] as number;
  const { category, source } = item.attributes;
  const logit =
    world.base +
    (world.category[category] as number) +
    (world.source[source] as number) +
    (world.tenantCategory[tenant]?.[category] as number) +
    (world.tenantSource[tenant]?.[source] as number) +
    (world.userCategory[user]?.[category] as number);
  return 1 / (1 + Math.exp(-logit));
}

function candidates(count: number, rng: () => number, serial: { next: number }): Item[] {
  return Array.from({ length: count }, () => {
    serial.next += 1;
    return {
      id: `i${serial.next}`,
      attributes: {
        category: CATEGORIES[Math.floor(rng() * CATEGORIES.length)] as string,
        source: SOURCES[Math.floor(rng() * SOURCES.length)] as string,
      },
    };
  });
}

/**
 * Runs the world through the real SDK on an in-memory SQLite store in virtual time: each ranking's first
 * item is judged (accepted with the world's probability) and reported as `{ accepted, itemId }`; an
 * experiment on the holdback split gives the lift with its interval and p-value from the product's analysis.
 */
export async function simulatePersonalization(
  options: PersonalizationSimulationOptions,
): Promise<PersonalizationSimulationResult> {
  const began = performance.now();
  const rng = createRng(options.seed);
  const world = buildWorld(options, rng);
  let now = START;
  const clock = () => now;
  const store = await openStore('sqlite::memory:', { clock });
  const feature: FeatureConfigInput = {
    key: 'suggestions',
    defaultVariant: 'original',
    ...(options.mode === 'observe' ? { mode: 'observe' as const } : {}),
    variants: {
      original: { type: 'ranker', strategy: 'original' },
      personalized: {
        type: 'ranker',
        strategy: 'personalized',
        learn: LEARN,
      },
    },
    rules: [
      {
        id: 'holdback',
        split: { original: options.holdback, personalized: 1 - options.holdback },
        seed: `suggestions-${options.seed}`,
      },
    ],
  };
  const sy = await createSwitchyard({
    store,
    features: [feature],
    clock,
    random: createRng(options.seed + 1),
    telemetry: { flushOnSignals: false, maxBuffer: 1_000_000 },
  });
  let rankings = 0;
  try {
    const change = { actor: 'simulation' };
    await createExperiment(
      store,
      {
        key: 'suggestions-holdback',
        feature: 'suggestions',
        ruleId: 'holdback',
        primaryMetric: 'acceptance-rate',
      },
      change,
    );
    await transitionExperiment(store, 'suggestions-holdback', 'start', { ...change, now });
    await sy.refresh();
    const serial = { next: 0 };
    const context = (user: number) => ({
      attributes: { userId: `u${user}`, tenant: `t${world.tenantOf[user]}` },
    });
    const perDay = Math.round(options.users * options.rankingsPerUserDay);
    for (let day = 0; day < options.days; day += 1) {
      for (let index = 0; index < perDay; index += 1) {
        now = START + day * DAY_MS + Math.floor((index / perDay) * DAY_MS);
        const user = Math.floor(rng() * options.users);
        const ranking = await sy.rank('suggestions', context(user), {
          items: candidates(options.items, rng, serial),
          limit: 1,
        });
        const top = ranking.items[0] as Item;
        sy.feedback(ranking.requestId, { accepted: rng() < acceptance(world, user, top), itemId: top.id });
        rankings += 1;
      }
      options.onProgress?.(day + 1);
    }
    now = START + options.days * DAY_MS;
    await sy.close();
    await transitionExperiment(store, 'suggestions-holdback', 'stop', { ...change, now });
    const { analysis } = await experimentResults(store, 'suggestions-holdback', now);
    const metric = analysis?.metrics.find((entry) => entry.metric === 'acceptance-rate');
    const arm = (variant: string) => metric?.arms.find((entry) => entry.variant === variant);
    const comparison = metric?.comparisons.find((entry) => entry.variant === 'personalized');
    const learned = await learnedQuality(store, options, world, rng, LEARN, clock);
    return {
      mode: options.mode,
      rankings,
      control: { units: arm('original')?.n ?? 0, acceptance: arm('original')?.value ?? Number.NaN },
      personalized: {
        units: arm('personalized')?.n ?? 0,
        acceptance: arm('personalized')?.value ?? Number.NaN,
      },
      lift: comparison?.relativeLift ?? null,
      interval: comparison?.relativeLiftCI ?? null,
      pValue: comparison?.pValue ?? null,
      learned,
      seconds: (performance.now() - began) / 1_000,
    };
  } finally {
    await sy.close();
    await store.close();
  }
}

/**
 * How well the stored profiles rank at the end, whatever was served: for one fresh request per unit, the
 * acceptance of the item the profiles' posterior means put first, against the caller's first item.
 */
async function learnedQuality(
  store: Store,
  options: PersonalizationSimulationOptions,
  world: World,
  rng: () => number,
  learn: RankerLearnConfig,
  clock: () => number,
) {
  const book = new ProfileBook();
  const profiles = storeProfiles({
    store,
    book,
    clock,
    onError: (error) => {
      throw error;
    },
  });
  const serial = { next: 1_000_000_000 };
  let original = 0;
  let personalized = 0;
  for (let user = 0; user < options.users; user += 1) {
    const items = candidates(options.items, rng, serial);
    const levels = profileLevels(learn, { userId: `u${user}`, tenant: `t${world.tenantOf[user]}` }, true);
    await profiles.load('suggestions', levels);
    const scores = scoreItems({
      feature: 'suggestions',
      items,
      learn,
      levels,
      evidence: (level, attribute, value) => book.get('suggestions', level, attribute, value),
      now: clock(),
      draw: false,
      rng,
    });
    let best = 0;
    scores.forEach((score, index) => {
      if (score > (scores[best] as number)) best = index;
    });
    original += acceptance(world, user, items[0] as Item);
    personalized += acceptance(world, user, items[best] as Item);
  }
  return { original: original / options.users, personalized: personalized / options.users };
}
