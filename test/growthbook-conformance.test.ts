import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BucketRange, getBucketRanges } from '../src/core/bucket-ranges.js';
import { chooseVariant } from '../src/core/choose-variant.js';
import { evalCondition } from '../src/core/condition.js';
import { getEqualWeights } from '../src/core/equal-weights.js';
import type { Condition } from '../src/core/feature-config.js';
import { hash } from '../src/core/hash.js';
import { inNamespace } from '../src/core/in-namespace.js';

/** The sections of GrowthBook's SDK conformance cases that `switchyard/core` implements. */
interface GrowthBookCases {
  specVersion: string;
  hash: Array<[seed: string, value: string, version: number, expected: number | null]>;
  getBucketRange: Array<
    [name: string, args: [numVariations: number, coverage: number, weights: number[] | null], BucketRange[]]
  >;
  chooseVariation: Array<[name: string, n: number, ranges: BucketRange[], expected: number]>;
  inNamespace: Array<[name: string, id: string, namespace: [string, number, number], expected: boolean]>;
  getEqualWeights: Array<[n: number, expected: number[]]>;
  evalCondition: Array<
    [
      name: string,
      condition: Condition,
      attributes: Record<string, unknown>,
      expected: boolean,
      savedGroups?: Record<string, unknown[]>,
    ]
  >;
}

const cases = JSON.parse(
  readFileSync(new URL('./fixtures/growthbook/cases.json', import.meta.url), 'utf8'),
) as GrowthBookCases;

/** GrowthBook's own runner truncates range bounds to 8 decimals before comparing. */
const truncate = (x: number) => Math.floor(x * 1e8) / 1e8;
const truncateRanges = (ranges: readonly BucketRange[]) =>
  ranges.map(([start, end]) => [truncate(start), truncate(end)]);
const round8 = (x: number) => Math.round(x * 1e8) / 1e8;

/** Test names must be unique; the cases repeat a couple of names, which get their position appended. */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (#${count})`;
  });
}

describe(`GrowthBook conformance (cases.json spec ${cases.specVersion})`, () => {
  it('has every case of the implemented sections', () => {
    const total = [
      cases.hash,
      cases.getBucketRange,
      cases.chooseVariation,
      cases.inNamespace,
      cases.getEqualWeights,
      cases.evalCondition,
    ].reduce((sum, section) => sum + section.length, 0);
    expect(total).toBe(311);
  });

  describe('hash', () => {
    for (const [seed, value, version, expected] of cases.hash) {
      it(`hash(${JSON.stringify(seed)}, ${JSON.stringify(value)}, ${version}) = ${expected}`, () => {
        expect(hash(seed, value, version)).toBe(expected);
      });
    }
  });

  describe('getBucketRange', () => {
    for (const [name, [numVariations, coverage, weights], expected] of cases.getBucketRange) {
      it(name, () => {
        const ranges = getBucketRanges(numVariations, coverage, weights ?? undefined);
        expect(truncateRanges(ranges)).toEqual(truncateRanges(expected));
      });
    }
  });

  describe('chooseVariation', () => {
    for (const [name, n, ranges, expected] of cases.chooseVariation) {
      it(name, () => {
        expect(chooseVariant(n, ranges)).toBe(expected);
      });
    }
  });

  describe('inNamespace', () => {
    for (const [name, id, namespace, expected] of cases.inNamespace) {
      it(name, () => {
        expect(inNamespace(id, namespace)).toBe(expected);
      });
    }
  });

  describe('getEqualWeights', () => {
    for (const [n, expected] of cases.getEqualWeights) {
      it(`getEqualWeights(${n})`, () => {
        expect(getEqualWeights(n).map(round8)).toEqual(expected.map(round8));
      });
    }
  });

  describe('evalCondition', () => {
    const names = uniqueNames(cases.evalCondition.map(([name]) => name));
    for (const [index, [, condition, attributes, expected, savedGroups]] of cases.evalCondition.entries()) {
      it(names[index]!, () => {
        expect(evalCondition(attributes, condition, savedGroups)).toBe(expected);
      });
    }
  });
});
