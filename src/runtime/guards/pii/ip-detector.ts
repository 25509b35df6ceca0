import type { PiiFinder, PiiSpan } from './pii-detector.js';

const octet = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';

// Four octets of 0-255 without leading zeros, not part of a longer dotted run (versions like 1.2.3.4.5).
const ipv4Pattern = new RegExp(
  String.raw`(?<![\p{L}\p{N}_.])(?:${octet}\.){3}${octet}(?![\p{L}\p{N}_]|\.[\p{N}])`,
  'gu',
);

// A bounded run of hex digits, colons and dots with a colon among its first five characters; the
// run is then parsed in code, which is simpler and safer than one expression for every IPv6 form.
const ipv6Candidate = /(?<![\p{L}\p{N}_:.])(?=[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:.]{2,45}(?![\p{L}\p{N}_:])/gu;
const ipv4Exact = new RegExp(`^(?:${octet}\\.){3}${octet}$`);
const hexGroup = /^[0-9A-Fa-f]{1,4}$/;

/**
 * Finds IP addresses: IPv4 dotted quads (each octet 0-255) and IPv6 in full, compressed (`::`) and
 * IPv4-mapped (`::ffff:192.0.2.1`) forms. An IPv6 address must contain a decimal digit, so words made
 * of the letters a-f (`cafe::face`) are left alone.
 *
 * @example
 * ipDetector.find('from 192.168.0.12 and 2001:db8::8a2e:370:7334'); // [{ start: 5, end: 17 }, { start: 22, end: 45 }]
 */
export const ipDetector: PiiFinder = {
  type: 'ip',
  find(text: string): PiiSpan[] {
    const spans: PiiSpan[] = [];
    for (const match of text.matchAll(ipv4Pattern)) {
      spans.push({ start: match.index, end: match.index + match[0].length });
    }
    if (!text.includes(':')) return spans;
    for (const match of text.matchAll(ipv6Candidate)) {
      // A sentence may end right after the address ("… from fe80::1.").
      const address = match[0].replace(/\.+$/, '').replace(/(?<!:):$/, '');
      if (isIpv6(address)) spans.push({ start: match.index, end: match.index + address.length });
    }
    return spans.sort((left, right) => left.start - right.start);
  },
};

/** Parses an IPv6 address: 8 hex groups, or fewer around one `::`, optionally ending in an IPv4 address. */
function isIpv6(address: string): boolean {
  if (!/[0-9]/.test(address)) return false;
  let hexPart = address;
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!ipv4Exact.test(tail)) return false;
    // The embedded IPv4 address takes the place of the last two groups.
    hexPart = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const halves = hexPart.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((group) => hexGroup.test(group))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}
