import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../define-route.js';
import { ApiError } from '../http/api-error.js';
import { parseInput } from '../http/parse-input.js';
import type { ServerContext } from '../server-context.js';

/**
 * The Content-Security-Policy of the dashboard: its own script and styles only, requests to this server
 * only (uPlot and Preact set styles through the DOM, which `style-src` does not restrict).
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/** What `/` answers while the dashboard's files are not built. */
export const DASHBOARD_NOT_BUILT = 'the dashboard is not built: run `npm run build`';

/** Client-side pages of the dashboard; each answers with index.html and the app routes in the browser. */
const PAGE_URLS = [
  '/',
  '/features',
  '/features/*',
  '/experiments',
  '/experiments/*',
  '/alerts',
  '/audit',
  '/events',
] as const;

/** The built files besides index.html, with their media types. */
const ASSET_TYPES: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'uplot.css': 'text/css; charset=utf-8',
};

/**
 * The dashboard's icon: two rails that part at a switch. Kept here, not in the build, so every page of the
 * server (the API docs too) has one without `npm run build`.
 */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="7" fill="#1d4ed8"/>' +
  '<path d="M16 4v9c0 4-7 5-7 10v5M16 13c0 4 7 5 7 10v5" fill="none" stroke="#fff" stroke-width="3.2" ' +
  'stroke-linecap="round"/></svg>';

const assetParamsSchema = z.strictObject({ file: z.string().min(1).max(100) });

/** Where to look for the built dashboard. */
export interface DashboardOptions {
  /**
   * Folders that may hold the build, first match wins (one holding index.html and app.js). Default:
   * `dist/web` beside the compiled server, then `dist/web` of the checkout when running from `src/`.
   */
  readonly assetDirectories?: readonly string[];
}

/**
 * Registers the dashboard (no token needed: it holds no data, it asks for a token and calls the API):
 * `GET /` and the dashboard's page paths answer with its index.html, `GET /assets/:file` with its script
 * and styles. While the files are not built, they answer 503 naming `npm run build`.
 */
export function registerDashboardRoutes(
  app: FastifyInstance,
  context: ServerContext,
  options: DashboardOptions = {},
): void {
  const directories = options.assetDirectories ?? [
    // From dist/server/routes/: dist/web. From src/server/routes/: src/web holds sources, not a build.
    fileURLToPath(new URL('../../web/', import.meta.url)),
    fileURLToPath(new URL('../../../dist/web/', import.meta.url)),
  ];

  for (const url of PAGE_URLS) {
    defineRoute(app, context, {
      method: 'GET',
      url,
      permission: 'public',
      tag: 'dashboard',
      summary: url === '/' ? 'The dashboard' : `Dashboard page ${url}`,
      description: 'The dashboard page; it asks for a token and calls the API with it.',
      response: { description: 'HTML page', type: 'text/html' },
      errors: [503],
      handler: async (_request, reply) => {
        const directory = await builtDirectory(directories);
        if (directory === undefined) return notBuilt(reply);
        const page = await readFile(join(directory, 'index.html'));
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('content-security-policy', DASHBOARD_CSP)
          .header('x-content-type-options', 'nosniff')
          .header('referrer-policy', 'no-referrer')
          .send(page);
      },
    });
  }

  defineRoute(app, context, {
    method: 'GET',
    url: '/favicon.svg',
    permission: 'public',
    tag: 'dashboard',
    summary: "The dashboard's icon",
    response: { description: 'SVG image', type: 'image/svg+xml' },
    handler: async (_request, reply) =>
      reply
        .type('image/svg+xml')
        .header('cache-control', 'public, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .send(FAVICON_SVG),
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/favicon.ico',
    permission: 'public',
    tag: 'dashboard',
    summary: 'Where browsers look for an icon by default: a redirect to /favicon.svg',
    response: { status: 301, description: 'redirect to /favicon.svg', type: 'text/plain' },
    handler: async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=86400').redirect('/favicon.svg', 301),
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/assets/:file',
    permission: 'public',
    tag: 'dashboard',
    summary: "The dashboard's script and styles",
    params: assetParamsSchema,
    response: { description: 'app.js, app.css or uplot.css', type: 'text/javascript' },
    errors: [404, 503],
    handler: async (request, reply) => {
      const { file } = parseInput(assetParamsSchema, request.params, 'params');
      const type = Object.hasOwn(ASSET_TYPES, file) ? ASSET_TYPES[file] : undefined;
      if (type === undefined) throw new ApiError(404, 'NOT_FOUND', `no dashboard asset "${file}"`);
      const directory = await builtDirectory(directories);
      if (directory === undefined) return notBuilt(reply);
      return reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .send(await readFile(join(directory, file)));
    },
  });
}

/** The first folder holding a build, looked up on every request so a build made later is picked up. */
async function builtDirectory(directories: readonly string[]): Promise<string | undefined> {
  for (const directory of directories) {
    const built = await Promise.all(
      ['index.html', 'app.js'].map((file) =>
        access(join(directory, file)).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (built.every(Boolean)) return directory;
  }
  return undefined;
}

function notBuilt(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .type('text/plain; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`${DASHBOARD_NOT_BUILT}\n`);
}
