import { afterEach } from 'vitest';
import type { ChatCompletionRequest } from '../../testing/chat-request.js';
import {
  type FakeModelBehaviour,
  type FakeUpstream,
  jsonSchemaInstance,
  startFakeUpstream,
} from '../../testing/index.js';
import { createProviderRegistry, type LanguageModelInstance } from '../providers/provider-registry.js';
import { type CallModelOptions, callModel, type ModelCallGuards, type ModelReply } from './call-model.js';
import type { ModelSettings, RunMessage } from './model-request.js';
import { toPrompt } from './to-prompt.js';

/** A fake upstream with one model, an AI SDK model pointed at it, and the requests it received. */
export interface UpstreamFixture {
  upstream: FakeUpstream;
  model: LanguageModelInstance;
  /** Parsed bodies of the requests that reached the model's reply function, in order. */
  requests: ChatCompletionRequest[];
}

/**
 * Starts fake upstreams for one test file and closes them after each test. The model goes through the
 * registry's `openai` provider (the AI SDK) by default, or its `openai-compatible` one (the direct model
 * for plain text).
 */
export function useFakeUpstream(
  type: 'openai' | 'openai-compatible' = 'openai',
): (behaviour?: FakeModelBehaviour, name?: string) => Promise<UpstreamFixture> {
  const running: FakeUpstream[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((upstream) => upstream.close()));
  });
  return async (behaviour = {}, name = 'gpt-fake') => {
    const requests: ChatCompletionRequest[] = [];
    const reply = behaviour.reply;
    // Record every request that gets as far as a reply, then answer as the behaviour says.
    const recording: FakeModelBehaviour = {
      ...behaviour,
      reply: (request) => {
        requests.push(request);
        if (typeof reply === 'function') return reply(request);
        if (typeof reply === 'string') return reply;
        const format = request.response_format;
        if (format?.type === 'json_schema')
          return JSON.stringify(jsonSchemaInstance(format.json_schema.schema ?? {}));
        return `${name} says hello`;
      },
    };
    const upstream = await startFakeUpstream({ models: { [name]: recording }, apiKey: 'test-key', seed: 7 });
    running.push(upstream);
    const registry = createProviderRegistry({
      fake: { type, apiKey: 'test-key', baseURL: upstream.url },
    });
    return { upstream, model: registry.languageModel('fake', name), requests };
  };
}

/** A variant's model settings, in the words of a feature config, for the tests that call a model directly. */
export interface TestVariant {
  system?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  output?: { name?: string; schema: Record<string, unknown> };
}

/**
 * Calls `callModel` the way a run does for an LLM variant: the variant's system prompt first, its settings
 * as the spec's, its output schema as a JSON response format.
 */
export function callVariant(options: {
  model: LanguageModelInstance;
  variant: TestVariant;
  messages: readonly RunMessage[];
  guards?: ModelCallGuards;
  abortSignal?: AbortSignal;
  clock?: () => number;
}): Promise<ModelReply> {
  const { variant } = options;
  const settings: ModelSettings = {
    ...(variant.temperature === undefined ? {} : { temperature: variant.temperature }),
    ...(variant.topP === undefined ? {} : { topP: variant.topP }),
    ...(variant.maxTokens === undefined ? {} : { maxOutputTokens: variant.maxTokens }),
  };
  const output = variant.output;
  return callModel({
    model: options.model,
    prompt: toPrompt(options.messages, variant.system),
    settings,
    ...(output === undefined
      ? {}
      : {
          responseFormat: {
            type: 'json',
            schema: output.schema,
            ...(output.name ? { name: output.name } : {}),
          },
        }),
    ...(options.guards === undefined ? {} : { guards: options.guards }),
    ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  } as CallModelOptions);
}
