import type { CallEvent } from '../../src/core/event-schema.js';
import { createIdGenerator } from '../../src/runtime/ids/create-id-generator.js';

/**
 * How event and request ids are made: time-ordered UUIDv7 from `createIdGenerator` (what the SDK uses), or
 * random UUIDv4 (what `randomUUID` gives, and what other producers may send).
 */
export type IdStyle = 'v7' | 'v4';

const FEATURES = ['coach-reply', 'persona-generation', 'summary', 'search-rerank', 'title-suggest'];
const VARIANTS: { name: string; provider: string; model: string; costPerToken: number }[] = [
  { name: 'v1', provider: 'openai', model: 'gpt-4o-mini', costPerToken: 0.000_000_6 },
  { name: 'v2', provider: 'anthropic', model: 'claude-sonnet-4', costPerToken: 0.000_003 },
  { name: 'legacy', provider: 'openai', model: 'gpt-3.5-turbo', costPerToken: 0.000_001_5 },
];
const ERRORS = [
  { errorClass: 'timeout', message: 'upstream did not answer within 8000 ms' },
  { errorClass: 'rate_limited', message: '429 Too Many Requests: retry after 2 s' },
  { errorClass: 'parse_error', message: 'output is not valid JSON: Unexpected token } at position 412' },
] as const;

/** A small seeded generator (mulberry32), so every run writes the same events. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A random UUIDv4 from the seeded generator, as one flat string (written as ASCII and decoded once) like the
 * SDK's ids, so both id styles cost the same to serialise.
 */
function uuidV4(random: () => number): string {
  const text = Buffer.alloc(36);
  for (let index = 0; index < 36; index++) {
    text[index] = '0123456789abcdef'.charCodeAt(Math.floor(random() * 16));
  }
  for (const dash of [8, 13, 18, 23]) text[dash] = 0x2d;
  text[14] = 0x34; // version 4
  text[19] = '89ab'.charCodeAt(Math.floor(random() * 4)); // variant 10
  return text.toString('latin1');
}

/**
 * `count` realistic call events, one millisecond-ish apart: five features, three variants on three providers,
 * 94 % successes, 3 % fallbacks, 20 % cache hits, a quarter attempt-scoped, 50,000 users.
 */
export function createCallEvents(count: number, idStyle: IdStyle, seed = 1): CallEvent[] {
  const random = seededRandom(seed);
  // Ids draw from their own stream, so both id styles get the same events otherwise.
  const idRandom = seededRandom(seed + 1);
  const start = 1_750_000_000_000;
  let at = start;
  const newV7 = createIdGenerator({
    clock: () => at,
    random: (bytes) => {
      for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(idRandom() * 256);
    },
  });
  const newId = idStyle === 'v7' ? newV7 : () => uuidV4(idRandom);
  return Array.from({ length: count }, (_, index) => {
    at = start + Math.floor(index * 0.8 + random() * 5);
    const variant = VARIANTS[Math.floor(random() * VARIANTS.length)]!;
    const failed = random() < 0.06;
    const error = failed ? ERRORS[Math.floor(random() * ERRORS.length)]! : undefined;
    const cached = !failed && random() < 0.2;
    const fallback = !cached && random() < 0.03;
    const inputTokens = 200 + Math.floor(random() * 1_800);
    const outputTokens = failed || cached ? 0 : 50 + Math.floor(random() * 600);
    return {
      id: newId(),
      type: 'call',
      at,
      requestId: newId(),
      feature: FEATURES[Math.floor(random() * FEATURES.length)]!,
      scope: random() < 0.25 ? 'attempt' : 'run',
      variant: variant.name,
      servedVariant: failed ? null : fallback ? 'legacy' : variant.name,
      outcome: failed ? 'error' : 'success',
      errorClass: error?.errorClass ?? null,
      errorMessage: error?.message ?? null,
      fallback,
      cached,
      latencyMs: cached ? 2 + random() * 30 : 300 + random() * 7_000,
      inputTokens,
      outputTokens,
      costUsd: cached ? 0 : (inputTokens + outputTokens) * variant.costPerToken,
      provider: variant.provider,
      model: variant.model,
      attempts: fallback ? 2 : 1,
      unitId: `user-${Math.floor(random() * 50_000)}`,
    };
  });
}
