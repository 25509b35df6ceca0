import type { ContentPart, Usage } from '../../../runtime/model-call/model-request.js';
import type { ResponseItem } from './response-store.js';
import type { ResponsesRequest } from './responses-request.js';

/** Where an answer stands when it ends, from the run's finish reason. */
export type ResponseStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress';

/** The part of every response object that does not depend on the answer. */
export interface ResponseFrame {
  readonly id: string;
  readonly createdAt: number;
  readonly model: string;
  readonly request: ResponsesRequest;
}

/** The output items of an answer's content parts: text joins one message; tool calls and reasoning are items. */
export function outputItems(content: readonly ContentPart[], requestId: string): ResponseItem[] {
  const items: ResponseItem[] = [];
  let text: string[] | undefined;
  const closeText = () => {
    if (text === undefined) return;
    items.push(messageItem(`msg_${requestId}_${items.length}`, text.join(''), 'completed'));
    text = undefined;
  };
  for (const part of content) {
    if (part.type === 'text') {
      text ??= [];
      text.push(part.text);
    } else if (part.type === 'tool-call') {
      closeText();
      items.push(
        functionCallItem(
          `fc_${requestId}_${items.length}`,
          part.toolCallId,
          part.toolName,
          part.input,
          'completed',
        ),
      );
    } else if (part.type === 'reasoning') {
      closeText();
      items.push(reasoningItem(`rs_${requestId}_${items.length}`, part.text));
    }
  }
  closeText();
  return items;
}

/** A `message` output item holding one `output_text` part (none while it is in progress). */
export function messageItem(id: string, text: string, status: 'completed' | 'in_progress'): ResponseItem {
  return {
    type: 'message',
    id,
    status,
    role: 'assistant',
    content: status === 'completed' ? [outputText(text)] : [],
  };
}

/** An `output_text` content part. */
export function outputText(text: string) {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** A `function_call` output item; `args` is the call's JSON text. */
export function functionCallItem(
  id: string,
  callId: string,
  name: string,
  args: string,
  status: 'completed' | 'in_progress',
): ResponseItem {
  return { type: 'function_call', id, call_id: callId, name, arguments: args, status };
}

/** A `reasoning` output item with the reasoning text as its summary. */
export function reasoningItem(id: string, text: string): ResponseItem {
  return { type: 'reasoning', id, summary: text === '' ? [] : [{ type: 'summary_text', text }] };
}

/** A response's status from the run's finish reason: a length or content-filter stop is incomplete. */
export function statusOf(finishReason: string): { status: ResponseStatus; incomplete: string | undefined } {
  if (finishReason === 'length') return { status: 'incomplete', incomplete: 'max_output_tokens' };
  if (finishReason === 'content-filter') return { status: 'incomplete', incomplete: 'content_filter' };
  return { status: 'completed', incomplete: undefined };
}

function usageObject(usage: Usage) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** The whole response object OpenAI's clients read, with what it echoes of the request. */
export function responseObject(
  frame: ResponseFrame,
  status: ResponseStatus,
  output: readonly ResponseItem[],
  usage: Usage | null,
  incomplete?: string,
  error?: { code: string; message: string },
) {
  const { echo } = frame.request;
  return {
    id: frame.id,
    object: 'response',
    created_at: frame.createdAt,
    status,
    error: error ?? null,
    incomplete_details: incomplete === undefined ? null : { reason: incomplete },
    instructions: echo.instructions,
    max_output_tokens: echo.maxOutputTokens,
    model: frame.model,
    output,
    parallel_tool_calls: echo.parallelToolCalls,
    previous_response_id: echo.previousResponseId,
    reasoning: { effort: null, summary: null },
    store: frame.request.store,
    temperature: echo.temperature,
    text: echo.text,
    tool_choice: echo.toolChoice,
    tools: echo.tools,
    top_p: echo.topP,
    truncation: 'disabled',
    usage: usage === null ? null : usageObject(usage),
    user: echo.user,
    metadata: echo.metadata,
  };
}
