import type { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { formatPath } from '../../core/validate-feature.js';

/**
 * The 400 for a body that failed its schema: the first problem's field (`messages[0].role`) is the
 * error's field, and every further problem is listed after its message.
 *
 * @example
 * const parsed = schema.safeParse(body);
 * if (!parsed.success) throw invalidBody(parsed.error);
 */
export function invalidBody(error: z.ZodError): InvalidInputError {
  const [first, ...rest] = error.issues;
  if (first === undefined) return new InvalidInputError('body', 'is not valid');
  const field = first.path.length === 0 ? 'body' : formatPath(first.path);
  const others = rest.map(
    (issue) => `${issue.path.length === 0 ? 'body' : formatPath(issue.path)}: ${issue.message}`,
  );
  return new InvalidInputError(field, [first.message, ...others].join('; '));
}
