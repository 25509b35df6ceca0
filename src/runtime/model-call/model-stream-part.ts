import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';

/**
 * A part of a streamed answer, as the language-model spec streams it: text, reasoning and tool-input deltas
 * with their starts and ends, whole tool calls, files and sources. The spec's bookkeeping parts (stream
 * start, response metadata, raw chunks, errors and the finish) are not among them: errors end the stream
 * and the finish is the run's own.
 */
export type ModelStreamPart = Exclude<
  LanguageModelV3StreamPart,
  { type: 'stream-start' | 'response-metadata' | 'raw' | 'error' | 'finish' }
>;
