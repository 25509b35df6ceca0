import { InvalidInputError } from '../../core/errors.js';
import type { ChatMessage } from './chat-message.js';
import { estimateMessageTokens, REPLY_PRIMING_TOKENS } from './estimate-tokens.js';

/** What to keep of a conversation: the context policy of a feature. */
export interface TrimContextOptions {
  /** Keep at most this many non-system messages, the most recent ones. */
  lastMessages?: number;
  /** Drop the oldest non-system messages until the estimate is at most this many input tokens. */
  maxInputTokens?: number;
}

/**
 * Cuts a conversation down to the context policy: every system message stays, then only the last
 * `lastMessages` other messages, then the oldest non-system messages go until the estimated input fits
 * `maxInputTokens`. The last user message is never dropped; when it and the system messages alone
 * exceed the cap, an InvalidInputError names `messages`. Order is preserved.
 *
 * @example
 * trimContext(history, { lastMessages: 20, maxInputTokens: 8_000 });
 */
export function trimContext(messages: readonly ChatMessage[], options: TrimContextOptions): ChatMessage[] {
  const { lastMessages, maxInputTokens } = options;
  let lastUser = -1;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    if (messages[index]?.role === 'user') {
      lastUser = index;
      break;
    }
  }
  const keep = messages.map(() => true);
  if (lastMessages !== undefined) {
    let seen = 0;
    for (let index = messages.length - 1; index >= 0; index -= 1) {
      if (messages[index]?.role === 'system') continue;
      seen += 1;
      if (seen > lastMessages && index !== lastUser) keep[index] = false;
    }
  }
  if (maxInputTokens !== undefined) {
    const tokens = messages.map(estimateMessageTokens);
    let total = REPLY_PRIMING_TOKENS;
    for (let index = 0; index < messages.length; index += 1) if (keep[index]) total += tokens[index] ?? 0;
    for (let index = 0; index < messages.length && total > maxInputTokens; index += 1) {
      if (!keep[index] || index === lastUser || messages[index]?.role === 'system') continue;
      keep[index] = false;
      total -= tokens[index] ?? 0;
    }
    // An emptied conversation sends nothing, so it costs nothing (as estimateTokens counts it).
    if (!keep.includes(true)) total = 0;
    if (total > maxInputTokens) {
      throw new InvalidInputError(
        'messages',
        `the system messages and the last user message need about ${total} input tokens, more than the ${maxInputTokens} allowed`,
      );
    }
  }
  return messages.filter((_, index) => keep[index]);
}
