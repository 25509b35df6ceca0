import { countTokens } from 'gpt-tokenizer';
import type { RunMessage } from './model-request.js';

/** Tokens a chat format spends on each message besides its content (role and delimiters). */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** Tokens spent once per request to prime the assistant's reply. */
export const REPLY_PRIMING_TOKENS = 3;
/**
 * Tokens assumed for an image or file part: providers bill them by size and detail (OpenAI 85-1,105 for an
 * image, Anthropic about 1,600 for a large one), which a prompt does not tell; a middle value serves budgets.
 */
export const FILE_PART_TOKENS = 1_000;

/** Special tokens in user text are counted as plain text rather than rejected. */
const encodeOptions = { disallowedSpecial: new Set<string>() };

/**
 * Estimates input tokens with the o200k tokenizer (GPT-4o and later; close enough for other families to
 * enforce limits and budgets): a string counts its tokens; a conversation (plain or typed messages)
 * adds `MESSAGE_OVERHEAD_TOKENS` per message and `REPLY_PRIMING_TOKENS` once, text and reasoning by their
 * tokens, tool calls and results by their JSON, files by `FILE_PART_TOKENS`.
 *
 * @example
 * estimateTokens([{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }]); // 2 + 4 + 3 = 9
 */
export function estimateTokens(input: string | readonly RunMessage[]): number {
  if (typeof input === 'string') return countTokens(input, encodeOptions);
  if (input.length === 0) return 0;
  let total = REPLY_PRIMING_TOKENS;
  for (const message of input) total += estimateMessageTokens(message);
  return total;
}

/** Estimates the tokens of one message, its overhead included. */
export function estimateMessageTokens(message: RunMessage): number {
  if (typeof message.content === 'string')
    return countTokens(message.content, encodeOptions) + MESSAGE_OVERHEAD_TOKENS;
  let total = MESSAGE_OVERHEAD_TOKENS;
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
      case 'reasoning':
        total += countTokens(part.text, encodeOptions);
        break;
      case 'file':
        total += FILE_PART_TOKENS;
        break;
      case 'tool-call':
        total += countTokens(`${part.toolName}${JSON.stringify(part.input) ?? ''}`, encodeOptions);
        break;
      case 'tool-result':
        total += countTokens(JSON.stringify(part.output) ?? '', encodeOptions);
        break;
      case 'tool-approval-response':
        break;
    }
  }
  return total;
}
