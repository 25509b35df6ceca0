import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { isStrictJsonSchema } from './is-strict-json-schema.js';
import type {
  ModelSettings,
  ModelTool,
  ModelToolChoice,
  ProviderOptions,
  ResponseFormat,
} from './model-request.js';

/** One request to a language model, in the spec's terms. */
export interface ModelCall {
  readonly model: LanguageModelV3;
  /** The prompt, system messages included (`toPrompt`). */
  readonly prompt: LanguageModelV3Prompt;
  readonly settings?: ModelSettings;
  readonly tools?: readonly ModelTool[];
  readonly toolChoice?: ModelToolChoice;
  readonly responseFormat?: ResponseFormat;
  readonly providerOptions?: ProviderOptions;
}

/**
 * The spec's call options for a model call: settings left unset stay out, and a JSON response format with a
 * schema asks OpenAI-style providers for strict mode only when the schema is within its subset (strict mode
 * refuses others with a 400); the caller's own provider options win over that.
 *
 * @example
 * modelCallOptions({ model, prompt, settings: { temperature: 0.2 } });
 * // { prompt, temperature: 0.2 }
 */
export function modelCallOptions(call: ModelCall): LanguageModelV3CallOptions {
  const options: LanguageModelV3CallOptions = { prompt: call.prompt };
  const settings = call.settings;
  if (settings !== undefined) {
    if (settings.maxOutputTokens !== undefined) options.maxOutputTokens = settings.maxOutputTokens;
    if (settings.temperature !== undefined) options.temperature = settings.temperature;
    if (settings.topP !== undefined) options.topP = settings.topP;
    if (settings.topK !== undefined) options.topK = settings.topK;
    if (settings.stopSequences !== undefined) options.stopSequences = [...settings.stopSequences];
    if (settings.seed !== undefined) options.seed = settings.seed;
    if (settings.presencePenalty !== undefined) options.presencePenalty = settings.presencePenalty;
    if (settings.frequencyPenalty !== undefined) options.frequencyPenalty = settings.frequencyPenalty;
  }
  if (call.tools !== undefined && call.tools.length > 0) options.tools = [...call.tools];
  if (call.toolChoice !== undefined) options.toolChoice = call.toolChoice;
  const format = call.responseFormat;
  if (format !== undefined) options.responseFormat = format;
  let providerOptions = call.providerOptions;
  if (format?.type === 'json' && format.schema !== undefined) {
    const strictJsonSchema = isStrictJsonSchema(format.schema as Record<string, unknown>);
    const strict = { openai: { strictJsonSchema }, openaiCompatible: { strictJsonSchema } };
    providerOptions = mergeProviderOptions(strict, providerOptions);
  }
  if (providerOptions !== undefined) options.providerOptions = providerOptions;
  return options;
}

/** Provider options of `over` laid over `base`, provider by provider. */
export function mergeProviderOptions(
  base: ProviderOptions | undefined,
  over: ProviderOptions | undefined,
): ProviderOptions | undefined {
  if (base === undefined) return over;
  if (over === undefined) return base;
  const merged: ProviderOptions = { ...base };
  for (const [provider, options] of Object.entries(over)) {
    merged[provider] = { ...(merged[provider] ?? {}), ...options };
  }
  return merged;
}
