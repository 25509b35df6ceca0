/**
 * Child process of bench/gateway: a Switchyard server as it runs by default (SQLite store in a file,
 * telemetry on, token auth), with one feature, `bench-chat`, whose only variant is an LLM on the fake
 * upstream at `BENCH_UPSTREAM_URL`. Tells its parent its URL and the generated admin token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../../src/server/create-server.js';
import { answerParent } from './answer-parent.js';
import { benchChat } from './bench-chat.js';

const upstreamUrl = process.env.BENCH_UPSTREAM_URL;
if (upstreamUrl === undefined) throw new Error('BENCH_UPSTREAM_URL is not set');
const directory = mkdtempSync(join(tmpdir(), 'switchyard-bench-gateway-'));

const server = await createServer({
  store: `sqlite:${join(directory, 'switchyard.db')}`,
  host: '127.0.0.1',
  port: 0,
  providers: { [benchChat.provider]: { type: 'openai-compatible', baseURL: upstreamUrl } },
  features: [
    {
      key: benchChat.feature,
      defaultVariant: 'llm',
      variants: { llm: { type: 'llm', provider: benchChat.provider, model: benchChat.model } },
    },
  ],
});
const url = await server.listen();

answerParent({
  ready: { url, adminToken: server.adminToken },
  stop: async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  },
});
