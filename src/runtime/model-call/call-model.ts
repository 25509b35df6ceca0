import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
} from '@ai-sdk/provider';
import { checkOutputGuards, type OutputGuards } from './check-output-guards.js';
import { classifyError } from './classify-error.js';
import { ModelCallError } from './model-call-error.js';
import { type ModelCall, modelCallOptions } from './model-call-options.js';
import {
  addUsage,
  type ContentPart,
  type FinishReason,
  NO_USAGE,
  type ToolCall,
  type Usage,
} from './model-request.js';
import { prepareReplyChecks, type ReplyProblem, readReply } from './read-reply.js';
import { usageOf } from './usage-of.js';

/** What `callModel` checks the reply against, besides its schema and the tools' input schemas. */
export interface ModelCallGuards extends OutputGuards {
  /** Whether a reply that fails to parse or fails a schema is re-asked once (default true). */
  repair?: boolean;
}

/** One model call: the request and what its reply must pass. */
export interface CallModelOptions extends ModelCall {
  /** Aborts the request; an abort whose reason is a TimeoutError is classified as `timeout`. */
  abortSignal?: AbortSignal;
  guards?: ModelCallGuards;
  /** Epoch milliseconds now, for Retry-After dates. Default `Date.now`. */
  clock?: () => number;
}

/** A checked reply. */
export interface ModelReply {
  /** The answer's parts as the provider returned them. */
  content: ContentPart[];
  /** The text parts joined. */
  text: string;
  /** The parsed, schema-valid reply when the call asked for JSON with a schema. */
  object?: unknown;
  /** The tool calls, inputs parsed and checked against each tool's input schema. */
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Tokens of every request this call made (both, when the reply was repaired). */
  usage: Usage;
  /** Whether the reply needed the repair request. */
  repaired: boolean;
  responseHeaders?: Record<string, string>;
}

/**
 * Calls a language model once through its `doGenerate` (the AI SDK's LanguageModelV3; retries belong to the
 * resilience layer) with the whole request: typed prompt, tools and tool choice, response format, every
 * sampling setting and provider options. The reply is then checked: tool calls must name an offered tool and
 * carry input that is JSON and satisfies its schema; a JSON reply with a schema must parse and satisfy it;
 * a reply that fails either is re-asked once with the problem appended (the usage of both requests summed),
 * unless `guards.repair` is false. Text parts then pass the output guards (a tool call is never checked as
 * text). Every failure is a ModelCallError: provider and network errors as `classifyError` maps them,
 * `parse_error` / `schema_invalid` after a failed repair, `guard_failed` for a refused reply.
 *
 * @example
 * const reply = await callModel({
 *   model, prompt: toPrompt([{ role: 'user', content: 'Weather in Paris?' }]),
 *   tools: [{ type: 'function', name: 'weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
 * });
 * reply.toolCalls; // [{ toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } }]
 */
export async function callModel(options: CallModelOptions): Promise<ModelReply> {
  const { model, abortSignal } = options;
  const clock = options.clock ?? Date.now;
  const guards = options.guards ?? {};
  prepareReplyChecks(options);
  const callOptions = modelCallOptions(options);
  let usage = NO_USAGE;
  let prompt = callOptions.prompt;
  for (let attempt = 0; ; attempt += 1) {
    let result: LanguageModelV3GenerateResult;
    try {
      result = await generate(model, Object.assign({}, callOptions, { prompt, abortSignal }));
    } catch (error: unknown) {
      const failure = classifyError(error, { nowMs: clock(), abortSignal });
      // A failed repair request still leaves the first request's tokens to pay for.
      throw attempt > 0 ? withUsage(failure, usage) : failure;
    }
    usage = addUsage(usage, usageOf(result.usage));
    const read = readReply(result.content, options);
    if (read.problem === undefined) {
      const text = read.text;
      const reason = checkOutputGuards(text, guards);
      if (reason !== undefined && text !== '') {
        throw new ModelCallError(reason, { errorClass: 'guard_failed', retryable: false, usage });
      }
      return {
        content: result.content,
        text,
        ...(read.object === undefined ? {} : { object: read.object }),
        toolCalls: read.toolCalls,
        finishReason: result.finishReason.unified,
        usage,
        repaired: attempt > 0,
        ...(result.response?.headers === undefined ? {} : { responseHeaders: result.response.headers }),
      };
    }
    const problem = read.problem;
    if (attempt > 0 || guards.repair === false) {
      const after = attempt > 0 ? ' after one repair attempt' : '';
      throw new ModelCallError(`${problem.summary}${after}: ${problem.detail}`, {
        errorClass: problem.errorClass,
        retryable: false,
        usage,
      });
    }
    prompt = repairPrompt(callOptions.prompt, read.text, problem);
  }
}

async function generate(model: LanguageModelV3, options: LanguageModelV3CallOptions) {
  return model.doGenerate(options);
}

/** The original prompt, the unusable reply's text and a user message that says what was wrong. */
function repairPrompt(
  prompt: LanguageModelV3Prompt,
  text: string,
  problem: ReplyProblem,
): LanguageModelV3Prompt {
  const repaired = prompt.slice();
  // An empty assistant message is rejected by some providers, so an empty reply is left out.
  if (text !== '') repaired.push({ role: 'assistant', content: [{ type: 'text', text }] });
  repaired.push({ role: 'user', content: [{ type: 'text', text: problem.repairRequest }] });
  return repaired;
}

function withUsage(error: ModelCallError, spent: Usage): ModelCallError {
  return new ModelCallError(error.message, {
    errorClass: error.errorClass,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    status: error.status,
    usage: addUsage(spent, error.usage ?? NO_USAGE),
    cause: error.cause,
  });
}
