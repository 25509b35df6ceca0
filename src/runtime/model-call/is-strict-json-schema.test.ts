import { describe, expect, it } from 'vitest';
import { isStrictJsonSchema } from './is-strict-json-schema.js';

const strictObject = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

describe('isStrictJsonSchema', () => {
  it('accepts nested objects, arrays, nullable unions and definitions that follow the strict rules', () => {
    const schema = {
      ...strictObject({
        name: { type: 'string' },
        tags: { type: 'array', items: strictObject({ label: { type: 'string' } }) },
        nickname: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        home: { $ref: '#/$defs/place' },
      }),
      $defs: { place: strictObject({ city: { type: ['string', 'null'] } }) },
    };
    expect(isStrictJsonSchema(schema)).toBe(true);
  });

  it('refuses a root that is not an object', () => {
    expect(isStrictJsonSchema({ type: 'array', items: { type: 'string' } })).toBe(false);
  });

  it('refuses an object with optional properties or open additional properties, at any depth', () => {
    expect(isStrictJsonSchema({ ...strictObject({ a: { type: 'string' } }), required: [] })).toBe(false);
    expect(
      isStrictJsonSchema({ ...strictObject({ a: { type: 'string' } }), additionalProperties: true }),
    ).toBe(false);
    const deep = strictObject({
      inner: { type: 'object', properties: { b: { type: 'number' } }, required: ['b'] },
    });
    expect(isStrictJsonSchema(deep)).toBe(false);
    const inArray = strictObject({ list: { type: 'array', items: { type: 'object', properties: {} } } });
    expect(isStrictJsonSchema(inArray)).toBe(false);
    const inDefinitions = { ...strictObject({}), $defs: { loose: { type: 'object' } } };
    expect(isStrictJsonSchema(inDefinitions)).toBe(false);
  });

  it('refuses keywords strict mode does not support', () => {
    expect(isStrictJsonSchema(strictObject({ a: { oneOf: [{ type: 'string' }, { type: 'number' }] } }))).toBe(
      false,
    );
    expect(isStrictJsonSchema({ ...strictObject({}), allOf: [] })).toBe(false);
  });
});
