import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError, InvalidInputError } from '../../core/errors.js';
import { validateInput } from './validate-input.js';

/** The error `validateInput` throws, for assertions on its field and message. */
function failure(run: () => void): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('validateInput with a string', () => {
  it('accepts ordinary text with no policy', () => {
    expect(() => validateInput('How do I reset my password?')).not.toThrow();
  });

  it.each([
    ['empty', ''],
    ['spaces and tabs', ' \t '],
    ['newlines', '\n\r\n'],
    ['no-break and ideographic spaces', '\u00a0\u3000'],
    ['zero-width characters', '\u200b\u200d\ufeff'],
  ])('always rejects %s text, naming the field', (_name, text) => {
    const error = failure(() => validateInput(text, {}, 'prompt'));
    expect(error.field).toBe('prompt');
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe('prompt: must not be empty or whitespace only');
  });

  it('counts length in code points, so an emoji is one character', () => {
    expect(() => validateInput('😀😀😀', { maxLength: 3 })).not.toThrow();
    expect(failure(() => validateInput('😀😀😀😀', { maxLength: 3 })).message).toBe(
      'input: is 4 characters long; the maximum is 3',
    );
    expect(() => validateInput('😀😀', { minLength: 2 })).not.toThrow();
  });

  it('measures minLength without the surrounding whitespace and maxLength on the raw text', () => {
    expect(failure(() => validateInput('  hi  ', { minLength: 3 })).message).toBe(
      'input: is 2 characters long; the minimum is 3',
    );
    expect(() => validateInput(`${' '.repeat(10)}hello`, { maxLength: 10 })).toThrow(InvalidInputError);
  });

  it('rejects a policy whose minLength exceeds its maxLength as a configuration error', () => {
    expect(() => validateInput('hello', { minLength: 10, maxLength: 5 })).toThrow(InvalidConfigError);
  });

  it.each([
    ['a thumbs up', '👍'],
    ['a thumbs up with a skin tone', '👍🏽'],
    ['a ZWJ family', '👨‍👩‍👧'],
    ['a flag', '🇩🇪'],
    ['a keycap', '1️⃣'],
    ['a heart with variation selector', '❤️'],
    ['several emoji with spaces', ' 🎉  🚀\n✨ '],
    ['a tag sequence flag', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
  ])('rejects %s when rejectEmojiOnly is set', (_name, text) => {
    expect(failure(() => validateInput(text, { rejectEmojiOnly: true })).message).toBe(
      'input: must contain text, not only emoji',
    );
    expect(() => validateInput(text, { rejectEmojiOnly: false })).not.toThrow();
  });

  it.each([
    ['text with an emoji', 'great 👍'],
    ['digits', '123'],
    ['a hash and a star', '# *'],
    ['punctuation', '?!'],
    ['a CJK character', '好'],
  ])('accepts %s with rejectEmojiOnly', (_name, text) => {
    expect(() => validateInput(text, { rejectEmojiOnly: true })).not.toThrow();
  });

  it('never accepts a text made only of whitespace, whatever else it contains', () => {
    const whitespace = fc.string({
      unit: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2003', '\u200b', '\ufeff'),
    });
    fc.assert(
      fc.property(whitespace, (text) => {
        expect(() => validateInput(text)).toThrow(InvalidInputError);
      }),
      { seed: 3_141, numRuns: 200 },
    );
  });
});

describe('validateInput with chat messages', () => {
  const chat = [
    { role: 'system', content: 'You are a coach.' },
    { role: 'user', content: 'Help me plan my week.' },
    { role: 'assistant', content: 'Sure. What are your goals?' },
    { role: 'user', content: 'Run three times.' },
  ];

  it('accepts a well-formed conversation', () => {
    expect(() => validateInput(chat, { minLength: 3 }, 'messages')).not.toThrow();
  });

  it('checks the last user message, naming its index', () => {
    const messages = [
      ...chat.slice(0, 3),
      { role: 'user', content: '   ' },
      { role: 'assistant', content: '' },
    ];
    const error = failure(() => validateInput(messages, {}, 'messages'));
    expect(error.field).toBe('messages[3].content');
  });

  it('applies the length and emoji rules to the last user message only', () => {
    const messages = [
      { role: 'user', content: '👍' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'yes please' },
    ];
    expect(() => validateInput(messages, { rejectEmojiOnly: true }, 'messages')).not.toThrow();
    expect(failure(() => validateInput(messages, { maxLength: 5 }, 'messages')).field).toBe(
      'messages[2].content',
    );
  });

  it('rejects an unknown role, naming the message', () => {
    const error = failure(() => validateInput([{ role: 'robot', content: 'hi' }], {}, 'messages'));
    expect(error.field).toBe('messages[0].role');
    expect(error.message).toContain('"robot"');
  });

  it('rejects an empty list, a list without a user message and entries that are not messages', () => {
    expect(failure(() => validateInput([], {}, 'messages')).field).toBe('messages');
    expect(failure(() => validateInput([{ role: 'system', content: 'x' }], {}, 'messages')).message).toBe(
      'messages: must contain a user message',
    );
    expect(failure(() => validateInput(['hi'], {}, 'messages')).field).toBe('messages[0]');
    expect(failure(() => validateInput([{ content: 'hi' }])).field).toBe('input[0].role');
  });

  it('reads content parts: text parts are checked together, an image alone is enough', () => {
    const text = (value: string) => ({ type: 'text', text: value });
    const image = { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } };
    expect(() => validateInput([{ role: 'user', content: [text('what is'), text('this?')] }])).not.toThrow();
    expect(() => validateInput([{ role: 'user', content: [image] }])).not.toThrow();
    expect(() => validateInput([{ role: 'user', content: [text(' '), image] }])).not.toThrow();
    expect(failure(() => validateInput([{ role: 'user', content: [text(' ')] }])).field).toBe(
      'input[0].content',
    );
    expect(failure(() => validateInput([{ role: 'user', content: [] }])).field).toBe('input[0].content');
    expect(failure(() => validateInput([{ role: 'user', content: [{ type: 'text' }] }])).field).toBe(
      'input[0].content[0].text',
    );
    expect(failure(() => validateInput([{ role: 'user', content: [42] }])).field).toBe(
      'input[0].content[0].type',
    );
    expect(failure(() => validateInput([{ role: 'user', content: null }])).field).toBe('input[0].content');
  });
});

describe('validateInput with other values', () => {
  it('accepts an object with at least one defined field, without checking its fields as text', () => {
    expect(() => validateInput({ userId: 'u1', answers: [] })).not.toThrow();
    expect(() => validateInput({ note: '   ' }, { minLength: 50, rejectEmojiOnly: true })).not.toThrow();
  });

  it('rejects an empty object, a missing input and other types', () => {
    expect(failure(() => validateInput({})).message).toBe('input: must not be an empty object');
    expect(failure(() => validateInput({ a: undefined })).field).toBe('input');
    expect(failure(() => validateInput(undefined)).message).toBe('input: is required');
    expect(failure(() => validateInput(null, {}, 'body')).field).toBe('body');
    expect(failure(() => validateInput(42)).message).toBe(
      'input: must be a string, a list of chat messages or an object',
    );
  });
});
