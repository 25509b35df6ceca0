import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { InvalidConfigError } from '../core/errors.js';
import { answerChatCompletion, type ModelSlot, sendJson } from './chat-completions.js';
import {
  assertValidUpstreamOptions,
  behaviourProblems,
  type FakeModelBehaviour,
  type FakeUpstreamOptions,
} from './fake-upstream-options.js';
import { errorBody } from './openai-shapes.js';
import { createSeededRandom, deriveSeed } from './seeded-random.js';

/** Counters of a fake upstream since it started or since `reset()`. */
export interface FakeUpstreamStats {
  /** Chat-completions requests received, including refused ones. */
  requests: number;
  /** Per configured model: requests that reached it and the faults injected into them, by kind. */
  byModel: Record<string, { requests: number; faults: Record<string, number> }>;
}

/** A running fake OpenAI-compatible server. */
export interface FakeUpstream {
  /** Base URL to give an OpenAI client, ending in `/v1`. */
  url: string;
  port: number;
  /** Stops the server and destroys every socket, hung requests included. */
  close(): Promise<void>;
  stats(): FakeUpstreamStats;
  /** Zeroes the counters and restarts every model's random stream from the seed. */
  reset(): void;
  /** Adds a model or replaces its behaviour while the server runs (to simulate an outage, say). */
  setModel(name: string, behaviour: FakeModelBehaviour): void;
}

/** Bodies above this size get a 413 instead of being buffered. */
const maxBodyBytes = 10 * 1024 * 1024;

/**
 * Starts a local HTTP server that speaks the OpenAI chat-completions API, with seeded latency and
 * fault injection, for tests, benchmarks and demos.
 *
 * @example
 * const upstream = await startFakeUpstream({ models: { 'gpt-fake': { latencyMs: 20 } }, seed: 7 });
 * const response = await fetch(`${upstream.url}/chat/completions`, {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ model: 'gpt-fake', messages: [{ role: 'user', content: 'Hello' }] }),
 * });
 * await upstream.close();
 */
export async function startFakeUpstream(options: FakeUpstreamOptions): Promise<FakeUpstream> {
  assertValidUpstreamOptions(options);
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const clock = options.clock ?? Date.now;
  const apiKey = options.apiKey;
  const startedAt = Math.floor(clock() / 1000);
  const lifetime = new AbortController();
  const sockets = new Set<Socket>();
  const slots = new Map<string, ModelSlot>();
  const newSlot = (name: string, behaviour: FakeModelBehaviour): ModelSlot => ({
    behaviour,
    random: createSeededRandom(deriveSeed(seed, name)),
    requests: 0,
    faults: {},
  });
  for (const [name, behaviour] of Object.entries(options.models)) slots.set(name, newSlot(name, behaviour));
  let requests = 0;
  let completions = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://fake.invalid').pathname.replace(/\/+$/, '');
    if (apiKey !== undefined && request.headers.authorization !== `Bearer ${apiKey}`) {
      const message = request.headers.authorization
        ? 'Incorrect API key provided.'
        : "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.";
      sendJson(response, 401, errorBody(message, 'invalid_request_error', null, 'invalid_api_key'));
      return;
    }
    if (request.method === 'POST' && path === '/v1/chat/completions') {
      requests += 1;
      const text = await readBody(request);
      if (text === undefined) {
        sendJson(response, 413, errorBody('The request body is too large.', 'invalid_request_error'));
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        const message = 'We could not parse the JSON body of your request. The body must be valid JSON.';
        sendJson(response, 400, errorBody(message, 'invalid_request_error'));
        return;
      }
      const requestAbort = new AbortController();
      response.once('close', () => requestAbort.abort());
      await answerChatCompletion(body, response, {
        slots,
        signal: AbortSignal.any([lifetime.signal, requestAbort.signal]),
        identify: (model) => {
          completions += 1;
          const id = `chatcmpl-fake${String(completions).padStart(8, '0')}`;
          return { id, created: Math.floor(clock() / 1000), model };
        },
      });
      return;
    }
    if (request.method === 'GET' && path === '/v1/models') {
      const data = [...slots.keys()].map((id) => modelEntry(id, startedAt));
      sendJson(response, 200, { object: 'list', data });
      return;
    }
    const modelId = request.method === 'GET' && path.startsWith('/v1/models/') ? path.slice(11) : undefined;
    if (modelId !== undefined && slots.has(decodeURIComponent(modelId))) {
      sendJson(response, 200, modelEntry(decodeURIComponent(modelId), startedAt));
      return;
    }
    const message = `Unknown request URL: ${request.method} ${path}.`;
    sendJson(response, 404, errorBody(message, 'invalid_request_error', null, 'unknown_url'));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // Aborted sleeps after a client hang-up or close() are expected; anything else is a fake's bug.
      if (lifetime.signal.aborted || response.destroyed) return;
      const reason = error instanceof Error ? error.message : String(error);
      sendJson(response, 500, errorBody(`The fake upstream failed: ${reason}`, 'server_error'));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        lifetime.abort();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
    stats: () => ({
      requests,
      byModel: Object.fromEntries(
        [...slots].map(([name, slot]) => [name, { requests: slot.requests, faults: { ...slot.faults } }]),
      ),
    }),
    reset: () => {
      requests = 0;
      for (const [name, slot] of slots) slots.set(name, newSlot(name, slot.behaviour));
    },
    setModel: (name, behaviour) => {
      const problems = behaviourProblems(behaviour, `models.${name}`);
      if (problems.length > 0) throw new InvalidConfigError('fake model behaviour', problems);
      const slot = slots.get(name);
      if (slot === undefined) slots.set(name, newSlot(name, behaviour));
      else slot.behaviour = behaviour;
    },
  };
}

function modelEntry(id: string, created: number): Record<string, unknown> {
  return { id, object: 'model', created, owned_by: 'switchyard-fake' };
}

/** Reads the whole body as UTF-8, or `undefined` once it passes `maxBodyBytes`. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
