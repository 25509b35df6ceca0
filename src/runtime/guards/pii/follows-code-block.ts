const mixedBlock = /^(?=.*[A-Za-z])(?=.*[0-9])[A-Za-z0-9]{4}$/;
const capitalBlock = /^[A-Z]{4}$/;
const wordCharacter = /^[\p{L}\p{N}_]$/u;

/**
 * Whether the digits at `start` continue a code printed in blocks of four: right after a block mixing
 * letters and digits (`NO52 `, `66Z3 `), or after a block of four capitals (a bank code) that itself
 * follows one (`NL00 PVQH `). Those digits belong to the IBAN or account number, not to a phone or card.
 *
 * @example
 * followsCodeBlock('NO52 0853 9190 524', 5); // true
 * followsCodeBlock('Call 0853 919052', 5); // false
 */
export function followsCodeBlock(text: string, start: number): boolean {
  if (start < 5 || text[start - 1] !== ' ') return false;
  const block = text.slice(start - 5, start - 1);
  if (start > 5 && wordCharacter.test(text[start - 6] as string)) return false;
  return mixedBlock.test(block) || (capitalBlock.test(block) && followsCodeBlock(text, start - 5));
}
