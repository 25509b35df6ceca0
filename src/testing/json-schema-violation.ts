import { jsonSchemaInstance } from './json-schema-instance.js';
import {
  declaredTypes,
  flattenSchema,
  isRecord,
  type JsonTypeName,
  resolveSchema,
  type SchemaNode,
} from './schema-node.js';

/** Values of every JSON type, tried in order until one the schema does not allow turns up. */
const wrongTypeCandidates: ReadonlyArray<readonly [JsonTypeName, unknown]> = [
  ['string', 'this value does not match the schema'],
  ['number', 12345.5],
  ['boolean', true],
  ['null', null],
  ['array', []],
  ['object', {}],
];

/**
 * Builds a JSON value that a JSON Schema rejects, the way a model gets structured output wrong: an object
 * with its first required property missing (or an unexpected extra one), else a value of the wrong type
 * or outside the `enum`. A schema that accepts everything has nothing to violate; it gets a string.
 *
 * @example
 * jsonSchemaViolation({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }); // {}
 */
export function jsonSchemaViolation(schema: unknown): unknown {
  const node = resolveSchema(schema, schema);
  const types = allowedTypes(node, schema, 0);
  if (types?.size === 1 && types.has('object') && node.anyOf === undefined && node.oneOf === undefined) {
    const instance = jsonSchemaInstance(schema);
    const flat = flattenSchema(node, schema);
    if (isRecord(instance)) {
      const required = Array.isArray(flat.required)
        ? flat.required.filter((key) => typeof key === 'string')
        : [];
      const firstRequired = required[0];
      if (firstRequired !== undefined) {
        delete instance[firstRequired];
        return instance;
      }
      if (flat.additionalProperties === false) return { ...instance, unexpectedProperty: true };
    }
  }
  const allowedValues = Array.isArray(node.enum) ? node.enum : 'const' in node ? [node.const] : undefined;
  for (const [type, value] of wrongTypeCandidates) {
    const typeAllowed = types === undefined || types.has(type);
    if (allowedValues !== undefined ? !allowedValues.includes(value) && !isObjectLike(value) : !typeAllowed) {
      return value;
    }
  }
  return wrongTypeCandidates[0]?.[1];
}

/** Arrays and objects never equal an `enum` entry by `includes`, so they are skipped to stay honest. */
function isObjectLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** The JSON types a schema accepts, or `undefined` when it accepts any type. */
function allowedTypes(node: SchemaNode, root: unknown, depth: number): Set<JsonTypeName> | undefined {
  const declared = declaredTypes(node);
  if (declared.length > 0) return new Set(declared);
  const options = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  if (options === undefined || options.length === 0 || depth > 16) return undefined;
  const union = new Set<JsonTypeName>();
  for (const option of options) {
    const types = allowedTypes(resolveSchema(option, root), root, depth + 1);
    if (types === undefined) return undefined;
    for (const type of types) union.add(type);
  }
  return union;
}
