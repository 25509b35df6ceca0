import { describe, expect, it } from 'vitest';
import { followsCodeBlock } from './follows-code-block.js';

describe('followsCodeBlock', () => {
  it.each([
    ['a country code with check digits', 'NO52 0853 9190 524', 5],
    ['a block mixing letters and digits', 'FR80 7256 0224 66Z3 0047 0459 843', 20],
    ['a bank code after an IBAN start', 'NL00 PVQH 0762 8000 11', 10],
  ])('is true after %s', (_name, text, start) => {
    expect(followsCodeBlock(text, start)).toBe(true);
  });

  it.each([
    ['a word', 'Call 0853 919052', 5],
    ['a word in capitals', 'CALL 0853 919052', 5],
    ['a year', 'in 2023 415-555-2671', 8],
    ['a longer token', 'ABCD12 0853 919052', 7],
    ['no space', 'NO52-0853', 5],
    ['the start of the text', '0853 9190', 0],
  ])('is false after %s', (_name, text, start) => {
    expect(followsCodeBlock(text, start)).toBe(false);
  });
});
