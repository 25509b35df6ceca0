import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../define-route.js';
import { buildOpenApiDocument, type OpenApiDocument } from '../openapi/build-openapi-document.js';
import { DOCS_PAGE_CSP, docsPage } from '../openapi/docs-page.js';
import type { ServerContext } from '../server-context.js';

/** Registers `GET /openapi.json` (read) and the docs page `GET /docs` (a static page, no token). */
export function registerDocsRoutes(app: FastifyInstance, context: ServerContext, version: string): void {
  let document: OpenApiDocument | undefined;
  const page = docsPage();

  defineRoute(app, context, {
    method: 'GET',
    url: '/openapi.json',
    permission: 'read',
    summary: 'The OpenAPI 3.1 document of this server',
    tag: 'docs',
    response: { description: 'OpenAPI 3.1 document', type: 'application/json' },
    handler: async () => {
      // Built on first use: by then every route file has described its routes.
      document ??= buildOpenApiDocument(context.routeDocs.list(), version);
      return document;
    },
  });

  defineRoute(app, context, {
    method: 'GET',
    url: '/docs',
    permission: 'public',
    summary: 'API docs page',
    description: 'A static page that asks for a token and renders /openapi.json; it holds no data itself.',
    response: { description: 'HTML page', type: 'text/html' },
    handler: async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', DOCS_PAGE_CSP).send(page),
  });
}
