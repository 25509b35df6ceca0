import {
  type FinishReason,
  generateText,
  type LanguageModelUsage,
  type ModelMessage,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  Output,
  TypeValidationError,
} from 'ai';
import type { z } from 'zod';
import type { llmVariantSchema } from '../../core/feature-config.js';
import type { TokenUsage } from '../providers/pricing.js';
import type { LanguageModelInstance } from '../providers/provider-registry.js';
import type { ChatMessage } from './chat-message.js';
import { checkOutputGuards, type OutputGuards } from './check-output-guards.js';
import { classifyError } from './classify-error.js';
import { compileOutputSchema } from './compile-output-schema.js';
import { generatePlainText, type PlainTextReply } from './generate-plain-text.js';
import { isStrictJsonSchema } from './is-strict-json-schema.js';
import { ModelCallError } from './model-call-error.js';

/** The parts of an LLM variant a model call uses. */
export type ModelCallVariant = Pick<
  z.output<typeof llmVariantSchema>,
  'system' | 'temperature' | 'topP' | 'maxTokens' | 'output'
>;

/** What `callModel` checks the reply against, besides the variant's output schema. */
export interface ModelCallGuards extends OutputGuards {
  /** Whether a reply that fails to parse or fails the schema is re-asked once (default true). */
  repair?: boolean;
}

/** One model call. */
export interface CallModelOptions {
  model: LanguageModelInstance;
  variant: ModelCallVariant;
  messages: readonly ChatMessage[];
  /** Aborts the request; an abort whose reason is a TimeoutError is classified as `timeout`. */
  abortSignal?: AbortSignal;
  guards?: ModelCallGuards;
  /** Epoch milliseconds now, for Retry-After dates. Default `Date.now`. */
  clock?: () => number;
}

/** A successful model call. */
export interface ModelCallResult {
  text: string;
  /** The parsed, schema-valid reply when the variant has an output schema. */
  object?: unknown;
  /** Tokens of every request this call made (both, when the reply was repaired). */
  usage: TokenUsage;
  finishReason: FinishReason;
  /** Whether the reply needed the repair request. */
  repaired: boolean;
  responseHeaders?: Record<string, string>;
}

interface StructuredFailure {
  errorClass: 'parse_error' | 'schema_invalid';
  detail: string;
  /** The unusable reply, shown back to the model in the repair request. */
  text: string;
  cause: unknown;
}

interface ReplyParts {
  text: string;
  object?: unknown;
  usage: TokenUsage;
  finishReason: FinishReason;
  headers: Record<string, string> | undefined;
  repaired?: boolean;
}

/**
 * Calls a model once through the AI SDK (its own retries off: retries belong to the resilience layer;
 * plain text goes straight to the model's `doGenerate`, see `generatePlainText`), with the variant's
 * system prompt (unless `messages` already starts with it) and sampling settings. With an output schema it
 * requests structured output, validates the reply and, on a parse or schema failure, re-asks once with the
 * problem appended (token usage of both requests summed). Then the output guards run. Every failure is a
 * ModelCallError: provider and network errors as `classifyError` maps them, `parse_error` /
 * `schema_invalid` after a failed repair, `guard_failed` for a rejected reply.
 *
 * @example
 * const result = await callModel({
 *   model: registry.languageModel('openai', 'gpt-4o-mini'),
 *   variant: { system: 'Answer briefly.', maxTokens: 200 },
 *   messages: [{ role: 'user', content: 'What is a feature flag?' }],
 *   guards: { bannedPhrases: ['as an AI'] },
 * });
 */
export async function callModel(options: CallModelOptions): Promise<ModelCallResult> {
  const { model, variant, messages, abortSignal } = options;
  const clock = options.clock ?? Date.now;
  const guards = options.guards ?? {};
  // A caller that already put the variant's system prompt first (to count it when trimming) must not get it twice.
  const system =
    variant.system !== undefined && messages[0]?.role === 'system' && messages[0].content === variant.system
      ? undefined
      : variant.system;
  const request = async (conversation: readonly ChatMessage[], output?: ReturnType<typeof objectOutput>) => {
    try {
      return await generateText({
        model,
        system,
        messages: conversation.map(toModelMessage),
        // Applications place system messages deliberately (a gateway forwards its client's).
        allowSystemInMessages: true,
        temperature: variant.temperature,
        topP: variant.topP,
        maxOutputTokens: variant.maxTokens,
        maxRetries: 0,
        abortSignal,
        ...(output === undefined ? {} : { output: output.output, providerOptions: output.providerOptions }),
      });
    } catch (error: unknown) {
      if (NoObjectGeneratedError.isInstance(error)) return error;
      throw classifyError(error, { nowMs: clock(), abortSignal });
    }
  };

  const schema = variant.output?.schema;
  if (schema === undefined) {
    let reply: PlainTextReply;
    try {
      reply = await generatePlainText({
        model,
        system,
        messages,
        temperature: variant.temperature,
        topP: variant.topP,
        maxOutputTokens: variant.maxTokens,
        abortSignal,
      });
    } catch (error: unknown) {
      throw classifyError(error, { nowMs: clock(), abortSignal });
    }
    return finish(reply);
  }

  let output: ReturnType<typeof objectOutput>;
  try {
    output = objectOutput(schema, variant.output?.name);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelCallError(`output.schema is not supported: ${reason}`, {
      errorClass: 'client_error',
      retryable: false,
      cause: error,
    });
  }

  let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let conversation = messages;
  for (let attempt = 0; ; attempt += 1) {
    let result: Awaited<ReturnType<typeof request>>;
    try {
      result = await request(conversation, output);
    } catch (error: unknown) {
      // A failed repair request still leaves the first request's tokens to pay for.
      throw attempt > 0 && error instanceof ModelCallError ? withUsage(error, usage) : error;
    }
    usage = addUsage(usage, tokenUsage(result.usage));
    const parsed = readStructuredReply(result);
    if (parsed.failure === undefined) {
      return finish(Object.assign({}, parsed.reply, { usage, repaired: attempt > 0 }));
    }
    const failure = parsed.failure;
    if (attempt > 0 || guards.repair === false) {
      const what = failure.errorClass === 'parse_error' ? 'could not be parsed' : 'did not match the schema';
      const after = attempt > 0 ? ' after one repair attempt' : '';
      throw new ModelCallError(`the reply ${what}${after}: ${failure.detail}`, {
        errorClass: failure.errorClass,
        retryable: false,
        usage,
        cause: failure.cause,
      });
    }
    conversation = repairConversation(messages, failure, schema);
  }

  function finish(reply: ReplyParts): ModelCallResult {
    const reason = checkOutputGuards(reply.text, guards);
    if (reason !== undefined) {
      throw new ModelCallError(reason, { errorClass: 'guard_failed', retryable: false, usage: reply.usage });
    }
    return {
      text: reply.text,
      ...(reply.object === undefined ? {} : { object: reply.object }),
      usage: reply.usage,
      finishReason: reply.finishReason,
      repaired: reply.repaired ?? false,
      ...(reply.headers === undefined ? {} : { responseHeaders: reply.headers }),
    };
  }
}

