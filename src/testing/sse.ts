import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CompletionIdentity, chunkBody, usageChunkBody } from './openai-shapes.js';
import type { ReplyPlan } from './reply-plan.js';

/** How one streamed answer is paced and whether it goes wrong. */
export interface StreamOptions {
  /** Send the final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  /** Pause before each content chunk, in milliseconds. */
  tokenDelayMs: number;
  /** Replace the first chunk after the role chunk with broken JSON (the malformed fault). */
  malformed: boolean;
  /** Stops the stream when the client goes away or the server closes. */
  signal: AbortSignal;
}

/**
 * Streams a planned reply as OpenAI server-sent events: a role chunk, one chunk per estimated token,
 * a chunk carrying the finish reason, the usage chunk when asked for, then `data: [DONE]`.
 *
 * @example
 * await streamCompletion(response, identity, plan, { includeUsage: true, tokenDelayMs: 0, malformed: false, signal });
 */
export async function streamCompletion(
  response: ServerResponse,
  identity: CompletionIdentity,
  plan: ReplyPlan,
  options: StreamOptions,
): Promise<void> {
  const { includeUsage, tokenDelayMs, malformed, signal } = options;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const events = [
    {
      data: JSON.stringify(chunkBody(identity, { role: 'assistant', content: '' }, null, includeUsage)),
      paced: false,
    },
    ...plan.tokens.map((token) => ({
      data: JSON.stringify(chunkBody(identity, { content: token }, null, includeUsage)),
      paced: true,
    })),
    // Tool calls as OpenAI streams them: id and name first, then the arguments in two pieces.
    ...plan.toolCalls.flatMap((call, index) => {
      const text = call.function.arguments;
      const half = Math.floor(text.length / 2);
      return [
        { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
        { index, function: { arguments: text.slice(0, half) } },
        { index, function: { arguments: text.slice(half) } },
      ].map((delta) => ({
        data: JSON.stringify(chunkBody(identity, { tool_calls: [delta] }, null, includeUsage)),
        paced: true,
      }));
    }),
    { data: JSON.stringify(chunkBody(identity, {}, plan.finishReason, includeUsage)), paced: false },
    ...(includeUsage ? [{ data: JSON.stringify(usageChunkBody(identity, plan.usage)), paced: false }] : []),
  ];
  for (const [index, event] of events.entries()) {
    if (event.paced && tokenDelayMs > 0) await sleep(tokenDelayMs, undefined, { signal });
    // The chunk after the role chunk always exists; a strict prefix of a JSON object never parses.
    const broken = malformed && index === 1;
    writeEvent(response, broken ? event.data.slice(0, Math.floor(event.data.length / 2)) : event.data);
  }
  writeEvent(response, '[DONE]');
  response.end();
}

/** Writes one `data:` event; the payloads are single-line JSON, so one `data:` line is enough. */
function writeEvent(response: ServerResponse, data: string): void {
  if (!response.writableEnded && !response.destroyed) response.write(`data: ${data}\n\n`);
}
