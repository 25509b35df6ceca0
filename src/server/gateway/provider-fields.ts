import { InvalidInputError } from '../../core/errors.js';
import type { FeatureConfig } from '../../core/feature-config.js';
import type { ProviderOptions } from '../../runtime/client/run-types.js';

/** The kinds of provider a variant may run on (`providers.<name>.type`). */
export type ProviderType = 'openai' | 'anthropic' | 'google' | 'openai-compatible';

/** Chat-completions fields that only some providers take, with the value the request gave. */
export interface ProviderFields {
  readonly reasoning_effort?: string;
  readonly parallel_tool_calls?: boolean;
  readonly logit_bias?: Readonly<Record<string, number>>;
  readonly service_tier?: string;
  readonly prompt_cache_key?: string;
  readonly safety_identifier?: string;
  readonly verbosity?: string;
  /** `response_format.json_schema.strict: false`: the provider need not enforce the schema (the run still checks it). */
  readonly strict_json_schema?: boolean;
}

type Field = keyof ProviderFields;

/** How each provider kind takes a field: its provider-options entry, or undefined when it has none. */
const TRANSLATIONS: Readonly<
  Record<Field, Partial<Record<ProviderType, (value: never, name: string) => ProviderOptions>>>
> = {
  reasoning_effort: {
    openai: (value: string) => ({ openai: { reasoningEffort: value } }),
    'openai-compatible': (value: string, name) => ({ [name]: { reasoningEffort: value } }),
  },
  parallel_tool_calls: {
    openai: (value: boolean) => ({ openai: { parallelToolCalls: value } }),
    'openai-compatible': (value: boolean, name) => ({ [name]: { parallel_tool_calls: value } }),
    anthropic: (value: boolean) => ({ anthropic: { disableParallelToolUse: !value } }),
  },
  logit_bias: {
    openai: (value: Record<string, number>) => ({ openai: { logitBias: value } }),
    'openai-compatible': (value: Record<string, number>, name) => ({ [name]: { logit_bias: value } }),
  },
  service_tier: {
    openai: (value: string) => ({ openai: { serviceTier: value } }),
    'openai-compatible': (value: string, name) => ({ [name]: { service_tier: value } }),
  },
  prompt_cache_key: {
    openai: (value: string) => ({ openai: { promptCacheKey: value } }),
    'openai-compatible': (value: string, name) => ({ [name]: { prompt_cache_key: value } }),
  },
  safety_identifier: {
    openai: (value: string) => ({ openai: { safetyIdentifier: value } }),
    'openai-compatible': (value: string, name) => ({ [name]: { safety_identifier: value } }),
  },
  verbosity: {
    openai: (value: string) => ({ openai: { textVerbosity: value } }),
    'openai-compatible': (value: string, name) => ({ [name]: { textVerbosity: value } }),
  },
  // Anthropic's and Google's JSON modes never enforce a schema strictly: nothing to turn off.
  strict_json_schema: {
    openai: (value: boolean) => ({ openai: { strictJsonSchema: value } }),
    'openai-compatible': (value: boolean, name) => ({ [name]: { strictJsonSchema: value } }),
    anthropic: () => ({}),
    google: () => ({}),
  },
};

/** A provider's kind: as configured, else by its conventional name, else an OpenAI-compatible server. */
export function providerTypeOf(
  name: string,
  types: Readonly<Record<string, ProviderType>> | undefined,
): ProviderType {
  const configured = types?.[name];
  if (configured !== undefined) return configured;
  return name === 'openai' || name === 'anthropic' || name === 'google' ? name : 'openai-compatible';
}

/**
 * Translates provider-specific chat-completions fields into provider options for every provider the
 * feature's LLM variants run on (the variant is decided later, so each must be able to take them): OpenAI
 * by its option names, an OpenAI-compatible server by the wire names passed through under its provider
 * name, Anthropic where it has an equivalent (`parallel_tool_calls` as `disableParallelToolUse`). A field
 * some variant's provider cannot take is refused with a 400 naming the field, the variant and the provider.
 *
 * @example
 * providerOptionsFor({ reasoning_effort: 'low' }, feature, { openai: 'openai' });
 * // { openai: { reasoningEffort: 'low' } }
 */
export function providerOptionsFor(
  fields: ProviderFields,
  feature: FeatureConfig,
  types: Readonly<Record<string, ProviderType>> | undefined,
): ProviderOptions | undefined {
  let options: Record<string, Record<string, unknown>> | undefined;
  for (const field of Object.keys(fields) as Field[]) {
    const value = fields[field];
    if (value === undefined) continue;
    for (const [variant, config] of Object.entries(feature.variants)) {
      if (config.type !== 'llm') continue;
      const type = providerTypeOf(config.provider, types);
      const translate = TRANSLATIONS[field][type];
      if (translate === undefined) {
        throw new InvalidInputError(
          field === 'strict_json_schema' ? 'response_format.json_schema.strict' : field,
          `variant "${variant}" of ${feature.key} runs on provider "${config.provider}" (${type}), which has no ${field}`,
        );
      }
      options ??= {};
      for (const [key, entry] of Object.entries(translate(value as never, config.provider))) {
        options[key] = Object.assign(options[key] ?? {}, entry);
      }
    }
  }
  return options as ProviderOptions | undefined;
}
