import { describe, expect, it } from 'vitest';
import {
  estimateMessageTokens,
  estimateTokens,
  MESSAGE_OVERHEAD_TOKENS,
  REPLY_PRIMING_TOKENS,
} from './estimate-tokens.js';

describe('estimateTokens', () => {
  it('counts text with the o200k tokenizer', () => {
    expect(estimateTokens('hello world')).toBe(2);
    expect(estimateTokens('')).toBe(0);
  });

  it('counts special-token text as plain text instead of throwing', () => {
    expect(estimateTokens('before <|endoftext|> after')).toBeGreaterThan(3);
  });

  it('adds the per-message overhead and the reply priming to a conversation', () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hello world' },
    ] as const;
    const content = estimateTokens('Be brief.') + estimateTokens('hello world');
    expect(estimateTokens(messages)).toBe(content + 2 * MESSAGE_OVERHEAD_TOKENS + REPLY_PRIMING_TOKENS);
    expect(estimateMessageTokens(messages[1])).toBe(2 + MESSAGE_OVERHEAD_TOKENS);
    expect(estimateTokens([])).toBe(0);
  });
});
