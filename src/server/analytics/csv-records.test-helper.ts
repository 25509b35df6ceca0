/** A parsed CSV cell: text, or null for an empty unquoted cell (how `csvCell` writes null). */
export type CsvCell = string | null;

type State = 'start' | 'unquoted' | 'quoted' | 'quote' | 'cr';

/**
 * A strict, incremental RFC 4180 reader for tests: feed it chunks split anywhere, get back the records
 * completed so far. Rejects what RFC 4180 forbids (bare LF, a quote inside an unquoted cell, text after a
 * closing quote), so output that is merely readable by a lenient parser fails.
 */
export class CsvRecordParser {
  #state: State = 'start';
  #field = '';
  #quoted = false;
  #record: CsvCell[] = [];
  #records: CsvCell[][] = [];

  /** Consumes a chunk and returns the records it completed. */
  push(chunk: string): CsvCell[][] {
    for (const char of chunk) {
      this.#step(char);
    }
    return this.#records.splice(0);
  }

  /** Whether the input so far ended exactly at a record boundary. */
  get atRecordBoundary(): boolean {
    return this.#state === 'start' && this.#record.length === 0;
  }

  #step(char: string): void {
    switch (this.#state) {
      case 'start':
        if (char === '"') {
          this.#quoted = true;
          this.#state = 'quoted';
        } else {
          this.#state = 'unquoted';
          this.#unquoted(char);
        }
        return;
      case 'unquoted':
        this.#unquoted(char);
        return;
      case 'quoted':
        if (char === '"') {
          this.#state = 'quote';
        } else {
          this.#field += char;
        }
        return;
      case 'quote':
        if (char === '"') {
          this.#field += '"';
          this.#state = 'quoted';
        } else if (char === ',' || char === '\r') {
          this.#separator(char);
        } else {
          throw new Error(`text after a closing quote: ${JSON.stringify(char)}`);
        }
        return;
      case 'cr':
        if (char !== '\n') {
          throw new Error('CR not followed by LF');
        }
        this.#endField();
        this.#records.push(this.#record);
        this.#record = [];
        this.#state = 'start';
        return;
    }
  }

  #unquoted(char: string): void {
    if (char === ',' || char === '\r') {
      this.#separator(char);
    } else if (char === '"' || char === '\n') {
      throw new Error(`${JSON.stringify(char)} in an unquoted cell`);
    } else {
      this.#field += char;
    }
  }

  #separator(char: string): void {
    if (char === '\r') {
      this.#state = 'cr';
      return;
    }
    this.#endField();
    this.#state = 'start';
  }

  #endField(): void {
    this.#record.push(this.#quoted || this.#field !== '' ? this.#field : null);
    this.#field = '';
    this.#quoted = false;
  }
}

/** Every record of a complete CSV text. */
export function parseCsv(text: string): CsvCell[][] {
  const parser = new CsvRecordParser();
  const records = parser.push(text);
  if (!parser.atRecordBoundary) {
    throw new Error('CSV text ends inside a record');
  }
  return records;
}
