import type { StreamRun } from '../../runtime/client/stream-types.js';
import { toOpenAIError } from './openai-error.js';
import { type CompletionIdentity, openAIFinishReason, usageBody } from './openai-shapes.js';

/**
 * The server-sent events of a streamed chat completion: a role chunk, one `chat.completion.chunk` per
 * text chunk, a chunk with the finish reason, the usage chunk when `includeUsage`, then `data: [DONE]`.
 * A stream that fails after it started (a broken answer, a refused guard) ends with one
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

  yield chunk('{"role":"assistant","content":""}', null);
  try {
    for await (const text of run.textStream) yield chunk(`{"content":${JSON.stringify(text)}}`, null);
    const result = await run.result;
    yield chunk('{}', openAIFinishReason(result.finishReason));
    if (includeUsage) {
      const usage = {
        id: identity.id,
        object: 'chat.completion.chunk',
        created: identity.created,
        model: identity.model,
        choices: [],
        usage: usageBody(result.usage),
      };
      yield `data: ${JSON.stringify(usage)}\n\n`;
    }
    yield 'data: [DONE]\n\n';
  } catch (error) {
    yield `data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`;
  }
}
