/**
 * Child process of `bench/gateway.ts`: a bare Fastify server on 127.0.0.1 (or, with
 * `BENCH_PROXY_SERVER=node-http`, a `node:http` server without Fastify) that answers
 * `POST /v1/chat/completions` by calling the fake upstream at `BENCH_UPSTREAM_URL` one way, chosen by
 * `BENCH_PROXY`, so the cost of each layer of the gateway can be measured on its own:
 * - `http`: `node:http` with a keep-alive agent, the answer passed through;
 * - `call-model`: the runtime's `callModel` on the model its provider registry builds for an
 *   `openai-compatible` provider (the direct chat-completions model over keep-alive connections);
 * - `fetch`: Node's global `fetch`, the answer passed through;
 * - `generate-text`: the AI SDK's `generateText` on an `@ai-sdk/openai-compatible` model;
 * - `generate-text-timeout` / `generate-text-timeout-kept`: the same inside cockatiel's aggressive
 *   `timeout()`, which aborts its signal when the call returns, or not (`abortOnReturn: false`);
 * - `run`: `sy.run()` of the runtime client (in-memory SQLite store, telemetry on), which calls the same
 *   model as `call-model` inside its resilience policies.
 */
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText } from 'ai';
import { TimeoutStrategy, timeout } from 'cockatiel';
import Fastify from 'fastify';
import { createSwitchyard } from '../../src/runtime/client/create-switchyard.js';
import type { ChatMessage } from '../../src/runtime/client/run-types.js';
import { callModel } from '../../src/runtime/model-call/call-model.js';
import { toPrompt } from '../../src/runtime/model-call/to-prompt.js';
import { createProviderRegistry } from '../../src/runtime/providers/provider-registry.js';
import { answerParent } from './answer-parent.js';
import { BARE_PROXIES, type BareProxy } from './bare-proxies.js';
import { benchChat } from './bench-chat.js';

const upstreamUrl = process.env.BENCH_UPSTREAM_URL;
/** `fastify` (default) or `node-http`: the server the proxy answers from. */
const server = process.env.BENCH_PROXY_SERVER ?? 'fastify';
if (server !== 'fastify' && server !== 'node-http')
  throw new Error('BENCH_PROXY_SERVER: fastify or node-http');
const proxy = process.env.BENCH_PROXY as BareProxy | undefined;
if (upstreamUrl === undefined || proxy === undefined || !BARE_PROXIES.includes(proxy)) {
  throw new Error(`set BENCH_UPSTREAM_URL and BENCH_PROXY (one of ${BARE_PROXIES.join(', ')})`);
}
const completionsUrl = `${upstreamUrl}/chat/completions`;
const agent = new Agent({ keepAlive: true });
const model = createOpenAICompatible({ name: benchChat.provider, baseURL: upstreamUrl }).chatModel(
  benchChat.model,
);
const registry = createProviderRegistry({
  [benchChat.provider]: { type: 'openai-compatible', baseURL: upstreamUrl },
});
const directModel = registry.languageModel(benchChat.provider, benchChat.model);
const switchyard =
  proxy === 'run'
    ? await createSwitchyard({
        store: 'sqlite::memory:',
        providers: { [benchChat.provider]: { type: 'openai-compatible', baseURL: upstreamUrl } },
        features: [
          {
            key: benchChat.feature,
            defaultVariant: 'llm',
            variants: { llm: { type: 'llm', provider: benchChat.provider, model: benchChat.model } },
          },
        ],
        telemetry: { flushOnSignals: false },
      })
    : undefined;

const app = Fastify();
app.post('/v1/chat/completions', (request) => answer(request.body as { messages: ChatMessage[] }));
const plain = createServer();

const completion = (id: string, content: unknown) => ({
  id,
  object: 'chat.completion',
  created: Math.floor(Date.now() / 1_000),
  model: benchChat.model,
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
});

const answer = async (body: { messages: ChatMessage[] }): Promise<unknown> => {
  switch (proxy) {
    case 'http':
      return postWithHttp(JSON.stringify(body));
    case 'fetch': {
      const response = await fetch(completionsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return response.json();
    }
    case 'call-model': {
      const result = await callModel({ model: directModel, prompt: toPrompt(body.messages) });
      return completion('chatcmpl-bench', result.text);
    }
    case 'generate-text': {
      const result = await generateText({ model, messages: body.messages, maxRetries: 0 });
      return completion('chatcmpl-bench', result.text);
    }
    case 'generate-text-timeout':
    case 'generate-text-timeout-kept': {
      const policy = timeout(30_000, {
        strategy: TimeoutStrategy.Aggressive,
        abortOnReturn: proxy === 'generate-text-timeout',
      });
      const result = await policy.execute((_context, signal) =>
        generateText({ model, messages: body.messages, maxRetries: 0, abortSignal: signal }),
      );
      return completion('chatcmpl-bench', result.text);
    }
    case 'run': {
      const result = await switchyard!.run(
        benchChat.feature,
        { attributes: {} },
        { messages: body.messages },
      );
      return completion(`chatcmpl-${result.requestId}`, result.value);
    }
  }
};

const url =
  server === 'node-http' ? await listenWithNodeHttp() : await app.listen({ host: '127.0.0.1', port: 0 });

answerParent({
  ready: { url },
  stop: async () => {
    await app.close();
    await new Promise((resolve) => plain.close(resolve));
    await switchyard?.close();
    registry.close();
    agent.destroy();
  },
});

/** Serves `answer` from a `node:http` server without Fastify: reads the body, answers JSON, nothing else. */
async function listenWithNodeHttp(): Promise<string> {
  plain.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      answer(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: ChatMessage[] }).then(
        (answered) => {
          const body = JSON.stringify(answered);
          response.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          });
          response.end(body);
        },
        (error: unknown) => {
          response.writeHead(500).end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const address = plain.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** POSTs to the upstream with `node:http` and resolves to the parsed answer. */
function postWithHttp(body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      completionsUrl,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
