import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv-line.js';
import { parseCsv } from './csv-records.test-helper.js';

describe('csvCell', () => {
  it.each([
    [null, ''],
    [undefined, ''],
    ['', '""'],
    ['plain', 'plain'],
    [' padded ', ' padded '],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['lone\nLF', '"lone\nLF"'],
    [0, '0'],
    [-1.5, '-1.5'],
    [1e-7, '1e-7'],
    [true, 'true'],
    [false, 'false'],
    [{ nested: ['a', 1] }, '"{""nested"":[""a"",1]}"'],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('keeps formulas as they are unless asked to neutralise them', () => {
    expect(csvCell('=1+1')).toBe('=1+1');
    expect(csvCell('=1+1', { escapeFormulas: true })).toBe("'=1+1");
    expect(csvCell('@SUM(A1)', { escapeFormulas: true })).toBe("'@SUM(A1)");
    expect(csvCell('-2', { escapeFormulas: true })).toBe("'-2");
    // Numbers are data, not text a spreadsheet would evaluate.
    expect(csvCell(-2, { escapeFormulas: true })).toBe('-2');
    expect(csvCell('plain', { escapeFormulas: true })).toBe('plain');
  });
});

describe('csvLine', () => {
  it('writes one CRLF-terminated record that a strict RFC 4180 reader gives back', () => {
    const values = ['a,b', null, '', 'q"uote', 'multi\r\nline', 3];
    const line = csvLine(values);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(parseCsv(line)).toEqual([['a,b', null, '', 'q"uote', 'multi\r\nline', '3']]);
  });
});
