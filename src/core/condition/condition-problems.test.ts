import { describe, expect, it } from 'vitest';
import { conditionProblems } from './condition-problems.js';

describe('conditionProblems', () => {
  it('finds nothing wrong with a well-formed condition', () => {
    expect(
      conditionProblems(
        {
          tier: 'paid',
          country: { $in: ['NL', 'BE'] },
          'app.version': { $vgte: '2.1.0' },
          email: { $regexi: '@example\\.com$' },
          tags: { $elemMatch: { $eq: 'beta' }, $size: { $gt: 0 } },
          hobbies: { $elemMatch: { name: { $regex: '^ping' } } },
          literal: { nested: 'object' },
          id: { $inGroup: 'staff' },
          $or: [{ plan: { $exists: true } }, { $not: { plan: { $type: 'null' } } }],
        },
        'when',
      ),
    ).toEqual([]);
  });

  it('names unknown operators with their path, at any depth', () => {
    expect(conditionProblems({ $or: [{ a: 1 }, { name: { $regx: 'x' } }] }, 'when')).toEqual([
      { path: 'when.$or[1].name.$regx', message: 'unknown operator "$regx"' },
    ]);
    expect(conditionProblems({ $OR: [] })).toEqual([{ path: '$OR', message: 'unknown operator "$OR"' }]);
  });

  it('reports invalid regular expressions where they are', () => {
    const problems = conditionProblems({ $or: [{ a: 1 }, { name: { $regex: 'a(' } }] }, 'when');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('when.$or[1].name.$regex');
    expect(problems[0]!.message).toMatch(/^invalid regular expression: /);
    expect(conditionProblems({ name: { $regexi: 3 } })).toEqual([
      { path: 'name.$regexi', message: 'must be a regular expression (a string)' },
    ]);
  });

  it('reports conditions that are not objects', () => {
    expect(conditionProblems('tier == paid', 'when')).toEqual([
      { path: 'when', message: 'must be an object mapping attributes to conditions' },
    ]);
    expect(conditionProblems({ $and: [null] }, 'when')).toEqual([
      { path: 'when.$and[0]', message: 'must be an object mapping attributes to conditions' },
    ]);
    expect(conditionProblems({ $or: { a: 1 } }, 'when')).toEqual([
      { path: 'when.$or', message: '$or must be a list of conditions' },
    ]);
  });

  it('reports operands of the wrong kind and operators mixed with plain keys', () => {
    expect(
      conditionProblems({
        a: { $in: 'NL' },
        b: { $inGroup: 7 },
        c: { $type: 'integer' },
        d: { $gt: 1, max: 3 },
        e: { $all: [{ $regex: '(' }] },
        f: { $not: { $size: { $bigger: 2 } } },
      }),
    ).toEqual([
      { path: 'a.$in', message: 'must be a list' },
      { path: 'b.$inGroup', message: 'must be a saved group id (a string)' },
      {
        path: 'c.$type',
        message: 'must be one of string, number, boolean, object, array, null, undefined, unknown',
      },
      { path: 'd', message: 'mixes $operators with plain keys, so it would be compared as a literal object' },
      expect.objectContaining({ path: 'e.$all[0].$regex' }),
      { path: 'f.$not.$size.$bigger', message: 'unknown operator "$bigger"' },
    ]);
  });
});
