import { InvalidInputError } from '../../core/errors.js';
import { estimateMessageTokens, REPLY_PRIMING_TOKENS } from './estimate-tokens.js';
import type { RunMessage } from './model-request.js';

/** What to keep of a conversation: the context policy of a feature. */
export interface TrimContextOptions {
  /** Keep at most this many non-system messages, the most recent ones. */
  lastMessages?: number;
  /** Drop the oldest non-system messages until the estimate is at most this many input tokens. */
  maxInputTokens?: number;
}

/**
 * Cuts a conversation (plain or typed messages) down to the context policy: every system message stays, then only the last `lastMessages`
 * other messages, then the oldest non-system messages go until the estimated input fits `maxInputTokens`.
 * The last user message is never dropped, and an assistant message that calls tools goes or stays with the
 * tool messages that answer it (a tool result without its call, or a call without its result, is refused by
 * providers). When what must stay exceeds the cap, an InvalidInputError names `messages`. Order is kept.
 *
 * @example
 * trimContext(prompt, { lastMessages: 20, maxInputTokens: 8_000 });
 */
export function trimContext<Message extends RunMessage>(
  prompt: readonly Message[],
  options: TrimContextOptions,
): Message[] {
  const { lastMessages, maxInputTokens } = options;
  let lastUser = -1;
  for (let index = prompt.length - 1; index >= 0; index -= 1) {
    if (prompt[index]?.role === 'user') {
      lastUser = index;
      break;
    }
  }
  // A tool message belongs to the turn before it: the two are kept or dropped together.
  const turnOf: number[] = [];
  prompt.forEach((message, index) => {
    turnOf.push(message.role === 'tool' && index > 0 ? (turnOf[index - 1] as number) : index);
  });
  const keep = prompt.map(() => true);
  const tokens = maxInputTokens === undefined ? [] : prompt.map(estimateMessageTokens);
  let kept = REPLY_PRIMING_TOKENS + tokens.reduce((sum, count) => sum + count, 0);
  const drop = (index: number) => {
    const turn = turnOf[index] as number;
    for (let other = turn; other < prompt.length && turnOf[other] === turn; other += 1) {
      if (keep[other]) kept -= tokens[other] ?? 0;
      keep[other] = false;
    }
  };
  const droppable = (index: number) => {
    const turn = turnOf[index] as number;
    if (prompt[index]?.role === 'system') return false;
    for (let other = turn; other < prompt.length && turnOf[other] === turn; other += 1) {
      if (other === lastUser) return false;
    }
    return true;
  };
  if (lastMessages !== undefined) {
    let seen = 0;
    for (let index = prompt.length - 1; index >= 0; index -= 1) {
      if (prompt[index]?.role === 'system') continue;
      seen += 1;
      if (seen > lastMessages && droppable(index)) drop(index);
    }
    // A turn cut in the middle (its call dropped, a result kept) goes whole.
    for (let index = 0; index < prompt.length; index += 1) if (!keep[index]) drop(index);
  }
  if (maxInputTokens !== undefined) {
    for (let index = 0; index < prompt.length && kept > maxInputTokens; index += 1) {
      if (keep[index] && droppable(index)) drop(index);
    }
    // An emptied conversation sends nothing, so it costs nothing (as estimateTokens counts it).
    const needed = keep.includes(true) ? kept : 0;
    if (needed > maxInputTokens) {
      throw new InvalidInputError(
        'messages',
        `the system messages and the last user message need about ${needed} input tokens, more than the ${maxInputTokens} allowed`,
      );
    }
  }
  return prompt.filter((_, index) => keep[index]);
}
