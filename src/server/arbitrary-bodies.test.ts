import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COACH, startTestServer, type TestServer } from './server.test-helper.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(() => test.close());

const feature = '/api/features/coach-reply';

/** Every route that can change state, with a way to call it with an arbitrary JSON body. */
const mutatingRoutes: ReadonlyArray<readonly [string, string, Record<string, string>?]> = [
  ['POST', '/api/features'],
  ['PUT', feature],
  ['PATCH', feature],
  ['PATCH', feature, { 'content-type': 'application/merge-patch+json' }],
  ['DELETE', feature],
  ['POST', `${feature}/kill`],
  ['POST', `${feature}/enable`],
  ['POST', `${feature}/disable`],
  ['POST', '/api/decide'],
  ['POST', '/api/tokens'],
  ['DELETE', '/api/tokens/testadmin'],
];

/** Arbitrary JSON, plus values shaped like real bodies so that the deep paths are reached too. */
const bodies = fc.oneof(
  fc.jsonValue(),
  fc.record({
    key: fc.constantFrom('coach-reply', 'new-one', ''),
    defaultVariant: fc.string(),
    variants: fc.jsonValue(),
  }),
  fc.record({
    ...Object.fromEntries(Object.entries(COACH).map(([key, value]) => [key, fc.constant(value)])),
    rules: fc.jsonValue(),
  }),
  fc.record(
    { version: fc.oneof(fc.integer(), fc.jsonValue()), enabled: fc.jsonValue(), rules: fc.jsonValue() },
    { requiredKeys: [] },
  ),
  fc.record({ feature: fc.constantFrom('coach-reply', 'x'), context: fc.jsonValue() }),
  fc.record({ name: fc.string(), role: fc.constantFrom('admin', 'sdk', 'x', '') }),
  fc.record({ reason: fc.jsonValue(), version: fc.jsonValue() }, { requiredKeys: [] }),
);

describe('arbitrary JSON bodies on every mutating route', () => {
  it('never answer 500, and a 4xx leaves the store as it was', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...mutatingRoutes), bodies, async ([method, url, headers], body) => {
        const before = await test.snapshot();
        const response = await test.call(method, url, {
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json', ...headers },
        });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) {
          expect(response.json().error.code).toEqual(expect.any(String));
          expect(await test.snapshot()).toEqual(before);
        }
      }),
      { numRuns: 300, seed: 20_251_121 },
    );
  });
});
