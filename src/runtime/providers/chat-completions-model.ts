import {
  APICallError,
  generateId,
  InvalidResponseDataError,
  JSONParseError,
  type LanguageModel,
  TypeValidationError,
} from 'ai';
import { z } from 'zod';
import { type Completion, completionSchema, isCompletion } from './completion-shape.js';
import type { ProviderTransport, TransportAnswer } from './provider-transport.js';

/** An AI SDK language model of the current specification. */
export type LanguageModelV3 = Extract<LanguageModel, { readonly specificationVersion: 'v3' }>;
type CallOptions = Parameters<LanguageModelV3['doGenerate']>[0];
type GenerateResult = Awaited<ReturnType<LanguageModelV3['doGenerate']>>;
type PromptMessage = CallOptions['prompt'][number];
type Content = GenerateResult['content'][number];

/** Options of `createChatCompletionsModel`. */
export interface ChatCompletionsModelOptions {
  /** The AI SDK `@ai-sdk/openai-compatible` chat model this one stands in for. */
  readonly inner: LanguageModelV3;
  /** The provider's base URL, as given to the AI SDK provider. */
  readonly baseURL: string;
  readonly apiKey?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly transport: ProviderTransport;
}

/** A message of the chat-completions API as the AI SDK's openai-compatible provider sends it. */
type ApiMessage =
  | { role: 'system' | 'assistant'; content: string }
  | { role: 'user'; content: string | { type: 'text'; text: string }[] };

/** The error body the AI SDK's openai-compatible provider reads its message from. */
const errorSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string().nullish(),
    param: z.any().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
  }),
});

/**
 * Wraps an `@ai-sdk/openai-compatible` chat model so that a plain-text `doGenerate` (text messages, sampling
 * settings, no tools, no response format, no provider options) is one POST over the keep-alive transport,
 * with the request body, result and errors the AI SDK model would produce: the same JSON body, the same
 * content, finish reason and usage, `APICallError` for HTTP and connection failures (with the status,
 * headers and body that `classifyError` reads) and for answers that are not the JSON the API promises.
 * What it skips is the AI SDK's per-call machinery: building `Response` objects, provider-option parsing
 * and its larger response schema. Everything else (structured output, tools, streaming) goes to `inner`.
 *
 * @example
 * const inner = createOpenAICompatible({ name: 'local', baseURL, fetch: transport.fetch }).chatModel('llama');
 * const model = createChatCompletionsModel({ inner, baseURL, transport });
 */
export function createChatCompletionsModel(options: ChatCompletionsModelOptions): LanguageModelV3 {
  const { inner, transport } = options;
  const base = options.baseURL.replace(/\/$/, '');
  const url = `${base}/chat/completions`;
  const target = new URL(url);
  const optionsName = inner.provider.split('.')[0]?.trim() ?? inner.provider;
  const headers: Record<string, string> = {
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    ...lowerCased(options.headers ?? {}),
    'content-type': 'application/json',
    'user-agent': 'switchyard (ai-sdk/openai-compatible)',
  };

  const generate = async (call: CallOptions, messages: ApiMessage[]): Promise<GenerateResult> => {
    const values = {
      model: inner.modelId,
      max_tokens: call.maxOutputTokens,
      temperature: call.temperature,
      top_p: call.topP,
      messages,
    };
    const body = JSON.stringify(values);
    let answer: TransportAnswer;
    try {
      answer = await transport.post(target, {
        headers:
          call.headers === undefined ? headers : Object.assign({}, headers, definedHeaders(call.headers)),
        body,
        signal: call.abortSignal,
      });
    } catch (error: unknown) {
      throw connectionError(error, url, values);
    }
    if (answer.status < 200 || answer.status > 299) throw statusError(answer, url, values);
    const completion = readCompletion(answer, url, values);
    const choice = completion.choices[0];
    if (choice === undefined) {
      throw new InvalidResponseDataError({
        data: completion,
        message: 'Response did not contain any choices.',
      });
    }
    return {
      content: contentOf(choice.message),
      finishReason: { unified: finishReasonOf(choice.finish_reason), raw: choice.finish_reason ?? undefined },
      usage: usageOf(completion.usage),
      providerMetadata: { [optionsName]: {} },
      request: { body },
      response: {
        id: completion.id ?? undefined,
        modelId: completion.model ?? undefined,
        timestamp: completion.created == null ? undefined : new Date(completion.created * 1_000),
        headers: answer.headers,
        body: completion,
      },
      warnings: [],
    };
  };

  return {
    specificationVersion: 'v3',
    provider: inner.provider,
    modelId: inner.modelId,
    get supportedUrls() {
      return inner.supportedUrls;
    },
    doGenerate(call) {
      const messages = isPlain(call) ? apiMessages(call.prompt) : undefined;
      return messages === undefined ? inner.doGenerate(call) : generate(call, messages);
    },
    doStream: (call) => inner.doStream(call),
  };
}

/** Whether a call asks for nothing beyond text messages and the sampling settings this model sends. */
function isPlain(call: CallOptions): boolean {
  return (
    call.topK === undefined &&
    call.frequencyPenalty === undefined &&
    call.presencePenalty === undefined &&
    call.stopSequences === undefined &&
    call.seed === undefined &&
    (call.responseFormat === undefined || call.responseFormat.type === 'text') &&
    (call.tools === undefined || call.tools.length === 0) &&
    call.toolChoice === undefined &&
    (call.providerOptions === undefined || Object.keys(call.providerOptions).length === 0)
  );
}

