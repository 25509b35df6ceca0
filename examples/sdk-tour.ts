/**
 * The SDK part of the tour: runs the example features against a local fake OpenAI-compatible upstream
 * (no keys, no network), with a legacy handler as the fallback, then prints what telemetry recorded.
 */
import { createSwitchyard } from '../src/index.js';
import { startFakeUpstream } from '../src/testing/index.js';

const store = process.env.SWITCHYARD_DB ?? 'sqlite:./switchyard-tour.db';
const upstream = await startFakeUpstream({
  seed: 42,
  models: {
    // Stands in for a real provider: 40-120 ms answers and 20 % server errors.
    'gpt-4o-mini': { latencyMs: { distribution: 'uniform', min: 40, max: 120 }, faults: { errorRate: 0.2 } },
  },
});

const sy = await createSwitchyard({
  store,
  providers: { openai: { type: 'openai-compatible', baseURL: upstream.url } },
  handlers: { v1: ({ input }) => `V1 coach: keep going with "${String(input)}"` },
  telemetry: { flushOnSignals: false },
});

console.log('coach-reply for ten paid users (10 % enter a 50/50 split; V2 falls back to V1 on errors):');
for (let index = 0; index < 10; index++) {
  const userId = `user-${index * 37}`;
  const context = { attributes: { userId, tier: 'paid' } };
  const result = await sy.run('coach-reply', context, { input: 'I skipped the gym today' });
  const fallback = result.fallback
    ? ` (fell back from ${result.fallback.from}: ${result.fallback.causes[0]?.errorClass})`
    : '';
  console.log(
    `  ${userId.padEnd(9)} ${result.reason.padEnd(15)} ${result.variant}${fallback} ${result.latencyMs.toFixed(1)} ms`,
  );
  if (index % 3 === 0) sy.feedback(result.requestId, { accepted: true });
}

const drafts = await sy.runAll(
  'session-builder',
  { attributes: { userId: 'coach-1' } },
  { input: 'leg day' },
  {
    variants: ['baseline', 'rag-focused', 'rag-progressive', 'rag-varied'],
  },
);
console.log(
  '\nsession-builder, four variants in parallel (baseline has no handler here, so it reports an error):',
);
for (const draft of drafts.results) {
  console.log(`  ${draft.variant.padEnd(16)} ${draft.error ? `error ${draft.error.errorClass}` : 'ok'}`);
}
sy.feedback(drafts.requestId, { selectedVariant: 'rag-focused' });

await sy.close();
await upstream.close();
console.log('\ntelemetry:', sy.telemetryStats());
