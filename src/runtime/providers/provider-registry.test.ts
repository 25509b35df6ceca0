import { generateText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../core/errors.js';
import { type FakeUpstream, startFakeUpstream } from '../../testing/index.js';
import { createProviderRegistry, type ProviderOptions } from './provider-registry.js';

const running: FakeUpstream[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((upstream) => upstream.close()));
});

async function start(): Promise<FakeUpstream> {
  const upstream = await startFakeUpstream({ models: { 'gpt-fake': { reply: 'pong' } }, apiKey: 'secret' });
  running.push(upstream);
  return upstream;
}

function configError(build: () => unknown): InvalidConfigError {
  try {
    build();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }
  throw new Error('no error was thrown');
}

describe('createProviderRegistry', () => {
  it('builds a model for every provider type, pointed at the configured base URL', async () => {
    const upstream = await start();
    const registry = createProviderRegistry({
      openai: { type: 'openai', apiKey: 'secret', baseURL: upstream.url },
      claude: { type: 'anthropic', apiKey: 'secret', baseURL: upstream.url },
      gemini: { type: 'google', apiKey: 'secret', baseURL: upstream.url },
      local: { type: 'openai-compatible', apiKey: 'secret', baseURL: upstream.url },
    });
    expect(registry.providers).toEqual(['openai', 'claude', 'gemini', 'local']);
    const models = {
      openai: registry.languageModel('openai', 'gpt-4o-mini'),
      claude: registry.languageModel('claude', 'claude-sonnet-4-0'),
      gemini: registry.languageModel('gemini', 'gemini-2.5-flash'),
      local: registry.languageModel('local', 'llama-3.1-8b'),
    };
    expect(models.openai).toMatchObject({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      specificationVersion: 'v3',
    });
    expect(models.claude).toMatchObject({ provider: 'anthropic.messages', modelId: 'claude-sonnet-4-0' });
    expect(models.gemini).toMatchObject({ provider: 'google.generative-ai', modelId: 'gemini-2.5-flash' });
    expect(models.local).toMatchObject({ provider: 'local.chat', modelId: 'llama-3.1-8b' });
  });

  it('calls an OpenAI-compatible server through both the openai and openai-compatible types', async () => {
    const upstream = await start();
    const registry = createProviderRegistry({
      openai: { type: 'openai', apiKey: 'secret', baseURL: upstream.url, headers: { 'x-team': 'coach' } },
      local: { type: 'openai-compatible', apiKey: 'secret', baseURL: upstream.url },
    });
    for (const provider of ['openai', 'local']) {
      const result = await generateText({
        model: registry.languageModel(provider, 'gpt-fake'),
        prompt: 'ping',
        maxRetries: 0,
      });
      expect(result.text).toBe('pong');
    }
    expect(upstream.stats().requests).toBe(2);
  });

  it('returns the same model instance for the same provider and model', () => {
    const registry = createProviderRegistry({ openai: { type: 'openai', apiKey: 'k' } });
    const first = registry.languageModel('openai', 'gpt-4o');
    expect(registry.languageModel('openai', 'gpt-4o')).toBe(first);
    expect(registry.languageModel('openai', 'gpt-4o-mini')).not.toBe(first);
  });

  it('names an unknown provider', () => {
    const registry = createProviderRegistry({ openai: { type: 'openai', apiKey: 'k' } });
    const error = configError(() => registry.languageModel('azure', 'gpt-4o'));
    expect(error.message).toContain('"azure"');
    expect(error.message).toContain('"openai"');
  });

  it('reports every invalid field as providers.<name>.<field>', () => {
    const error = configError(() =>
      createProviderRegistry({
        local: { type: 'openai-compatible' },
        broken: { type: 'azure' } as unknown as ProviderOptions,
        typo: { type: 'openai', baseUrl: 'http://127.0.0.1' } as unknown as ProviderOptions,
        ftp: { type: 'anthropic', baseURL: 'ftp://127.0.0.1/v1' },
        strict: { type: 'google', structuredOutputs: false },
      }),
    );
    const paths = error.problems.map((problem) => problem.path);
    expect(paths).toEqual([
      'providers.local.baseURL',
      'providers.broken.type',
      'providers.typo',
      'providers.ftp.baseURL',
      'providers.strict.structuredOutputs',
    ]);
    expect(error.problems[2]?.message).toContain('baseUrl');
  });

  it('rejects provider names that cannot be keys and a non-object argument', () => {
    expect(configError(() => createProviderRegistry({ 'bad name': { type: 'openai' } })).path).toBe(
      'providers.bad name',
    );
    expect(
      configError(() => createProviderRegistry(null as unknown as Record<string, ProviderOptions>)).path,
    ).toBe('providers');
  });
});
