import { describe, expect, it } from 'vitest';
import { emailDetector } from './email-detector.js';

const matches = (text: string) => emailDetector.find(text).map((span) => text.slice(span.start, span.end));

describe('emailDetector', () => {
  it.each([
    'jo@example.com',
    'ana.lopez+news@mail.example.org',
    'first_last@company.co.uk',
    'USER@EXAMPLE.COM',
    'o.connor@uni-berlin.de',
    'josé@correo.es',
    'x@y.museum',
  ])('finds %s', (email) => {
    expect(matches(`mail <${email}>, please`)).toEqual([email]);
  });

  it('finds an address after mailto: and before a full stop', () => {
    expect(matches('mailto:jo@example.com.')).toEqual(['jo@example.com']);
  });

  it.each([
    ['a handle', '@handle'],
    ['a one-letter top-level domain', 'a@b.c'],
    ['a host without a domain', 'test@localhost'],
    ['an asset name', 'icon@2x.png'],
    ['a price', 'two @ $5 each'],
    ['a dangling at', 'support@'],
  ])('ignores %s', (_name, text) => {
    expect(matches(text)).toEqual([]);
  });
});
