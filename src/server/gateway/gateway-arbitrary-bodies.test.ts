import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server.test-helper.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({ handlers: { v1: () => 'one', v2: () => 'two' } });
});
afterAll(() => test.close());

const routes = ['/v1/chat/completions', '/v1/responses', '/v1/feedback'] as const;

/** Arbitrary JSON, plus bodies shaped like chat and Responses requests so that the deep checks are reached. */
const bodies = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      model: fc.oneof(fc.constant('switchyard/coach-reply'), fc.string(), fc.jsonValue()),
      messages: fc.oneof(
        fc.jsonValue(),
        fc.array(
          fc.record(
            {
              role: fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'function', 'x'),
              content: fc.oneof(fc.string(), fc.constant(null), fc.jsonValue()),
              tool_calls: fc.jsonValue(),
              tool_call_id: fc.oneof(fc.string(), fc.jsonValue()),
            },
            { requiredKeys: ['role'] },
          ),
        ),
      ),
      input: fc.jsonValue(),
      tools: fc.jsonValue(),
      tool_choice: fc.jsonValue(),
      response_format: fc.jsonValue(),
      stream: fc.oneof(fc.boolean(), fc.jsonValue()),
      stop: fc.jsonValue(),
      n: fc.jsonValue(),
    },
    { requiredKeys: ['model'] },
  ),
);

describe('arbitrary JSON bodies on the gateway', () => {
  it('never answer a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), bodies, async (url, body) => {
        const response = await test.call('POST', url, {
          token: test.tokens.sdk,
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500);
      }),
      { numRuns: 300, seed: 20_261_208 },
    );
  });
});
