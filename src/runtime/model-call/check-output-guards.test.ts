import { describe, expect, it } from 'vitest';
import { checkOutputGuards } from './check-output-guards.js';

describe('checkOutputGuards', () => {
  it('finds banned phrases whatever their case and reports the first one', () => {
    const guards = { bannedPhrases: ['lorem', 'As An AI'] };
    expect(checkOutputGuards('well, as an ai I think', guards)).toBe(
      'output contains the banned phrase "As An AI"',
    );
    expect(checkOutputGuards('a fine answer', guards)).toBeUndefined();
  });

  it('runs guards in order and stops at the first reason', () => {
    const calls: string[] = [];
    const guards = {
      guards: [
        (text: string) => {
          calls.push('first');
          return text.length > 5 ? 'too long' : null;
        },
        () => {
          calls.push('second');
          return 'never reached';
        },
      ],
    };
    expect(checkOutputGuards('a long answer', guards)).toBe('too long');
    expect(calls).toEqual(['first']);
  });

  it('turns a guard that throws into a rejection', () => {
    const guards = {
      guards: [
        () => {
          throw new Error('regex exploded');
        },
      ],
    };
    expect(checkOutputGuards('text', guards)).toBe('guard threw: regex exploded');
  });
});
