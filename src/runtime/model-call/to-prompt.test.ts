import { describe, expect, it } from 'vitest';
import type { RunMessage } from './model-request.js';
import { toPrompt } from './to-prompt.js';
import { trimContext } from './trim-context.js';

describe('toPrompt', () => {
  it('turns plain messages into text parts, keeps typed ones, and puts the system prompt first once', () => {
    const image = {
      type: 'file' as const,
      mediaType: 'image/png',
      data: new URL('https://example.com/a.png'),
    };
    const messages: RunMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, image] },
      { role: 'assistant', content: 'A cat.' },
    ];
    expect(toPrompt(messages, 'Be brief.')).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, image] },
      { role: 'assistant', content: [{ type: 'text', text: 'A cat.' }] },
    ]);
    expect(toPrompt([{ role: 'user', content: 'Hi' }], 'Be brief.')[0]).toEqual({
      role: 'system',
      content: 'Be brief.',
    });
  });

  it("with mode replace, sends the variant's system prompt instead of the caller's", () => {
    const messages = [
      { role: 'system' as const, content: 'Answer in French.' },
      { role: 'user' as const, content: 'Hi' },
    ];
    expect(toPrompt(messages, 'Be brief.', 'replace').map((message) => message.role)).toEqual([
      'system',
      'user',
    ]);
    expect(toPrompt(messages, 'Be brief.', 'replace')[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(toPrompt(messages, 'Be brief.').map((message) => message.role)).toEqual([
      'system',
      'system',
      'user',
    ]);
    // Without a system prompt of its own, the variant keeps the caller's.
    expect(toPrompt(messages, undefined, 'replace')[0]).toEqual({
      role: 'system',
      content: 'Answer in French.',
    });
  });

  it('refuses a role or part the spec does not allow there, naming it', () => {
    const bad = (message: unknown) => () => toPrompt([message as RunMessage]);
    expect(bad({ role: 'function', content: 'x' })).toThrowError(/messages\[0\]\.role/);
    expect(bad({ role: 'user', content: [{ type: 'reasoning', text: 'x' }] })).toThrowError(
      /messages\[0\]\.content\[0\]\.type/,
    );
    expect(bad({ role: 'tool', content: 'x' })).toThrowError(/messages\[0\]\.content/);
    expect(
      bad({ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: 't' }] }),
    ).toThrowError(/content\[0\]\.output/);
    expect(bad({ role: 'user', content: [{ type: 'file', mediaType: 'image/png', data: 42 }] })).toThrowError(
      /data/,
    );
    expect(bad(null)).toThrowError(/messages\[0\]/);
  });
});

describe('trimContext with tool turns', () => {
  it('drops an assistant tool call together with the tool results that answer it', () => {
    const call = {
      type: 'tool-call' as const,
      toolCallId: 'c1',
      toolName: 'weather',
      input: { city: 'Paris' },
    };
    const result = {
      type: 'tool-result' as const,
      toolCallId: 'c1',
      toolName: 'weather',
      output: { type: 'json' as const, value: { sky: 'sunny' } },
    };
    const prompt = toPrompt([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: [call] },
      { role: 'tool', content: [result] },
      { role: 'assistant', content: 'Sunny.' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
    // Three messages fit: the tool result alone would be orphaned, so it goes with its call.
    expect(trimContext(prompt, { lastMessages: 3 }).map((message) => message.role)).toEqual([
      'assistant',
      'user',
    ]);
    expect(trimContext(prompt, { lastMessages: 4 }).map((message) => message.role)).toEqual([
      'assistant',
      'tool',
      'assistant',
      'user',
    ]);
  });
});
