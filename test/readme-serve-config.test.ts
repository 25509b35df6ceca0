import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../src/server/config-file/load-server-config.js';
import { createServer, type SwitchyardServer } from '../src/server/create-server.js';
import { type FakeUpstream, startFakeUpstream } from '../src/testing/index.js';

const root = join(import.meta.dirname, '..');
const adminToken = `sy_readmeadmin_${'r'.repeat(43)}`;

/** The README's `serve` config block: the YAML that follows "The config file (YAML or JSON". */
async function readmeServeConfig(): Promise<string> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('The config file (YAML or JSON'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README: no yaml block after "The config file (YAML or JSON"');
  return block;
}

describe("the README's serve config", () => {
  let directory: string;
  let upstream: FakeUpstream;
  let server: SwitchyardServer;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchyard-readme-'));
    upstream = await startFakeUpstream({
      apiKey: 'sk-readme',
      models: { 'gpt-4o-mini': { reply: 'Keep going!' }, 'gpt-4.1-mini': { reply: 'Nice run!' } },
    });
    const file = join(directory, 'switchyard.yaml');
    await writeFile(file, await readmeServeConfig());
    const config = await loadServerConfig(file, { OPENAI_API_KEY: 'sk-readme' });
    expect(config.store).toMatch(/^postgres:/);
    // The example's own PostgreSQL and Redis stand in for nothing here; its provider points at the fake.
    const openai = config.providers?.openai;
    expect(openai).toMatchObject({ type: 'openai', apiKey: 'sk-readme' });
    server = await createServer({
      store: 'sqlite::memory:',
      providers: { openai: { ...openai!, baseURL: upstream.url } },
      ...(config.pricing === undefined ? {} : { pricing: config.pricing }),
      ...(config.features === undefined ? {} : { features: config.features }),
      adminToken,
      port: 0,
    });
    await server.listen();
  });
  afterAll(async () => {
    await server?.close();
    await upstream?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('serves its own gateway example, with no handler variant to warn about', async () => {
    expect(server.missingHandlers).toEqual([]);
    const seen = new Set<string>();
    for (const user of ['u-42', 'u-7', 'u-9', 'u-11', 'u-13', 'u-21']) {
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'switchyard/coach-reply',
          messages: [{ role: 'user', content: 'I ran 5 km today' }],
          user,
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
      expect(['Keep going!', 'Nice run!']).toContain(body.choices[0]?.message.content);
      seen.add(response.headers.get('x-switchyard-variant') ?? '');
    }
    expect([...seen].sort()).toEqual(['v1', 'v2']);
  });
});
