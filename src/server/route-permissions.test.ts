import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES, type Role } from './auth/permissions.js';
import {
  PERMISSION_TABLE_ORIGIN,
  type RouteCase,
  routePermissionTable,
} from './route-permission-table.test-helper.js';
import { startTestServer, type TestServer, UNKNOWN_TOKEN } from './server.test-helper.js';

let test: TestServer;
let url: string;
let revoked: string;

beforeAll(async () => {
  test = await startTestServer({ cors: { origins: [PERMISSION_TABLE_ORIGIN] } });
  url = await test.server.listen();
  const change = { actor: 'test' };
  const issued = await test.server.context.auth.issue({ name: 'revoked', role: 'admin' }, change);
  await test.server.context.auth.revoke(issued.id, change);
  revoked = issued.token;
});
afterAll(() => test.close());

/** Calls a route over real HTTP and returns the status; streams are cancelled once the headers arrived. */
async function statusOf(route: RouteCase, authorization: string | undefined): Promise<number> {
  const response = await fetch(`${url}${route.path}`, {
    method: route.method,
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(route.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...route.headers,
    },
    ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
  });
  await response.body?.cancel();
  return response.status;
}

describe('route x role matrix', () => {
  it('lists every registered route, with the permission it was registered with', () => {
    const key = (route: { method: string; route?: string; url?: string }) =>
      `${route.method} ${route.route ?? route.url}`;
    const registered = test.server.context.routes.map((route) => `${key(route)} ${route.permission}`).sort();
    const listed = routePermissionTable.map((route) => `${key(route)} ${route.permission}`).sort();
    expect(listed).toEqual(registered);
  });

  type Outcome = 'allow' | 'deny-401' | 'deny-403';
  interface Caller {
    readonly name: string;
    readonly expected: (route: RouteCase) => Outcome;
    readonly authorization: () => string | undefined;
  }
  const unauthenticated = (name: string, authorization: () => string | undefined): Caller => ({
    name,
    expected: (route) => (route.permission === 'public' ? 'allow' : 'deny-401'),
    authorization,
  });
  const callers: Caller[] = [
    ...ROLES.map(
      (role: Role): Caller => ({
        name: `role ${role}`,
        expected: (route) =>
          route.permission === 'public' || can(role, route.permission) ? 'allow' : 'deny-403',
        authorization: () => `Bearer ${test.tokens[role]}`,
      }),
    ),
    unauthenticated('no token', () => undefined),
    unauthenticated('an unknown token', () => `Bearer ${UNKNOWN_TOKEN}`),
    unauthenticated('a malformed token', () => 'Bearer not-a-token'),
    unauthenticated('another scheme', () => `Basic ${test.tokens.admin}`),
    unauthenticated('a revoked token', () => `Bearer ${revoked}`),
  ];

  for (const { name, expected, authorization } of callers) {
    it(`answers ${name} as the table says on every route`, async () => {
      const outcomes: string[] = [];
      const wanted: string[] = [];
      for (const route of routePermissionTable) {
        const status = await statusOf(route, authorization());
        const outcome = status === 401 ? 'deny-401' : status === 403 ? 'deny-403' : 'allow';
        outcomes.push(`${route.method} ${route.path}: ${outcome}`);
        wanted.push(`${route.method} ${route.path}: ${expected(route)}`);
      }
      expect(outcomes).toEqual(wanted);
    });
  }

  it('answers 401 on unknown paths without a token, 404 with one', async () => {
    const unknown: RouteCase = { method: 'GET', route: '', path: '/api/nothing-here', permission: 'read' };
    expect(await statusOf(unknown, undefined)).toBe(401);
    expect(await statusOf(unknown, `Bearer ${test.tokens.sdk}`)).toBe(404);
  });
});
