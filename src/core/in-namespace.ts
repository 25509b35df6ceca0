import { hash } from './hash.js';

/**
 * Whether a unit falls in a namespace slice `[name, start, end)`, which keeps experiments sharing a namespace
 * mutually exclusive; uses GrowthBook's version-1 hash of the unit with seed `__name`.
 *
 * @example
 * inNamespace('1', ['namespace1', 0.4, 1]); // true
 */
export function inNamespace(
  unitId: string,
  namespace: readonly [name: string, start: number, end: number],
): boolean {
  const n = hash(`__${namespace[0]}`, unitId, 1)!;
  return n >= namespace[1] && n < namespace[2];
}
