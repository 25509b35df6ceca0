import { evalCondition as growthBookEvalCondition } from '@growthbook/growthbook';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { paddedVersionString } from './condition/padded-version-string.js';
import { compileCondition, evalCondition } from './condition.js';
import type { Condition } from './feature-config.js';

type GrowthBookArguments = Parameters<typeof growthBookEvalCondition>;

/** GrowthBook's own SDK is the reference; where it throws, ours must answer false. */
function growthBook(
  attributes: unknown,
  condition: unknown,
  savedGroups?: Record<string, unknown[]>,
): boolean {
  try {
    return growthBookEvalCondition(
      attributes as GrowthBookArguments[0],
      condition as GrowthBookArguments[1],
      savedGroups as GrowthBookArguments[2],
    );
  } catch {
    return false;
  }
}

describe('compileCondition', () => {
  it('compares plain values the way GrowthBook does, coercions included', () => {
    const isPaid = compileCondition({ tier: 'paid' });
    expect(isPaid({ tier: 'paid' })).toBe(true);
    expect(isPaid({ tier: 'free' })).toBe(false);
    expect(isPaid({})).toBe(false);
    // `value + ''`: a missing attribute reads as null, which is the string 'null'.
    expect(compileCondition({ tier: 'null' })({})).toBe(true);
    expect(compileCondition({ count: 1 })({ count: '1' })).toBe(true);
    expect(compileCondition({ tags: 'a,b' })({ tags: ['a', 'b'] })).toBe(true);
    expect(compileCondition({ beta: true })({ beta: 1 })).toBe(true);
    expect(compileCondition({ beta: false })({})).toBe(false);
  });

  it('reads dotted paths through nested objects and arrays', () => {
    const condition = compileCondition({ 'user.plan.tier': 'gold', 'user.tags.0': 'vip' });
    expect(condition({ user: { plan: { tier: 'gold' }, tags: ['vip'] } })).toBe(true);
    expect(condition({ user: { plan: 'gold', tags: ['vip'] } })).toBe(false);
  });

  it('matches an array attribute against $in when any element is listed, for short and long lists', () => {
    const short = compileCondition({ tags: { $in: ['a', 'b'] } });
    const long = compileCondition({ tags: { $in: Array.from({ length: 50 }, (_, index) => `t${index}`) } });
    expect(short({ tags: ['x', 'b'] })).toBe(true);
    expect(short({ tags: ['x'] })).toBe(false);
    expect(long({ tags: ['x', 't42'] })).toBe(true);
    expect(long({ tags: 't7' })).toBe(true);
    expect(long({ tags: 't50' })).toBe(false);
  });

  it('tests saved groups, treating an unknown group as empty', () => {
    const groups = { staff: [1, 2, 3] };
    expect(evalCondition({ id: 2 }, { id: { $inGroup: 'staff' } }, groups)).toBe(true);
    expect(evalCondition({ id: 2 }, { id: { $notInGroup: 'staff' } }, groups)).toBe(false);
    expect(evalCondition({ id: 2 }, { id: { $inGroup: 'nobody' } }, groups)).toBe(false);
    expect(evalCondition({ id: 2 }, { id: { $notInGroup: 'nobody' } }, groups)).toBe(true);
    expect(evalCondition({ id: 2 }, { id: { $inGroup: 'staff' } })).toBe(false);
  });

  it('treats an invalid regex as a failed test, so $not of it passes', () => {
    expect(evalCondition({ name: 'a(' }, { name: { $regex: 'a(' } })).toBe(false);
    expect(evalCondition({ name: 'a(' }, { name: { $not: { $regex: 'a(' } } })).toBe(true);
  });

  it('lets $elemMatch match falsy elements but skips null ones', () => {
    expect(evalCondition({ nums: [1, 0] }, { nums: { $elemMatch: { $eq: 0 } } })).toBe(true);
    expect(evalCondition({ flags: [false] }, { flags: { $elemMatch: { $eq: false } } })).toBe(true);
    expect(evalCondition({ items: [null] }, { items: { $elemMatch: { $exists: false } } })).toBe(false);
  });

  it('fails an unknown operator', () => {
    expect(evalCondition({ name: 'hello' }, { name: { $regx: 'hello' } })).toBe(false);
  });

  it('answers false instead of throwing where GrowthBook throws', () => {
    expect(evalCondition({ a: 1 }, { $or: [null] })).toBe(false);
    expect(evalCondition({ a: 1 }, { $not: null })).toBe(false);
    expect(evalCondition({ a: [1] }, { a: { $elemMatch: null } })).toBe(false);
    expect(evalCondition({ a: 1 }, null as unknown as Condition)).toBe(false);
    expect(evalCondition({ a: Symbol('x') }, { a: 'x' })).toBe(false);
    expect(evalCondition({ a: 10n }, { a: 10 })).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(evalCondition({ a: cyclic }, { a: { self: {} } })).toBe(false);
  });

  it('only fails a malformed part when evaluation reaches it, like GrowthBook', () => {
    // $elemMatch: null throws only for an array value; $and stops at its first false.
    expect(evalCondition({ a: 'x' }, { a: { $not: { $elemMatch: null } } })).toBe(true);
    expect(evalCondition({ a: 1 }, { $or: [{ a: 1 }, null] })).toBe(true);
  });

  it('compares versions correctly past the memo of recent version strings', () => {
    const atLeast = compileCondition({ version: { $vgte: '1.50.0' } });
    for (let round = 0; round < 2; round++) {
      for (let minor = 0; minor < 200; minor++) {
        const version = `1.${minor}.${round}`;
        expect(atLeast({ version })).toBe(minor >= 50);
        expect(atLeast({ version })).toBe(paddedVersionString(version) >= paddedVersionString('1.50.0'));
      }
    }
  });

  it('can be evaluated again and again with the same answer', () => {
    const condition = compileCondition({
      email: { $regex: '@example\\.com$' },
      'app.version': { $vgt: '2.0.0' },
    });
    const attributes = { email: 'a@example.com', app: { version: '2.0.1' } };
    for (let round = 0; round < 5; round++) expect(condition(attributes)).toBe(true);
    expect(condition({ email: 'a@example.org', app: { version: '2.0.1' } })).toBe(false);
  });
});

