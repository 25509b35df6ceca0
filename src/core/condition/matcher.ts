/**
 * A compiled test of one value. It may throw on exotic input (a symbol where a string is coerced, a cycle in
 * JSON.stringify, or a null condition that GrowthBook would throw on); `compileCondition` turns that into false.
 */
export type Matcher = (value: unknown) => boolean;

/** The matcher that rejects everything (unknown operators, operands of the wrong type). */
export const ALWAYS_FALSE: Matcher = () => false;

/** The matcher that accepts everything (an empty condition). */
export const ALWAYS_TRUE: Matcher = () => true;

/** A matcher that throws `error` when it runs, so that a malformed part only fails when it is reached. */
export function throwing(error: unknown): Matcher {
  return () => {
    throw error;
  };
}

/** The matcher that accepts a value only when every one of `matchers` does, checked in order. */
export function allOf(matchers: readonly Matcher[]): Matcher {
  if (matchers.length === 0) return ALWAYS_TRUE;
  if (matchers.length === 1) return matchers[0]!;
  if (matchers.length === 2) {
    const [first, second] = matchers as [Matcher, Matcher];
    return (value) => first(value) && second(value);
  }
  return (value) => {
    for (const matcher of matchers) if (!matcher(value)) return false;
    return true;
  };
}

/** The matcher that accepts a value when any of `matchers` does; with no matchers it accepts everything. */
export function anyOf(matchers: readonly Matcher[]): Matcher {
  // GrowthBook's `$or: []` passes, unlike MongoDB's.
  if (matchers.length === 0) return ALWAYS_TRUE;
  if (matchers.length === 1) return matchers[0]!;
  return (value) => {
    for (const matcher of matchers) if (matcher(value)) return true;
    return false;
  };
}
