import type { PiiFinder, PiiSpan } from './pii-detector.js';

// AAA-GG-SSSS with one consistent separator (dash or space). Area 000, 666 and 900-999, group 00 and
// serial 0000 are never issued, so numbers in those ranges are look-alikes, not SSNs.
const ssnPattern = new RegExp(
  [
    String.raw`(?<![\p{L}\p{N}_+\-])`,
    '(?!000|666|9[0-9]{2})[0-9]{3}',
    '([- ])',
    '(?!00)[0-9]{2}',
    String.raw`\1`,
    '(?!0000)[0-9]{4}',
    String.raw`(?![\p{L}\p{N}_]|[.,\-/][0-9])`,
  ].join(''),
  'gu',
);

/**
 * Finds US Social Security numbers written `AAA-GG-SSSS` or `AAA GG SSSS`, outside the unissued ranges.
 *
 * @example
 * ssnDetector.find('SSN 536-22-1957, not 666-22-1957'); // [{ start: 4, end: 15 }]
 */
export const ssnDetector: PiiFinder = {
  type: 'ssn',
  find(text: string): PiiSpan[] {
    const spans: PiiSpan[] = [];
    for (const match of text.matchAll(ssnPattern)) {
      spans.push({ start: match.index, end: match.index + match[0].length });
    }
    return spans;
  },
};
