import { followsCodeBlock } from './follows-code-block.js';
import type { PiiFinder, PiiSpan } from './pii-detector.js';

// Candidates: digit groups (a `+` may lead, an area code may sit in parentheses) joined by one space,
// dot, dash or slash. Separators are mandatory between plain digit groups, so a run of digits splits
// one way only and the expression cannot backtrack into a blow-up. A candidate may not be glued to a
// word, a currency sign or an identifier (`ORD-555-…`, `v1.2…`), nor be the minutes of a time.
const phoneCandidate = new RegExp(
  [
    String.raw`(?<![\p{L}\p{N}_+@$€£¥])(?<![\p{L}\p{N}_][.,/\-])(?<![0-9]:)`,
    String.raw`(?:\+[0-9]{1,15}|\([0-9]{1,5}\)|[0-9]{1,15})`,
    String.raw`(?:(?:(?<=\))[ .\-/]?|(?<!\))[ .\-/]|(?<!\))(?=\())(?:\([0-9]{1,5}\)|[0-9]{1,15})){0,40}`,
    String.raw`(?![\p{L}\p{N}_@]|[.,:/\-][\p{L}\p{N}])`,
  ].join(''),
  'gu',
);

/** The most space-separated chunks one phone number is written in (`+33 6 12 34 56 78` has six). */
const maxChunks = 8;

/** One run of digits in a candidate, with what led into it. */
interface DigitGroup {
  readonly digits: string;
  /** Offsets in the candidate, including a leading `+` or the parentheses. */
  readonly start: number;
  readonly end: number;
  readonly plus: boolean;
  readonly parenthesised: boolean;
  /** The separator before the group: `' '`, `'.'`, `'-'`, `'/'` or `''`. */
  readonly separator: string;
}

/**
 * Finds phone numbers: international (`+44 20 7946 0958`, `+1 (415) 555-2671`, `0049 30 1234567`,
 * `+14155552671`), North American (`(415) 555-2671`, `415.555.2671`, `1-800-555-0199`, `555-0199`) and
 * European national numbers with a trunk `0` (`030 12345678`, `06 12 34 56 78`, `020 7946 0958`), with
 * 7-15 digits. Dates, times, versions, prices, dotted quads and ids glued to letters are rejected; a
 * national number needs separators, so a bare run of digits (an order number, a timestamp) is not one.
 *
 * @example
 * phoneDetector.find('call +1 (415) 555-2671 after 2024-05-01'); // [{ start: 5, end: 22 }]
 */
export const phoneDetector: PiiFinder = {
  type: 'phone',
  find(text: string): PiiSpan[] {
    const spans: PiiSpan[] = [];
    for (const match of text.matchAll(phoneCandidate)) {
      // Blocks after an IBAN-like block (`NO52 0853 9190 524`) belong to that code, not to a phone.
      for (const range of phoneRanges(parseGroups(match[0]), followsCodeBlock(text, match.index))) {
        spans.push({ start: match.index + range.start, end: match.index + range.end });
      }
    }
    return spans;
  },
};

function parseGroups(candidate: string): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let separator = '';
  let index = 0;
  while (index < candidate.length) {
    const character = candidate[index] as string;
    const plus = character === '+';
    const parenthesised = character === '(';
    if (plus || parenthesised || isDigit(character)) {
      const start = index;
      if (plus || parenthesised) index += 1;
      const digitsStart = index;
      while (index < candidate.length && isDigit(candidate[index] as string)) index += 1;
      const digits = candidate.slice(digitsStart, index);
      // Step over the closing parenthesis; the candidate pattern guarantees it is there.
      if (parenthesised) index += 1;
      groups.push({ digits, start, end: index, plus, parenthesised, separator });
      separator = '';
    } else {
      separator = character;
      index += 1;
    }
  }
  return groups;
}

/**
 * The phone numbers in a candidate, left to right: from each space-separated chunk, the longest run of
 * chunks that is a phone number, as in `in 2023 415-555-2671`, `+1 415 555 2671 2 times` or two numbers
 * separated only by a space. `afterCode` says the candidate continues an IBAN-like code, whose leading
 * blocks of four are skipped.
 */
function phoneRanges(groups: readonly DigitGroup[], afterCode: boolean): PiiSpan[] {
  const chunkStarts = groups.flatMap((group, index) =>
    index === 0 || group.separator === ' ' ? [index] : [],
  );
  chunkStarts.push(groups.length);
  const chunkCount = chunkStarts.length - 1;
  const firstGroup = (chunk: number) => groups[chunkStarts[chunk] as number] as DigitGroup;
  const loneBlock = (chunk: number) =>
    chunk >= 0 &&
    chunk < chunkCount &&
    chunkStarts[chunk + 1] === (chunkStarts[chunk] as number) + 1 &&
    firstGroup(chunk).digits.length === 4;
  // digitsBefore[i]: digits in the groups before group i, so a range's length costs nothing to check.
  const digitsBefore = [0];
  for (const group of groups) digitsBefore.push((digitsBefore.at(-1) as number) + group.digits.length);
  let from = 0;
  while (afterCode && loneBlock(from)) from += 1;
  const ranges: PiiSpan[] = [];
  for (let first = from; first < chunkCount; first += 1) {
    // Blocks of four in a row are one longer number (`4182 7031 0109 8570 157`): a national number
    // may not start or end between two of them. An international one is delimited by its `+`.
    const national = !firstGroup(first).plus;
    if (national && first > from && loneBlock(first - 1) && firstGroup(first).digits.length === 4) continue;
    for (let size = Math.min(chunkCount - first, maxChunks); size >= 1; size -= 1) {
      const next = first + size;
      const digitCount =
        (digitsBefore[chunkStarts[next] as number] as number) -
        (digitsBefore[chunkStarts[first] as number] as number);
      if (digitCount < 7 || digitCount > 17) continue;
      if (national && loneBlock(next) && loneBlock(next - 1)) continue;
      const slice = groups.slice(chunkStarts[first], chunkStarts[next]);
      if (isPhoneNumber(slice)) {
        ranges.push({
          start: (slice[0] as DigitGroup).start,
          end: (slice[slice.length - 1] as DigitGroup).end,
        });
        first += size - 1;
        break;
      }
    }
  }
  return ranges;
}

