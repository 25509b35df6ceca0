import { describe } from 'vitest';
import { type OpenTestStore, useStoreHarness } from '../store-harness.case.js';
import { propertyCases } from './analytics-properties.case.js';
import { queryCases } from './analytics-queries.case.js';
import { scenarioCases } from './analytics-scenario.case.js';

/**
 * The analytics contract every `Store` adapter must pass: exact metrics over a known scenario, query
 * validation and empty ranges, and differential properties against an in-memory reference.
 */
export function analyticsContract(name: string, open: OpenTestStore): void {
  describe(`analytics contract: ${name}`, () => {
    const harness = useStoreHarness(open);
    scenarioCases(harness);
    queryCases(harness);
    propertyCases(harness);
  });
}
