import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { FeatureConfigInput } from '../core/feature-config.js';
import type { Role } from './auth/permissions.js';
import { createServer, type SwitchyardServer } from './create-server.js';
import type { ServerOptions } from './server-options.js';

/** The admin token every test server starts with. */
export const TEST_ADMIN_TOKEN = `sy_testadmin_${'a'.repeat(43)}`;

/** A well-formed token that no store holds: it must get 401, never 403. */
export const UNKNOWN_TOKEN = `sy_unknown00_${'b'.repeat(43)}`;

/** A feature with a sticky 50/50 split, valid for every route that needs one. */
export const COACH: FeatureConfigInput = {
  key: 'coach-reply',
  defaultVariant: 'v1',
  variants: { v1: { type: 'handler' }, v2: { type: 'handler', payload: { prompt: 'v2' } } },
  rules: [{ id: 'rollout', split: { v1: 50, v2: 50 } }],
};

/** A server on `sqlite::memory:` with one token per role, and a one-line way to call it. */
export interface TestServer {
  readonly server: SwitchyardServer;
  /** Token text by role (the admin one is `TEST_ADMIN_TOKEN`). */
  readonly tokens: Readonly<Record<Role, string>>;
  /** `app.inject` with a bearer token (`null` for none) and a JSON body. */
  call(
    method: InjectOptions['method'],
    url: string,
    options?: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /** Features, audit and tokens as they stand: equal snapshots mean nothing was written. */
  snapshot(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Starts a test server (`sqlite::memory:` unless `options.store` says otherwise) with the admin token,
 * an editor, a viewer and an sdk token, and `COACH` unless `features` is given.
 */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const server = await createServer({
    store: 'sqlite::memory:',
    port: 0,
    adminToken: TEST_ADMIN_TOKEN,
    features: [COACH],
    telemetry: { flushIntervalMs: 50 },
    ...options,
  });
  const change = { actor: 'test' };
  const issue = async (role: Role) =>
    (await server.context.auth.issue({ name: `${role}-token`, role }, change)).token;
  const [editor, viewer, sdk] = await Promise.all([issue('editor'), issue('viewer'), issue('sdk')]);
  const tokens = { admin: TEST_ADMIN_TOKEN, editor: editor!, viewer: viewer!, sdk: sdk! };
  const { store } = server.context;
  return {
    server,
    tokens,
    call(method, url, callOptions = {}) {
      const token = callOptions.token === undefined ? TEST_ADMIN_TOKEN : callOptions.token;
      return server.app.inject({
        method,
        url,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(callOptions.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...callOptions.headers,
        },
        ...(callOptions.body === undefined
          ? {}
          : {
              payload:
                typeof callOptions.body === 'string' ? callOptions.body : JSON.stringify(callOptions.body),
            }),
      });
    },
    async snapshot() {
      return {
        features: await store.listFeatures({ includeArchived: true }),
        audit: (await store.listAudit({ limit: 1_000 })).entries,
        tokens: (await store.listTokens({ includeRevoked: true })).map(
          ({ lastUsedAt: _used, ...token }) => token,
        ),
      };
    },
    close: () => server.close(),
  };
}
