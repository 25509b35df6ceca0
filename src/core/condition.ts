import {
  type CompileContext,
  compileValueCondition,
  type SavedGroups,
} from './condition/compile-value-condition.js';
import { allOf, anyOf, type Matcher, throwing } from './condition/matcher.js';
import { pathGetter } from './condition/path-getter.js';
import type { Condition } from './feature-config.js';

export type { SavedGroups } from './condition/compile-value-condition.js';
export { conditionProblems } from './condition/condition-problems.js';

/** A targeting condition compiled once; it never throws and answers whether the attributes match. */
export type CompiledCondition = (attributes: Readonly<Record<string, unknown>>) => boolean;

/**
 * Compiles a GrowthBook-style targeting condition (MongoDB-like operators over dotted attribute paths) into a
 * predicate. Paths are split, regexes built and long `$in` lists turned into Sets here, once; the predicate
 * returns false instead of throwing on input GrowthBook's SDK would throw on.
 *
 * @example
 * const isBeta = compileCondition({ tier: 'paid', 'app.version': { $vgte: '2.1.0' } });
 * isBeta({ tier: 'paid', app: { version: '2.3.0' } }); // true
 */
export function compileCondition(condition: Condition, savedGroups?: SavedGroups): CompiledCondition {
  const context: CompileContext = {
    savedGroups: savedGroups ?? {},
    compileConditionObject: (nested) => compileConditionObject(nested, context),
  };
  const matcher = compileConditionObject(condition, context);
  return (attributes) => {
    try {
      return matcher(attributes);
    } catch {
      return false;
    }
  };
}

/**
 * Evaluates a targeting condition against attributes once, with GrowthBook's semantics; compile with
 * `compileCondition` instead when the same condition is evaluated many times.
 *
 * @example
 * evalCondition({ country: 'NL' }, { country: { $in: ['NL', 'BE'] } }); // true
 * evalCondition({ id: 2 }, { id: { $inGroup: 'staff' } }, { staff: [1, 2] }); // true
 */
export function evalCondition(
  attributes: Readonly<Record<string, unknown>>,
  condition: Condition,
  savedGroups?: SavedGroups,
): boolean {
  return compileCondition(condition, savedGroups)(attributes);
}

/** Compiles a condition object: every entry must hold, checked in key order as GrowthBook does. */
function compileConditionObject(condition: unknown, context: CompileContext): Matcher {
  if (condition === null || condition === undefined) {
    return throwing(new TypeError('A condition is null or undefined'));
  }
  try {
    return allOf(Object.entries(condition).map(([key, value]) => compileEntry(key, value, context)));
  } catch (error) {
    return throwing(error);
  }
}

function compileEntry(key: string, value: unknown, context: CompileContext): Matcher {
  switch (key) {
    case '$or':
      return compileList(value, context, anyOf);
    case '$nor':
      return compileList(value, context, (matchers) => {
        const any = anyOf(matchers);
        return (root) => !any(root);
      });
    case '$and':
      return compileList(value, context, allOf);
    case '$not': {
      const inner = compileConditionObject(value, context);
      return (root) => !inner(root);
    }
    default: {
      const read = pathGetter(key);
      const match = compileValueCondition(value, context);
      return (root) => match(read(root));
    }
  }
}

/** Compiles the operand of `$or`, `$nor` or `$and`: a list of conditions. */
function compileList(
  value: unknown,
  context: CompileContext,
  combine: (matchers: Matcher[]) => Matcher,
): Matcher {
  const conditions = conditionList(value);
  if (conditions === null) return throwing(new TypeError('$or, $nor and $and need a list of conditions'));
  return combine(conditions.map((condition) => compileConditionObject(condition, context)));
}

/**
 * The conditions GrowthBook would iterate for a list operand: it indexes whatever it gets up to `.length`, so a
 * string is a list of its characters and a value without a length an empty list; null throws there.
 */
function conditionList(value: unknown): readonly unknown[] | null {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.split('');
  // An object with its own `length` is not a list anyone meant; treat it like null rather than index it.
  return (value as { length?: unknown }).length === undefined ? [] : null;
}
