/**
 * `switchyard`: the embedded SDK. `createSwitchyard()` gives a client that decides, runs LLM features
 * with fallback, resilience, caching, limits, budgets and structured output, and records telemetry.
 *
 * @example
 * import { createSwitchyard } from 'switchyard';
 * const sy = await createSwitchyard({
 *   providers: { openai: { type: 'openai', apiKey: process.env.OPENAI_API_KEY } },
 *   handlers: { v1: async ({ input }) => legacyCoach(input) },
 * });
 * const reply = await sy.run('coach-reply', { attributes: { userId: 'u-42', tier: 'paid' } }, { input: message });
 * sy.feedback(reply.requestId, { accepted: true });
 * await sy.close();
 */
export * from './core/index.js';
export { createSwitchyard, type SwitchyardOptions } from './runtime/client/create-switchyard.js';
export type { FeatureEvent, FeatureEventListener } from './runtime/client/feature-events.js';
export type {
  ChatMessage,
  ContentPart,
  FeedbackInput,
  FinishReason,
  HandlerContext,
  ModelParameters,
  ModelSettings,
  ModelTool,
  ModelToolChoice,
  ProviderOptions as ModelProviderOptions,
  ResponseFormat,
  RunAllResult,
  RunAnswer,
  RunMessage,
  RunRequest,
  RunResult,
  ToolCall,
  Usage,
  VariantHandler,
  VariantRunResult,
} from './runtime/client/run-types.js';
export type { OutputGuard } from './runtime/client/runtime-services.js';
export type {
  RunStreamPart,
  StreamRequest,
  StreamResult,
  StreamRun,
} from './runtime/client/stream-types.js';
export type { DecideOptions, Switchyard } from './runtime/client/switchyard-client.js';
export {
  createPiiRedactor,
  type PiiDetector,
  type PiiFinding,
  type PiiRedaction,
  redactPII,
} from './runtime/guards/redact-pii.js';
export { ModelCallError } from './runtime/model-call/model-call-error.js';
export type {
  ItemAttributeValue,
  RankedItem,
  RankItem,
  RankRequest,
  RankResult,
} from './runtime/personalization/rank-types.js';
export { DEFAULT_PRICING, type ModelPrice } from './runtime/providers/pricing.js';
export type {
  ProviderEntry,
  ProviderInstance,
  ProviderOptions,
} from './runtime/providers/provider-registry.js';
export { RemoteRequestError } from './runtime/remote/remote-request-error.js';
export {
  type ApplyOutcome,
  applyFeature,
  type FeatureSwitch,
  switchFeature,
} from './store/feature-commands.js';
export * from './store/index.js';
