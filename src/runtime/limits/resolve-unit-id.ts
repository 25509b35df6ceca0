import { InvalidInputError } from '../../core/errors.js';

/**
 * The unit (user, account, API key) a limit applies to, read from the named context attribute:
 * a non-empty string or a finite number; undefined when the attribute is missing, null or empty,
 * which the limits then count as the shared anonymous unit.
 */
export function resolveUnitId(
  attributes: Readonly<Record<string, unknown>>,
  attribute: string,
): string | undefined {
  const value = attributes[attribute];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new InvalidInputError(
    `attributes.${attribute}`,
    'must be a string or a finite number to identify a unit',
  );
}
