/**
 * A reader for a dotted attribute path (`user.plan.tier`), split once; a missing step or a step into a
 * non-object reads as null, as in GrowthBook.
 *
 * @example
 * pathGetter('pets.dog.name')({ pets: { dog: { name: 'fido' } } }); // 'fido'
 */
export function pathGetter(path: string): (root: unknown) => unknown {
  const parts = path.split('.');
  if (parts.length === 1) {
    const key = parts[0]!;
    return (root) => readKey(root, key);
  }
  if (parts.length === 2) {
    const [first, second] = parts as [string, string];
    return (root) => readKey(readKey(root, first), second);
  }
  return (root) => {
    let current = root;
    for (const part of parts) {
      current = readKey(current, part);
      if (current === null) return null;
    }
    return current;
  };
}

function readKey(container: unknown, key: string): unknown {
  if (container === null || typeof container !== 'object') return null;
  const value = (container as Record<string, unknown>)[key];
  // Reading first and checking `in` only for undefined keeps the common hit to one lookup; `in` (not
  // hasOwn) matches GrowthBook, which sees inherited properties too.
  return value !== undefined || key in container ? value : null;
}
