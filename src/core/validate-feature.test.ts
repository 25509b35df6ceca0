import { describe, expect, it } from 'vitest';
import { formatProblem, InvalidConfigError } from './errors.js';
import { parseFeature, validateFeature } from './validate-feature.js';

const persona = {
  key: 'persona-generation',
  defaultVariant: 'legacy',
  variants: {
    legacy: { type: 'handler' },
    'qloo-first': {
      type: 'llm',
      provider: 'google',
      model: 'gemini-2.0-flash',
      maxTokens: 2000,
      fallback: ['legacy'],
      payload: { batchSize: 3 },
    },
  },
  rules: [
    { id: 'internal', when: { email: { $regex: '@example\\.com$' } }, serve: 'qloo-first' },
    { id: 'rollout', split: { legacy: 50, 'qloo-first': 50 }, coverage: 0.1 },
  ],
};

function problemsOf(input: unknown): string[] {
  const result = validateFeature(input);
  if (result.ok) return [];
  return result.problems.map(formatProblem);
}

describe('validateFeature', () => {
  it('accepts a valid feature and applies defaults', () => {
    const result = validateFeature(persona);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.feature.enabled).toBe(true);
    const rollout = result.feature.rules[1];
    expect(rollout && 'split' in rollout ? rollout.hashAttribute : undefined).toBe('userId');
  });

  it('names the field of a negative weight', () => {
    const input = structuredClone(persona);
    input.rules[1] = { id: 'rollout', split: { legacy: 50, 'qloo-first': -1 }, coverage: 0.1 };
    expect(problemsOf(input)).toContain('rules[1].split.qloo-first: weight must be >= 0');
  });

  it('reports a split naming an unknown variant', () => {
    const input = { ...persona, rules: [{ split: { legacy: 1, v3: 1 } }] };
    expect(problemsOf(input)).toEqual(['rules[0].split: unknown variant "v3"']);
  });

  it('reports every problem at once, across fields', () => {
    const input = {
      key: 'Bad Key',
      defaultVariant: 'missing',
      variants: { a: { type: 'handler', fallback: ['a', 'nope'] } },
      rules: [
        { id: 'same', serve: 'ghost' },
        { id: 'same', split: { a: 0 } },
      ],
    };
    const schemaProblems = problemsOf(input);
    expect(schemaProblems).toEqual([
      'key: must be 1-100 lowercase letters, digits, "-", "_" or ".", starting with a letter or digit',
    ]);
    const crossProblems = problemsOf({ ...input, key: 'bad-key' });
    expect(crossProblems).toEqual([
      'defaultVariant: unknown variant "missing"',
      'variants.a.fallback[0]: a variant cannot fall back to itself',
      'variants.a.fallback[1]: unknown variant "nope"',
      'rules[0].serve: unknown variant "ghost"',
      'rules[1].id: duplicate rule id "same" (also rules[0])',
      'rules[1].split: weights must sum to more than 0',
    ]);
  });

  it('rejects unknown fields, missing fields and bad coverage with their paths', () => {
    expect(problemsOf({ ...persona, colour: 'red' })).toEqual(['unknown field "colour"']);
    const { defaultVariant: _omitted, ...withoutDefault } = persona;
    expect(problemsOf(withoutDefault)).toEqual(['defaultVariant: is required']);
    expect(problemsOf({ ...persona, enabled: 'yes' })).toEqual([
      'enabled: expected boolean, received string',
    ]);
    const badCoverage = { ...persona, rules: [{ split: { legacy: 1 }, coverage: 1.5 }] };
    expect(problemsOf(badCoverage)).toEqual(['rules[0].coverage: coverage must be between 0 and 1']);
  });

  it('explains a variant without a valid type', () => {
    const input = { ...persona, variants: { legacy: { kind: 'handler' } } };
    expect(problemsOf(input)[0]).toMatch(/^variants\.legacy/);
  });

  it('requires downgrade targets and namespace ranges to make sense', () => {
    const input = {
      ...persona,
      policy: { budget: { dailyUsd: 100, onExceed: 'downgrade', downgradeTo: 'cheap' } },
      rules: [{ split: { legacy: 1 }, namespace: ['ns', 0.6, 0.2] }],
    };
    expect(problemsOf(input)).toEqual([
      'policy.budget.downgradeTo: unknown variant "cheap"',
      'rules[0].namespace: namespace range start must be below its end',
    ]);
  });

  it('reports unknown condition operators inside rules', () => {
    const input = { ...persona, rules: [{ when: { tier: { $equals: 'paid' } }, serve: 'legacy' }] };
    const problems = problemsOf(input);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^rules\[0\]\.when\.tier/);
    expect(problems[0]).toContain('$equals');
  });

  it('parseFeature throws InvalidConfigError with the field path', () => {
    const input = { ...persona, rules: [{ split: { legacy: 1, v3: 1 } }] };
    expect(() => parseFeature(input)).toThrowError(InvalidConfigError);
    try {
      parseFeature(input);
    } catch (error) {
      expect((error as InvalidConfigError).message).toBe(
        'invalid feature: rules[0].split: unknown variant "v3"',
      );
      expect((error as InvalidConfigError).code).toBe('INVALID_CONFIG');
      expect((error as InvalidConfigError).path).toBe('rules[0].split');
    }
  });
});
