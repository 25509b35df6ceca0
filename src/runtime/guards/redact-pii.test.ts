import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError, InvalidInputError } from '../../core/errors.js';
import { createPiiRedactor, type PiiFinding, redactPII } from './redact-pii.js';

const sample = {
  email: 'jo@example.com',
  phone: '+44 20 7946 0958',
  card: '4111 1111 1111 1111',
  iban: 'DE89 3704 0044 0532 0130 00',
  ip: '2001:db8::8a2e:370:7334',
  ssn: '536-22-1957',
};

describe('redactPII', () => {
  it('replaces every built-in type with its bracketed name and reports offsets in the original text', () => {
    const text = Object.entries(sample)
      .map(([type, value]) => `${type}: ${value}`)
      .join('; ');
    const result = redactPII(text);
    expect(result.text).toBe(
      'email: [EMAIL]; phone: [PHONE]; card: [CARD]; iban: [IBAN]; ip: [IP]; ssn: [SSN]',
    );
    expect(result.found.map((finding) => [finding.type, text.slice(finding.start, finding.end)])).toEqual(
      Object.entries(sample),
    );
  });

  it('returns the text unchanged and nothing found when there is no personal data', () => {
    const text = 'Version 2.4.1 shipped on 2024-05-01 for $1,299.99 (order ORD-2024-0012345).';
    expect(redactPII(text)).toEqual({ text, found: [] });
  });

  it('redacts an IPv4-mapped IPv6 address once, as a whole', () => {
    expect(redactPII('from ::ffff:192.0.2.128 today')).toEqual({
      text: 'from [IP] today',
      found: [{ type: 'ip', start: 5, end: 23 }],
    });
  });

  it('uses a custom replacement that sees the type, offsets and value', () => {
    const seen: unknown[] = [];
    const result = redactPII('mail jo@example.com', {
      replace: (match) => {
        seen.push(match);
        return `<${match.type}:${match.value.length}>`;
      },
    });
    expect(result.text).toBe('mail <email:14>');
    expect(seen).toEqual([{ type: 'email', start: 5, end: 19, value: 'jo@example.com' }]);
  });

  it('runs only the given detectors when `detectors` is set', () => {
    const text = 'jo@example.com EMP-000042';
    const result = redactPII(text, { detectors: [{ type: 'employee-id', pattern: /\bEMP-\d{6}\b/ }] });
    expect(result.text).toBe('jo@example.com [EMPLOYEE-ID]');
  });

  it('names a malformed detector in the error', () => {
    expect(() => redactPII('x', { detectors: [{ type: 'x' } as never] })).toThrow(InvalidConfigError);
    expect(() => redactPII('x', { detectors: [{ type: 'x' } as never] })).toThrow(/detectors\[0\]/);
  });

  it('rejects a text that is not a string', () => {
    expect(() => redactPII(42 as unknown as string)).toThrow(InvalidInputError);
  });
});

describe('createPiiRedactor', () => {
  it('adds extra detectors to the built-in ones; a finder and a validated pattern both work', () => {
    const redact = createPiiRedactor([
      { type: 'employee-id', pattern: /\bEMP-\d{6}\b/, validate: (match) => match !== 'EMP-000000' },
      {
        type: 'name',
        find: (text) =>
          text.includes('Ada') ? [{ start: text.indexOf('Ada'), end: text.indexOf('Ada') + 3 }] : [],
      },
    ]);
    expect(redact('Ada (EMP-004211, not EMP-000000) wrote from 10.0.0.7').text).toBe(
      '[NAME] ([EMPLOYEE-ID], not EMP-000000) wrote from [IP]',
    );
  });

  it('lets a built-in detector win a tie against an extra one of the same span', () => {
    const redact = createPiiRedactor([{ type: 'address', pattern: /\b\d+\.\d+\.\d+\.\d+\b/ }]);
    expect(redact('10.0.0.7').found).toEqual([{ type: 'ip', start: 0, end: 8 }]);
  });

  it('uses the replacement it was built with', () => {
    const redact = createPiiRedactor([], { replace: () => '***' });
    expect(redact('call 415-555-2671').text).toBe('call ***');
  });

  it('checks the extra detectors when it is built', () => {
    expect(() => createPiiRedactor([{ type: '', pattern: /x/ }])).toThrow(/extraDetectors\[0\]\.type/);
    expect(() => createPiiRedactor('nope' as never)).toThrow(InvalidConfigError);
  });
});

