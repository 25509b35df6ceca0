import { execFileSync } from 'node:child_process';
import chiSquare from '@stdlib/stats-base-dists-chisquare';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFeature } from './compile-feature.js';
import type { EvaluationContext } from './decision.js';
import { evaluate } from './evaluate.js';
import type { FeatureConfigInput } from './feature-config.js';
import { parseFeature } from './validate-feature.js';

function feature(overrides: Partial<FeatureConfigInput> = {}) {
  return compileFeature(
    parseFeature({
      key: 'coach-reply',
      version: 3,
      defaultVariant: 'v1',
      variants: {
        v1: { type: 'handler', payload: { prompt: 'legacy' } },
        v2: { type: 'llm', provider: 'openai', model: 'gpt-4o-mini', payload: { prompt: 'new' } },
      },
      rules: [
        { id: 'canary', when: { tenant: { $in: ['acme', 'globex'] } }, serve: 'v2' },
        { id: 'paid-rollout', when: { tier: 'paid' }, split: { v1: 50, v2: 50 }, coverage: 0.5 },
      ],
      ...overrides,
    }),
  );
}

const units = (count: number, prefix = 'user-') =>
  Array.from({ length: count }, (_, index) => `${prefix}${index}`);

describe('evaluate', () => {
  it('serves a targeting match with its payload', () => {
    const decision = evaluate(feature(), { attributes: { userId: 'u1', tenant: 'acme' } });
    expect(decision).toEqual({
      feature: 'coach-reply',
      variant: 'v2',
      payload: { prompt: 'new' },
      reason: 'TARGETING_MATCH',
      ruleId: 'canary',
      bucket: null,
      version: 3,
    });
  });

  it('splits matching units and falls through the holdback to the default', () => {
    const compiled = feature();
    const decisions = units(2000).map((userId) =>
      evaluate(compiled, { attributes: { userId, tier: 'paid' } }),
    );
    const split = decisions.filter((decision) => decision.reason === 'SPLIT');
    const held = decisions.filter((decision) => decision.reason === 'DEFAULT');
    expect(split.length + held.length).toBe(2000);
    expect(split.length / 2000).toBeGreaterThan(0.45);
    expect(split.length / 2000).toBeLessThan(0.55);
    for (const decision of split) {
      expect(decision.ruleId).toBe('paid-rollout');
      expect(decision.bucket).toBeGreaterThanOrEqual(0);
      expect(decision.bucket).toBeLessThan(1);
    }
    expect(held.every((decision) => decision.variant === 'v1' && decision.ruleId === null)).toBe(true);
  });

  it('serves the default to units that match no rule or lack the hash attribute', () => {
    expect(evaluate(feature(), { attributes: { userId: 'u1', tier: 'free' } }).reason).toBe('DEFAULT');
    expect(evaluate(feature(), { attributes: { tier: 'paid' } }).reason).toBe('DEFAULT');
    expect(evaluate(feature(), { attributes: { tier: 'paid', userId: '' } }).reason).toBe('DEFAULT');
    expect(evaluate(feature()).reason).toBe('DEFAULT');
  });

  it('obeys the master switch and the kill switch, kill first', () => {
    const context = { attributes: { userId: 'u1', tenant: 'acme' }, overrides: { 'coach-reply': 'v2' } };
    expect(evaluate(feature({ enabled: false }), { attributes: { tenant: 'acme' } })).toMatchObject({
      variant: 'v1',
      reason: 'DISABLED',
    });
    expect(evaluate(feature({ killed: true }), context)).toMatchObject({ variant: 'v1', reason: 'KILLED' });
    expect(evaluate(feature({ enabled: false }), context)).toMatchObject({
      variant: 'v2',
      reason: 'OVERRIDE',
    });
  });

  it('lets QA force a variant and reports an unknown forced variant as an error', () => {
    const forced = evaluate(feature(), { attributes: { userId: 'u1' }, overrides: { 'coach-reply': 'v2' } });
    expect(forced).toMatchObject({ variant: 'v2', reason: 'OVERRIDE', payload: { prompt: 'new' } });
    const otherFeature = evaluate(feature(), { attributes: { userId: 'u1' }, overrides: { other: 'v9' } });
    expect(otherFeature.reason).toBe('DEFAULT');
    const unknown = evaluate(feature(), { overrides: { 'coach-reply': 'v9' } });
    expect(unknown).toMatchObject({ variant: 'v1', reason: 'ERROR', errorCode: 'UNKNOWN_OVERRIDE_VARIANT' });
  });

  it('turns a malformed context into the default with reason ERROR', () => {
    const compiled = feature();
    for (const context of [null, 42, 'user', [], { attributes: 'x' }, { attributes: [] }, { overrides: 3 }]) {
      const decision = evaluate(compiled, context as unknown as EvaluationContext);
      expect(decision).toMatchObject({ variant: 'v1', reason: 'ERROR', errorCode: 'INVALID_CONTEXT' });
    }
  });

  it('never throws, whatever the context', () => {
    const compiled = feature();
    fc.assert(
      fc.property(fc.anything(), fc.dictionary(fc.string(), fc.anything()), (context, attributes) => {
        expect(() => evaluate(compiled, context as EvaluationContext)).not.toThrow();
        const decision = evaluate(compiled, { attributes });
        expect(['v1', 'v2']).toContain(decision.variant);
      }),
      { numRuns: 500 },
    );
  });
});

