import type { z } from 'zod';
import { zodProblems } from '../../core/validate-feature.js';
import { invalidInput } from './api-error.js';

/** Where an input came from; the prefix of the paths its problems name (`body.context.overrides`). */
export type InputSource = 'body' | 'query' | 'params' | 'headers';

/**
 * Parses request input with a zod schema, or throws a 400 naming every wrong field with its path
 * (`context.overrides.coach-reply`); the same schemas serve the OpenAPI document.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  source: InputSource,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(source, zodProblems(parsed.error));
  return parsed.data;
}
