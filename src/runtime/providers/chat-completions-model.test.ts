import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyError } from '../model-call/classify-error.js';
import { createChatCompletionsModel, type LanguageModelV3 } from './chat-completions-model.js';
import { createProviderTransport, type ProviderTransport } from './provider-transport.js';

type CallOptions = Parameters<LanguageModelV3['doGenerate']>[0];
type Answer = (request: IncomingMessage, response: ServerResponse) => void;

/** A chat-completions server whose answer each test sets, and the bodies and headers it received. */
interface Upstream {
  baseURL: string;
  answer: Answer;
  received: { body: unknown; headers: IncomingMessage['headers'] }[];
}

const servers: Server[] = [];
const transports: ProviderTransport[] = [];

afterEach(async () => {
  for (const transport of transports.splice(0)) transport.close();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function startUpstream(): Promise<Upstream> {
  const upstream: Upstream = { baseURL: '', answer: reply(completion('Hello.')), received: [] };
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    request.on('end', () => {
      upstream.received.push({ body: JSON.parse(text), headers: request.headers });
      upstream.answer(request, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  return upstream;
}

/** The AI SDK model as the registry configures it, and the direct model in front of it. */
function models(upstream: Upstream, headers?: Record<string, string>) {
  const transport = createProviderTransport();
  transports.push(transport);
  const inner = createOpenAICompatible({
    name: 'local',
    baseURL: upstream.baseURL,
    apiKey: 'secret',
    ...(headers === undefined ? {} : { headers }),
    includeUsage: true,
    fetch: transport.fetch,
    supportsStructuredOutputs: true,
  }).chatModel('llama-fake');
  const direct = createChatCompletionsModel({
    inner,
    baseURL: upstream.baseURL,
    apiKey: 'secret',
    headers,
    transport,
  });
  return { inner, direct };
}

function completion(content: unknown, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'llama-fake',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: 12,
      completion_tokens: 7,
      total_tokens: 19,
      prompt_tokens_details: { cached_tokens: 2 },
      completion_tokens_details: { reasoning_tokens: 3 },
    },
    ...extra,
  };
}

function reply(body: unknown, status = 200, headers: Record<string, string> = {}): Answer {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

const hello: CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] };

async function caught(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('createChatCompletionsModel: what it sends', () => {
  it('sends the body and headers the AI SDK model sends, for plain-text calls', async () => {
    const upstream = await startUpstream();
    const { inner, direct } = models(upstream, { 'X-Team': 'coach' });
    const calls: CallOptions[] = [
      hello,
      {
        prompt: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Hello' },
              { type: 'text', text: ' there' },
            ],
          },
          { role: 'system', content: 'Now in French.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'A' },
              { type: 'text', text: 'B' },
            ],
          },
        ],
        maxOutputTokens: 50,
        temperature: 0.3,
        topP: 0.9,
        headers: { 'x-trace': 't1', 'x-unset': undefined },
      },
    ];
    for (const call of calls) {
      const viaSdk = await inner.doGenerate(call);
      const viaDirect = await direct.doGenerate(call);
      expect(viaDirect.request?.body).toBe(viaSdk.request?.body);
    }
    const [sdkFirst, directFirst, sdkSecond, directSecond] = upstream.received;
    expect(directFirst?.body).toEqual(sdkFirst?.body);
    expect(directSecond?.body).toEqual(sdkSecond?.body);
    expect(directSecond?.body).toMatchObject({ max_tokens: 50, temperature: 0.3, top_p: 0.9 });
    for (const name of ['authorization', 'x-team', 'x-trace', 'content-type']) {
      expect(directSecond?.headers[name]).toBe(sdkSecond?.headers[name]);
    }
    expect(directSecond?.headers.authorization).toBe('Bearer secret');
  });

  it('leaves calls with more than text and sampling settings to the AI SDK model', async () => {
    const upstream = await startUpstream();
    const { direct } = models(upstream);
    upstream.answer = reply(completion('{"a":1}'));
    await direct.doGenerate({ ...hello, responseFormat: { type: 'json', schema: { type: 'object' } } });
    await direct.doGenerate({ ...hello, stopSequences: ['END'] });
    await direct.doGenerate({
      prompt: [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }], providerOptions: { local: { x: 1 } } },
      ],
    });
    const [structured, stopped] = upstream.received;
    expect(structured?.body).toMatchObject({ response_format: { type: 'json_schema' } });
    expect(stopped?.body).toMatchObject({ stop: ['END'] });
    // Only the AI SDK model sends a user-agent naming its provider-utils.
    for (const request of upstream.received) {
      expect(request.headers['user-agent']).toContain('ai-sdk/provider-utils');
    }
    await direct.doGenerate(hello);
    expect(upstream.received.at(-1)?.headers['user-agent']).not.toContain('ai-sdk/provider-utils');
  });
});