describe('evaluate properties', () => {
  const rollout = (coverage: number, weights: Record<string, number> = { v1: 50, v2: 50 }) =>
    feature({ rules: [{ id: 'rollout', split: weights, coverage }] });

  it('gives the same unit the same variant on every call', () => {
    const compiled = rollout(1);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (userId) => {
        const first = evaluate(compiled, { attributes: { userId } });
        const again = evaluate(rollout(1), { attributes: { userId } });
        expect(again.variant).toBe(first.variant);
        expect(again.bucket).toBe(first.bucket);
      }),
    );
  });

  it('gives the same unit the same variant in another process', () => {
    const ids = units(500, 'proc-');
    const compiled = rollout(0.7);
    const here = ids.map((userId) => evaluate(compiled, { attributes: { userId } }).variant);
    const script = `
      import { compileFeature } from './src/core/compile-feature.ts';
      import { evaluate } from './src/core/evaluate.ts';
      const compiled = compileFeature(${JSON.stringify(compiled.config)});
      const ids = ${JSON.stringify(ids)};
      process.stdout.write(JSON.stringify(ids.map((userId) => evaluate(compiled, { attributes: { userId } }).variant)));
    `;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual(here);
  });

  it('splits units in proportion to the weights (chi-square over 100k units)', () => {
    const weights = { v1: 20, v2: 30, v3: 50 };
    const compiled = compileFeature(
      parseFeature({
        key: 'three-way',
        defaultVariant: 'v1',
        variants: { v1: { type: 'handler' }, v2: { type: 'handler' }, v3: { type: 'handler' } },
        rules: [{ split: weights }],
      }),
    );
    const counts: Record<string, number> = { v1: 0, v2: 0, v3: 0 };
    for (const userId of units(100_000)) {
      const { variant } = evaluate(compiled, { attributes: { userId } });
      counts[variant] = (counts[variant] ?? 0) + 1;
    }
    let statistic = 0;
    for (const [variant, weight] of Object.entries(weights)) {
      const expected = (100_000 * weight) / 100;
      statistic += ((counts[variant] ?? 0) - expected) ** 2 / expected;
    }
    const pValue = 1 - chiSquare.cdf(statistic, 2);
    expect(pValue).toBeGreaterThan(0.001);
  });

  it('never moves a unit already in the rollout when coverage grows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 99 }),
        (first, second, share) => {
          const [low, high] = first <= second ? [first, second] : [second, first];
          const before = rollout(low, { v1: share, v2: 100 - share });
          const after = rollout(high, { v1: share, v2: 100 - share });
          for (const userId of units(300)) {
            const was = evaluate(before, { attributes: { userId } });
            if (was.reason !== 'SPLIT') continue;
            const now = evaluate(after, { attributes: { userId } });
            expect(now.reason).toBe('SPLIT');
            expect(now.variant).toBe(was.variant);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('keeps the 10 % to 25 % ramp sticky for every one of 20k units', () => {
    const at10 = rollout(0.1);
    const at25 = rollout(0.25);
    let entered = 0;
    for (const userId of units(20_000)) {
      const was = evaluate(at10, { attributes: { userId } });
      const now = evaluate(at25, { attributes: { userId } });
      if (now.reason === 'SPLIT') entered += 1;
      if (was.reason === 'SPLIT') expect(now.variant).toBe(was.variant);
    }
    expect(entered / 20_000).toBeGreaterThan(0.23);
    expect(entered / 20_000).toBeLessThan(0.27);
  });

  it('keeps units of one namespace range out of every other range', () => {
    const inRange = (start: number, end: number) =>
      feature({ key: `ns-${start}`, rules: [{ split: { v2: 1 }, namespace: ['coach-tests', start, end] }] });
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), (cut) => {
        const left = inRange(0, cut);
        const right = inRange(cut, 1);
        for (const userId of units(200)) {
          const inLeft = evaluate(left, { attributes: { userId } }).reason === 'SPLIT';
          const inRight = evaluate(right, { attributes: { userId } }).reason === 'SPLIT';
          expect(inLeft && inRight).toBe(false);
          expect(inLeft || inRight).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });
});
