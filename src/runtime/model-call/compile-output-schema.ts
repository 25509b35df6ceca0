import { jsonSchema, type Schema } from 'ai';
import { z } from 'zod';

/**
 * Turns a variant's JSON Schema into an AI SDK schema that validates replies with zod's JSON Schema
 * converter; a failed validation carries the problems as `path: message` lines, ready to show the
 * model in a repair request. Throws when the schema uses something the converter does not support.
 *
 * @example
 * const schema = compileOutputSchema({ type: 'object', properties: { name: { type: 'string' } } });
 */
export function compileOutputSchema(schema: Record<string, unknown>): Schema<unknown> {
  const validator = z.fromJSONSchema(schema);
  return jsonSchema<unknown>(schema, {
    validate: (value) => {
      const result = validator.safeParse(value);
      if (result.success) return { success: true, value: result.data };
      const lines = result.error.issues.map((issue) => {
        const path = issue.path.map(String).join('.');
        return path === '' ? issue.message : `${path}: ${issue.message}`;
      });
      return { success: false, error: new Error(lines.join('\n')) };
    },
  });
}
