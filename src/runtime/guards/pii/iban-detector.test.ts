import { describe, expect, it } from 'vitest';
import { ibanDetector } from './iban-detector.js';

const matches = (text: string) => ibanDetector.find(text).map((span) => text.slice(span.start, span.end));

describe('ibanDetector', () => {
  it.each([
    'DE89 3704 0044 0532 0130 00',
    'DE89370400440532013000',
    'GB29 NWBK 6016 1331 9268 19',
    'FR14 2004 1010 0505 0001 3M02 606',
    'NL91 ABNA 0417 1643 00',
    'ES91 2100 0418 4502 0005 1332',
    'BE68 5390 0754 7034',
    'CH93 0076 2011 6238 5295 7',
    'IT60 X054 2811 1010 0000 0123 456',
    'NO93 8601 1117 947',
    'PL61 1090 1014 0000 0712 1981 2874',
    'de89 3704 0044 0532 0130 00',
  ])('finds %s', (iban) => {
    expect(matches(`transfer to ${iban}, thanks`)).toEqual([iban]);
  });

  it('ends at the country length even when capitals follow', () => {
    expect(matches('DE89 3704 0044 0532 0130 00 IN FULL')).toEqual(['DE89 3704 0044 0532 0130 00']);
  });

  it.each([
    ['a wrong check digit', 'DE88 3704 0044 0532 0130 00'],
    ['a changed account digit', 'GB29 NWBK 6016 1331 9268 18'],
    ['an unknown country', 'XX89 3704 0044 0532 0130 00'],
    ['a missing character', 'DE89 3704 0044 0532 0130 0'],
    ['a compact IBAN running into more characters', 'DE89370400440532013000X'],
    ['a code glued to a word', 'xDE89370400440532013000'],
  ])('ignores %s', (_name, text) => {
    expect(matches(text)).toEqual([]);
  });
});