/** The prompt as the openai-compatible provider sends it, or undefined when it holds more than text. */
function apiMessages(prompt: readonly PromptMessage[]): ApiMessage[] | undefined {
  const messages: ApiMessage[] = [];
  for (const message of prompt) {
    if (message.providerOptions !== undefined) return undefined;
    if (message.role === 'system') {
      messages.push({ role: 'system', content: message.content });
      continue;
    }
    if (message.role !== 'user' && message.role !== 'assistant') return undefined;
    const texts: string[] = [];
    for (const part of message.content) {
      if (part.type !== 'text' || part.providerOptions !== undefined) return undefined;
      texts.push(part.text);
    }
    if (message.role === 'assistant') messages.push({ role: 'assistant', content: texts.join('') });
    else if (texts.length === 1) messages.push({ role: 'user', content: texts[0] as string });
    else messages.push({ role: 'user', content: texts.map((text) => ({ type: 'text' as const, text })) });
  }
  return messages;
}

function readCompletion(answer: TransportAnswer, url: string, values: unknown): Completion {
  const invalid = (cause: unknown) =>
    new APICallError({
      message: 'Invalid JSON response',
      cause,
      statusCode: answer.status,
      responseHeaders: answer.headers,
      responseBody: answer.body,
      url,
      requestBodyValues: values,
    });
  let value: unknown;
  try {
    value = JSON.parse(answer.body);
  } catch (error: unknown) {
    throw invalid(new JSONParseError({ text: answer.body, cause: error }));
  }
  if (isCompletion(value)) return value;
  // The schema says what is wrong with an answer the plain check refused.
  const parsed = completionSchema.safeParse(value);
  if (!parsed.success) throw invalid(new TypeValidationError({ value, cause: parsed.error }));
  return parsed.data;
}

/** An HTTP error as the AI SDK's JSON error handler reports it: the API's message, else the status text. */
function statusError(answer: TransportAnswer, url: string, values: unknown): APICallError {
  let message = answer.statusText;
  let data: unknown;
  if (answer.body.trim() !== '') {
    try {
      const parsed = errorSchema.safeParse(JSON.parse(answer.body));
      if (parsed.success) {
        data = parsed.data;
        message = parsed.data.error.message;
      }
    } catch {
      // Not JSON: the status text stands, as in the AI SDK.
    }
  }
  return new APICallError({
    message,
    url,
    requestBodyValues: values,
    statusCode: answer.status,
    responseHeaders: answer.headers,
    responseBody: answer.body,
    ...(data === undefined ? {} : { data }),
  });
}

/** A failed connection as the AI SDK reports it; an abort passes through. */
function connectionError(error: unknown, url: string, values: unknown): unknown {
  if (!(error instanceof TypeError) || error.message !== 'fetch failed' || error.cause == null) return error;
  const cause = error.cause;
  return new APICallError({
    message: `Cannot connect to API: ${cause instanceof Error ? cause.message : String(cause)}`,
    cause,
    url,
    requestBodyValues: values,
    isRetryable: true,
  });
}

type Message = Completion['choices'][number]['message'];

/** The answer's content parts in the order the AI SDK model returns them. */
function contentOf(message: Message): Content[] {
  const content: Content[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (reasoning != null && reasoning.length > 0) content.push({ type: 'reasoning', text: reasoning });
  const body = message.content;
  if (typeof body === 'string') {
    if (body.length > 0) content.push({ type: 'text', text: body });
  } else if (body != null) {
    for (const part of body) {
      if (part.type === 'text' && typeof part.text === 'string' && part.text.length > 0) {
        content.push({ type: 'text', text: part.text });
      } else if (part.type === 'thinking' && Array.isArray(part.thinking)) {
        const text = (part.thinking as unknown[])
          .map((chunk) => (isTextChunk(chunk) ? chunk.text : ''))
          .join('');
        if (text.length > 0) content.push({ type: 'reasoning', text });
      }
    }
  }
  for (const call of message.tool_calls ?? []) {
    content.push({
      type: 'tool-call',
      toolCallId: call.id ?? generateId(),
      toolName: call.function.name,
      input: call.function.arguments,
    });
  }
  return content;
}

function isTextChunk(chunk: unknown): chunk is { type: 'text'; text: string } {
  return (
    typeof chunk === 'object' &&
    chunk !== null &&
    (chunk as { type?: unknown }).type === 'text' &&
    typeof (chunk as { text?: unknown }).text === 'string'
  );
}

function finishReasonOf(reason: string | null | undefined): GenerateResult['finishReason']['unified'] {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'function_call':
    case 'tool_calls':
      return 'tool-calls';
    default:
      return 'other';
  }
}

function usageOf(usage: Completion['usage']): GenerateResult['usage'] {
  if (usage == null) {
    return {
      inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: undefined, text: undefined, reasoning: undefined },
      raw: undefined,
    };
  }
  const prompt = usage.prompt_tokens ?? 0;
  const completion = usage.completion_tokens ?? 0;
  const cacheRead = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  return {
    inputTokens: { total: prompt, noCache: prompt - cacheRead, cacheRead, cacheWrite: undefined },
    outputTokens: { total: completion, text: Math.max(0, completion - reasoning), reasoning },
    // Parsed from JSON, so a JSON object.
    raw: usage as GenerateResult['usage']['raw'],
  };
}

function lowerCased(headers: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name in headers) result[name.toLowerCase()] = headers[name] as string;
  return result;
}

function definedHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) result[name.toLowerCase()] = value;
  }
  return result;
}
