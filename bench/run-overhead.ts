/**
 * How much latency does `sy.run()` add over a direct AI SDK call to the same upstream?
 * Both call the local fake upstream (zero latency) for the same model and message; Switchyard runs its
 * whole pipeline (decision, input check, resilience, telemetry into an in-memory SQLite store).
 * Goal: median added <= 0.3 ms.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText } from 'ai';
import { createSwitchyard } from '../src/runtime/client/create-switchyard.js';
import { startFakeUpstream } from '../src/testing/index.js';
import { interleave, ms, quantile } from './runtime/latency-sampler.js';

const ROUNDS = 5;
const PER_ROUND = 400;

const upstream = await startFakeUpstream({ models: { 'bench-model': { reply: 'A short, kind reply.' } } });
const provider = createOpenAICompatible({ name: 'fake', baseURL: upstream.url });
const model = provider.chatModel('bench-model');
const messages = [{ role: 'user' as const, content: 'How do I stay motivated?' }];

const sy = await createSwitchyard({
  store: 'sqlite::memory:',
  providers: { fake: { type: 'openai-compatible', baseURL: upstream.url } },
  features: [
    {
      key: 'coach-reply',
      defaultVariant: 'v2',
      variants: { v2: { type: 'llm', provider: 'fake', model: 'bench-model' } },
    },
  ],
  telemetry: { flushOnSignals: false },
});

const results = await interleave(
  [
    { name: 'direct AI SDK generateText', run: () => generateText({ model, messages, maxRetries: 0 }) },
    {
      name: 'Switchyard sy.run()',
      run: () => sy.run('coach-reply', { attributes: { userId: 'u-1' } }, { messages }),
    },
  ],
  { rounds: ROUNDS, perRound: PER_ROUND, warmup: 200 },
);
await sy.close();
await upstream.close();

const [direct, switchyard] = results as [(typeof results)[0], (typeof results)[0]];
const medianDirect = quantile(direct.samples, 0.5);
const medianSwitchyard = quantile(switchyard.samples, 0.5);
console.log(
  `run() overhead: ${ROUNDS} interleaved rounds x ${PER_ROUND} calls each, node ${process.version}`,
);
for (const { name, samples } of results) {
  console.log(`  ${name.padEnd(30)} p50 ${ms(quantile(samples, 0.5))}  p99 ${ms(quantile(samples, 0.99))}`);
}
const added = medianSwitchyard - medianDirect;
console.log(`median added by run(): ${ms(added)} (ratio ${(medianSwitchyard / medianDirect).toFixed(3)})`);
console.log(`goal: median added <= 0.3 ms: ${added <= 0.3 ? 'met' : 'NOT met'}`);