function objectOutput(schema: Record<string, unknown>, name: string | undefined) {
  const strictJsonSchema = isStrictJsonSchema(schema);
  return {
    output: Output.object({ schema: compileOutputSchema(schema), ...(name === undefined ? {} : { name }) }),
    // OpenAI's strict mode rejects schemas outside its subset with a 400, so only strict-ready ones use it.
    providerOptions: { openai: { strictJsonSchema }, openaiCompatible: { strictJsonSchema } },
  };
}

/** The parts of a generateText result a structured reply is read from. */
interface GeneratedReply {
  text: string;
  readonly output: unknown;
  finishReason: FinishReason;
  usage: LanguageModelUsage;
  response: { headers?: Record<string, string> };
}

/** Reads the structured reply of one request, or why it is unusable. */
function readStructuredReply(
  result: GeneratedReply | NoObjectGeneratedError,
): { failure?: undefined; reply: Omit<ReplyParts, 'usage'> } | { failure: StructuredFailure } {
  if (NoObjectGeneratedError.isInstance(result)) {
    const cause = result.cause;
    // The validator's own message lists the problems; TypeValidationError wraps it with the whole value.
    if (TypeValidationError.isInstance(cause)) {
      const detail = cause.cause instanceof Error ? cause.cause.message : cause.message;
      return { failure: { errorClass: 'schema_invalid', detail, text: result.text ?? '', cause: result } };
    }
    const detail = cause instanceof Error ? cause.message : result.message;
    return { failure: { errorClass: 'parse_error', detail, text: result.text ?? '', cause: result } };
  }
  try {
    const object = result.output;
    return {
      reply: {
        text: result.text,
        object,
        finishReason: result.finishReason,
        headers: result.response.headers,
      },
    };
  } catch (error: unknown) {
    // generateText skips parsing an empty reply cut short (finish reason 'length'): there is no output.
    if (!NoOutputGeneratedError.isInstance(error)) throw error;
    const detail = `the reply was empty (finish reason ${result.finishReason})`;
    return { failure: { errorClass: 'parse_error', detail, text: result.text, cause: error } };
  }
}

/** The original conversation, the unusable reply and a user message that says what was wrong. */
function repairConversation(
  messages: readonly ChatMessage[],
  failure: StructuredFailure,
  schema: Record<string, unknown>,
): ChatMessage[] {
  const problem =
    failure.errorClass === 'parse_error' ? 'was not valid JSON' : 'did not match the required JSON Schema';
  const content = [
    `Your previous reply ${problem}:`,
    failure.detail,
    '',
    'Reply again with only a JSON document that satisfies this JSON Schema, and no other text:',
    JSON.stringify(schema),
  ].join('\n');
  // An empty assistant message is rejected by some providers, so an empty reply is left out.
  const reply: ChatMessage[] = failure.text === '' ? [] : [{ role: 'assistant', content: failure.text }];
  return [...messages, ...reply, { role: 'user', content }];
}

function toModelMessage(message: ChatMessage): ModelMessage {
  return { role: message.role, content: message.content };
}

function tokenUsage(usage: LanguageModelUsage | undefined): TokenUsage {
  return { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
}

function withUsage(error: ModelCallError, spent: TokenUsage): ModelCallError {
  return new ModelCallError(error.message, {
    errorClass: error.errorClass,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    status: error.status,
    usage: addUsage(spent, error.usage ?? { inputTokens: 0, outputTokens: 0 }),
    cause: error.cause,
  });
}

function addUsage(left: TokenUsage, right: TokenUsage): TokenUsage {
  return {
    inputTokens: left.inputTokens + right.inputTokens,
    outputTokens: left.outputTokens + right.outputTokens,
  };
}