describe('redactPII properties', () => {
  const tokens = fc.constantFrom(
    ...Object.values(sample),
    '(415) 555-2671',
    '06 12 34 56 78',
    '378282246310005',
    'GB29 NWBK 6016 1331 9268 19',
    '192.168.0.12',
    'fe80::1',
    'ana.lopez+news@mail.example.org',
    '999.1.1.1',
    '2024-05-01',
    'v1.2.3',
    '$1,299.99',
    '4111 1111 1111 1112',
    '666-12-3456',
    'hello',
    'Grüße',
    '👍🏽',
    '12',
    '2024',
  );
  const separator = fc.constantFrom(' ', ', ', '; ', '\n', ' and ', '. ', ' (', ') ');
  const texts = fc
    .array(fc.tuple(tokens, separator), { maxLength: 12 })
    .map((parts) => parts.map(([token, between]) => token + between).join(''));
  const noisy = fc.string({
    unit: fc.constantFrom(...'0123456789 .-:+@()/abcDEF,xyz'.split('')),
    maxLength: 80,
  });

  it('leaves none of the found values in the redacted text', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const result = redactPII(text);
        for (const finding of result.found) {
          expect(result.text).not.toContain(text.slice(finding.start, finding.end));
        }
      }),
      { seed: 11_235, numRuns: 500 },
    );
  });

  it('returns findings inside the text, sorted and without overlaps, that rebuild the redacted text', () => {
    fc.assert(
      fc.property(fc.oneof(texts, noisy), (text) => {
        const result = redactPII(text);
        let previousEnd = 0;
        let rebuilt = '';
        result.found.forEach((finding: PiiFinding) => {
          expect(finding.start).toBeGreaterThanOrEqual(previousEnd);
          expect(finding.end).toBeGreaterThan(finding.start);
          expect(finding.end).toBeLessThanOrEqual(text.length);
          rebuilt += `${text.slice(previousEnd, finding.start)}[${finding.type.toUpperCase()}]`;
          previousEnd = finding.end;
        });
        expect(rebuilt + text.slice(previousEnd)).toBe(result.text);
      }),
      { seed: 81_321, numRuns: 1_000 },
    );
  });

  it('leaves text without digits or @ unchanged', () => {
    const withoutDigits = fc
      .string({ unit: 'grapheme', maxLength: 120 })
      .map((text) => text.replace(/[0-9@]/g, ''));
    fc.assert(
      fc.property(
        fc.oneof(
          withoutDigits,
          noisy.map((text) => text.replace(/[0-9@]/g, '')),
        ),
        (text) => {
          expect(redactPII(text)).toEqual({ text, found: [] });
        },
      ),
      { seed: 4_242, numRuns: 1_000 },
    );
  });
});

describe('redactPII on adversarial input', () => {
  const megabyte = (unit: string) => unit.repeat(Math.ceil(2 ** 20 / unit.length)).slice(0, 2 ** 20);

  // Each of these makes a naive pattern backtrack from every offset; all must finish well within the test
  // timeout (linear time), and find nothing.
  it.each([
    ['letters', 'a'],
    ['address-like characters without @', 'a.'],
    ['digits', '1'],
    ['digits and spaces', '1 '],
    ['digits and dashes', '12-'],
    ['dotted digits', '1.'],
    ['at signs', 'a@'],
    ['domain labels without a top-level domain', 'a1.'],
    ['colons', '1:'],
    ['double colons', '::1'],
    ['plus signs', '+1 '],
    ['parentheses', '(1) '],
    ['IBAN starts', 'DE89 '],
    ['SSN starts', '123-45-'],
  ])(
    'scans a megabyte of %s quickly',
    (_name, unit) => {
      const text = unit === 'a1.' ? `x@${megabyte(unit)}` : megabyte(unit);
      expect(redactPII(text).found).toEqual([]);
    },
    20_000,
  );

  it('redacts every item of a megabyte of real data', () => {
    const unit = `${Object.values(sample).join(' . ')} . `;
    const copies = Math.floor(2 ** 20 / unit.length);
    const result = redactPII(unit.repeat(copies));
    expect(result.found).toHaveLength(copies * Object.keys(sample).length);
    expect(result.text).not.toMatch(/[0-9@]/);
  }, 20_000);
});
