/**
 * Applies a JSON merge patch (RFC 7386) to a JSON value without changing either: objects merge key by key,
 * `null` removes a key, and anything else (arrays included) replaces the target.
 *
 * @example
 * applyMergePatch({ enabled: true, tags: ['a'] }, { enabled: false, tags: null }); // { enabled: false }
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else {
      // defineProperty, not assignment: a "__proto__" key must become data, never the prototype.
      Object.defineProperty(result, key, {
        value: applyMergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
