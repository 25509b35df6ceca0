/**
 * What an object literal that starts with a spread costs on this Node, against the ways the runtime builds
 * the same objects now (docs/decisions/0014-object-literals-on-hot-paths.md). A literal such as
 * `{ ...base, scope: 'run', … }` copies `base`, and every property written after the copy takes V8's slow
 * path on Node 20; the same fields spelled out, or `Object.assign` onto a fresh literal, do not. The bodies
 * build the object a run's call event started from, and a request's options. mitata per-call medians, the
 * median of 5 interleaved rounds; stops by itself in about 30 s.
 *
 * @example
 * npx tsx bench/object-literals.ts
 */
import { do_not_optimize } from 'mitata';
import { measureRounds } from './decide/measure-rounds.js';

const base = { requestId: 'request-1', feature: 'coach-reply', variant: 'v2', unitId: 'user-1' };
const outcome = {
  variant: 'v2',
  ok: true,
  errorClass: null,
  errorMessage: null,
  cached: false,
  latencyMs: 812.5,
  usage: { inputTokens: 1_200, outputTokens: 340 },
  costUsd: 0.00231,
  provider: 'openai',
  model: 'gpt-4o-mini',
  attempts: 1,
};
const target = { protocol: 'http:', hostname: '127.0.0.1', port: 8080, path: '/v1/chat/completions' };
const headers = { 'content-type': 'application/json' };

const results = await measureRounds(
  [
    {
      name: 'event fields: { ...base, 13 properties }',
      body: () =>
        do_not_optimize({
          ...base,
          scope: 'attempt',
          servedVariant: outcome.variant,
          outcome: outcome.ok ? 'success' : 'error',
          errorClass: outcome.errorClass,
          errorMessage: outcome.errorMessage,
          fallback: false,
          cached: outcome.cached,
          latencyMs: outcome.latencyMs,
          usage: outcome.usage,
          costUsd: outcome.costUsd,
          provider: outcome.provider,
          model: outcome.model,
          attempts: outcome.attempts,
        }),
    },
    {
      name: 'event fields spelled out (now)',
      body: () =>
        do_not_optimize({
          requestId: base.requestId,
          feature: base.feature,
          variant: base.variant,
          unitId: base.unitId,
          scope: 'attempt',
          servedVariant: outcome.variant,
          outcome: outcome.ok ? 'success' : 'error',
          errorClass: outcome.errorClass,
          errorMessage: outcome.errorMessage,
          fallback: false,
          cached: outcome.cached,
          latencyMs: outcome.latencyMs,
          usage: outcome.usage,
          costUsd: outcome.costUsd,
          provider: outcome.provider,
          model: outcome.model,
          attempts: outcome.attempts,
        }),
    },
    {
      name: 'request options: { ...target, method, headers }',
      body: () => do_not_optimize({ ...target, method: 'POST', headers }),
    },
    {
      name: 'request options: Object.assign (now)',
      body: () => do_not_optimize(Object.assign({}, target, { method: 'POST', headers })),
    },
  ],
  5,
);

console.log(`object literals on node ${process.version}: mitata per-call medians, median of 5 rounds\n`);
for (const { name, medianNs, roundMediansNs } of results) {
  console.log(
    `${name.padEnd(52)} ${medianNs.toFixed(0).padStart(6)} ns  (rounds ${roundMediansNs.map((ns) => ns.toFixed(0)).join(' / ')})`,
  );
}
