import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonSchemaInstance } from './json-schema-instance.js';
import { jsonSchemaViolation } from './json-schema-violation.js';

const key = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,7}$/);

/** Zod schemas of the kinds structured-output requests use; each is converted with z.toJSONSchema. */
const leafSchema: fc.Arbitrary<z.ZodType> = fc.oneof(
  fc.constant(z.string()),
  fc.tuple(fc.nat(12), fc.nat(12)).map(([low, extra]) =>
    z
      .string()
      .min(low)
      .max(low + extra),
  ),
  fc.constantFrom(z.email(), z.uuid(), z.iso.datetime(), z.iso.date(), z.url(), z.ipv4()),
  fc.constant(z.number()),
  fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.nat(50)).map(([low, span]) =>
    z
      .number()
      .gt(low)
      .lte(low + span + 1),
  ),
  fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.nat(50)).map(([low, span]) =>
    z
      .int()
      .min(low)
      .max(low + span),
  ),
  fc
    .tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: 1, max: 9 }))
    .map(([low, step]) => z.int().gt(low).multipleOf(step)),
  fc.constant(z.boolean()),
  fc.constant(z.null()),
  fc
    .uniqueArray(key, { minLength: 1, maxLength: 4 })
    .map((values) => z.enum(values as [string, ...string[]])),
  fc.oneof(fc.string(), fc.integer(), fc.boolean()).map((value) => z.literal(value)),
);

const { schema: anySchema } = fc.letrec<{ schema: z.ZodType }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafSchema,
    fc
      .dictionary(key, fc.tuple(tie('schema'), fc.boolean()), { maxKeys: 4 })
      .map((shape) =>
        z.strictObject(
          Object.fromEntries(
            Object.entries(shape).map(([name, [inner, optional]]) => [
              name,
              optional ? inner.optional() : inner,
            ]),
          ),
        ),
      ),
    fc.tuple(tie('schema'), fc.nat(3)).map(([inner, minimum]) => z.array(inner).min(minimum)),
    fc
      .array(tie('schema'), { minLength: 1, maxLength: 3 })
      .map((items) => z.tuple(items as [z.ZodType, ...z.ZodType[]])),
    fc.tuple(tie('schema'), tie('schema')).map(([left, right]) => z.union([left, right])),
    tie('schema').map((inner) => inner.nullable()),
  ),
}));

/** Object roots with at least one property, the shape OpenAI requires at the top of a json_schema. */
const objectRoot = fc
  .dictionary(key, fc.tuple(anySchema, fc.boolean()), { minKeys: 1, maxKeys: 4 })
  .map((shape) =>
    z.strictObject(
      Object.fromEntries(
        Object.entries(shape).map(([name, [inner, optional]]) => [name, optional ? inner.optional() : inner]),
      ),
    ),
  );

describe('jsonSchemaInstance', () => {
  it('builds a value every generated schema accepts', () => {
    fc.assert(
      fc.property(anySchema, (schema) => {
        const instance = jsonSchemaInstance(z.toJSONSchema(schema));
        expect(schema.safeParse(instance).error).toBeUndefined();
      }),
      { numRuns: 300, seed: 20_240_601 },
    );
  });

  it('fills required properties, minimum array lengths and bounds', () => {
    const schema = z.object({
      title: z.string().min(3),
      tags: z.array(z.enum(['a', 'b'])).min(2),
      score: z.int().gte(5).lte(9),
      note: z.string().optional(),
    });
    const instance = jsonSchemaInstance(z.toJSONSchema(schema)) as Record<string, unknown>;
    expect(schema.parse(instance)).toEqual(instance);
    expect(instance).toEqual({ title: 'text', tags: ['a', 'b'], score: 5 });
  });

  it('follows local $ref pointers, including recursive ones, without looping', () => {
    const node = {
      type: 'object',
      properties: { value: { type: 'integer' }, next: { $ref: '#/$defs/node' } },
      required: ['value'],
    };
    const schema = {
      $defs: { node },
      type: 'object',
      properties: { head: { $ref: '#/$defs/node' } },
      required: ['head'],
    };
    expect(jsonSchemaInstance(schema)).toEqual({ head: { value: 0 } });
  });

  it('merges allOf members and prefers the non-null member of a type list', () => {
    const schema = {
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        { properties: { b: { type: ['null', 'boolean'] } }, required: ['b'] },
      ],
    };
    expect(jsonSchemaInstance(schema)).toEqual({ a: 'text', b: true });
  });

  it('returns a const or the first enum value as is', () => {
    expect(jsonSchemaInstance({ const: { fixed: [1, 2] } })).toEqual({ fixed: [1, 2] });
    expect(jsonSchemaInstance({ enum: ['first', 'second'] })).toBe('first');
  });
});

describe('jsonSchemaViolation', () => {
  it('builds a value every generated object schema rejects', () => {
    fc.assert(
      fc.property(objectRoot, (schema) => {
        expect(schema.safeParse(jsonSchemaViolation(z.toJSONSchema(schema))).success).toBe(false);
      }),
      { numRuns: 300, seed: 20_240_602 },
    );
  });

  it('drops the first required property, the way models usually get structured output wrong', () => {
    const schema = z.object({ name: z.string(), age: z.int() });
    expect(jsonSchemaViolation(z.toJSONSchema(schema))).toEqual({ age: 0 });
  });

  it('falls back to a value of a type or enum entry the schema does not allow', () => {
    const nullableText = z.string().nullable();
    expect(nullableText.safeParse(jsonSchemaViolation(z.toJSONSchema(nullableText))).success).toBe(false);
    const choice = z.enum(['this value does not match the schema', 'other']);
    expect(choice.safeParse(jsonSchemaViolation(z.toJSONSchema(choice))).success).toBe(false);
    const either = z.union([z.string(), z.number()]);
    expect(either.safeParse(jsonSchemaViolation(z.toJSONSchema(either))).success).toBe(false);
  });
});
