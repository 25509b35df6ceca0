import type { RunRequest } from '../../../runtime/client/run-types.js';
import type { RunStreamPart, StreamRun } from '../../../runtime/client/stream-types.js';
import type { Switchyard } from '../../../runtime/client/switchyard-client.js';
import { type ChatCompletionAnswer, handlerModel, servedHeaders } from '../answer-chat-completion.js';
import type { RequestHeaders } from '../gateway-caller.js';
import { toOpenAIError } from '../openai-error.js';
import {
  functionCallItem,
  messageItem,
  outputItems,
  outputText,
  type ResponseFrame,
  reasoningItem,
  responseObject,
  statusOf,
} from './response-output.js';
import type { ResponseItem, ResponseStore } from './response-store.js';
import { parseResponsesRequest } from './responses-request.js';

/**
 * Answers `POST /v1/responses` (OpenAI's Responses API, stateless use) through the runtime: `run()` for a
 * plain request, `stream()` for `stream: true` with OpenAI's event types (`response.created`,
 * `response.output_item.added`, `response.output_text.delta`, `response.function_call_arguments.delta`,
 * `response.completed` …). Output items are messages with `output_text`, `function_call` items and
 * `reasoning` summaries; the run's finish reason sets the status (`incomplete` with its reason on a
 * length or content-filter stop). Unless `store: false`, the response is kept for the token
 * (`ResponseStore`) so that `previous_response_id` and `item_reference` work. Errors are thrown for the
 * caller to answer with `toOpenAIError`, as the chat route does.
 */
export async function answerResponses(
  runtime: Switchyard,
  clock: () => number,
  responses: ResponseStore,
  owner: string,
  body: unknown,
  headers: RequestHeaders,
  signal: AbortSignal,
): Promise<ChatCompletionAnswer> {
  const request = parseResponsesRequest(body, headers, responses.of(owner));
  const runRequest: RunRequest = {
    messages: request.messages,
    ...(request.input === undefined ? {} : { input: request.input }),
    ...(request.tools === undefined ? {} : { tools: request.tools }),
    ...(request.toolChoice === undefined ? {} : { toolChoice: request.toolChoice }),
    ...(request.responseFormat === undefined ? {} : { responseFormat: request.responseFormat }),
    ...(request.providerOptions === undefined ? {} : { providerOptions: request.providerOptions }),
    parameters: request.parameters,
    signal,
  };
  const context = { attributes: request.attributes };
  const createdAt = Math.floor(clock() / 1_000);
  const save = (frame: ResponseFrame, output: ResponseItem[]) => {
    if (request.store) responses.save(owner, { id: frame.id, input: request.inputItems, output });
  };
  if (request.stream) {
    const run = await runtime.stream(request.feature, context, runRequest);
    const frame = {
      id: `resp_${run.requestId}`,
      createdAt,
      model: run.model ?? handlerModel(request.feature, run.variant),
      request,
    };
    const answerHeaders = servedHeaders(run);
    answerHeaders['content-type'] = 'text/event-stream; charset=utf-8';
    answerHeaders['cache-control'] = 'no-cache';
    answerHeaders['x-accel-buffering'] = 'no';
    return { headers: answerHeaders, body: responseEvents(run, frame, save) };
  }
  const result = await runtime.run(request.feature, context, runRequest);
  const frame = {
    id: `resp_${result.requestId}`,
    createdAt,
    model: result.model ?? handlerModel(request.feature, result.variant),
    request,
  };
  const output = outputItems(result.content, result.requestId);
  save(frame, output);
  const answerHeaders = servedHeaders(result);
  answerHeaders['content-type'] = 'application/json; charset=utf-8';
  const { status, incomplete } = statusOf(result.finishReason);
  return {
    headers: answerHeaders,
    body: JSON.stringify(responseObject(frame, status, output, result.usage, incomplete)),
  };
}

/** An item being streamed: where it sits in the output and what it has gathered so far. */
interface OpenItem {
  readonly index: number;
  readonly id: string;
  readonly kind: 'message' | 'reasoning' | 'function_call';
  readonly callId?: string;
  readonly name?: string;
  text: string;
}

/**
 * The server-sent events of a streamed response. Each event names its type in `event:` and carries it
 * with a `sequence_number` in `data:`. A failure after the stream started ends it with `response.failed`
 * (the error inside), which OpenAI's clients raise; stopping the iteration (the client went away) stops
 * the run.
 */
