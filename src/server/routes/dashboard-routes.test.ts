import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../http/error-handler.js';
import { RouteDocs } from '../openapi/route-docs.js';
import { startTestServer } from '../server.test-helper.js';
import type { ServerContext } from '../server-context.js';
import { DASHBOARD_CSP, registerDashboardRoutes } from './dashboard-routes.js';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-dashboard-'));
  await mkdir(join(directory, 'sources'));
  await writeFile(join(directory, 'sources', 'index.html'), '<!doctype html><title>template</title>');
  await mkdir(join(directory, 'built'));
  await writeFile(join(directory, 'built', 'index.html'), '<!doctype html><title>Switchyard</title>');
  await writeFile(join(directory, 'built', 'app.js'), 'console.log("app");');
  await writeFile(join(directory, 'built', 'app.css'), 'body { margin: 0 }');
  await writeFile(join(directory, 'built', 'uplot.css'), '.uplot { display: block }');
  await writeFile(join(directory, 'built', 'secret.txt'), 'not an asset');
});
afterAll(() => rm(directory, { recursive: true, force: true }));

/** A bare app with only the dashboard routes, looking for the build in `folders`. */
async function dashboardApp(folders: readonly string[]): Promise<FastifyInstance> {
  const app = Fastify();
  registerErrorHandling(app);
  // The dashboard routes use nothing of the context but its route docs.
  const context = { routeDocs: new RouteDocs() } as unknown as ServerContext;
  registerDashboardRoutes(app, context, { assetDirectories: folders });
  await app.ready();
  return app;
}

describe('the dashboard routes', () => {
  it('answer / and every page path with index.html, locked down by a CSP', async () => {
    const app = await dashboardApp([join(directory, 'sources'), join(directory, 'built')]);
    for (const url of ['/', '/features', '/features/coach-reply/metrics', '/experiments/x', '/events']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toBe(DASHBOARD_CSP);
      // The folder with sources only (no app.js) is skipped.
      expect(response.body).toContain('<title>Switchyard</title>');
    }
    await app.close();
  });

  it('serve the built script and styles, and nothing else from the folder', async () => {
    const app = await dashboardApp([join(directory, 'built')]);
    const script = await app.inject({ url: '/assets/app.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe('console.log("app");');
    const styles = await app.inject({ url: '/assets/uplot.css' });
    expect(styles.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const url of ['/assets/secret.txt', '/assets/..%2Fbuilt%2Fapp.js', '/assets/index.html']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('NOT_FOUND');
    }
    await app.close();
  });

  it('answer 503 with a one-line message naming npm run build while the files are not built', async () => {
    const app = await dashboardApp([join(directory, 'sources'), join(directory, 'missing')]);
    for (const url of ['/', '/alerts', '/assets/app.js']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(503);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.body).toBe('the dashboard is not built: run `npm run build`\n');
    }
    await app.close();
  });

  it('answer the icon without a token, and /favicon.ico with a redirect to it', async () => {
    const test = await startTestServer();
    try {
      const icon = await test.call('GET', '/favicon.svg', { token: null });
      expect(icon.statusCode).toBe(200);
      expect(icon.headers['content-type']).toBe('image/svg+xml');
      expect(icon.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const ico = await test.call('GET', '/favicon.ico', { token: null });
      expect(ico.statusCode).toBe(301);
      expect(ico.headers.location).toBe('/favicon.svg');
    } finally {
      await test.close();
    }
  });

  it('leave paths outside the dashboard to the API: they still need a token', async () => {
    const test = await startTestServer();
    try {
      const page = await test.call('GET', '/features/coach-reply', { token: null });
      expect([200, 503]).toContain(page.statusCode);
      for (const url of ['/api/nothing-here', '/v1/nothing', '/nothing-here', '/features-x']) {
        expect((await test.call('GET', url, { token: null })).statusCode, url).toBe(401);
      }
      expect((await test.call('GET', '/api/nothing-here')).statusCode).toBe(404);
    } finally {
      await test.close();
    }
  });
});
