import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { z } from 'zod';
import { type ConfigProblem, InvalidConfigError } from '../../core/errors.js';
import { zodProblems } from '../../core/validate-feature.js';
import { createChatCompletionsModel } from './chat-completions-model.js';
import { createProviderTransport, type ProviderTransport } from './provider-transport.js';

/**
 * A language model of the AI SDK's specification (LanguageModelV3), called through `doGenerate` and
 * `doStream`; never a bare model string (those route to a hosted gateway).
 */
export type LanguageModelInstance = LanguageModelV3;

/** Provider names: letters, digits, `-` and `_`, starting with a letter or digit. */
const providerNamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Connection settings of one provider, as written in the runtime's options. */
export const providerOptionsSchema = z
  .strictObject({
    type: z.enum(['openai', 'anthropic', 'google', 'openai-compatible'], {
      error: 'type must be "openai", "anthropic", "google" or "openai-compatible"',
    }),
    /** Falls back to the provider's usual environment variable (OPENAI_API_KEY, ...) when absent. */
    apiKey: z.string().min(1).optional(),
    baseURL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /**
     * `openai-compatible` only: whether the server accepts `response_format: json_schema` (default true);
     * when false, structured-output requests send `json_object` and rely on validation and repair.
     */
    structuredOutputs: z.boolean().optional(),
  })
  .superRefine((options, context) => {
    if (options.type === 'openai-compatible' && options.baseURL === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['baseURL'],
        message: 'is required for type "openai-compatible"',
      });
    }
    if (options.type !== 'openai-compatible' && options.structuredOutputs !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['structuredOutputs'],
        message: 'applies only to type "openai-compatible"',
      });
    }
  });

/** Connection settings of one provider. */
export type ProviderOptions = z.input<typeof providerOptionsSchema>;

/** Language models by provider name and model id, built once and reused. */
export interface ProviderRegistry {
  /** The provider names this registry knows, in configuration order. */
  readonly providers: readonly string[];
  /** The AI SDK model for `modelId` at provider `providerName`; throws InvalidConfigError for an unknown provider. */
  languageModel(providerName: string, modelId: string): LanguageModelInstance;
  /** Closes the pooled provider connections; models keep working and open new ones. */
  close(): void;
}

type ModelFactory = (modelId: string) => LanguageModelInstance;

/**
 * An AI SDK provider instance (`createAmazonBedrock(...)`, `createAzure(...)`, an Ollama provider, a test's
 * `{ languageModel: () => new MockLanguageModelV3(...) }`): anything with `languageModel(modelId)` that
 * returns a LanguageModelV3.
 */
export interface ProviderInstance {
  languageModel(modelId: string): unknown;
}

/** One provider: settings of a built-in type, or a provider instance. */
export type ProviderEntry = ProviderOptions | ProviderInstance;

/** Whether an entry is a provider instance rather than settings. */
export function isProviderInstance(entry: unknown): entry is ProviderInstance {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof (entry as { languageModel?: unknown }).languageModel === 'function'
  );
}

/** The environment variable each hosted provider's SDK reads its key from when `apiKey` is absent. */
const API_KEY_VARIABLES = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
} as const;

