/** Options for CSV cells. */
export interface CsvOptions {
  /**
   * Prefix text cells that start with `=`, `+`, `-`, `@`, tab or carriage return with `'`, so a spreadsheet
   * shows them instead of evaluating them as formulas (OWASP CSV injection). Off by default, because it
   * changes the data: turn it on for files people open in a spreadsheet.
   */
  escapeFormulas?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): null and undefined are empty, an empty string is `""` so the two stay apart,
 * text with a comma, quote or line break is quoted with quotes doubled, objects and arrays are JSON.
 */
export function csvCell(value: unknown, options: CsvOptions = {}): string {
  if (value === null || value === undefined) {
    return '';
  }
  let text: string;
  if (typeof value === 'string') {
    text = options.escapeFormulas === true && FORMULA_START.test(value) ? `'${value}` : value;
    if (text === '') {
      return '""';
    }
  } else if (typeof value === 'object') {
    text = JSON.stringify(value);
  } else {
    text = String(value);
  }
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record ending in CRLF, as RFC 4180 writes them. */
export function csvLine(values: readonly unknown[], options: CsvOptions = {}): string {
  return `${values.map((value) => csvCell(value, options)).join(',')}\r\n`;
}
