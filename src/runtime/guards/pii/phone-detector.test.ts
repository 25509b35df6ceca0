import { describe, expect, it } from 'vitest';
import { phoneDetector } from './phone-detector.js';

const matches = (text: string) => phoneDetector.find(text).map((span) => text.slice(span.start, span.end));

describe('phoneDetector', () => {
  it.each([
    '+1 415 555 2671',
    '+1-415-555-2671',
    '+1 (415) 555-2671',
    '+1.415.555.2671',
    '+14155552671',
    '(415) 555-2671',
    '(415)555-2671',
    '415-555-2671',
    '415.555.2671',
    '415 555 2671',
    '415 555-2671',
    '1-800-555-0199',
    '1 (800) 555-0199',
    '555-0199',
    '+44 20 7946 0958',
    '+44 (0)20 7946 0958',
    '020 7946 0958',
    '07911 123456',
    '+49 30 12345678',
    '+49 (0) 30 1234567',
    '+49-30-1234567',
    '030 12345678',
    '030/12345678',
    '(030) 1234567',
    '0049 30 1234567',
    '0176 12345678',
    '+33 6 12 34 56 78',
    '06 12 34 56 78',
    '06.12.34.56.78',
    '+31 6 12345678',
    '06-12345678',
    '+81 3-1234-5678',
    '090-1234-5678',
    '+7 (495) 123-45-67',
  ])('finds %s whole', (phone) => {
    expect(matches(`call ${phone} today`)).toEqual([phone]);
  });

  it.each([
    ['an ISO date', 'on 2024-05-01 at noon'],
    ['an ISO timestamp', 'at 2024-05-01T10:30:00Z'],
    ['a European date with a time', 'am 01.05.2024 10:30'],
    ['a US date', 'due 05/01/2024'],
    ['a time', 'at 10:30:45'],
    ['a version', 'v1.2.3 or version 12.4.1105'],
    ['a Windows build', 'build 10.0.19045.3803'],
    ['a dotted quad', 'host 192.168.100.200'],
    ['a price', 'costs $1,299.99 or 1.299,00 €'],
    ['thousands separated by spaces', 'population 8 336 817'],
    ['an order id', 'order ORD-2024-0012345 and INV-415-555-2671'],
    ['an id glued to letters', 'ref A4155552671 and 4155552671B'],
    ['a bare run of digits', 'ticket 1700000000 or 4155552671'],
    ['a year range', 'from 2020-2024'],
    ['a too-short number', '+1 555 12'],
    ['an ISBN', 'ISBN 978-3-16-148410-0'],
    ['a NANP number with an invalid exchange', '(555) 019-9999'],
    ['blocks of a card number', '4593 0880 8748 6574 767'],
    ['the rest of an IBAN', 'NO52 0853 9190 524 and NL00 PVQH 0762 8000 11'],
  ])('ignores %s', (_name, text) => {
    expect(matches(text)).toEqual([]);
  });

  it('keeps the phone number out of the numbers around it', () => {
    expect(matches('In 2023 415-555-2671 called 2 times')).toEqual(['415-555-2671']);
    expect(matches('+1 415 555 2671 2 times')).toEqual(['+1 415 555 2671']);
  });

  it('accepts a tel: prefix and stops before a sentence end', () => {
    expect(matches('tel:+14155552671. Bye')).toEqual(['+14155552671']);
  });
});
