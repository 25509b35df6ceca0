import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../core/errors.js';
import { loadServerConfig, parseServerConfig } from './load-server-config.js';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-config-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

const env = { OPENAI_API_KEY: 'sk-from-env', REDIS_HOST: '127.0.0.1' };

const yaml = `
port: 4281
store: sqlite:./data/switchyard.db
redis: redis://\${REDIS_HOST}:\${REDIS_PORT:-6379}
providers:
  openai:
    type: openai
    apiKey: \${OPENAI_API_KEY}
  local: { type: openai-compatible, baseURL: "http://\${REDIS_HOST}:8080/v1" }
pricing:
  gpt-4o-mini: { inputPerMTok: 0.15, outputPerMTok: 0.6 }
features:
  - key: coach-reply
    defaultVariant: v1
    description: costs $$5 a day
    variants: { v1: { type: handler } }
`;

function problemsOf(run: () => unknown): Array<{ path: string; message: string }> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return [...(error as InvalidConfigError).problems];
  }
  throw new Error('expected the config to be refused');
}

describe('server config files', () => {
  it('reads YAML, expanding environment references (with fallbacks) and validating every section', async () => {
    const path = join(directory, 'switchyard.yaml');
    await writeFile(path, yaml);
    const config = await loadServerConfig(path, env);
    expect(config).toMatchObject({
      port: 4281,
      store: 'sqlite:./data/switchyard.db',
      redis: 'redis://127.0.0.1:6379',
      providers: {
        openai: { type: 'openai', apiKey: 'sk-from-env' },
        local: { type: 'openai-compatible', baseURL: 'http://127.0.0.1:8080/v1' },
      },
      pricing: { 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 } },
    });
    expect(config.features).toEqual([
      expect.objectContaining({ key: 'coach-reply', enabled: true, rules: [] }),
    ]);
    expect(config.features?.[0]?.description).toBe('costs $5 a day');
  });

  it('reads JSON, and an empty file as no settings', async () => {
    const path = join(directory, 'switchyard.json');
    await writeFile(path, JSON.stringify({ host: '127.0.0.1', store: 'sqlite::memory:' }));
    expect(await loadServerConfig(path, {})).toEqual({ host: '127.0.0.1', store: 'sqlite::memory:' });
    expect(parseServerConfig('', {})).toEqual({});
  });

  it('names the field of an unset variable, and never lets a value change the structure', () => {
    expect(
      problemsOf(() =>
        parseServerConfig(`providers:\n  openai:\n    type: openai\n    apiKey: \${NOPE}\n`, {}),
      ),
    ).toEqual([{ path: 'providers.openai.apiKey', message: 'environment variable NOPE is not set' }]);
    const injected = parseServerConfig(`store: \${VALUE}\n`, { VALUE: 'x\nport: 1' });
    expect(injected).toEqual({ store: 'x\nport: 1' });
  });

  it('names every wrong field, features included', () => {
    const problems = problemsOf(() =>
      parseServerConfig(
        [
          'port: 99999',
          'monitor: { every: 5, webhooks: [{ url: ftp://x, secret: short }] }',
          'alerting: true',
          'providers: { local: { type: openai-compatible } }',
          'features:',
          '  - { key: a, defaultVariant: v1, variants: { v1: { type: handler } }, rules: [{ serve: v2 }] }',
          '  - { key: a, defaultVariant: v1, variants: { v1: { type: handler } } }',
        ].join('\n'),
        {},
      ),
    );
    expect(problems).toEqual([
      { path: 'port', message: expect.stringContaining('65535') },
      { path: 'providers.local.baseURL', message: 'is required for type "openai-compatible"' },
      { path: 'monitor.webhooks[0].url', message: 'must be an http or https URL' },
      { path: 'monitor.webhooks[0].secret', message: 'must be at least 16 characters' },
      { path: 'monitor', message: 'unknown field "every"' },
      { path: '', message: 'unknown field "alerting"' },
    ]);
    const featureProblems = problemsOf(() =>
      parseServerConfig(
        [
          'features:',
          '  - { key: a, defaultVariant: v1, variants: { v1: { type: handler } }, rules: [{ serve: v2 }] }',
          '  - { key: b, defaultVariant: v1, variants: { v1: { type: handler } } }',
          '  - { key: b, defaultVariant: v1, variants: { v1: { type: handler } } }',
        ].join('\n'),
        {},
      ),
    );
    expect(featureProblems).toEqual([
      { path: 'features[0].rules[0].serve', message: 'unknown variant "v2"' },
      { path: 'features[2].key', message: 'duplicate feature key "b"' },
    ]);
  });

  it('reads privacy settings with the key from the environment, and names what is wrong with them', () => {
    const text = `privacy: { unitIds: hashed, key: "\${SWITCHYARD_UNIT_KEY}" }`;
    expect(parseServerConfig(text, { SWITCHYARD_UNIT_KEY: 'k'.repeat(32) }).privacy).toEqual({
      unitIds: 'hashed',
      key: 'k'.repeat(32),
    });
    expect(problemsOf(() => parseServerConfig(text, {}))).toEqual([
      expect.objectContaining({ path: 'privacy.key' }),
    ]);
    expect(problemsOf(() => parseServerConfig('privacy: { unitIds: hashed }', {}))).toEqual([
      { path: 'privacy.key', message: 'is required with unitIds: hashed' },
    ]);
    expect(problemsOf(() => parseServerConfig('privacy: { unitIds: hashed, key: short }', {}))).toEqual([
      expect.objectContaining({ path: 'privacy.key', message: expect.stringContaining('at least 16') }),
    ]);
  });

  it('reports YAML syntax errors and unreadable files', async () => {
    expect(problemsOf(() => parseServerConfig('port: [1,\n', {}))[0]?.message).toMatch(
      /^not valid YAML or JSON/,
    );
    await expect(loadServerConfig(join(directory, 'missing.yaml'), {})).rejects.toThrow(
      /cannot read it \(ENOENT\)/,
    );
  });
});
