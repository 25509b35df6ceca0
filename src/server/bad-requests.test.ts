import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COACH, startTestServer, type TestServer } from './server.test-helper.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(() => test.close());

interface BadRequest {
  readonly name: string;
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET';
  readonly url: string;
  /** Sent as is when a string, as JSON otherwise. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly code: string;
  readonly path?: string;
}

const feature = '/api/features/coach-reply';
const json = { 'content-type': 'application/json' };

const badRequests: readonly BadRequest[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    url: '/api/features',
    body: '{"key": ',
    headers: json,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an empty JSON body',
    method: 'POST',
    url: '/api/features',
    body: '',
    headers: json,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a prototype-poisoning key',
    method: 'POST',
    url: '/api/features',
    body: '{"key": "x", "__proto__": {"admin": true}}',
    headers: json,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a body over 1 MiB',
    method: 'POST',
    url: '/api/features',
    body: { ...COACH, key: 'huge', description: 'x'.repeat(1_100_000) },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a form body',
    method: 'POST',
    url: '/api/decide',
    body: 'feature=coach-reply',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a config that is not an object',
    method: 'POST',
    url: '/api/features',
    body: [COACH],
    status: 400,
    code: 'INVALID_INPUT',
  },
  {
    name: 'a config with a wrongly typed field',
    method: 'POST',
    url: '/api/features',
    body: { ...COACH, key: 'typed', enabled: 'yes' },
    status: 400,
    code: 'INVALID_INPUT',
    path: 'enabled',
  },
  {
    name: 'a config with an unknown field',
    method: 'POST',
    url: '/api/features',
    body: { ...COACH, key: 'extra', owner: 'me' },
    status: 400,
    code: 'INVALID_INPUT',
    path: '',
  },
  {
    name: 'a split naming an unknown variant',
    method: 'POST',
    url: '/api/features',
    body: { ...COACH, key: 'semantic', rules: [{ split: { v1: 1, v3: 1 } }] },
    status: 422,
    code: 'INVALID_CONFIG',
    path: 'rules[0].split',
  },
  {
    name: 'a PUT whose key differs from the path',
    method: 'PUT',
    url: feature,
    body: { ...COACH, key: 'other', version: 1 },
    status: 400,
    code: 'INVALID_INPUT',
    path: 'key',
  },
  {
    name: 'a malformed If-Match',
    method: 'PUT',
    url: feature,
    body: COACH,
    headers: { 'if-match': 'W/"1"' },
    status: 400,
    code: 'INVALID_INPUT',
    path: 'If-Match',
  },
  {
    name: 'a stale version',
    method: 'PATCH',
    url: feature,
    body: { version: 9, enabled: false },
    status: 409,
    code: 'VERSION_CONFLICT',
  },
  {
    name: 'a merge patch that is not an object',
    method: 'PATCH',
    url: feature,
    body: [1],
    status: 400,
    code: 'INVALID_INPUT',
  },
  {
    name: 'a non-integer patch version',
    method: 'PATCH',
    url: feature,
    body: { version: '1' },
    status: 400,
    code: 'INVALID_INPUT',
    path: 'version',
  },
  {
    name: 'a merge patch that breaks the config',
    method: 'PATCH',
    url: feature,
    body: { version: 1, variants: null },
    status: 400,
    code: 'INVALID_INPUT',
    path: 'variants',
  },
  {
    name: 'an unknown switch field',
    method: 'POST',
    url: `${feature}/kill`,
    body: { because: 'x' },
    status: 400,
    code: 'INVALID_INPUT',
  },
  {
    name: 'a kill reason that is not text',
    method: 'POST',
    url: `${feature}/kill`,
    body: { reason: 5 },
    status: 400,
    code: 'INVALID_INPUT',
    path: 'reason',
  },
  {
    name: 'a switch of an unknown feature',
    method: 'POST',
    url: '/api/features/nope/disable',
    status: 404,
    code: 'FEATURE_NOT_FOUND',
  },
  {
    name: 'a flat decision context',
    method: 'POST',
    url: '/api/decide',
    body: { feature: 'coach-reply', context: { userId: 'u-1' } },
    status: 400,
    code: 'INVALID_INPUT',
    path: 'context',
  },
  {
    name: 'an override that is not a variant name',
    method: 'POST',
    url: '/api/decide',
    body: { feature: 'coach-reply', context: { overrides: { 'coach-reply': 2 } } },
    status: 400,
    code: 'INVALID_INPUT',
    path: 'context.overrides.coach-reply',
  },
  {
    name: 'a decision for an unknown feature',
    method: 'POST',
    url: '/api/decide',
    body: { feature: 'nope' },
    status: 404,
    code: 'FEATURE_NOT_FOUND',
  },
  {
    name: 'a token with an unknown role',
    method: 'POST',
    url: '/api/tokens',
    body: { name: 'x', role: 'root' },
    status: 400,
    code: 'INVALID_INPUT',
    path: 'role',
  },
  {
    name: 'a token name with spaces',
    method: 'POST',
    url: '/api/tokens',
    body: { name: 'my token', role: 'sdk' },
    status: 400,
    code: 'INVALID_INPUT',
    path: 'name',
  },
  {
    name: 'a second live token with one name',
    method: 'POST',
    url: '/api/tokens',
    body: { name: 'editor-token', role: 'sdk' },
    status: 409,
    code: 'ALREADY_EXISTS',
  },
  {
    name: 'revoking an unknown token',
    method: 'DELETE',
    url: '/api/tokens/nosuchtoken',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'revoking the last admin token',
    method: 'DELETE',
    url: '/api/tokens/testadmin',
    status: 409,
    code: 'LAST_ADMIN_TOKEN',
  },
  {
    name: 'an audit page size out of range',
    method: 'GET',
    url: '/api/audit?limit=5000',
    status: 400,
    code: 'INVALID_INPUT',
    path: 'limit',
  },
  {
    name: 'a forged audit cursor',
    method: 'GET',
    url: '/api/audit?cursor=abc',
    status: 400,
    code: 'INVALID_INPUT',
    path: 'cursor',
  },
  {
    name: 'an audit time that is no time',
    method: 'GET',
    url: '/api/audit?from=yesterday',
    status: 400,
    code: 'INVALID_INPUT',
    path: 'from',
  },
  {
    name: 'a repeated query field',
    method: 'GET',
    url: '/api/audit?actor=a&actor=b',
    status: 400,
    code: 'INVALID_INPUT',
    path: 'actor',
  },
  {
    name: 'an unknown query field',
    method: 'GET',
    url: '/api/features?include=all',
    status: 400,
    code: 'INVALID_INPUT',
  },
];

describe('bad requests', () => {
  for (const request of badRequests) {
    it(`answers ${request.name} with ${request.status} ${request.code}, changing nothing`, async () => {
      const before = await test.snapshot();
      const response = await test.call(request.method, request.url, {
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(request.headers === undefined ? {} : { headers: request.headers }),
      });
      expect(response.statusCode).toBe(request.status);
      const { error } = response.json();
      expect(error.code).toBe(request.code);
      expect(typeof error.message).toBe('string');
      if (request.path !== undefined) expect(error.path ?? '').toBe(request.path);
      expect(response.body).not.toMatch(/ at .+\.(ts|js):\d+/);
      expect(await test.snapshot()).toEqual(before);
    });
  }
});
