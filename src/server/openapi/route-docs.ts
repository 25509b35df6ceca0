import type { z } from 'zod';
import type { Permission } from '../auth/permissions.js';

/** HTTP methods the API documents. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** One route's OpenAPI entry, fed with the same zod schemas the route validates with. */
export interface RouteDoc {
  readonly method: HttpMethod;
  /** Fastify-style path: `/api/features/:key`. */
  readonly url: string;
  readonly summary: string;
  readonly description?: string;
  /** Groups on the docs page; default the second path segment (`features`). */
  readonly tag?: string;
  /** What the route requires, or `public` for routes that answer without a token. */
  readonly permission: Permission | 'public';
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** Body media types; default `application/json`. */
  readonly bodyTypes?: readonly string[];
  /** True when the body may be left out (`kill` without a reason). */
  readonly bodyOptional?: boolean;
  /** Request headers the route reads (`If-Match`), by name, with a description. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The success answer: status (default 200), schema, media type (default `application/json`). */
  readonly response?: {
    readonly status?: number;
    readonly schema?: z.ZodType;
    readonly type?: string;
    readonly description?: string;
  };
  /** Error statuses beyond 401/403 (added for every protected route), e.g. `[400, 404, 409]`. */
  readonly errors?: readonly number[];
  /** The body of those errors when it is not Switchyard's `{ error }` (OFREP's `{ errorCode, ... }`). */
  readonly errorSchema?: z.ZodType;
}

/**
 * The per-server list of documented routes that `/openapi.json` is built from. Route files describe each
 * route they register (`defineRoute` does it for them); a test checks that every registered route has an
 * entry with the same permission.
 */
export class RouteDocs {
  readonly #docs = new Map<string, RouteDoc>();

  /** Adds a route's entry; a second entry for the same method and path is a programming error. */
  describe(doc: RouteDoc): void {
    const key = `${doc.method} ${doc.url}`;
    if (this.#docs.has(key)) throw new Error(`route ${key} is documented twice`);
    this.#docs.set(key, doc);
  }

  /** Every entry, in the order they were added. */
  list(): readonly RouteDoc[] {
    return [...this.#docs.values()];
  }
}

/**
 * Adds a route's OpenAPI entry to its server's document; for routes registered with `app.route` rather than
 * `defineRoute` (the permission named here must match the route's `requirePermission`, which a test checks).
 *
 * @example
 * describeRoute(context, { method: 'POST', url: '/v1/chat/completions', permission: 'gateway', summary: 'Chat' });
 */
export function describeRoute(context: { readonly routeDocs: RouteDocs }, doc: RouteDoc): void {
  context.routeDocs.describe(doc);
}
