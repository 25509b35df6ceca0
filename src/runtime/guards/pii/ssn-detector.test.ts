import { describe, expect, it } from 'vitest';
import { ssnDetector } from './ssn-detector.js';

const matches = (text: string) => ssnDetector.find(text).map((span) => text.slice(span.start, span.end));

describe('ssnDetector', () => {
  it.each(['536-22-1957', '536 22 1957', '001-01-0001', '899-99-9999', '665-12-3456'])('finds %s', (ssn) => {
    expect(matches(`SSN ${ssn}.`)).toEqual([ssn]);
  });

  it.each([
    ['area 000', '000-12-3456'],
    ['area 666', '666-12-3456'],
    ['area 9xx', '912-34-5678'],
    ['group 00', '123-00-4567'],
    ['serial 0000', '123-45-0000'],
    ['mixed separators', '123-45 6789'],
    ['no separators', '123456789'],
    ['an id prefix', 'ID-123-45-6789'],
    ['a longer number', '123-45-67890'],
  ])('ignores %s', (_name, text) => {
    expect(matches(text)).toEqual([]);
  });
});
