import { countTokens } from 'gpt-tokenizer';
import type { ChatMessage } from './chat-message.js';

/** Tokens a chat format spends on each message besides its content (role and delimiters). */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** Tokens spent once per request to prime the assistant's reply. */
export const REPLY_PRIMING_TOKENS = 3;

/** Special tokens in user text are counted as plain text rather than rejected. */
const encodeOptions = { disallowedSpecial: new Set<string>() };

/**
 * Estimates input tokens with the o200k tokenizer (GPT-4o and later; close enough for other families
 * to enforce limits and budgets): a string counts its tokens, a conversation adds
 * `MESSAGE_OVERHEAD_TOKENS` per message and `REPLY_PRIMING_TOKENS` once.
 *
 * @example
 * estimateTokens([{ role: 'user', content: 'Hello there' }]); // 2 + 4 + 3 = 9
 */
export function estimateTokens(input: string | readonly ChatMessage[]): number {
  if (typeof input === 'string') return countTokens(input, encodeOptions);
  if (input.length === 0) return 0;
  let total = REPLY_PRIMING_TOKENS;
  for (const message of input) total += estimateMessageTokens(message);
  return total;
}

/** Estimates the tokens of one message, its overhead included. */
export function estimateMessageTokens(message: ChatMessage): number {
  return countTokens(message.content, encodeOptions) + MESSAGE_OVERHEAD_TOKENS;
}