describe('compileCondition against GrowthBook (property)', () => {
  beforeAll(() => {
    // GrowthBook logs unknown operators; the generated conditions use one on purpose.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  const scalar = fc.oneof(
    fc.constantFrom('x', 'X', 'y', '1', '', 'null', 'true', '1.2.0', 'v1.10.0', '1.2.0-beta.1', 'a/b', 'x,y'),
    fc.integer({ min: -2, max: 3 }),
    fc.constantFrom(0.5, -0),
    fc.boolean(),
    fc.constant(null),
  );
  const attributeValue = fc.oneof(
    { weight: 4, arbitrary: scalar },
    fc.array(scalar, { maxLength: 4 }),
    fc.record({ b: scalar, tier: scalar }, { requiredKeys: [] }),
    fc.array(fc.record({ b: scalar }, { requiredKeys: [] }), { maxLength: 3 }),
  );
  const attributes = fc.record(
    { a: attributeValue, b: attributeValue, tags: attributeValue, user: attributeValue },
    { requiredKeys: [] },
  );
  const path = fc.constantFrom('a', 'b', 'tags', 'a.b', 'user.tier', 'tags.0', 'missing');
  const list = fc.array(scalar, { maxLength: 12 });
  const savedGroups = fc.record({ g1: list, g2: fc.array(scalar, { maxLength: 3 }) });

  const { condition } = fc.letrec<{
    condition: Condition;
    value: unknown;
    operators: Record<string, unknown>;
  }>((tie) => {
    const operatorEntry = fc.oneof(
      fc.tuple(fc.constantFrom('$eq', '$ne', '$lt', '$lte', '$gt', '$gte'), scalar),
      fc.tuple(fc.constantFrom('$veq', '$vne', '$vlt', '$vlte', '$vgt', '$vgte'), scalar),
      fc.tuple(fc.constant('$exists'), fc.boolean()),
      fc.tuple(
        fc.constantFrom('$in', '$nin', '$ini', '$nini'),
        fc.oneof({ weight: 5, arbitrary: list }, scalar),
      ),
      fc.tuple(fc.constantFrom('$inGroup', '$notInGroup'), fc.constantFrom('g1', 'g2', 'unknown')),
      fc.tuple(fc.constantFrom('$regex', '$regexi'), fc.constantFrom('^x', 'Y$', 'a/b', '1\\.', '(', '.*')),
      fc.tuple(
        fc.constant('$type'),
        fc.constantFrom('string', 'number', 'boolean', 'object', 'array', 'null'),
      ),
      fc.tuple(fc.constant('$regx'), scalar),
      fc.tuple(fc.constantFrom('$not', '$size'), tie('value')),
      fc.tuple(fc.constantFrom('$all', '$alli'), fc.array(tie('value'), { maxLength: 3 })),
      fc.tuple(fc.constant('$elemMatch'), fc.oneof(tie('operators'), tie('condition'))),
    );
    return {
      operators: fc
        .array(operatorEntry, { minLength: 1, maxLength: 2 })
        .map((entries) => Object.fromEntries(entries)),
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        { weight: 2, arbitrary: scalar },
        fc.array(scalar, { maxLength: 2 }),
        { weight: 3, arbitrary: tie('operators') },
      ),
      condition: fc
        .array(
          fc.oneof(
            { depthSize: 'small', withCrossShrink: true },
            { weight: 4, arbitrary: fc.tuple(path, tie('value')) },
            fc.tuple(fc.constantFrom('$or', '$and', '$nor'), fc.array(tie('condition'), { maxLength: 3 })),
            fc.tuple(fc.constant('$not'), tie('condition')),
          ),
          { maxLength: 3 },
        )
        .map((entries) => Object.fromEntries(entries) as Condition),
    };
  });

  it('agrees with GrowthBook on generated conditions and attributes', () => {
    fc.assert(
      fc.property(condition, attributes, savedGroups, (generated, input, groups) => {
        expect(compileCondition(generated, groups)(input)).toBe(growthBook(input, generated, groups));
      }),
      { seed: 1_234_567, numRuns: 3000 },
    );
  });

  it('agrees with GrowthBook on arbitrary JSON in condition positions', () => {
    const key = fc.constantFrom('$or', '$and', '$nor', '$not', 'a', 'a.b', 'tags');
    const operand = fc.jsonValue({ maxDepth: 3 });
    const jsonCondition = fc.dictionary(key, operand, { maxKeys: 3 }) as fc.Arbitrary<Condition>;
    fc.assert(
      fc.property(
        jsonCondition,
        fc.dictionary(fc.constantFrom('a', 'tags'), fc.jsonValue({ maxDepth: 3 })),
        (generated, input) => {
          expect(compileCondition(generated)(input)).toBe(growthBook(input, generated));
        },
      ),
      { seed: 99, numRuns: 2000 },
    );
  });

  it('never throws, whatever the condition and attributes', () => {
    const anything = fc.anything({
      maxDepth: 3,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
      withObjectString: true,
      withSet: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    const key = fc.oneof(
      fc.constantFrom(
        '$or',
        '$and',
        '$nor',
        '$not',
        '$in',
        '$elemMatch',
        '$regex',
        '$size',
        '$all',
        'a',
        'a.b',
      ),
      fc.string(),
    );
    const operatorValue = fc.dictionary(
      fc.constantFrom(
        '$eq',
        '$in',
        '$nin',
        '$all',
        '$alli',
        '$elemMatch',
        '$regex',
        '$not',
        '$size',
        '$vgt',
        '$inGroup',
      ),
      anything,
    );
    const wild = fc.dictionary(key, fc.oneof(anything, operatorValue), {
      maxKeys: 4,
    }) as fc.Arbitrary<Condition>;
    const wildGroups = fc.dictionary(fc.string(), anything) as fc.Arbitrary<Record<string, unknown[]>>;
    fc.assert(
      fc.property(wild, fc.oneof(fc.object(), anything), wildGroups, (generated, input, groups) => {
        const compiled = compileCondition(generated, groups);
        expect(typeof compiled(input as Record<string, unknown>)).toBe('boolean');
      }),
      { seed: 5, numRuns: 2000 },
    );
  });
});
