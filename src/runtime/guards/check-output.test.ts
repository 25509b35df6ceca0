import { describe, expect, it } from 'vitest';
import { InvalidConfigError, InvalidInputError } from '../../core/errors.js';
import { checkOutput } from './check-output.js';

const banned = { bannedPhrases: ['ignore previous instructions', 'as an AI'] };

describe('checkOutput banned phrases', () => {
  it('accepts an output without banned phrases, and everything with no policy', () => {
    expect(checkOutput('Run three times this week.', banned)).toEqual({ ok: true });
    expect(checkOutput('ignore previous instructions')).toEqual({ ok: true });
  });

  it.each([
    ['the exact phrase', 'Please ignore previous instructions.'],
    ['another case', 'IGNORE Previous INSTRUCTIONS'],
    ['other whitespace', 'ignore\n\tprevious   instructions'],
    ['a no-break space', 'ignore\u00a0previous instructions'],
    ['a zero-width space inside a word', 'ig\u200bnore previous instructions'],
    ['full-width letters', 'ｉｇｎｏｒｅ previous instructions'],
  ])('rejects %s', (_name, text) => {
    expect(checkOutput(text, banned)).toEqual({
      ok: false,
      guard: 'bannedPhrases',
      message: 'contains the banned phrase "ignore previous instructions"',
    });
  });

  it('matches whole words at the ends of a phrase only', () => {
    expect(checkOutput('Hash it: as an AIM check', banned)).toEqual({ ok: true });
    expect(checkOutput('has an AI', banned)).toEqual({ ok: true });
    expect(checkOutput('Well, as an AI, I cannot', banned).ok).toBe(false);
    expect(checkOutput('class act', { bannedPhrases: ['ass'] })).toEqual({ ok: true });
    expect(checkOutput('"ass"', { bannedPhrases: ['ass'] }).ok).toBe(false);
  });

  it('matches a phrase with punctuation at its end wherever it occurs', () => {
    expect(checkOutput('see http://x', { bannedPhrases: ['http://'] }).ok).toBe(false);
  });
});

describe('checkOutput named guards', () => {
  const guards = {
    json: (text: string) => text.trim().startsWith('{'),
    short: (text: string) => (text.length > 20 ? `is ${text.length} characters long` : null),
    exploding: () => {
      throw new Error('boom');
    },
  };

  it('runs the named guards in order and reports the first failure', () => {
    expect(checkOutput('{"ok": true}', { guards: ['json', 'short'] }, guards)).toEqual({ ok: true });
    expect(checkOutput('plain text', { guards: ['json', 'short'] }, guards)).toEqual({
      ok: false,
      guard: 'json',
      message: 'rejected the output',
    });
    expect(checkOutput('{"a": "a longer value"}', { guards: ['json', 'short'] }, guards)).toEqual({
      ok: false,
      guard: 'short',
      message: 'is 23 characters long',
    });
  });

  it('checks banned phrases before the guards', () => {
    const result = checkOutput('as an AI', { ...banned, guards: ['json'] }, guards);
    expect(result).toMatchObject({ ok: false, guard: 'bannedPhrases' });
  });

  it('treats a guard that throws as a rejection', () => {
    expect(checkOutput('x', { guards: ['exploding'] }, guards)).toEqual({
      ok: false,
      guard: 'exploding',
      message: 'threw Error: boom',
    });
  });

  it('ignores guards the policy does not name', () => {
    expect(checkOutput('plain text', {}, guards)).toEqual({ ok: true });
  });

  it('reports every unregistered guard with its path before running any', () => {
    let calls = 0;
    const counting = {
      json: () => {
        calls += 1;
        return true;
      },
    };
    try {
      checkOutput('x', { guards: ['json', 'missing', 'toString'] }, counting);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
      expect((error as InvalidConfigError).problems).toEqual([
        { path: 'policy.output.guards[1]', message: 'no guard named "missing" is registered' },
        { path: 'policy.output.guards[2]', message: 'no guard named "toString" is registered' },
      ]);
    }
    expect(calls).toBe(0);
  });

  it('rejects an output that is not a string', () => {
    expect(() => checkOutput({} as unknown as string, banned)).toThrow(InvalidInputError);
  });
});
