import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFeature } from './compile-feature.js';
import { evaluate } from './evaluate.js';
import type { FeatureConfigInput } from './feature-config.js';
import { findRamp } from './find-ramp.js';
import { type RampInput, rampCoverage, rampSchema } from './ramp-config.js';
import { parseFeature, validateFeature } from './validate-feature.js';

function withRamp(ramp: RampInput, rule: Record<string, unknown> = {}): FeatureConfigInput {
  return {
    key: 'persona',
    defaultVariant: 'legacy',
    variants: { legacy: { type: 'handler' }, qloo: { type: 'handler' } },
    rules: [
      { id: 'rollout', split: { qloo: 1 }, ramp, ...rule } as NonNullable<
        FeatureConfigInput['rules']
      >[number],
    ],
  };
}

function problemsOf(input: unknown): string[] {
  const result = validateFeature(input);
  return result.ok ? [] : result.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

describe('ramps', () => {
  it('applies the default plan and state', () => {
    expect(rampSchema.parse({})).toEqual({
      steps: [1, 5, 10, 25, 50, 100],
      minMinutesPerStep: 10,
      minSamplesPerStep: 100,
      status: 'running',
      step: 0,
    });
  });

  it('gives the step coverage, the last once done and nothing once rolled back', () => {
    const steps = [1, 5, 100];
    expect(rampCoverage({ steps, step: 1, status: 'running' })).toBe(0.05);
    expect(rampCoverage({ steps, step: 1, status: 'paused' })).toBe(0.05);
    expect(rampCoverage({ steps, step: 0, status: 'done' })).toBe(1);
    expect(rampCoverage({ steps, step: 2, status: 'rolled-back' })).toBe(0);
  });

  it('names every bad field of a ramp', () => {
    expect(problemsOf(withRamp({ steps: [5, 5, 120, 0], step: 4, status: 'sideways' as 'running' }))).toEqual(
      [
        'rules[0].ramp.steps[2]: each step must be at most 100 %',
        'rules[0].ramp.steps[3]: each step must be above 0 %',
        'rules[0].ramp.status: status must be one of running, paused, halted, done, rolled-back',
      ],
    );
    expect(problemsOf(withRamp({ steps: [5, 5, 50], step: 3 }))).toEqual([
      'rules[0].ramp.steps[1]: steps must increase',
      'rules[0].ramp.step: must be below the number of steps (3)',
    ]);
  });

  it('owns the coverage of its rule, alone on the feature, never beside an experiment', () => {
    expect(problemsOf(withRamp({}, { coverage: 0.5 }))).toEqual([
      'rules[0].coverage: is set by the ramp; leave it out',
    ]);
    expect(problemsOf(withRamp({}, { experiment: { key: 'persona-test', status: 'running' } }))).toEqual([
      'rules[0].ramp: a split rule runs an experiment or a ramp, not both',
    ]);
    const two = withRamp({});
    two.rules = [...(two.rules ?? []), { id: 'again', split: { qloo: 1 }, ramp: {} }];
    expect(problemsOf(two)).toEqual(['rules[1].ramp: only one ramp per feature (also rules[0])']);
  });

  it('finds the ramp rule with its evaluation id', () => {
    const rule = (withRamp({ step: 2 }).rules ?? [])[0] as Record<string, unknown>;
    const { id: _id, ...unnamed } = rule;
    const result = validateFeature({ ...withRamp({}), rules: [unnamed] });
    if (!result.ok) throw new Error('valid feature expected');
    expect(findRamp(result.feature)).toMatchObject({ index: 0, id: 'rule-0', ramp: { step: 2 } });
  });

  it('keeps every unit that got the new variant as the ramp steps up (sticky rollout)', () => {
    const users = Array.from({ length: 2_000 }, (_, index) => `user-${index}`);
    const served = (ramp: RampInput) => {
      const compiled = compileFeature(parseFeature(withRamp(ramp)));
      return new Set(
        users.filter((userId) => evaluate(compiled, { attributes: { userId } }).variant === 'qloo'),
      );
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), (step) => {
        const steps = [1, 5, 10, 25, 50, 100];
        const before = served({ steps, step });
        const after = served({ steps, step: step + 1 });
        for (const user of before) expect(after.has(user)).toBe(true);
        // Within sampling noise of the step's share.
        expect(Math.abs(after.size / users.length - (steps[step + 1] as number) / 100)).toBeLessThan(0.04);
      }),
      { numRuns: 5 },
    );
    expect(served({ status: 'rolled-back' }).size).toBe(0);
  });
});
