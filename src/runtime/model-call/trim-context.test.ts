import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.js';
import { estimateMessageTokens, estimateTokens } from './estimate-tokens.js';
import type { ChatMessage } from './model-request.js';
import { trimContext } from './trim-context.js';

const message = (role: ChatMessage['role'], content: string): ChatMessage => ({ role, content });

const messageArbitrary = fc.record({
  role: fc.constantFrom<ChatMessage['role']>('system', 'user', 'assistant'),
  content: fc.lorem({ maxCount: 12 }),
});

const lastUserIndex = (messages: readonly ChatMessage[]) =>
  messages.map((item) => item.role).lastIndexOf('user');

/** Whether `subset` is `whole` with some items left out, order kept (by identity). */
function isSubsequence(subset: readonly ChatMessage[], whole: readonly ChatMessage[]): boolean {
  let position = 0;
  for (const item of whole) if (item === subset[position]) position += 1;
  return position === subset.length;
}

describe('trimContext', () => {
  const conversation = [
    message('system', 'You are a coach.'),
    message('user', 'first question'),
    message('assistant', 'first answer'),
    message('user', 'second question'),
    message('assistant', 'second answer'),
    message('user', 'third question'),
  ];

  it('keeps every message when no limit applies', () => {
    expect(trimContext(conversation, {})).toEqual(conversation);
  });

  it('keeps system messages and the last N others', () => {
    expect(trimContext(conversation, { lastMessages: 2 })).toEqual([
      conversation[0],
      conversation[4],
      conversation[5],
    ]);
  });

  it('keeps the last user message even when it falls outside the last N', () => {
    const endsWithAssistant = [...conversation, message('assistant', 'third answer')];
    expect(trimContext(endsWithAssistant, { lastMessages: 1 })).toEqual([
      conversation[0],
      conversation[5],
      endsWithAssistant[6],
    ]);
  });

  it('drops the oldest non-system messages until the estimate fits the cap', () => {
    const cap = estimateTokens([conversation[0]!, conversation[3]!, conversation[4]!, conversation[5]!]);
    const trimmed = trimContext(conversation, { maxInputTokens: cap });
    expect(trimmed).toEqual([conversation[0], conversation[3], conversation[4], conversation[5]]);
    expect(estimateTokens(trimmed)).toBeLessThanOrEqual(cap);
  });

  it('throws InvalidInputError naming messages when the last user message alone is over the cap', () => {
    const long = [message('user', 'word '.repeat(500))];
    const error = (() => {
      try {
        trimContext(long, { maxInputTokens: 50 });
      } catch (caught: unknown) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('messages');
  });

  it('never drops a system message or the last user message, keeps order, and fits the cap', () => {
    fc.assert(
      fc.property(
        fc.array(messageArbitrary, { maxLength: 25 }),
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
        (messages, lastMessages, maxInputTokens) => {
          const lastUser = messages[lastUserIndex(messages)];
          const protectedTokens =
            messages
              .filter((item) => item.role === 'system' || item === lastUser)
              .map(estimateMessageTokens)
              .reduce((sum, tokens) => sum + tokens, 0) + 3;
          let trimmed: ChatMessage[];
          try {
            trimmed = trimContext(messages, { lastMessages, maxInputTokens });
          } catch (error: unknown) {
            // Only a cap the protected messages cannot fit is refused.
            expect(error).toBeInstanceOf(InvalidInputError);
            expect(maxInputTokens).toBeDefined();
            expect(protectedTokens).toBeGreaterThan(maxInputTokens ?? Number.POSITIVE_INFINITY);
            return;
          }
          expect(isSubsequence(trimmed, messages)).toBe(true);
          for (const item of messages) if (item.role === 'system') expect(trimmed).toContain(item);
          if (lastUser !== undefined) expect(trimmed).toContain(lastUser);
          if (maxInputTokens !== undefined)
            expect(estimateTokens(trimmed)).toBeLessThanOrEqual(maxInputTokens);
          if (lastMessages !== undefined) {
            const others = trimmed.filter((item) => item.role !== 'system' && item !== lastUser);
            expect(others.length).toBeLessThanOrEqual(lastMessages);
          }
        },
      ),
      { seed: 20_260_301, numRuns: 300 },
    );
  });
});
