/** Encoding of JSON columns, identical for SQLite text and PostgreSQL json (both hold the exact text). */
export const jsonColumn = {
  /** JSON text for a value; SQL NULL for null and for what JSON cannot represent (undefined). */
  encode(value: unknown): string | null {
    if (value === null || value === undefined) {
      return null;
    }
    return JSON.stringify(value) ?? null;
  },

  /** The value back from its JSON text; SQL NULL reads as null. */
  decode(text: string | null): unknown {
    return text === null ? null : JSON.parse(text);
  },
} as const;
