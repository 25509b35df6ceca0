/**
 * `switchyard/testing`: a local fake of the OpenAI chat-completions API with seeded latency and fault
 * injection, plus the JSON Schema instance builders it uses for structured output.
 */
export type { ChatCompletionRequest, ChatMessage } from './chat-request.js';
export { type FakeUpstream, type FakeUpstreamStats, startFakeUpstream } from './fake-upstream.js';
export type { FakeModelBehaviour, FakeUpstreamOptions } from './fake-upstream-options.js';
export type { FakeFaults, FaultKind } from './fault-plan.js';
export { jsonSchemaInstance } from './json-schema-instance.js';
export { jsonSchemaViolation } from './json-schema-violation.js';
export type { LatencySpec } from './latency.js';
export { createSeededRandom, type RandomSource } from './seeded-random.js';
