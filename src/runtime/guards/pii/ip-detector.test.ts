import { describe, expect, it } from 'vitest';
import { ipDetector } from './ip-detector.js';

const matches = (text: string) => ipDetector.find(text).map((span) => text.slice(span.start, span.end));

describe('ipDetector', () => {
  it.each([
    '192.168.0.12',
    '0.0.0.0',
    '255.255.255.255',
    '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    '2001:DB8:0:0:8:800:200C:417A',
    '2001:db8::8a2e:370:7334',
    'fe80::1',
    '::1',
    '1::',
    '::ffff:192.0.2.128',
    '64:ff9b::192.0.2.33',
  ])('finds %s', (address) => {
    const found = matches(`seen from ${address} today`);
    expect(found).toContain(address);
  });

  it('reports the mapped IPv4 address inside an IPv6 one as well, for the redactor to merge', () => {
    expect(matches('::ffff:10.0.0.1')).toEqual(['::ffff:10.0.0.1', '10.0.0.1']);
  });

  it('stops before ports, prefixes, brackets and a full stop', () => {
    expect(matches('10.0.0.1:8080, 10.0.0.0/8, [2001:db8::1]:443 and fe80::1.')).toEqual([
      '10.0.0.1',
      '10.0.0.0',
      '2001:db8::1',
      'fe80::1',
    ]);
  });

  it.each([
    ['an octet above 255', '999.1.1.1 and 256.100.1.1'],
    ['a leading zero', '192.168.01.1'],
    ['three parts', '192.168.1'],
    ['five parts', '1.2.3.4.5'],
    ['a version', 'v1.2.3.4'],
    ['a time', '10:30:45'],
    ['a MAC address', '00:1A:2B:3C:4D:5E'],
    ['two double colons', '2001::db8::1'],
    ['nine groups', '1:2:3:4:5:6:7:8:9'],
    ['a group of five hex digits', '2001:db8::12345'],
    ['hex words without a digit', 'cafe::face and a :: b'],
    ['a C++ scope', 'std::vector'],
  ])('ignores %s', (_name, text) => {
    expect(matches(text)).toEqual([]);
  });
});