function isPhoneNumber(groups: readonly DigitGroup[]): boolean {
  const first = groups[0];
  if (!first) return false;
  const digitCount = groups.reduce((sum, group) => sum + group.digits.length, 0);
  // Country code 1 is the North American plan: exactly ten digits follow. Elsewhere E.164 allows 15.
  if (first.plus) {
    return first.digits.startsWith('1') ? digitCount === 11 : digitCount >= 8 && digitCount <= 15;
  }
  // A national number is written with separators; a bare run of digits is an id, an amount or a time.
  if (groups.length < 2 || looksLikeDate(groups) || hasBlocksOfFour(groups)) return false;
  if (first.digits.startsWith('00') && !first.parenthesised) {
    // `00` is the international prefix in most of Europe: 0049 30 1234567.
    return (
      first.digits.length >= 3 && first.digits.length <= 5 && digitCount - 2 >= 8 && digitCount - 2 <= 15
    );
  }
  return isNorthAmerican(groups) || isTrunkPrefixed(groups, digitCount);
}

/** `(415) 555-2671`, `415-555-2671`, `415.555.2671`, `415 555-2671`, `1-415-555-2671`, `555-2671`. */
function isNorthAmerican(groups: readonly DigitGroup[]): boolean {
  const [area, exchange, line] =
    groups.length === 4 && groups[0]?.digits === '1' && !groups[0].parenthesised ? groups.slice(1) : groups;
  if (groups.length === 2 && area && exchange) {
    return (
      area.digits.length === 3 &&
      exchange.digits.length === 4 &&
      exchange.separator === '-' &&
      !area.parenthesised &&
      /^[2-9]/.test(area.digits)
    );
  }
  if (
    !area ||
    !exchange ||
    !line ||
    groups.length > 4 ||
    (groups.length === 4 && groups[0]?.digits !== '1')
  ) {
    return false;
  }
  const shaped =
    area.digits.length === 3 &&
    exchange.digits.length === 3 &&
    line.digits.length === 4 &&
    /^[2-9]/.test(area.digits) &&
    /^[2-9]/.test(exchange.digits) &&
    !exchange.parenthesised &&
    !line.parenthesised &&
    line.separator !== '/';
  if (!shaped) return false;
  if (area.parenthesised) return exchange.separator !== '.';
  // One separator throughout, or the common `415 555-2671`.
  return exchange.separator === line.separator || (exchange.separator === ' ' && line.separator === '-');
}

/** European national numbers: a trunk `0` plus area code, then groups of two or more digits, 9-12 digits. */
function isTrunkPrefixed(groups: readonly DigitGroup[], digitCount: number): boolean {
  const [first] = groups;
  if (!first || !/^0[1-9]/.test(first.digits) || first.digits.length > 5) return false;
  if (digitCount < 9 || digitCount > 12) return false;
  if (groups.some((group, index) => group.digits.length < 2 || (index > 0 && group.parenthesised))) {
    return false;
  }
  // Four dotted groups of at most three digits are an address or a version, not a phone number.
  const dottedQuad =
    groups.length === 4 &&
    groups.every((group, index) => group.digits.length <= 3 && (index === 0 || group.separator === '.'));
  return !dottedQuad;
}

/**
 * 2024-05-01, 01.05.2024, 05/01/2024, 1.5.24 (alone or followed by a time): three groups with one
 * separator and plausible day and month values.
 */
function looksLikeDate(groups: readonly DigitGroup[]): boolean {
  const [first, second, third, next] = groups;
  if (!first || !second || !third || (next && next.separator !== ' ')) return false;
  if (second.separator !== third.separator || second.separator === ' ') return false;
  const [a, b, c] = [first.digits, second.digits, third.digits];
  const dayOrMonth = (value: string) => value.length <= 2 && Number(value) >= 1 && Number(value) <= 31;
  const month = (value: string) => value.length <= 2 && Number(value) >= 1 && Number(value) <= 12;
  if (a.length === 4) return month(b) && dayOrMonth(c);
  return dayOrMonth(a) && dayOrMonth(b) && (month(a) || month(b)) && (c.length === 4 || c.length === 2);
}

/** Three space-separated blocks of four digits in a row: how cards, IBANs and accounts are printed. */
function hasBlocksOfFour(groups: readonly DigitGroup[]): boolean {
  let run = 0;
  for (const group of groups) {
    run = group.digits.length === 4 && !group.plus && (run === 0 || group.separator === ' ') ? run + 1 : 0;
    if (run >= 3) return true;
  }
  return false;
}

function isDigit(character: string): boolean {
  return character >= '0' && character <= '9';
}
