/**
 * Child process of bench/gateway: the fake OpenAI-compatible upstream on its own event loop, with a fixed
 * latency (`BENCH_UPSTREAM_LATENCY_MS`, default 20) and a fixed reply. Tells its parent its URL, and its
 * request count when asked (`{ type: 'stats' }`).
 */
import { startFakeUpstream } from '../../src/testing/index.js';
import { answerParent } from './answer-parent.js';
import { benchChat } from './bench-chat.js';

const latencyMs = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? '20');
const upstream = await startFakeUpstream({
  host: '127.0.0.1',
  models: {
    [benchChat.model]: { latencyMs: { distribution: 'fixed', ms: latencyMs }, reply: benchChat.reply },
  },
});

answerParent({
  ready: { url: upstream.url },
  answers: { stats: () => ({ requests: upstream.stats().requests }) },
  stop: () => upstream.close(),
});
