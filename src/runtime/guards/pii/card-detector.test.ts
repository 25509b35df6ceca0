import { describe, expect, it } from 'vitest';
import { cardDetector } from './card-detector.js';

const matches = (text: string) => cardDetector.find(text).map((span) => text.slice(span.start, span.end));

describe('cardDetector', () => {
  it.each([
    ['Visa', '4111111111111111'],
    ['Visa in blocks', '4111 1111 1111 1111'],
    ['Visa with dashes', '4111-1111-1111-1111'],
    ['Visa 13 digits', '4222222222222'],
    ['Mastercard', '5555 5555 5555 4444'],
    ['Mastercard 2-series', '2221 0000 0000 0009'],
    ['Amex 4-6-5', '3782 822463 10005'],
    ['Amex compact', '378282246310005'],
    ['Discover', '6011 1111 1111 1117'],
    ['Diners 14 digits', '30569309025904'],
    ['JCB', '3530 1113 3330 0000'],
  ])('finds a %s number', (_name, card) => {
    expect(matches(`pay with ${card} now`)).toEqual([card]);
  });

  it.each([
    ['a failed Luhn checksum', '4111 1111 1111 1112'],
    ['an issuer digit outside 2-6', '9400 1000 0000 0000 0000 02'],
    ['mixed separators', '4111 1111-1111 1111'],
    ['pairs of digits', '41 11 11 11 11 11 11 11'],
    ['a number glued to letters', 'ID4111111111111111'],
    ['a decimal', '4111111111111111.5'],
    ['a phone number with +', '+4111111111111111'],
    ['blocks of an IBAN', 'PL76 4111 1111 1111 1111 1111 1111'],
    ['fewer than 13 digits', '411111111111'],
  ])('ignores %s', (_name, text) => {
    expect(matches(text)).toEqual([]);
  });

  it('leaves a trailing security code or quantity out', () => {
    expect(matches('4111-1111-1111-1111 123')).toEqual(['4111-1111-1111-1111']);
    expect(matches('4111 1111 1111 1111 123')).toEqual(['4111 1111 1111 1111']);
  });

  it('finds a card after a small quantity', () => {
    expect(matches('Qty 2 4111 1111 1111 1111')).toEqual(['4111 1111 1111 1111']);
  });
});
