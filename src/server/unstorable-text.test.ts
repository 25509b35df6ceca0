import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { postgresTestDatabase } from '../store/testing/postgres-test-database.js';
import { unstorableTextProblem } from './http/refuse-unstorable-text.js';
import { type RouteCase, routePermissionTable } from './route-permission-table.test-helper.js';
import { startTestServer, type TestServer } from './server.test-helper.js';

const postgres = await postgresTestDatabase('unstorable-text');
afterAll(() => postgres?.cleanup());

/** A request to one route with one parameter holding `value`, and the name the 400 must give. */
interface ParameterCase {
  readonly route: RouteCase;
  readonly name: string;
  readonly url: (value: string) => string;
}

/** Every path parameter and every documented query parameter of every route in the table. */
function parameterCases(test: TestServer): ParameterCase[] {
  const cases: ParameterCase[] = [];
  const docs = test.server.context.routeDocs.list();
  for (const route of routePermissionTable) {
    const routeSegments = route.route.split('/');
    const [pathOnly = ''] = route.path.split('?');
    const pathSegments = pathOnly.split('/');
    routeSegments.forEach((segment, index) => {
      if (segment.startsWith(':') || segment === '*') {
        const name = segment === '*' ? 'path' : segment.slice(1);
        cases.push({
          route,
          name,
          url: (value) =>
            pathSegments.map((part, at) => (at === index ? encodeURIComponent(value) : part)).join('/'),
        });
      }
    });
    const query = docs.find((doc) => doc.method === route.method && doc.url === route.route)?.query;
    if (query instanceof z.ZodObject) {
      for (const name of Object.keys(query.shape)) {
        cases.push({ route, name, url: (value) => `${pathOnly}?${name}=${encodeURIComponent(value)}` });
      }
    }
  }
  return cases;
}

async function call(test: TestServer, parameter: ParameterCase, value: string) {
  const { route } = parameter;
  return test.call(route.method, parameter.url(value), {
    ...(route.body === undefined ? {} : { body: route.body }),
    ...(route.headers === undefined ? {} : { headers: route.headers }),
  });
}

/** The parameter a 400 names: `error.path` on the API, `error.param` in the gateway's OpenAI shape. */
function namedParameter(body: {
  error: { code: string; path?: string; param?: string };
}): string | undefined {
  return body.error.code === 'INVALID_INPUT' ? body.error.path : body.error.param;
}

const stores = [
  ['SQLite', () => 'sqlite::memory:'],
  ['PostgreSQL', () => postgres!.schemaUrl()],
] as const;

describe.each(stores)('text no store can look up, on %s', (name, storeUrl) => {
  let test: TestServer;
  beforeAll(async () => {
    if (name === 'PostgreSQL' && postgres === undefined) return;
    test = await startTestServer({ store: storeUrl() });
  });
  afterAll(() => test?.close());

  it.skipIf(name === 'PostgreSQL' && postgres === undefined)(
    'is a 400 naming the parameter, for every path and query parameter of every route',
    async () => {
      const cases = parameterCases(test);
      // The table has path parameters (`:key`, `:id`, wildcards) and query parameters (`actor`, `from`).
      expect(cases.map((parameter) => parameter.name)).toEqual(
        expect.arrayContaining(['key', 'id', 'feature', 'path', 'actor', 'from', 'cursor']),
      );
      for (const parameter of cases) {
        const response = await call(test, parameter, 'f1\u0000x');
        const where = `${parameter.route.method} ${parameter.url('f1\u0000x')}`;
        expect(response.statusCode, where).toBe(400);
        expect(namedParameter(response.json()), where).toBe(parameter.name);
      }
      const audit = await test.call('GET', '/api/audit?actor=%00');
      expect(audit.statusCode).toBe(400);
      expect(audit.json().error.message).toBe('actor: must not contain a NUL character');
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === undefined)(
    'answers 400 for any text with a NUL, wherever it sits, and never 5xx',
    async () => {
      const cases = parameterCases(test);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...cases),
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: 'grapheme' }),
          async (parameter, before, after) => {
            const value = `${before}\u0000${after}`;
            const response = await call(test, parameter, value);
            expect(response.statusCode).toBe(400);
            expect(namedParameter(response.json())).toBe(parameter.name);
          },
        ),
        { numRuns: 150 },
      );
    },
  );
});

describe('unstorableTextProblem', () => {
  it('names NUL characters and lone surrogates, and accepts every other string', () => {
    expect(unstorableTextProblem('a\u0000b')).toBe('must not contain a NUL character');
    expect(unstorableTextProblem('lone\ud800')).toMatch(/lone surrogate/);
    expect(unstorableTextProblem('\udc00tail')).toMatch(/lone surrogate/);
    expect(unstorableTextProblem('pair 👩‍👩‍👧 日本語 e\u0301')).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        // A lone surrogate does not survive UTF-8: it comes back as U+FFFD.
        const wellFormed = Buffer.from(text, 'utf8').toString('utf8') === text;
        const expected = text.includes('\u0000') || !wellFormed;
        expect(unstorableTextProblem(text) !== undefined).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });
});
