import type { Permission } from './auth/permissions.js';
import { COACH } from './server.test-helper.js';

/** One route of the server, a concrete request to it, and the permission it must require. */
export interface RouteCase {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** The route as registered (`/api/features/:key`). */
  readonly route: string;
  /** A concrete path to call (`/api/features/coach-reply`). */
  readonly path: string;
  readonly permission: Permission | 'public';
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

const feature = '/api/features/coach-reply';

/** The browser origin the permission test's server allows (`cors.origins`). */
export const PERMISSION_TABLE_ORIGIN = 'https://app.example.com';

/**
 * Every route of the server with the permission it requires. Adding a route means adding a line here:
 * the permission test fails for any registered route this table does not list.
 */
export const routePermissionTable: readonly RouteCase[] = [
  { method: 'GET', route: '/health', path: '/health', permission: 'public' },
  { method: 'GET', route: '/docs', path: '/docs', permission: 'public' },
  { method: 'GET', route: '/openapi.json', path: '/openapi.json', permission: 'read' },
  { method: 'GET', route: '/metrics', path: '/metrics', permission: 'read' },
  { method: 'GET', route: '/api/features', path: '/api/features', permission: 'read' },
  {
    method: 'POST',
    route: '/api/features',
    path: '/api/features',
    permission: 'write',
    body: { ...COACH, key: 'matrix-created' },
  },
  { method: 'GET', route: '/api/features/:key', path: feature, permission: 'read' },
  {
    method: 'PUT',
    route: '/api/features/:key',
    path: feature,
    permission: 'write',
    body: { ...COACH, version: 1 },
  },
  { method: 'PATCH', route: '/api/features/:key', path: feature, permission: 'write', body: { version: 1 } },
  {
    method: 'POST',
    route: '/api/features/:key/kill',
    path: `${feature}/kill`,
    permission: 'write',
    body: {},
  },
  // Right after `kill` and before `enable`, which lifts the kill on the feature the later cases use.
  { method: 'POST', route: '/api/kill-all', path: '/api/kill-all', permission: 'write', body: {} },
  { method: 'POST', route: '/api/retention/run', path: '/api/retention/run', permission: 'admin' },
  { method: 'DELETE', route: '/api/units/:unitId', path: '/api/units/nobody', permission: 'admin' },
  // The feature has no ramp: an allowed call answers 422, which still counts as allowed.
  {
    method: 'POST',
    route: '/api/features/:key/ramp/pause',
    path: `${feature}/ramp/pause`,
    permission: 'write',
    body: {},
  },
  {
    method: 'POST',
    route: '/api/features/:key/ramp/resume',
    path: `${feature}/ramp/resume`,
    permission: 'write',
    body: {},
  },
  { method: 'GET', route: '/api/alerts', path: '/api/alerts', permission: 'read' },
  { method: 'GET', route: '/api/alerts/:id', path: '/api/alerts/none', permission: 'read' },
  {
    method: 'POST',
    route: '/api/alerts/:id/resolve',
    path: '/api/alerts/none/resolve',
    permission: 'write',
    body: {},
  },
  {
    method: 'POST',
    route: '/api/features/:key/enable',
    path: `${feature}/enable`,
    permission: 'write',
    body: {},
  },
  {
    method: 'POST',
    route: '/api/features/:key/disable',
    path: `${feature}/disable`,
    permission: 'write',
    body: {},
  },
  { method: 'GET', route: '/api/features/:key/history', path: `${feature}/history`, permission: 'read' },
  // Archives a feature no other case uses, so the other cases keep one to act on.
  {
    method: 'DELETE',
    route: '/api/features/:key',
    path: '/api/features/matrix-created',
    permission: 'write',
  },
  {
    method: 'POST',
    route: '/api/decide',
    path: '/api/decide',
    permission: 'decide',
    body: { feature: 'coach-reply', context: { attributes: { userId: 'u-1' } } },
  },
  {
    method: 'POST',
    route: '/ofrep/v1/evaluate/flags/:key',
    path: '/ofrep/v1/evaluate/flags/coach-reply',
    permission: 'decide',
    body: { context: { targetingKey: 'u-1' } },
  },
  {
    method: 'POST',
    route: '/ofrep/v1/evaluate/flags',
    path: '/ofrep/v1/evaluate/flags',
    permission: 'decide',
    body: { context: { targetingKey: 'u-1' } },
  },
  { method: 'GET', route: '/ofrep/v1/events', path: '/ofrep/v1/events', permission: 'decide' },
  // coach-reply has no rankers: an allowed caller gets 400 on `feature`, still past auth.
  {
    method: 'POST',
    route: '/api/rank',
    path: '/api/rank',
    permission: 'decide',
    body: { feature: 'coach-reply', items: [{ id: 'a' }] },
  },
  {
    method: 'POST',
    route: '/api/feedback',
    path: '/api/feedback',
    permission: 'ingest',
    body: { requestId: 'matrix-request', feature: 'coach-reply', accepted: true },
  },
  { method: 'GET', route: '/api/profiles/:key', path: '/api/profiles/coach-reply', permission: 'read' },
  { method: 'GET', route: '/api/experiments', path: '/api/experiments', permission: 'read' },
  // The first allowed caller creates it; later ones get 409 or 422 (the rule is taken), still past auth.
  {
    method: 'POST',
    route: '/api/experiments',
    path: '/api/experiments',
    permission: 'write',
    body: { key: 'matrix-experiment', feature: 'coach-reply', primaryMetric: 'error-rate' },
  },
  { method: 'GET', route: '/api/experiments/:key', path: '/api/experiments/nosuch', permission: 'read' },
  ...(['start', 'pause', 'resume', 'stop', 'promote'] as const).map(
    (transition): RouteCase => ({
      method: 'POST',
      route: `/api/experiments/:key/${transition}`,
      path: `/api/experiments/nosuch/${transition}`,
      permission: 'write',
      body: transition === 'promote' ? { variant: 'v2' } : {},
    }),
  ),
  {
    method: 'GET',
    route: '/api/experiments/:key/results',
    path: '/api/experiments/nosuch/results',
    permission: 'read',
  },
  {
    method: 'POST',
    route: '/api/assignments',
    path: '/api/assignments',
    permission: 'decide',
    body: { experiment: 'nosuch', unitId: 'u-1' },
  },
  { method: 'GET', route: '/api/config', path: '/api/config', permission: 'config' },
  { method: 'GET', route: '/api/config/stream', path: '/api/config/stream', permission: 'config' },
  // The same event from every caller: the store keeps it once, so the matrix can run in any order.
  {
    method: 'POST',
    route: '/api/events',
    path: '/api/events',
    permission: 'ingest',
    body: {
      events: [
        {
          type: 'feedback',
          id: 'matrix-event',
          at: 1,
          requestId: 'r-1',
          feature: 'coach-reply',
          variant: 'v1',
          accepted: true,
          selectedVariant: null,
          rating: null,
          metric: null,
          value: null,
        },
      ],
    },
  },
  { method: 'GET', route: '/api/audit', path: '/api/audit?limit=5', permission: 'read' },
  { method: 'GET', route: '/api/events', path: '/api/events?limit=5', permission: 'read' },
  { method: 'GET', route: '/api/export', path: '/api/export?format=csv', permission: 'read' },
  { method: 'GET', route: '/api/metrics/:feature', path: `/api/metrics/coach-reply`, permission: 'read' },
  { method: 'GET', route: '/api/stats', path: '/api/stats', permission: 'read' },
  {
    method: 'POST',
    route: '/api/tokens',
    path: '/api/tokens',
    permission: 'admin',
    body: { name: 'matrix', role: 'viewer' },
  },
  { method: 'GET', route: '/api/tokens', path: '/api/tokens', permission: 'admin' },
  { method: 'GET', route: '/api/whoami', path: '/api/whoami', permission: 'read' },
  // The dashboard: pages and assets answer without a token (503 while not built still means allowed).
  ...['/', '/features', '/experiments', '/alerts', '/audit', '/events'].map(
    (page): RouteCase => ({ method: 'GET', route: page, path: page, permission: 'public' }),
  ),
  { method: 'GET', route: '/features/*', path: '/features/coach-reply/metrics', permission: 'public' },
  { method: 'GET', route: '/experiments/*', path: '/experiments/nosuch', permission: 'public' },
  { method: 'GET', route: '/assets/:file', path: '/assets/app.js', permission: 'public' },
  { method: 'GET', route: '/favicon.svg', path: '/favicon.svg', permission: 'public' },
  { method: 'GET', route: '/favicon.ico', path: '/favicon.ico', permission: 'public' },
  // An id no token has: the permission check comes first, then 404 for an allowed caller.
  { method: 'DELETE', route: '/api/tokens/:id', path: '/api/tokens/nosuchtoken', permission: 'admin' },
  // The gateway: an allowed caller gets past auth (a 404 for an unknown feature still means allowed).
  {
    method: 'POST',
    route: '/v1/chat/completions',
    path: '/v1/chat/completions',
    permission: 'gateway',
    body: { model: 'switchyard/no-such-feature', messages: [{ role: 'user', content: 'hi' }] },
  },
  {
    method: 'POST',
    route: '/v1/responses',
    path: '/v1/responses',
    permission: 'gateway',
    body: { model: 'switchyard/no-such-feature', input: 'hi' },
  },
  { method: 'GET', route: '/v1/models', path: '/v1/models', permission: 'gateway' },
  // A browser's preflight, from an origin on the allow-list (`PERMISSION_TABLE_ORIGIN`).
  {
    method: 'OPTIONS',
    route: '/v1/*',
    path: '/v1/chat/completions',
    permission: 'public',
    headers: { origin: PERMISSION_TABLE_ORIGIN, 'access-control-request-method': 'POST' },
  },
  { method: 'GET', route: '/v1/models/*', path: '/v1/models/switchyard/coach-reply', permission: 'gateway' },
  {
    method: 'POST',
    route: '/v1/feedback',
    path: '/v1/feedback',
    permission: 'gateway',
    body: { requestId: 'r-1', feature: 'coach-reply', accepted: true },
  },
];
