import { describe, expect, it } from 'vitest';
import { completionTokenLimit, messageText, parseChatRequest, promptTokenCount } from './chat-request.js';

const valid = { model: 'm', messages: [{ role: 'user', content: 'hello' }] };

describe('parseChatRequest', () => {
  it('accepts a minimal request and keeps unknown fields', () => {
    const parsed = parseChatRequest({ ...valid, user: 'u-1' });
    expect(parsed).toEqual({ ok: true, request: { ...valid, user: 'u-1' } });
  });

  it.each([
    [[], null],
    [{ messages: valid.messages }, 'model'],
    [{ model: 'm', messages: 'hi' }, 'messages'],
    [{ model: 'm', messages: [{ content: 'no role' }] }, 'messages[0]'],
    [{ model: 'm', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content'],
    [{ ...valid, max_completion_tokens: 1.5 }, 'max_completion_tokens'],
    [{ ...valid, stream: 'yes' }, 'stream'],
    [{ ...valid, response_format: { type: 'xml' } }, 'response_format.type'],
    [{ ...valid, response_format: { type: 'json_schema' } }, 'response_format.json_schema'],
  ])('names the bad field of %j', (body, param) => {
    const parsed = parseChatRequest(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem.param).toBe(param);
  });
});

describe('request helpers', () => {
  it('joins the text parts of multi-part content and counts prompt tokens from them', () => {
    const message = {
      role: 'user',
      content: [{ type: 'text', text: 'abcd' }, { type: 'image_url' }, { type: 'text', text: 'efgh' }],
    };
    expect(messageText(message)).toBe('abcdefgh');
    const parsed = parseChatRequest({ model: 'm', messages: [message] });
    // 3 for the reply, 3 for the message frame, 2 for eight characters of text.
    if (parsed.ok) expect(promptTokenCount(parsed.request)).toBe(8);
    expect(parsed.ok).toBe(true);
  });

  it('prefers max_completion_tokens over max_tokens', () => {
    expect(completionTokenLimit({ ...valid, max_tokens: 9, max_completion_tokens: 4 })).toBe(4);
    expect(completionTokenLimit({ ...valid, max_tokens: 9 })).toBe(9);
    expect(completionTokenLimit(valid)).toBeUndefined();
  });
});
