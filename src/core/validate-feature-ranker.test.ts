import { describe, expect, it } from 'vitest';
import { formatProblem } from './errors.js';
import { isRankingFeature, rankerLearning, validateFeature } from './validate-feature.js';

const learn = { by: ['userId', 'tenant'], attributes: ['category', 'source'] };
const ranking = {
  key: 'suggestions',
  defaultVariant: 'original',
  variants: {
    original: { type: 'ranker', strategy: 'original' },
    personalized: { type: 'ranker', strategy: 'personalized', learn },
  },
  rules: [{ split: { original: 1, personalized: 1 } }],
};

function problemsOf(input: unknown): string[] {
  const result = validateFeature(input);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('ranking features', () => {
  it('accept rankers and fill the learning defaults', () => {
    const result = validateFeature({ ...ranking, mode: 'observe' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(isRankingFeature(result.feature)).toBe(true);
    expect(rankerLearning(result.feature)).toEqual({
      ...learn,
      signals: ['accepted', 'selected'],
      halfLifeDays: 14,
      explore: 'thompson',
    });
  });

  it('name every misplaced or missing field', () => {
    const input = {
      ...ranking,
      policy: { timeoutMs: 1_000 },
      variants: {
        original: { type: 'ranker', strategy: 'original', learn, fallback: ['personalized'] },
        personalized: { type: 'ranker', strategy: 'personalized' },
        other: { type: 'ranker', strategy: 'personalized', learn: { ...learn, halfLifeDays: 7 } },
        legacy: { type: 'handler' },
      },
    };
    expect(problemsOf(input)).toEqual([
      'variants.original.fallback: a ranker has no fallback (ranking cannot fail)',
      'variants.original.learn: only a "personalized" ranker learns',
      'variants.personalized.learn: is required for a "personalized" ranker',
      'variants.legacy.type: a ranking feature has only "ranker" variants',
      'policy: a ranking feature has no policy (it calls no model)',
    ]);
    const twoWays = {
      ...ranking,
      variants: {
        ...ranking.variants,
        other: { type: 'ranker', strategy: 'personalized', learn: { ...learn, halfLifeDays: 7 } },
      },
    };
    expect(problemsOf(twoWays)).toEqual([
      'variants.other.learn: must equal variants.personalized.learn (a feature keeps one set of profiles)',
    ]);
  });

  it('refuse observe mode without learning and on features that are not ranking', () => {
    const original = { ...ranking, variants: { original: ranking.variants.original }, rules: [] };
    expect(problemsOf({ ...original, mode: 'observe' })).toEqual([
      'mode: observe mode needs a "personalized" ranker to learn with',
    ]);
    const handler = { key: 'x', defaultVariant: 'v', variants: { v: { type: 'handler' } }, mode: 'observe' };
    expect(problemsOf(handler)).toEqual([
      'mode: applies to ranking features only (variants of type "ranker")',
    ]);
  });

  it('check learning settings field by field', () => {
    const bad = {
      ...ranking,
      variants: {
        personalized: {
          type: 'ranker',
          strategy: 'personalized',
          learn: { by: [], attributes: ['a', 'a'], halfLifeDays: 0, explore: 'ucb', signals: ['clicked'] },
        },
      },
      defaultVariant: 'personalized',
      rules: [],
    };
    const problems = problemsOf(bad).map((problem) => problem.split(':')[0]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'variants.personalized.learn.by',
        'variants.personalized.learn.attributes',
        'variants.personalized.learn.halfLifeDays',
        'variants.personalized.learn.explore',
        'variants.personalized.learn.signals[0]',
      ]),
    );
  });
});
