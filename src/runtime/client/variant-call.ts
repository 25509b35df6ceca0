import type { VariantConfig } from '../../core/feature-config.js';
import { mergeProviderOptions } from '../model-call/model-call-options.js';
import type {
  ModelSettings,
  ModelTool,
  ModelToolChoice,
  ProviderOptions,
  ResponseFormat,
} from '../model-call/model-request.js';
import type { RunRequest } from './run-types.js';

/** An LLM variant's config. */
export type LlmVariantConfig = Extract<VariantConfig, { type: 'llm' }>;

/** What an LLM variant sends besides the prompt: the variant's settings over the request's. */
export interface VariantCall {
  readonly settings: ModelSettings;
  readonly tools?: readonly ModelTool[];
  readonly toolChoice?: ModelToolChoice;
  readonly responseFormat?: ResponseFormat;
  readonly providerOptions?: ProviderOptions;
}

/**
 * The settings, tools, response format and provider options one LLM variant calls its model with: the
 * variant's own sampling settings win and the request's (a gateway client's) fill what it leaves unset;
 * the variant's `output` schema is the response format when it has one (its contract), else the request's;
 * the request's tools and tool choice pass as they are; provider options merge, the variant's winning key
 * by key. Shared by `run()`, `stream()` and the cache key, so all three see the same call.
 *
 * @example
 * variantCall({ type: 'llm', provider: 'openai', model: 'gpt-4o-mini', temperature: 0 }, { parameters: { temperature: 1, seed: 7 } });
 * // { settings: { temperature: 0, seed: 7 } }
 */
export function variantCall(config: LlmVariantConfig, request: RunRequest): VariantCall {
  const parameters = request.parameters;
  const settings: Record<string, unknown> = {};
  const set = (name: keyof ModelSettings, value: unknown) => {
    if (value !== undefined) settings[name] = value;
  };
  set('maxOutputTokens', config.maxTokens ?? parameters?.maxOutputTokens ?? parameters?.maxTokens);
  set('temperature', config.temperature ?? parameters?.temperature);
  set('topP', config.topP ?? parameters?.topP);
  set('topK', config.topK ?? parameters?.topK);
  set('stopSequences', config.stopSequences ?? parameters?.stopSequences);
  set('seed', config.seed ?? parameters?.seed);
  set('presencePenalty', config.presencePenalty ?? parameters?.presencePenalty);
  set('frequencyPenalty', config.frequencyPenalty ?? parameters?.frequencyPenalty);
  const call: {
    settings: ModelSettings;
    tools?: readonly ModelTool[];
    toolChoice?: ModelToolChoice;
    responseFormat?: ResponseFormat;
    providerOptions?: ProviderOptions;
  } = { settings: settings as ModelSettings };
  if (request.tools !== undefined && request.tools.length > 0) call.tools = request.tools;
  if (request.toolChoice !== undefined) call.toolChoice = request.toolChoice;
  const output = config.output;
  const responseFormat: ResponseFormat | undefined =
    output === undefined
      ? request.responseFormat
      : { type: 'json', schema: output.schema, ...(output.name === undefined ? {} : { name: output.name }) };
  if (responseFormat !== undefined) call.responseFormat = responseFormat;
  const providerOptions = mergeProviderOptions(
    request.providerOptions,
    config.providerOptions as ProviderOptions | undefined,
  );
  if (providerOptions !== undefined) call.providerOptions = providerOptions;
  return call;
}
