import { followsCodeBlock } from './follows-code-block.js';
import type { PiiFinder, PiiSpan } from './pii-detector.js';

// A run of digit groups split by single spaces or dashes. Separators are mandatory between groups, so
// the run splits one way only and the expression cannot backtrack into a blow-up. It may not be glued to
// a word, a decimal, a `+` (a phone number) or the last group of an IPv6 address (`…:7334`).
const digitRun = new RegExp(
  [
    String.raw`(?<![\p{L}\p{N}_+.,\-/])(?<![0-9A-Fa-f:]{2}:)`,
    String.raw`[0-9]{1,19}(?:[ \-][0-9]{1,19}){0,40}`,
    String.raw`(?![\p{L}\p{N}_]|[.,\-/][0-9])`,
  ].join(''),
  'gu',
);

/**
 * Finds payment card numbers: 13-19 digits starting 2-6 (the issuer ranges of Visa, Mastercard, Amex,
 * Discover, Diners, JCB and UnionPay), compact or in blocks starting with four digits, that pass the
 * Luhn checksum. A short number in front (`Qty 2 4111 …`) or a group after it (a security code) is left
 * out; digits continuing an IBAN-like code (`PL76 4772 …`) are not a card.
 *
 * @example
 * cardDetector.find('card 4111 1111 1111 1111 exp 12/29'); // [{ start: 5, end: 24 }]
 */
export const cardDetector: PiiFinder = {
  type: 'card',
  find(text: string): PiiSpan[] {
    const spans: PiiSpan[] = [];
    for (const match of text.matchAll(digitRun)) {
      for (const card of cardsInRun(match[0], followsCodeBlock(text, match.index))) {
        spans.push({ start: match.index + card.start, end: match.index + card.end });
      }
    }
    return spans;
  },
};

/**
 * The card numbers in a run of groups, longest first from each start. A card starts at the first group,
 * right after another card, or after a space (a quantity before it: `Qty 2 4111 …`); it ends at the end
 * of the run or before a space (a security code or a date after it). Dashes bind. `afterCode` says the
 * run continues an IBAN-like code, whose leading blocks of four are skipped.
 */
function cardsInRun(run: string, afterCode: boolean): PiiSpan[] {
  const groups = [...run.matchAll(/[0-9]+/g)].map((group) => ({
    start: group.index,
    end: group.index + group[0].length,
  }));
  const spaceBefore = (index: number) => run[(groups[index] as PiiSpan).start - 1] === ' ';
  // digitsBefore[i]: digits in the groups before group i, so a window's length costs nothing to check.
  const digitsBefore = [0];
  for (const group of groups) digitsBefore.push((digitsBefore.at(-1) as number) + group.end - group.start);
  // A block of four standing on its own (not the tail of `536-22-1957`).
  const loneBlock = (index: number) => {
    const group = groups[index];
    if (group === undefined || group.end - group.start !== 4) return false;
    return (index === 0 || spaceBefore(index)) && (index === groups.length - 1 || spaceBefore(index + 1));
  };
  const cards: PiiSpan[] = [];
  let from = 0;
  while (afterCode && loneBlock(from)) from += 1;
  for (let first = from; first < groups.length; first += 1) {
    if (first > from && !spaceBefore(first)) continue;
    const start = (groups[first] as PiiSpan).start;
    // A card has at most five groups, plus one left out after it.
    for (let last = Math.min(groups.length - 1, first + 5); last >= first; last -= 1) {
      if (last < groups.length - 1 && !spaceBefore(last + 1)) continue;
      const digitCount = (digitsBefore[last + 1] as number) - (digitsBefore[first] as number);
      if (digitCount < 13 || digitCount > 19) continue;
      const end = (groups[last] as PiiSpan).end;
      if (isCardNumber(run.slice(start, end))) {
        cards.push({ start, end });
        from = last + 1;
        first = last;
        break;
      }
    }
  }
  return cards;
}

function isCardNumber(candidate: string): boolean {
  const groups = candidate.split(/[ -]/);
  const digits = groups.join('');
  if (digits.length < 13 || digits.length > 19 || !/^[2-6]/.test(digits)) return false;
  if (groups.length > 1) {
    const separators = new Set(candidate.replace(/[0-9]/g, ''));
    if (separators.size > 1) return false;
    // Cards are printed in blocks of 4 (Amex 4-6-5, Diners 4-6-4, 19 digits 4-4-4-4-3); other shapes
    // are other numbers.
    if (groups[0]?.length !== 4 || groups.some((group) => group.length < 3 || group.length > 6)) return false;
  }
  return passesLuhn(digits);
}

/** The Luhn mod-10 checksum: double every second digit from the right, sum the digits, expect a multiple of 10. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