describe('createChatCompletionsModel: what it returns', () => {
  const answers: Record<string, unknown> = {
    text: completion('A short, kind reply.'),
    empty: completion(''),
    'tool calls': completion(null, {
      choices: [
        {
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', function: { name: 'f', arguments: '{}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
    }),
    reasoning: completion('Answer.', {
      choices: [{ message: { content: 'Answer.', reasoning_content: 'Thinking.' }, finish_reason: 'length' }],
    }),
    parts: completion([
      { type: 'text', text: 'Part one.' },
      { type: 'thinking', thinking: [{ type: 'text', text: 'Hmm.' }] },
    ]),
    'no usage': { ...completion('Hi.'), usage: undefined },
    'odd finish': completion('Hi.', { choices: [{ message: { content: 'Hi.' }, finish_reason: 'eos' }] }),
  };

  for (const [name, answer] of Object.entries(answers)) {
    it(`reads ${name} as the AI SDK model does`, async () => {
      const upstream = await startUpstream();
      upstream.answer = reply(answer);
      const { inner, direct } = models(upstream);
      const viaSdk = await inner.doGenerate(hello);
      const viaDirect = await direct.doGenerate(hello);
      expect(viaDirect.content).toEqual(viaSdk.content);
      expect(viaDirect.finishReason).toEqual(viaSdk.finishReason);
      expect(viaDirect.usage).toEqual(viaSdk.usage);
      expect(viaDirect.providerMetadata).toEqual(viaSdk.providerMetadata);
      const { headers: _sdkHeaders, ...sdkResponse } = viaSdk.response ?? {};
      const { headers: directHeaders, ...directResponse } = viaDirect.response ?? {};
      expect(directResponse).toEqual(sdkResponse);
      expect(directHeaders?.['content-type']).toBe('application/json');
    });
  }
});

describe('createChatCompletionsModel: how it fails', () => {
  const failures: Record<string, Answer> = {
    '400 with an API error': reply(
      { error: { message: 'unknown model', type: 'invalid_request_error' } },
      400,
    ),
    '429 with Retry-After': reply({ error: { message: 'slow down' } }, 429, { 'retry-after': '3' }),
    '500 that is not JSON': reply('upstream exploded', 500),
    '503 with an empty body and retry-after-ms': reply('', 503, { 'retry-after-ms': '1500' }),
    '200 that is not JSON': reply('{"id": "chatcmpl-1", "choi'),
    '200 of the wrong shape': reply({ choices: 'none' }),
    '200 without choices': reply({ ...completion('x'), choices: [] }),
    'a reset connection': (request) => request.socket.destroy(),
  };

  for (const [name, answer] of Object.entries(failures)) {
    it(`classifies ${name} as the AI SDK model's error is classified`, async () => {
      const upstream = await startUpstream();
      upstream.answer = answer;
      const { inner, direct } = models(upstream);
      const viaSdk = classifyError(await caught(inner.doGenerate(hello)), { nowMs: 0 });
      const viaDirect = classifyError(await caught(direct.doGenerate(hello)), { nowMs: 0 });
      const { errorClass, retryable, status, retryAfterMs } = viaSdk;
      expect({ errorClass, retryable, status, retryAfterMs }).toEqual({
        errorClass: viaDirect.errorClass,
        retryable: viaDirect.retryable,
        status: viaDirect.status,
        retryAfterMs: viaDirect.retryAfterMs,
      });
      if (status !== undefined) expect(viaDirect.message).toBe(viaSdk.message);
    });
  }

  it('classifies a refused connection and a timed-out call as the AI SDK model does', async () => {
    const upstream = await startUpstream();
    upstream.answer = () => {};
    const { inner, direct } = models(upstream);
    for (const model of [inner, direct]) {
      const signal = AbortSignal.timeout(50);
      const failure = classifyError(await caught(model.doGenerate({ ...hello, abortSignal: signal })), {
        abortSignal: signal,
      });
      expect(failure).toMatchObject({ errorClass: 'timeout', retryable: true });
    }
    await new Promise<void>((resolve) => {
      const server = servers.pop() as Server;
      server.closeAllConnections();
      server.close(() => resolve());
    });
    for (const model of [inner, direct]) {
      const failure = classifyError(await caught(model.doGenerate(hello)));
      expect(failure).toMatchObject({ errorClass: 'connection', retryable: true });
    }
  });
});
