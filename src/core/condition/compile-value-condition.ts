import { growthBookRegExp } from './growthbook-regexp.js';
import { ALWAYS_FALSE, allOf, type Matcher, throwing } from './matcher.js';
import { paddedVersionString } from './padded-version-string.js';

/** Saved groups by id: `$inGroup` and `$notInGroup` test membership in these lists. */
export type SavedGroups = Readonly<Record<string, readonly unknown[]>>;

/** What compiling a value condition needs from the code that compiles whole conditions. */
export interface CompileContext {
  readonly savedGroups: SavedGroups;
  /** Compiles a nested attribute condition, for `$elemMatch` over objects. */
  readonly compileConditionObject: (condition: unknown) => Matcher;
}

/** Lists longer than this are turned into a Set; below it a linear `includes` is as fast and allocates nothing. */
const SET_THRESHOLD = 8;

/**
 * Compiles the condition on one attribute value (`'paid'`, `{ $in: [...] }`, `{ $not: { $regex: '^a' } }`)
 * into a matcher, following GrowthBook's `evalConditionValue`; `insensitive` is set inside `$alli`.
 *
 * @example
 * compileValueCondition({ $gt: 2 }, context)(3); // true
 */
export function compileValueCondition(
  condition: unknown,
  context: CompileContext,
  insensitive = false,
): Matcher {
  if (typeof condition === 'string') {
    if (insensitive) {
      const lower = condition.toLowerCase();
      return (value) => String(value).toLowerCase() === lower;
    }
    // GrowthBook compares `value + ''`, so 1 matches '1' and ['a', 'b'] matches 'a,b'.
    return (value) => value === condition || (typeof value !== 'string' && concatString(value) === condition);
  }
  if (typeof condition === 'number') {
    return (value) =>
      value === condition || (typeof value !== 'number' && (value as number) * 1 === condition);
  }
  if (typeof condition === 'boolean') return (value) => value !== null && !!value === condition;
  if (condition === null) return (value) => value === null;
  if (condition === undefined) return throwing(new TypeError('A condition value is undefined'));
  if (Array.isArray(condition) || !isOperatorObject(condition)) return jsonEquals(condition);
  const operators = condition as Record<string, unknown>;
  return allOf(
    Object.keys(operators).map((operator) => compileOperator(operator, operators[operator], context)),
  );
}

