import { type FinishReason, generateText } from 'ai';
import type { TokenUsage } from '../providers/pricing.js';
import type { LanguageModelInstance } from '../providers/provider-registry.js';
import type { ChatMessage } from './chat-message.js';

/** A plain-text request to a model: no output schema, no tools. */
export interface PlainTextRequest {
  readonly model: LanguageModelInstance;
  /** Sent as a first system message when defined. */
  readonly system: string | undefined;
  readonly messages: readonly ChatMessage[];
  readonly temperature: number | undefined;
  readonly topP: number | undefined;
  readonly maxOutputTokens: number | undefined;
  readonly abortSignal: AbortSignal | undefined;
}

/** The reply to a plain-text request. */
export interface PlainTextReply {
  readonly text: string;
  readonly usage: TokenUsage;
  readonly finishReason: FinishReason;
  readonly headers: Record<string, string> | undefined;
}

type ModelV3 = Extract<LanguageModelInstance, { readonly specificationVersion: 'v3' }>;
type PromptV3 = Parameters<ModelV3['doGenerate']>[0]['prompt'];

/**
 * Asks a model for plain text with one provider call and no retries, the way `generateText` does, but
 * straight through the model's `doGenerate` with the prompt already in the provider's standard form:
 * `generateText` validates every prompt with a zod schema it builds anew on each call, which costs more
 * CPU than the rest of the call (docs/decisions/0010-gateway-fast-path.md). Our messages are plain text,
 * already checked by the run's input validation. Provider errors are thrown as the provider threw them,
 * for `classifyError`. A model of an older specification goes through `generateText`.
 *
 * @example
 * const reply = await generatePlainText({ model, system: 'Be brief.', messages, temperature: 0.2,
 *   topP: undefined, maxOutputTokens: 200, abortSignal: signal });
 */
export async function generatePlainText(request: PlainTextRequest): Promise<PlainTextReply> {
  const { model } = request;
  if (model.specificationVersion !== 'v3') return viaGenerateText(request);
  const result = await model.doGenerate({
    prompt: standardPrompt(request.system, request.messages),
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
    topP: request.topP,
    abortSignal: request.abortSignal,
  });
  let text = '';
  for (const part of result.content) if (part.type === 'text') text += part.text;
  return {
    text,
    usage: {
      inputTokens: result.usage.inputTokens.total ?? 0,
      outputTokens: result.usage.outputTokens.total ?? 0,
    },
    finishReason: result.finishReason.unified,
    headers: result.response?.headers,
  };
}

/** Messages in the provider's standard prompt form, as `generateText` would turn them. */
function standardPrompt(system: string | undefined, messages: readonly ChatMessage[]): PromptV3 {
  const prompt: PromptV3 = [];
  if (system !== undefined) prompt.push({ role: 'system', content: system });
  for (const message of messages) {
    if (message.role === 'system') prompt.push({ role: 'system', content: message.content });
    else prompt.push({ role: message.role, content: [{ type: 'text', text: message.content }] });
  }
  return prompt;
}

async function viaGenerateText(request: PlainTextRequest): Promise<PlainTextReply> {
  const result = await generateText({
    model: request.model,
    system: request.system,
    messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
    // Applications place system messages deliberately (a gateway forwards its client's).
    allowSystemInMessages: true,
    temperature: request.temperature,
    topP: request.topP,
    maxOutputTokens: request.maxOutputTokens,
    maxRetries: 0,
    abortSignal: request.abortSignal,
  });
  return {
    text: result.text,
    usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
    finishReason: result.finishReason,
    headers: result.response.headers,
  };
}
