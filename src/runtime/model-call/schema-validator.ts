import { z } from 'zod';

/** A check of one value against a JSON Schema: the value as validated, or the problems as `path: message` lines. */
export type SchemaCheck = (value: unknown) => { ok: true; value: unknown } | { ok: false; detail: string };

// Variant schemas are the same objects on every call; compiling one costs far more than checking a value.
const compiled = new WeakMap<object, SchemaCheck>();

/**
 * A validator for a JSON Schema, by zod's JSON Schema converter, compiled once per schema object. The
 * problems come as `path: message` lines, ready to show the model in a repair request. Throws when the
 * schema uses something the converter does not support.
 *
 * @example
 * schemaValidator({ type: 'object', required: ['name'] })({}); // { ok: false, detail: 'name: ...' }
 */
export function schemaValidator(schema: Record<string, unknown>): SchemaCheck {
  let check = compiled.get(schema);
  if (check === undefined) {
    const validator = z.fromJSONSchema(schema);
    check = (value) => {
      const result = validator.safeParse(value);
      if (result.success) return { ok: true, value: result.data };
      const lines = result.error.issues.map((issue) => {
        const path = issue.path.map(String).join('.');
        return path === '' ? issue.message : `${path}: ${issue.message}`;
      });
      return { ok: false, detail: lines.join('\n') };
    };
    compiled.set(schema, check);
  }
  return check;
}
