import { describe, expect, it } from 'vitest';
import { chooseContentCoding } from './content-coding.js';

describe('chooseContentCoding', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['BR;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    [['deflate', 'gzip;q=0.2'], 'gzip'],
    ['gzip;q=oops', 'gzip'],
  ] as const)('%j -> %s', (header, expected) => {
    expect(chooseContentCoding(header as string | string[] | undefined)).toBe(expected);
  });

  it('offers only the codings the caller lists', () => {
    expect(chooseContentCoding('br, gzip', ['gzip'])).toBe('gzip');
    expect(chooseContentCoding('br', ['gzip'])).toBeUndefined();
  });
});
