import type { PiiFinder, PiiSpan } from './pii-detector.js';

// Every quantifier is bounded and a match may only start where the local part starts (the lookbehind), so
// a long run of address-like characters is tried once instead of from every offset: linear time.
const emailPattern = new RegExp(
  [
    String.raw`(?<![\p{L}\p{N}_.%+\-])`,
    String.raw`[\p{L}\p{N}_][\p{L}\p{N}_.%+\-]{0,63}`,
    '@',
    String.raw`(?:[\p{L}\p{N}][\p{L}\p{N}\-]{0,62}\.){1,8}`,
    String.raw`\p{L}{2,24}`,
    String.raw`(?![\p{L}\p{N}_\-])`,
  ].join(''),
  'gu',
);

// `icon@2x.png`, `logo@3x.webp`: asset names, not addresses (none of these is a top-level domain).
const fileExtension =
  /\.(?:png|jpe?g|gif|svg|webp|avif|ico|bmp|tiff?|css|js|mjs|json|html?|txt|pdf|mp[34]|wav)$/i;

/**
 * Finds email addresses: a local part, `@`, one or more domain labels and an alphabetic top-level domain.
 *
 * @example
 * emailDetector.find('write to ana.lopez+news@mail.example.org today'); // [{ start: 9, end: 40 }]
 */
export const emailDetector: PiiFinder = {
  type: 'email',
  find(text: string): PiiSpan[] {
    const spans: PiiSpan[] = [];
    if (!text.includes('@')) return spans;
    for (const match of text.matchAll(emailPattern)) {
      if (fileExtension.test(match[0])) continue;
      spans.push({ start: match.index, end: match.index + match[0].length });
    }
    return spans;
  },
};