/** Options of `createProviderRegistry`. */
export interface ProviderRegistryOptions {
  /** Where a missing `apiKey` is looked up (OPENAI_API_KEY, ...); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Validates provider settings and returns a registry that builds (and caches) AI SDK language models.
 * OpenAI models use the chat-completions API so any OpenAI-compatible base URL works. Every provider
 * calls over the registry's own keep-alive connections (`createProviderTransport`) rather than the global
 * `fetch`, which costs several times more CPU per call, and `openai-compatible` models answer plain-text
 * calls with one direct POST (`createChatCompletionsModel`); see docs/decisions/0010-gateway-fast-path.md.
 *
 * @example
 * const registry = createProviderRegistry({ openai: { type: 'openai', apiKey: process.env.OPENAI_API_KEY } });
 * const model = registry.languageModel('openai', 'gpt-4o-mini');
 */
export function createProviderRegistry(
  providers: Record<string, ProviderEntry>,
  options: ProviderRegistryOptions = {},
): ProviderRegistry {
  const env = options.env ?? process.env;
  if (typeof providers !== 'object' || providers === null || Array.isArray(providers)) {
    throw new InvalidConfigError('invalid providers', [
      { path: 'providers', message: 'must be an object of provider settings by name' },
    ]);
  }
  const problems: ConfigProblem[] = [];
  const factories = new Map<string, ModelFactory>();
  const transport = createProviderTransport();
  for (const [name, options] of Object.entries(providers)) {
    if (!providerNamePattern.test(name)) {
      problems.push({
        path: `providers.${name}`,
        message: 'provider names must be 1-64 letters, digits, "-" or "_", starting with a letter or digit',
      });
      continue;
    }
    if (isProviderInstance(options)) {
      factories.set(name, instanceFactory(name, options));
      continue;
    }
    const parsed = providerOptionsSchema.safeParse(options);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, ['providers', name]));
      continue;
    }
    const missing = missingApiKey(parsed.data, env);
    if (missing !== undefined) {
      // Refused at start, as `serve` refuses an unset ${...} key: otherwise every call would fail and fall back.
      problems.push({ path: `providers.${name}.apiKey`, message: missing });
      continue;
    }
    factories.set(name, modelFactory(name, parsed.data, transport));
  }
  if (problems.length > 0) throw new InvalidConfigError('invalid providers', problems);

  const models = new Map<string, LanguageModelInstance>();
  return {
    providers: [...factories.keys()],
    languageModel(providerName, modelId) {
      const factory = factories.get(providerName);
      if (factory === undefined) {
        const known = [...factories.keys()].map((name) => `"${name}"`).join(', ') || 'none';
        throw new InvalidConfigError('unknown provider', [
          { path: 'provider', message: `provider "${providerName}" is not configured (known: ${known})` },
        ]);
      }
      if (modelId.length === 0) {
        throw new InvalidConfigError('invalid model', [{ path: 'model', message: 'must not be empty' }]);
      }
      // A NUL cannot occur in a provider name, so the key is unambiguous.
      const key = `${providerName}\u0000${modelId}`;
      let model = models.get(key);
      if (model === undefined) {
        model = factory(modelId);
        models.set(key, model);
      }
      return model;
    },
    close: () => transport.close(),
  };
}

/** Models of a provider instance, checked to be of the specification the runtime calls. */
function instanceFactory(name: string, provider: ProviderInstance): ModelFactory {
  return (modelId) => {
    const model = provider.languageModel(modelId) as Partial<LanguageModelInstance> | undefined;
    if (model?.specificationVersion !== 'v3' || typeof model.doGenerate !== 'function') {
      const version = model?.specificationVersion ?? 'none';
      throw new InvalidConfigError('unsupported provider', [
        {
          path: `providers.${name}`,
          message: `languageModel("${modelId}") returned a model of specification ${version}; Switchyard calls LanguageModelV3 models (AI SDK 6 providers)`,
        },
      ]);
    }
    return model as LanguageModelInstance;
  };
}

/** Why a hosted provider has no key (neither `apiKey` nor its environment variable), or undefined. */
function missingApiKey(
  options: z.output<typeof providerOptionsSchema>,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  // An openai-compatible server (Ollama, vLLM, a gateway) may need no key at all.
  if (options.type === 'openai-compatible' || options.apiKey !== undefined) return undefined;
  const variable = API_KEY_VARIABLES[options.type];
  if (env[variable] !== undefined && env[variable] !== '') return undefined;
  return `is required: set apiKey, or the ${variable} environment variable`;
}

function modelFactory(
  name: string,
  options: z.output<typeof providerOptionsSchema>,
  transport: ProviderTransport,
): ModelFactory {
  const { apiKey, baseURL, headers } = options;
  const { fetch } = transport;
  switch (options.type) {
    case 'openai': {
      const provider = createOpenAI({ apiKey, baseURL, headers, fetch });
      return (modelId) => provider.chat(modelId);
    }
    case 'anthropic': {
      const provider = createAnthropic({ apiKey, baseURL, headers, fetch });
      return (modelId) => provider.languageModel(modelId);
    }
    case 'google': {
      const provider = createGoogleGenerativeAI({ apiKey, baseURL, headers, fetch });
      return (modelId) => provider.languageModel(modelId);
    }
    case 'openai-compatible': {
      const provider = createOpenAICompatible({
        name,
        // The schema requires baseURL for this type.
        baseURL: baseURL ?? '',
        apiKey,
        headers,
        includeUsage: true,
        fetch,
        supportsStructuredOutputs: options.structuredOutputs ?? true,
      });
      // Plain-text calls skip the AI SDK's per-call machinery; everything else goes through it.
      return (modelId) =>
        createChatCompletionsModel({
          inner: provider.chatModel(modelId),
          baseURL: baseURL ?? '',
          apiKey,
          headers,
          transport,
        });
    }
  }
}
