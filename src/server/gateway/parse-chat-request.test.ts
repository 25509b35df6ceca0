import { describe, expect, it } from 'vitest';
import { parseChatRequest } from './parse-chat-request.js';

const body = (extra: Record<string, unknown> = {}) => ({
  model: 'switchyard/coach-reply',
  messages: [
    { role: 'developer', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'first' },
        { type: 'text', text: 'part' },
      ],
    },
    { role: 'assistant', content: 'ok' },
    { role: 'user', content: 'last question' },
  ],
  ...extra,
});

describe('parseChatRequest', () => {
  it('reads the conversation, the last user message as input, and the sampling defaults', () => {
    const request = parseChatRequest(
      body({ temperature: 0.2, max_tokens: 50, max_completion_tokens: 40 }),
      {},
    );
    expect(request).toMatchObject({
      feature: 'coach-reply',
      input: 'last question',
      parameters: { temperature: 0.2, maxTokens: 40 },
      stream: false,
      includeUsage: false,
    });
    expect(request.messages.map((message) => [message.role, message.content])).toEqual([
      ['system', 'Be brief.'],
      ['user', 'first\npart'],
      ['assistant', 'ok'],
      ['user', 'last question'],
    ]);
  });

  it('prefers the feature header to the model, and the user header to the body user', () => {
    const request = parseChatRequest(body({ user: 'body-user', model: 'gpt-4o' }), {
      'x-switchyard-feature': 'other',
      'x-switchyard-user': 'header-user',
      'x-switchyard-attributes': '{"tier":"paid","userId":"attribute-user"}',
    });
    expect(request.feature).toBe('other');
    expect(request.attributes).toEqual({ tier: 'paid', userId: 'header-user' });
    expect(parseChatRequest(body({ user: 'body-user' }), {}).attributes).toEqual({ userId: 'body-user' });
  });

  it('names the field or header at fault', () => {
    const fieldOf = (input: unknown, headers: Record<string, string> = {}) => {
      try {
        parseChatRequest(input, headers);
        return undefined;
      } catch (error) {
        return (error as { field?: string }).field;
      }
    };
    expect(fieldOf(body({ model: undefined }))).toBe('model');
    expect(fieldOf(body({ model: 'switchyard/' }))).toBe('model');
    expect(
      fieldOf({ model: 'switchyard/x', messages: [{ role: 'user', content: [{ type: 'image_url' }] }] }),
    ).toBe('messages[0].content');
    expect(fieldOf(body({ max_tokens: 0 }))).toBe('max_tokens');
    expect(fieldOf(body(), { 'x-switchyard-attributes': 'null' })).toBe('x-switchyard-attributes');
    expect(fieldOf('not an object')).toBe('body');
  });
});
