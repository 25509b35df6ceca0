import type { PiiFinder, PiiSpan } from './pii-detector.js';

/** IBAN length per country (SWIFT IBAN registry); the length tells where an IBAN ends in running text. */
const ibanLengths: ReadonlyMap<string, number> = new Map(
  [
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18',
    'DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23',
    'IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31',
    'MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24',
    'SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30',
  ]
    .join(' ')
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))] as const),
);

// Only the start is matched here (country code and check digits at a word start); the rest is read
// char by char up to the country's length, so nothing can backtrack.
const ibanStart = /(?<![\p{L}\p{N}_])[A-Za-z]{2}[0-9]{2}(?= ?[A-Za-z0-9])/gu;
const alphanumeric = /^[A-Za-z0-9]$/;
const wordCharacter = /^[\p{L}\p{N}_]$/u;

/**
 * Finds IBANs, compact or in space-separated blocks: a known country code, the country's length and a
 * valid ISO 7064 mod-97 checksum.
 *
 * @example
 * ibanDetector.find('pay to DE89 3704 0044 0532 0130 00.'); // [{ start: 7, end: 34 }]
 */
export const ibanDetector: PiiFinder = {
  type: 'iban',
  find(text: string): PiiSpan[] {
    const spans: PiiSpan[] = [];
    for (const match of text.matchAll(ibanStart)) {
      const length = ibanLengths.get(match[0].slice(0, 2).toUpperCase());
      if (length === undefined) continue;
      const end = readIban(text, match.index, length);
      if (end > 0) spans.push({ start: match.index, end });
    }
    return spans;
  },
};

/** Reads `length` characters (single spaces between them allowed) from `start`; returns the end or 0. */
function readIban(text: string, start: number, length: number): number {
  let compact = '';
  let index = start;
  while (compact.length < length && index < text.length) {
    const character = text[index] as string;
    if (alphanumeric.test(character)) {
      compact += character.toUpperCase();
      index += 1;
    } else if (character === ' ' && compact.length >= 4 && alphanumeric.test(text[index + 1] ?? '')) {
      index += 1;
    } else {
      break;
    }
  }
  if (compact.length < length) return 0;
  // The IBAN must end at a word boundary; a longer run of letters and digits is some other identifier.
  if (wordCharacter.test(text[index] ?? '')) return 0;
  return hasValidChecksum(compact) ? index : 0;
}

/** ISO 7064 mod 97-10: move the first four characters to the end, letters to 10-35, expect remainder 1. */
function hasValidChecksum(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    const value = code <= 57 ? code - 48 : code - 55;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1;
}
