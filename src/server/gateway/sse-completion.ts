import type { StreamRun } from '../../runtime/client/stream-types.js';
import { toOpenAIError } from './openai-error.js';
import { type CompletionIdentity, openAIFinishReason, usageBody } from './openai-shapes.js';

/**
 * The server-sent events of a streamed chat completion: a role chunk, one `chat.completion.chunk` per
 * text delta, tool calls as OpenAI's `delta.tool_calls` chunks (the call's id and name first, then its
 * arguments as they come), a chunk with the finish reason, the usage chunk when `includeUsage`, then
 * `data: [DONE]`. A stream that fails after it started (a broken answer, a refused guard) ends with one
 * `data: {"error": …}` event and no `[DONE]`, which OpenAI clients raise as an error. Stopping the
 * iteration (the client went away) stops the run.
 *
 * @example
 * reply.send(Readable.from(sseCompletion(run, identity, true)));
 */
export async function* sseCompletion(
  run: StreamRun,
  identity: CompletionIdentity,
  includeUsage: boolean,
): AsyncGenerator<string, void, undefined> {
  // The constant parts of every chunk are serialised once; only the delta changes.
  const head = `data: {"id":${JSON.stringify(identity.id)},"object":"chat.completion.chunk","created":${identity.created},"model":${JSON.stringify(identity.model)},"choices":[{"index":0,"delta":`;
  const usageField = includeUsage ? ',"usage":null' : '';
  const chunk = (delta: string, finishReason: string | null) =>
    `${head}${delta},"logprobs":null,"finish_reason":${finishReason === null ? 'null' : JSON.stringify(finishReason)}}]${usageField}}\n\n`;
  /** Tool calls by id, numbered in the order they started (OpenAI's `index`). */
  const calls = new Map<string, number>();
  const toolDelta = (call: Record<string, unknown>) =>
    chunk(`{"tool_calls":[${JSON.stringify(call)}]}`, null);

  yield chunk('{"role":"assistant","content":""}', null);
  try {
    for await (const part of run.parts) {
      switch (part.type) {
        case 'text-delta':
          if (part.delta !== '') yield chunk(`{"content":${JSON.stringify(part.delta)}}`, null);
          break;
        case 'tool-input-start': {
          const index = calls.size;
          calls.set(part.id, index);
          yield toolDelta({
            index,
            id: part.id,
            type: 'function',
            function: { name: part.toolName, arguments: '' },
          });
          break;
        }
        case 'tool-input-delta': {
          const index = calls.get(part.id);
          if (index !== undefined && part.delta !== '') {
            yield toolDelta({ index, function: { arguments: part.delta } });
          }
          break;
        }
        case 'tool-call':
          // A call that came whole (not as input deltas) is sent whole.
          if (!calls.has(part.toolCallId)) {
            const index = calls.size;
            calls.set(part.toolCallId, index);
            yield toolDelta({
              index,
              id: part.toolCallId,
              type: 'function',
              function: { name: part.toolName, arguments: part.input },
            });
          }
          break;
        case 'finish': {
          yield chunk('{}', openAIFinishReason(part.finishReason));
          if (includeUsage) {
            const usage = {
              id: identity.id,
              object: 'chat.completion.chunk',
              created: identity.created,
              model: identity.model,
              choices: [],
              usage: usageBody(part.usage),
            };
            yield `data: ${JSON.stringify(usage)}\n\n`;
          }
          yield 'data: [DONE]\n\n';
          break;
        }
        default:
          // Reasoning, files and sources have no place in a chat-completions stream.
          break;
      }
    }
  } catch (error) {
    yield `data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`;
  }
}
