import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server.test-helper.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(() => test.close());

interface Operation {
  'x-switchyard-permission': string;
  security: unknown[];
  parameters?: Array<{ name: string; in: string; required: boolean }>;
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}

async function openApi(): Promise<{ openapi: string; paths: Record<string, Record<string, Operation>> }> {
  const response = await test.call('GET', '/openapi.json', { token: test.tokens.viewer });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('GET /openapi.json', () => {
  it('documents every registered route with the permission it enforces', async () => {
    const document = await openApi();
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, operation]) =>
          `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')} ${operation['x-switchyard-permission']}`,
      ),
    );
    const registered = test.server.context.routes.map(
      (route) => `${route.method} ${route.url} ${route.permission}`,
    );
    expect(documented.sort()).toEqual(registered.sort());
    expect(document.openapi).toBe('3.1.0');
  });

  it('derives parameters, bodies and security from the routes zod schemas', async () => {
    const { paths } = await openApi();
    const put = paths['/api/features/{key}']?.put;
    expect(put?.security).toEqual([{ bearer: [] }]);
    expect(put?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'key', in: 'path', required: true }),
        expect.objectContaining({ name: 'reason', in: 'query', required: false }),
        expect.objectContaining({ name: 'If-Match', in: 'header' }),
      ]),
    );
    const body = put?.requestBody?.content['application/json']?.schema as {
      properties: Record<string, { pattern?: string }>;
      required: string[];
    };
    expect(body.required).toEqual(expect.arrayContaining(['key', 'defaultVariant', 'variants']));
    expect(body.properties.key?.pattern).toBe('^[a-z0-9][a-z0-9._-]{0,99}$');
    expect(Object.keys(put?.responses ?? {})).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '422',
    ]);
    const patch = paths['/api/features/{key}']?.patch;
    expect(Object.keys(patch?.requestBody?.content ?? {})).toEqual([
      'application/merge-patch+json',
      'application/json',
    ]);
    const kill = paths['/api/features/{key}/kill']?.post;
    expect(kill?.requestBody?.required).toBe(false);
    const health = paths['/health']?.get;
    expect(health?.security).toEqual([]);
    expect(Object.keys(health?.responses ?? {})).toEqual(['200', '503']);
    const audit = paths['/api/audit']?.get;
    expect(audit?.parameters?.map((parameter) => parameter.name)).toEqual([
      'target',
      'actor',
      'action',
      'from',
      'to',
      'limit',
      'cursor',
    ]);
  });
});

describe('GET /docs', () => {
  it('is a self-contained page that loads nothing from elsewhere', async () => {
    const response = await test.call('GET', '/docs', { token: null });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(response.body).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(response.body).not.toMatch(/https?:\/\//);
    expect(response.body).toContain("fetch('/openapi.json'");
  });

  it('allows its one inline script and style by hash, and no other inline code', async () => {
    const response = await test.call('GET', '/docs', { token: null });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).not.toContain('unsafe-inline');
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const scripts = [...response.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    const styles = [...response.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]!);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(csp).toContain(`script-src ${hash(scripts[0]!)};`);
    expect(csp).toContain(`style-src ${hash(styles[0]!)};`);
    expect(response.body).not.toMatch(/\son[a-z]+=/i);
  });
});