/** Whether an object's keys are all operators (`$...`); such an object is a test, any other is a literal. */
export function isOperatorObject(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

/** `value + ''`: converts with the "default" hint (valueOf first), as GrowthBook does; a template would not. */
function concatString(value: unknown): string {
  // biome-ignore lint/style/useTemplate: the conversion hint differs from a template literal's.
  return (value as string) + '';
}

function jsonEquals(condition: unknown): Matcher {
  let expected: string | undefined;
  try {
    expected = JSON.stringify(condition);
  } catch (error) {
    return throwing(error);
  }
  return (value) => JSON.stringify(value) === expected;
}

function compileOperator(operator: string, expected: unknown, context: CompileContext): Matcher {
  try {
    return operatorMatcher(operator, expected, context);
  } catch (error) {
    // GrowthBook would throw when it reached this operator; do the same, lazily.
    return throwing(error);
  }
}

function operatorMatcher(operator: string, expected: unknown, context: CompileContext): Matcher {
  switch (operator) {
    case '$eq':
      return (value) => value === expected;
    case '$ne':
      return (value) => value !== expected;
    // Plain JavaScript comparisons, coercions included, exactly as GrowthBook does them.
    case '$lt':
      return (value) => (value as number) < (expected as number);
    case '$lte':
      return (value) => (value as number) <= (expected as number);
    case '$gt':
      return (value) => (value as number) > (expected as number);
    case '$gte':
      return (value) => (value as number) >= (expected as number);
    case '$veq':
    case '$vne':
    case '$vlt':
    case '$vlte':
    case '$vgt':
    case '$vgte':
      return versionMatcher(operator, paddedVersionString(expected));
    case '$exists':
      return expected
        ? (value) => value !== null && value !== undefined
        : (value) => value === null || value === undefined;
    case '$in':
      return Array.isArray(expected) ? inList(expected, false) : ALWAYS_FALSE;
    case '$nin':
      return Array.isArray(expected) ? negate(inList(expected, false)) : ALWAYS_FALSE;
    case '$ini':
      return Array.isArray(expected) ? inList(expected, true) : ALWAYS_FALSE;
    case '$nini':
      return Array.isArray(expected) ? negate(inList(expected, true)) : ALWAYS_FALSE;
    case '$inGroup': {
      const values = savedGroupValues(context.savedGroups, expected);
      return values === null ? ALWAYS_FALSE : inList(values, false);
    }
    case '$notInGroup': {
      // A malformed entry matches nobody, so that `$notInGroup` does not let everyone through.
      const values = savedGroupValues(context.savedGroups, expected);
      return values === null ? ALWAYS_FALSE : negate(inList(values, false));
    }
    case '$not':
      return negate(compileValueCondition(expected, context));
    case '$size': {
      const length = compileValueCondition(expected, context);
      return (value) => Array.isArray(value) && length(value.length);
    }
    case '$elemMatch':
      return elementMatch(expected, context);
    case '$all':
      return Array.isArray(expected) ? allElements(expected, context, false) : ALWAYS_FALSE;
    case '$alli':
      return Array.isArray(expected) ? allElements(expected, context, true) : ALWAYS_FALSE;
    case '$regex':
      return regexMatcher(expected, false);
    case '$regexi':
      return regexMatcher(expected, true);
    case '$type':
      return (value) => typeName(value) === expected;
    default:
      return ALWAYS_FALSE;
  }
}

function negate(matcher: Matcher): Matcher {
  return (value) => !matcher(value);
}

function versionMatcher(operator: string, expected: string): Matcher {
  const pad = memoizedPaddedVersion();
  switch (operator) {
    case '$veq':
      return (value) => pad(value) === expected;
    case '$vne':
      return (value) => pad(value) !== expected;
    case '$vlt':
      return (value) => pad(value) < expected;
    case '$vlte':
      return (value) => pad(value) <= expected;
    case '$vgt':
      return (value) => pad(value) > expected;
    default:
      return (value) => pad(value) >= expected;
  }
}

/** Version attributes take few distinct values (the app versions in the field), so padding each once pays. */
const VERSION_MEMO_LIMIT = 64;

/** `paddedVersionString` with a small per-matcher memo of string inputs, emptied when it fills up. */
function memoizedPaddedVersion(): (value: unknown) => string {
  const memo = new Map<string, string>();
  return (value) => {
    if (typeof value !== 'string') return paddedVersionString(value);
    let padded = memo.get(value);
    if (padded === undefined) {
      padded = paddedVersionString(value);
      if (memo.size >= VERSION_MEMO_LIMIT) memo.clear();
      memo.set(value, padded);
    }
    return padded;
  };
}

/** `$in`: the value is in the list, or, for an array value, shares an element with it. */
function inList(list: readonly unknown[], insensitive: boolean): Matcher {
  const contains = insensitive ? foldedMembership(list) : membership(list);
  return (value) => (Array.isArray(value) ? value.some(contains) : contains(value));
}

/** SameValueZero membership, which is what both `Array.prototype.includes` and `Set.prototype.has` use. */
function membership(list: readonly unknown[]): (candidate: unknown) => boolean {
  if (list.length > SET_THRESHOLD) {
    const set = new Set(list);
    return (candidate) => set.has(candidate);
  }
  const copy = list.slice();
  return (candidate) => copy.includes(candidate);
}

/** Case-insensitive membership with GrowthBook's `===` after lower-casing strings. */
function foldedMembership(list: readonly unknown[]): (candidate: unknown) => boolean {
  const set = new Set(list.map(caseFold));
  return (candidate) => {
    const folded = caseFold(candidate);
    // `===` never equates NaN with itself, while a Set would.
    return !(typeof folded === 'number' && Number.isNaN(folded)) && set.has(folded);
  };
}

function caseFold(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** The values of a saved group: an unknown id is an empty list, a malformed entry is null (matches nobody). */
function savedGroupValues(savedGroups: SavedGroups, id: unknown): readonly unknown[] | null {
  // Plain property access, as GrowthBook does it (the id is coerced to a key).
  const entry: unknown = (savedGroups as Record<string, unknown>)[id as string];
  if (entry === undefined) return [];
  return Array.isArray(entry) ? entry : null;
}

function elementMatch(expected: unknown, context: CompileContext): Matcher {
  if (expected === null || expected === undefined) {
    const error = new TypeError('$elemMatch needs a condition');
    return (value) => {
      if (!Array.isArray(value)) return false;
      throw error;
    };
  }
  const check = isOperatorObject(expected)
    ? compileValueCondition(expected, context)
    : context.compileConditionObject(expected);
  return (value) => {
    if (!Array.isArray(value)) return false;
    for (const element of value) {
      // Only null and undefined are skipped; 0, '' and false are values like any other.
      if (element !== null && element !== undefined && check(element)) return true;
    }
    return false;
  };
}

/** `$all`: every condition in the list is met by at least one element of the array value. */
function allElements(expected: readonly unknown[], context: CompileContext, insensitive: boolean): Matcher {
  const checks = expected.map((condition) => compileValueCondition(condition, context, insensitive));
  return (value) => {
    if (!Array.isArray(value)) return false;
    for (const check of checks) {
      let found = false;
      for (let index = 0; index < value.length && !found; index++) found = check(value[index]);
      if (!found) return false;
    }
    return true;
  };
}

function regexMatcher(pattern: unknown, insensitive: boolean): Matcher {
  if (typeof pattern !== 'string') return ALWAYS_FALSE;
  let regex: RegExp;
  try {
    regex = growthBookRegExp(pattern, insensitive);
  } catch {
    return ALWAYS_FALSE;
  }
  return (value) => {
    if (typeof value === 'string') return regex.test(value);
    // RegExp#test coerces (null reads as 'null'); a value that cannot become a string fails this operator only.
    try {
      return regex.test(value as string);
    } catch {
      return false;
    }
  };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'string' ||
    type === 'number' ||
    type === 'boolean' ||
    type === 'object' ||
    type === 'undefined'
    ? type
    : 'unknown';
}