async function* responseEvents(
  run: StreamRun,
  frame: ResponseFrame,
  save: (frame: ResponseFrame, output: ResponseItem[]) => void,
): AsyncGenerator<string, void, undefined> {
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  const output: ResponseItem[] = [];
  const open = new Map<string, OpenItem>();
  const requestId = frame.id.slice('resp_'.length);
  let message: OpenItem | undefined;

  const added = (item: OpenItem, shape: ResponseItem) => {
    output[item.index] = shape;
    return event('response.output_item.added', { output_index: item.index, item: shape });
  };
  const done = (item: OpenItem, shape: ResponseItem) => {
    output[item.index] = shape;
    return event('response.output_item.done', { output_index: item.index, item: shape });
  };
  function* openMessage(): Generator<string> {
    if (message !== undefined) return;
    message = { index: output.length, id: `msg_${requestId}_${output.length}`, kind: 'message', text: '' };
    yield added(message, messageItem(message.id, '', 'in_progress'));
    yield event('response.content_part.added', {
      item_id: message.id,
      output_index: message.index,
      content_index: 0,
      part: outputText(''),
    });
  }
  function* closeMessage(): Generator<string> {
    if (message === undefined) return;
    const { id, index, text } = message;
    yield event('response.output_text.done', {
      item_id: id,
      output_index: index,
      content_index: 0,
      text,
      logprobs: [],
    });
    yield event('response.content_part.done', {
      item_id: id,
      output_index: index,
      content_index: 0,
      part: outputText(text),
    });
    yield done(message, messageItem(id, text, 'completed'));
    message = undefined;
  }
  function* onPart(part: RunStreamPart): Generator<string> {
    switch (part.type) {
      case 'text-start':
        yield* openMessage();
        return;
      case 'text-delta': {
        yield* openMessage();
        const current = message as OpenItem;
        current.text += part.delta;
        yield event('response.output_text.delta', {
          item_id: current.id,
          output_index: current.index,
          content_index: 0,
          delta: part.delta,
          logprobs: [],
        });
        return;
      }
      case 'text-end':
        yield* closeMessage();
        return;
      case 'reasoning-start': {
        yield* closeMessage();
        const item: OpenItem = {
          index: output.length,
          id: `rs_${requestId}_${output.length}`,
          kind: 'reasoning',
          text: '',
        };
        open.set(`reasoning:${part.id}`, item);
        yield added(item, reasoningItem(item.id, ''));
        yield event('response.reasoning_summary_part.added', {
          item_id: item.id,
          output_index: item.index,
          summary_index: 0,
          part: { type: 'summary_text', text: '' },
        });
        return;
      }
      case 'reasoning-delta': {
        const item = open.get(`reasoning:${part.id}`);
        if (item === undefined) return;
        item.text += part.delta;
        yield event('response.reasoning_summary_text.delta', {
          item_id: item.id,
          output_index: item.index,
          summary_index: 0,
          delta: part.delta,
        });
        return;
      }
      case 'reasoning-end': {
        const item = open.get(`reasoning:${part.id}`);
        if (item === undefined) return;
        open.delete(`reasoning:${part.id}`);
        yield event('response.reasoning_summary_text.done', {
          item_id: item.id,
          output_index: item.index,
          summary_index: 0,
          text: item.text,
        });
        yield event('response.reasoning_summary_part.done', {
          item_id: item.id,
          output_index: item.index,
          summary_index: 0,
          part: { type: 'summary_text', text: item.text },
        });
        yield done(item, reasoningItem(item.id, item.text));
        return;
      }
      case 'tool-input-start': {
        yield* closeMessage();
        const item: OpenItem = {
          index: output.length,
          id: `fc_${requestId}_${output.length}`,
          kind: 'function_call',
          callId: part.id,
          name: part.toolName,
          text: '',
        };
        open.set(`tool:${part.id}`, item);
        yield added(item, functionCallItem(item.id, part.id, part.toolName, '', 'in_progress'));
        return;
      }
      case 'tool-input-delta': {
        const item = open.get(`tool:${part.id}`);
        if (item === undefined) return;
        item.text += part.delta;
        yield event('response.function_call_arguments.delta', {
          item_id: item.id,
          output_index: item.index,
          delta: part.delta,
        });
        return;
      }
      case 'tool-call': {
        yield* closeMessage();
        let item = open.get(`tool:${part.toolCallId}`);
        if (item === undefined) {
          item = {
            index: output.length,
            id: `fc_${requestId}_${output.length}`,
            kind: 'function_call',
            callId: part.toolCallId,
            name: part.toolName,
            text: '',
          };
          yield added(item, functionCallItem(item.id, part.toolCallId, part.toolName, '', 'in_progress'));
          yield event('response.function_call_arguments.delta', {
            item_id: item.id,
            output_index: item.index,
            delta: part.input,
          });
        }
        open.delete(`tool:${part.toolCallId}`);
        yield event('response.function_call_arguments.done', {
          item_id: item.id,
          output_index: item.index,
          name: part.toolName,
          arguments: part.input,
        });
        yield done(item, functionCallItem(item.id, part.toolCallId, part.toolName, part.input, 'completed'));
        return;
      }
      default:
        return;
    }
  }

  const inProgress = responseObject(frame, 'in_progress', [], null);
  yield event('response.created', { response: inProgress });
  yield event('response.in_progress', { response: inProgress });
  try {
    for await (const part of run.parts) yield* onPart(part);
    yield* closeMessage();
    const result = await run.result;
    const { status, incomplete } = statusOf(result.finishReason);
    const final = output.filter((item) => item !== undefined);
    save(frame, final);
    yield event(status === 'incomplete' ? 'response.incomplete' : 'response.completed', {
      response: responseObject(frame, status, final, result.usage, incomplete),
    });
  } catch (error) {
    const { error: detail } = toOpenAIError(error).body;
    yield event('response.failed', {
      response: responseObject(
        frame,
        'failed',
        output.filter((item) => item !== undefined),
        null,
        undefined,
        {
          code: detail.code ?? 'server_error',
          message: detail.message,
        },
      ),
    });
  }
}
